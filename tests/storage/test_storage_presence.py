"""Contract: statuses (remote, leave, travel), their conflicts with bookings, and `who`."""

from __future__ import annotations

import pytest

from storage import PresenceKind, Slot, StatusChange, StatusConflict, StatusKind, UnknownSite
from tests.storage.storage_helpers import (
    ALICE,
    BOB,
    CAROL,
    DAVE,
    FRIDAY,
    MONDAY,
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


def summary(presences):
    return [(p.member, p.kind.value, p.site, p.desk, p.slot) for p in presences]


async def test_set_status_and_who(storage) -> None:
    changes = await storage.set_status(ALICE, [TUESDAY, WEDNESDAY], Slot.DAY, StatusKind.REMOTE)
    assert changes == [
        StatusChange(TUESDAY, Slot.DAY, StatusKind.REMOTE),
        StatusChange(WEDNESDAY, Slot.DAY, StatusKind.REMOTE),
    ]
    await storage.reserve(BOB, "Metz", [TUESDAY], Slot.AM)
    await storage.set_status(BOB, [TUESDAY], Slot.PM, StatusKind.TRAVEL)
    assert summary(await storage.who(TUESDAY)) == [
        (ALICE, "remote", None, None, Slot.DAY),
        (BOB, "onsite", "Metz", "B-101", Slot.AM),
        (BOB, "travel", None, None, Slot.PM),
    ]


async def test_who_filters_by_site_and_members(storage) -> None:
    await storage.reserve(ALICE, "Metz", [TUESDAY], Slot.DAY)
    await storage.reserve(BOB, "Orléans", [TUESDAY], Slot.DAY)
    await storage.set_status(CAROL, [TUESDAY], Slot.DAY, StatusKind.LEAVE)
    assert [p.member for p in await storage.who(TUESDAY, site="Metz")] == [ALICE]
    assert [p.member for p in await storage.who(TUESDAY, members=[BOB, CAROL, DAVE])] == [
        BOB,
        CAROL,
    ]
    assert await storage.who(TUESDAY, members=[]) == []
    assert await storage.who(WEDNESDAY) == []
    with pytest.raises(UnknownSite):
        await storage.who(TUESDAY, site="Atlantis")


async def test_a_new_status_replaces_the_old_one(storage) -> None:
    await storage.set_status(ALICE, [TUESDAY], Slot.DAY, StatusKind.REMOTE)
    await storage.set_status(ALICE, [TUESDAY], Slot.PM, StatusKind.LEAVE)
    kinds = {(p.kind, p.slot) for p in await storage.who(TUESDAY)}
    assert kinds == {(PresenceKind.REMOTE, Slot.AM), (PresenceKind.LEAVE, Slot.PM)}


async def test_status_over_a_booking_asks_first(storage) -> None:
    (booked,) = await storage.reserve(ALICE, "Metz", [TUESDAY], Slot.DAY)
    assert await storage.conflicting_bookings(ALICE, [TUESDAY, WEDNESDAY], Slot.PM) == [
        booked.booking
    ]
    with pytest.raises(StatusConflict) as raised:
        await storage.set_status(ALICE, [TUESDAY, WEDNESDAY], Slot.PM, StatusKind.REMOTE)
    assert raised.value.bookings == (booked.booking,)
    # Nothing changed.
    assert summary(await storage.who(WEDNESDAY)) == []
    assert len(await storage.list_bookings(ALICE, TUESDAY, TUESDAY)) == 1


async def test_replacing_keeps_the_other_half_of_a_whole_day(storage) -> None:
    (booked,) = await storage.reserve(ALICE, "Metz", [TUESDAY], Slot.DAY)
    changes = await storage.set_status(
        ALICE, [TUESDAY], Slot.PM, StatusKind.REMOTE, replace_bookings=True
    )
    assert len(changes) == 1
    assert (changes[0].replaced.id, changes[0].replaced.slot) == (booked.booking.id, Slot.PM)
    assert summary(await storage.who(TUESDAY)) == [
        (ALICE, "onsite", "Metz", "B-101", Slot.AM),
        (ALICE, "remote", None, None, Slot.PM),
    ]


async def test_replacing_whole_days_cancels_every_booking(storage) -> None:
    await storage.reserve(ALICE, "Metz", [TUESDAY], Slot.AM)
    await storage.reserve(ALICE, "Orléans", [TUESDAY], Slot.PM)
    changes = await storage.set_status(
        ALICE, [TUESDAY, WEDNESDAY], Slot.DAY, StatusKind.LEAVE, replace_bookings=True
    )
    replaced = sorted((c.day, c.replaced.site) for c in changes if c.replaced)
    assert replaced == [(TUESDAY, "Metz"), (TUESDAY, "Orléans")]
    assert [c.day for c in changes if not c.replaced] == [WEDNESDAY]
    assert await storage.list_bookings(ALICE, MONDAY, FRIDAY) == []


async def test_clear_status(storage) -> None:
    await storage.set_status(ALICE, [TUESDAY, WEDNESDAY], Slot.DAY, StatusKind.REMOTE)
    assert await storage.clear_status(ALICE, [TUESDAY], Slot.AM) == 1
    assert [(p.slot) for p in await storage.who(TUESDAY)] == [Slot.PM]
    assert await storage.clear_status(ALICE, [TUESDAY, WEDNESDAY, THURSDAY]) == 2
    assert await storage.who(WEDNESDAY) == []
    assert await storage.clear_status(ALICE, [TUESDAY]) == 0


async def test_the_past_keeps_its_statuses(storage, clock) -> None:
    await storage.set_status(ALICE, [TUESDAY], Slot.DAY, StatusKind.REMOTE)
    clock.set(paris("2026-11-25 09:00"))
    assert await storage.set_status(ALICE, [TUESDAY], Slot.DAY, StatusKind.LEAVE) == []
    assert await storage.clear_status(ALICE, [TUESDAY]) == 0
    assert [p.kind for p in await storage.who(TUESDAY)] == [PresenceKind.REMOTE]
