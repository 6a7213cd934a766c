"""Contract: the start of a turn, member + dialogue state + pending question in one go."""

from __future__ import annotations

import pytest

from storage import PendingQuestion
from tests.storage.storage_helpers import ALICE, BOB, paris


@pytest.fixture(autouse=True)
async def _sites(storage, sites_yaml) -> None:
    await sites_yaml(storage)


async def test_open_turn_creates_the_member_and_reads_nothing_else(storage) -> None:
    member, state, pending = await storage.open_turn(ALICE, "Alice Martin", "!a:x")
    assert (member.matrix_id, member.display_name) == (ALICE, "Alice Martin")
    assert (state, pending) == (None, None)
    assert (await storage.get_member(ALICE)) == member


async def test_open_turn_reads_the_state_and_takes_the_question(storage, clock) -> None:
    await storage.ensure_member(ALICE)
    later = paris("2026-11-23 09:05")
    await storage.save_dialogue(ALICE, "!a:x", {"last": {"n": 1}}, later)
    await storage.save_pending(ALICE, "!a:x", "confirm", {"n": 2}, later)
    await storage.save_pending(ALICE, "!b:x", "other", {}, later)
    member, state, pending = await storage.open_turn(ALICE, None, "!a:x")
    assert member.display_name is None
    assert state == {"last": {"n": 1}}
    assert pending == PendingQuestion(ALICE, "!a:x", "confirm", {"n": 2}, later)
    # The question is taken, the state stays, the other room's question too.
    _, state, pending = await storage.open_turn(ALICE, "Alice", "!a:x")
    assert (state, pending) == ({"last": {"n": 1}}, None)
    other = await storage.take_pending(ALICE, "!b:x")
    assert other is not None and other.kind == "other"
    # Expired: neither is returned.
    clock.set(paris("2026-11-23 09:06"))
    await storage.save_pending(ALICE, "!a:x", "late", {}, paris("2026-11-23 09:05"))
    assert (await storage.open_turn(ALICE, "Alice", "!a:x"))[1:] == (None, None)
    assert (await storage.open_turn(BOB, None, "!a:x"))[1:] == (None, None)
