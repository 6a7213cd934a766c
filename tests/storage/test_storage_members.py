"""Contract: members, their default site, and the chat side's state (events, questions)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from storage import MemberInfo, PendingQuestion, Role, Slot, UnknownMember, UnknownSite
from tests.storage.storage_helpers import ALICE, BOB, TUESDAY, WEDNESDAY, paris


@pytest.fixture(autouse=True)
async def _sites(storage, sites_yaml) -> None:
    await sites_yaml(storage)


async def test_ensure_member_creates_then_refreshes_the_name(storage) -> None:
    assert await storage.get_member(ALICE) is None
    created = await storage.ensure_member(ALICE)
    assert created == MemberInfo(ALICE, None, Role.AGENT, None, None)
    assert (await storage.ensure_member(ALICE, "Alice Martin")).display_name == "Alice Martin"
    assert (await storage.ensure_member(ALICE)).display_name == "Alice Martin"
    assert (await storage.ensure_member(ALICE, "Alice M.")).display_name == "Alice M."
    assert await storage.get_member(ALICE) == MemberInfo(ALICE, "Alice M.", Role.AGENT, None, None)


async def test_concurrent_first_contacts_create_one_member(storage) -> None:
    infos = await asyncio.gather(*(storage.ensure_member(BOB, "Bob") for _ in range(5)))
    assert {info.matrix_id for info in infos} == {BOB}


async def test_role_and_locale(storage) -> None:
    await storage.ensure_member(ALICE)
    assert (await storage.set_role(ALICE, Role.MANAGER)).role is Role.MANAGER
    assert (await storage.set_locale(ALICE, "en")).locale == "en"
    assert (await storage.set_locale(ALICE, None)).locale is None
    with pytest.raises(UnknownMember):
        await storage.set_role(BOB, Role.ADMIN)


async def test_default_site_is_the_chosen_one_else_the_last_booked(storage) -> None:
    await storage.ensure_member(ALICE)
    await storage.reserve(ALICE, "Orléans", [TUESDAY], Slot.DAY)
    assert (await storage.get_member(ALICE)).default_site == "Orléans"
    await storage.reserve(ALICE, "Metz", [WEDNESDAY], Slot.DAY)
    assert (await storage.get_member(ALICE)).default_site == "Metz"
    assert (await storage.set_default_site(ALICE, "orléans")).default_site == "Orléans"
    await storage.reserve(ALICE, "Metz", [WEDNESDAY + timedelta(days=1)], Slot.DAY)
    assert (await storage.get_member(ALICE)).default_site == "Orléans"
    assert (await storage.set_default_site(ALICE, None)).default_site == "Metz"
    with pytest.raises(UnknownSite):
        await storage.set_default_site(ALICE, "Atlantis")


async def test_an_event_is_claimed_once(storage) -> None:
    assert await storage.claim_event("$a") is True
    assert await storage.claim_event("$a") is False
    claims = await asyncio.gather(*(storage.claim_event("$b") for _ in range(10)))
    assert sorted(claims) == [False] * 9 + [True]


async def test_old_events_are_pruned(storage, clock) -> None:
    await storage.claim_event("$old")
    clock.set(paris("2026-11-30 09:00"))
    await storage.claim_event("$new")
    assert await storage.prune_events(paris("2026-11-29 00:00")) == 1
    assert await storage.claim_event("$old") is True
    assert await storage.claim_event("$new") is False


async def test_pending_question_round_trip(storage, clock) -> None:
    await storage.ensure_member(ALICE)
    expires = paris("2026-11-23 09:05")
    payload = {"days": [TUESDAY, WEDNESDAY], "slot": "am", "site": "Metz", "n": 2}
    await storage.save_pending(ALICE, "!room:x", "confirm_cancel", payload, expires)
    taken = await storage.take_pending(ALICE, "!room:x")
    assert taken == PendingQuestion(ALICE, "!room:x", "confirm_cancel", payload, expires)
    assert await storage.take_pending(ALICE, "!room:x") is None


async def test_pending_question_is_replaced_per_room_and_expires(storage, clock) -> None:
    await storage.ensure_member(ALICE)
    later = paris("2026-11-23 09:05")
    await storage.save_pending(ALICE, "!a:x", "first", {}, later)
    await storage.save_pending(ALICE, "!a:x", "second", {}, later)
    await storage.save_pending(ALICE, "!b:x", "other", {}, later)
    assert (await storage.take_pending(ALICE, "!a:x")).kind == "second"
    clock.set(paris("2026-11-23 09:06"))
    assert await storage.take_pending(ALICE, "!b:x") is None
    assert await storage.take_pending(BOB, "!b:x") is None
    with pytest.raises(UnknownMember):
        await storage.save_pending(BOB, "!a:x", "x", {}, later)
