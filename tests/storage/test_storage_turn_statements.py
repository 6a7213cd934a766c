"""Contract: the start of a turn and the dialogue state in as few statements as they need
(issue 10's latency), with the same answers as the member operations; and the one transaction
helper that every transaction, the reserve fast path included, goes through (issue 9, §4)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import timedelta

import asyncpg
import pytest

from storage import MemberInfo, Outcome, PendingQuestion, Role, Slot, UnknownMember
from storage.core import MAX_ATTEMPTS
from storage.engine import count_statements
from tests.storage.storage_helpers import ALICE, BOB, CAROL, TUESDAY, WEDNESDAY, paris


@pytest.fixture(autouse=True)
async def _sites(storage, sites_yaml) -> None:
    await sites_yaml(storage)


async def test_open_turn_answers_as_get_member_does(storage) -> None:
    first, _, _ = await storage.open_turn(ALICE, None, "!a:x")
    assert first == MemberInfo(ALICE, None, Role.AGENT, None, None)
    renamed, _, _ = await storage.open_turn(ALICE, "Alice Martin", "!a:x")
    assert renamed.display_name == "Alice Martin"
    kept, _, _ = await storage.open_turn(ALICE, None, "!a:x")  # None keeps the known name
    assert kept.display_name == "Alice Martin"
    await storage.reserve(ALICE, "Orléans", [TUESDAY], Slot.DAY)
    await storage.set_locale(ALICE, "en")
    await storage.set_role(ALICE, Role.MANAGER)
    member, _, _ = await storage.open_turn(ALICE, "Alice M.", "!a:x")
    assert member == MemberInfo(ALICE, "Alice M.", Role.MANAGER, "Orléans", "en")
    assert member == await storage.get_member(ALICE)
    await storage.set_default_site(ALICE, "Metz")
    await storage.reserve(ALICE, "Orléans", [WEDNESDAY], Slot.DAY)
    member, _, _ = await storage.open_turn(ALICE, "Alice M.", "!a:x")
    assert member.default_site == "Metz" == (await storage.get_member(ALICE)).default_site


async def test_concurrent_first_turns_create_one_member(storage) -> None:
    opened = await asyncio.gather(*(storage.open_turn(BOB, "Bob", "!b:x") for _ in range(8)))
    assert {(member.matrix_id, member.display_name) for member, _, _ in opened} == {(BOB, "Bob")}
    assert (await storage.get_member(BOB)) == opened[0][0]


async def test_a_turn_opens_and_saves_in_one_statement_each_on_postgresql(storage) -> None:
    later = paris("2026-11-23 09:05")
    with count_statements(storage.engine) as opening:
        await storage.open_turn(ALICE, "Alice", "!a:x")
    with count_statements(storage.engine) as saving:
        await storage.save_dialogue(ALICE, "!a:x", {"last": {"n": 1}}, later)
    assert saving.queries == 1  # the member's id is read inside the upsert
    with count_statements(storage.engine) as asking:
        await storage.save_pending(ALICE, "!a:x", "confirm", {"n": 2}, later)
    assert asking.queries == 1
    if storage.dialect == "postgresql":
        assert opening.queries == 1
    with count_statements(storage.engine) as opening:
        _, state, pending = await storage.open_turn(ALICE, "Alice", "!a:x")
    assert state == {"last": {"n": 1}}
    if storage.dialect == "postgresql":
        assert opening.queries == 1
    assert pending is not None and (pending.kind, pending.payload) == ("confirm", {"n": 2})
    with pytest.raises(UnknownMember):
        await storage.save_dialogue(BOB, "!a:x", {"last": {}}, later)
    with pytest.raises(UnknownMember):
        await storage.save_pending(BOB, "!a:x", "confirm", {}, later)


async def test_every_transaction_retries_transient_errors_a_bounded_number_of_times(
    storage,
) -> None:
    calls: list[int] = []

    async def deadlocked_twice() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise asyncpg.DeadlockDetectedError("deadlock detected")
        return "done"

    assert await storage._attempts("test", deadlocked_twice) == "done"
    assert len(calls) == 3

    async def always_deadlocked() -> str:
        calls.append(1)
        raise asyncpg.DeadlockDetectedError("deadlock detected")

    calls.clear()
    with pytest.raises(asyncpg.DeadlockDetectedError):
        await storage._attempts("test", always_deadlocked)
    assert len(calls) == MAX_ATTEMPTS

    async def broken() -> str:
        calls.append(1)
        raise asyncpg.UniqueViolationError("duplicate key")

    calls.clear()
    with pytest.raises(asyncpg.UniqueViolationError):
        await storage._attempts("test", broken)
    assert len(calls) == 1  # not transient: not retried


async def test_reserve_runs_through_the_transaction_helper(storage, caplog) -> None:
    await storage.ensure_member(ALICE)
    with caplog.at_level(logging.DEBUG, logger="storage.core"):
        (outcome,) = await storage.reserve(ALICE, "Metz", [TUESDAY], Slot.DAY)
    assert outcome.booking is not None
    timed = [r.getMessage().split(":")[0] for r in caplog.records if r.name == "storage.core"]
    assert timed == (["reserve_pg"] if storage.dialect == "postgresql" else ["reserve"])


async def test_the_chat_side_bookkeeping_is_one_statement_each(storage) -> None:
    # Run without BEGIN/COMMIT on PostgreSQL (`Storage._write_one`): each must stay one.
    await storage.ensure_member(ALICE)
    later = paris("2026-11-23 09:05")
    await storage.save_pending(ALICE, "!a:x", "confirm", {}, later)
    await storage.save_dialogue(ALICE, "!a:x", {"last": {}}, later)
    steps = [
        storage.claim_event("$e"),
        storage.claim_command("$c", "me", {"text": "x"}, timedelta(seconds=30)),
        storage.command_done("$c"),
        storage.take_pending(ALICE, "!a:x"),
        storage.clear_dialogue(ALICE, "!a:x"),
    ]
    for step in steps:
        with count_statements(storage.engine) as sent:
            await step
        assert sent.queries == 1
    assert await storage.claim_event("$e") is False
    assert await storage.load_dialogue(ALICE, "!a:x") is None
    assert await storage.take_pending(ALICE, "!a:x") is None


async def test_a_turn_ends_with_its_state_and_question_in_one_statement(storage) -> None:
    await storage.ensure_member(ALICE)
    later = paris("2026-11-23 09:05")
    question = PendingQuestion(ALICE, "!a:x", "waitlist", {"site": "Nantes"}, later)
    with count_statements(storage.engine) as ending:
        await storage.end_turn(ALICE, "!a:x", {"last": {"n": 1}}, later, question)
    if storage.dialect == "postgresql":
        assert ending.queries == 1
    _, state, pending = await storage.open_turn(ALICE, None, "!a:x")
    assert state == {"last": {"n": 1}}
    assert pending == question
    # None leaves the state as it is; the question alone is kept.
    await storage.end_turn(ALICE, "!a:x", None, later, replace(question, kind="confirm"))
    _, state, pending = await storage.open_turn(ALICE, None, "!a:x")
    assert state == {"last": {"n": 1}}
    assert pending is not None and pending.kind == "confirm"
    # {} forgets the state, with or without a question.
    await storage.end_turn(ALICE, "!a:x", {}, later, question)
    _, state, pending = await storage.open_turn(ALICE, None, "!a:x")
    assert state is None and pending == question
    await storage.end_turn(ALICE, "!a:x", {"last": {"n": 2}}, later)
    await storage.end_turn(ALICE, "!a:x", {}, later)
    assert await storage.load_dialogue(ALICE, "!a:x") is None
    with count_statements(storage.engine) as nothing:
        await storage.end_turn(ALICE, "!a:x", None, later)
    assert nothing.statements == []
    with pytest.raises(UnknownMember):
        await storage.end_turn(BOB, "!a:x", {"last": {}}, later, question)
    assert await storage.get_member(BOB) is None


async def test_a_full_answer_is_counted_once_and_never_for_an_unknown_member(storage) -> None:
    await storage.ensure_member(ALICE)
    await storage.ensure_member(BOB)
    (booked,) = await storage.reserve(ALICE, "Nantes", [TUESDAY], Slot.DAY)
    assert booked.booking is not None
    (full,) = await storage.reserve(BOB, "Nantes", [TUESDAY], Slot.DAY)
    assert full.outcome is Outcome.FULL
    (again,) = await storage.reserve(ALICE, "Nantes", [TUESDAY], Slot.DAY)
    assert again.outcome is Outcome.ALREADY_BOOKED and again.booking == booked.booking
    with pytest.raises(UnknownMember):
        await storage.reserve(CAROL, "Nantes", [TUESDAY], Slot.DAY)
    figures = await storage.occupancy_period("Nantes", TUESDAY, TUESDAY)
    assert figures.full_answers == 1
