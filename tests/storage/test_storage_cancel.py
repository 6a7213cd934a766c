"""Contract: `cancel`, `list_bookings`, closures (`close_site`, `reopen_site`)."""

from __future__ import annotations

import pytest

from storage import Outcome, Slot, UnknownMember
from tests.storage.storage_helpers import (
    ALICE,
    BOB,
    CAROL,
    FRIDAY,
    MONDAY,
    NEXT_MONDAY,
    THURSDAY,
    TUESDAY,
    WEDNESDAY,
    add_members,
    paris,
)


@pytest.fixture(autouse=True)
async def _sites(storage, sites_yaml) -> None:
    await sites_yaml(storage)
    await add_members(storage)


async def test_cancel_returns_what_was_cancelled(storage) -> None:
    outcomes = await storage.reserve(ALICE, "Metz", [TUESDAY, WEDNESDAY], Slot.DAY)
    cancelled = await storage.cancel(ALICE, [WEDNESDAY, THURSDAY])
    assert cancelled == [outcomes[1].booking]
    assert await storage.list_bookings(ALICE, MONDAY, FRIDAY) == [outcomes[0].booking]
    # The desk is free again.
    assert (await storage.availability("Metz", WEDNESDAY, Slot.DAY)).free_count == 3


async def test_cancel_one_half_of_a_half_day_booking(storage) -> None:
    await storage.reserve(ALICE, "Metz", [TUESDAY], Slot.AM)
    await storage.reserve(ALICE, "Orléans", [TUESDAY], Slot.PM)
    cancelled = await storage.cancel(ALICE, [TUESDAY], Slot.AM)
    assert [(b.site, b.slot) for b in cancelled] == [("Metz", Slot.AM)]
    remaining = await storage.list_bookings(ALICE, TUESDAY, TUESDAY)
    assert [(b.site, b.slot) for b in remaining] == [("Orléans", Slot.PM)]


async def test_cancel_the_morning_of_a_whole_day_keeps_the_afternoon(storage) -> None:
    (booked,) = await storage.reserve(ALICE, "Metz", [TUESDAY], Slot.DAY)
    released = await storage.cancel(ALICE, [TUESDAY], Slot.AM)
    assert [(b.id, b.desk, b.slot) for b in released] == [(booked.booking.id, "B-101", Slot.AM)]
    (kept,) = await storage.list_bookings(ALICE, TUESDAY, TUESDAY)
    assert (kept.id, kept.desk, kept.slot) == (booked.booking.id, "B-101", Slot.PM)
    # The morning is bookable by someone else, on the same desk.
    (other,) = await storage.reserve(BOB, "Metz", [TUESDAY], Slot.AM, desk="B-101")
    assert other.outcome is Outcome.BOOKED


async def test_cancel_only_at_one_site(storage) -> None:
    await storage.reserve(ALICE, "Metz", [TUESDAY], Slot.AM)
    await storage.reserve(ALICE, "Orléans", [TUESDAY], Slot.PM)
    cancelled = await storage.cancel(ALICE, [TUESDAY], site="orléans")
    assert [b.site for b in cancelled] == ["Orléans"]
    assert [b.site for b in await storage.list_bookings(ALICE, TUESDAY, TUESDAY)] == ["Metz"]


async def test_cancel_nothing(storage) -> None:
    assert await storage.cancel(ALICE, [TUESDAY]) == []
    with pytest.raises(UnknownMember):
        await storage.cancel("@ghost:example.org", [TUESDAY])


async def test_the_past_is_not_cancelled(storage, clock) -> None:
    await storage.reserve(ALICE, "Metz", [TUESDAY, WEDNESDAY], Slot.DAY)
    clock.set(paris("2026-11-25 08:00"))  # Wednesday
    cancelled = await storage.cancel(ALICE, [TUESDAY, WEDNESDAY])
    assert [b.day for b in cancelled] == [WEDNESDAY]
    assert [b.day for b in await storage.list_bookings(ALICE, MONDAY, FRIDAY)] == [TUESDAY]


async def test_list_bookings_is_sorted_and_bounded(storage) -> None:
    await storage.reserve(ALICE, "Metz", [THURSDAY], Slot.PM)
    await storage.reserve(ALICE, "Orléans", [THURSDAY], Slot.AM)
    await storage.reserve(ALICE, "Metz", [TUESDAY, NEXT_MONDAY], Slot.DAY)
    listed = await storage.list_bookings(ALICE, TUESDAY, FRIDAY)
    assert [(b.day, b.slot, b.site) for b in listed] == [
        (TUESDAY, Slot.DAY, "Metz"),
        (THURSDAY, Slot.AM, "Orléans"),
        (THURSDAY, Slot.PM, "Metz"),
    ]
    assert await storage.list_bookings(BOB, MONDAY, NEXT_MONDAY) == []


async def test_close_site_cancels_and_returns_the_bookings(storage) -> None:
    await storage.reserve(ALICE, "Metz", [TUESDAY, WEDNESDAY], Slot.DAY)
    await storage.reserve(BOB, "Metz", [TUESDAY], Slot.AM)
    await storage.reserve(CAROL, "Orléans", [TUESDAY], Slot.DAY)
    cancelled = await storage.close_site("Metz", [TUESDAY], "Coupure électrique")
    assert sorted((b.member, b.day) for b in cancelled) == [(ALICE, TUESDAY), (BOB, TUESDAY)]
    assert [b.day for b in await storage.list_bookings(ALICE, MONDAY, FRIDAY)] == [WEDNESDAY]
    assert len(await storage.list_bookings(CAROL, MONDAY, FRIDAY)) == 1
    (refused,) = await storage.reserve(CAROL, "Metz", [TUESDAY], Slot.PM)
    assert (refused.outcome, refused.reason) == (Outcome.CLOSED, "Coupure électrique")


async def test_closing_again_updates_the_reason(storage) -> None:
    await storage.close_site("Metz", [TUESDAY], "Travaux")
    await storage.close_site("Metz", [TUESDAY], "Travaux prolongés")
    (refused,) = await storage.reserve(ALICE, "Metz", [TUESDAY], Slot.DAY)
    assert refused.reason == "Travaux prolongés"


async def test_reopen(storage) -> None:
    await storage.close_site("Metz", [TUESDAY, WEDNESDAY], None)
    assert await storage.reopen_site("Metz", [TUESDAY, THURSDAY]) == [TUESDAY]
    outcomes = await storage.reserve(ALICE, "Metz", [TUESDAY, WEDNESDAY], Slot.DAY)
    assert [o.outcome for o in outcomes] == [Outcome.BOOKED, Outcome.CLOSED]


async def test_closing_the_past_changes_nothing(storage, clock) -> None:
    await storage.reserve(ALICE, "Metz", [TUESDAY], Slot.DAY)
    clock.set(paris("2026-11-25 08:00"))
    assert await storage.close_site("Metz", [TUESDAY], "trop tard") == []
    assert len(await storage.list_bookings(ALICE, TUESDAY, TUESDAY)) == 1
