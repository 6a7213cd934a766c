"""Contract: the waitlist and the release of no-shows (issue 12), on SQLite and PostgreSQL.

Metz (2 desks) asks for a check-in by 10:00 (14:30 for an afternoon); Orléans (1 desk) has none.
The clock fixture is Monday 23 November 2026, 09:00 in Paris.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from storage import Outcome, Slot, StatusKind
from storage.waitlist import JoinOutcome
from tests.storage.storage_helpers import (
    ALICE,
    BOB,
    CAROL,
    CHRISTMAS,
    DAVE,
    MONDAY,
    SATURDAY,
    TUESDAY,
    WEDNESDAY,
    add_members,
    overlaps,
    paris,
)

EVE = "@eve.roux:agent.interieur.tchap.gouv.fr"
SITES = """
sites:
  - name: Metz
    department: "57"
    check_in: {morning: "10:00", afternoon: "14:30"}
    desks: ["B-1", "B-2"]
  - name: Orléans
    department: "45"
    desks: ["O-1"]
"""


@pytest.fixture(autouse=True)
async def _sites(storage) -> None:
    await storage.import_sites(SITES)
    await add_members(storage)
    await storage.ensure_member(EVE, "Eve Roux")


async def fill_metz(storage, day=TUESDAY, slot=Slot.DAY) -> None:
    for who in (ALICE, BOB):
        [done] = await storage.reserve(who, "Metz", [day], slot)
        assert done.outcome is Outcome.BOOKED


async def sql(storage, query: str, **params: object) -> list[tuple]:
    async with storage.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(text(query), params)]


async def dms(storage) -> list[tuple[str, str, str]]:
    """(kind, recipient, text) of every outbox row, oldest first."""
    return [(i.kind, i.recipient or "", i.text) for i in await storage.outbox.rows(("pending",))]


async def test_join_shows_the_position_and_leave_removes_it(storage) -> None:
    await fill_metz(storage)
    first = await storage.waitlist.join(CAROL, "Metz", TUESDAY, Slot.DAY)
    second = await storage.waitlist.join(DAVE, "Metz", TUESDAY, Slot.AM)
    assert first.outcome is JoinOutcome.JOINED and first.entry.position == 1
    assert second.outcome is JoinOutcome.JOINED and second.entry.position == 2
    again = await storage.waitlist.join(CAROL, "Metz", TUESDAY, Slot.DAY)
    assert again.outcome is JoinOutcome.ALREADY_WAITING and again.entry.position == 1
    [mine] = await storage.waitlist.entries(DAVE)
    assert (mine.site, mine.day, mine.slot, mine.position) == ("Metz", TUESDAY, Slot.AM, 2)
    assert [e.day for e in await storage.waitlist.leave(CAROL)] == [TUESDAY]
    assert await storage.waitlist.entries(CAROL) == []
    [mine] = await storage.waitlist.entries(DAVE)
    assert mine.position == 1  # moved up
    assert await storage.waitlist.leave(CAROL) == []


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (CHRISTMAS, JoinOutcome.HOLIDAY),
        (SATURDAY, JoinOutcome.WEEKEND),
        (MONDAY - timedelta(days=3), JoinOutcome.PAST),
        (MONDAY + timedelta(days=120), JoinOutcome.BEYOND_HORIZON),
    ],
)
async def test_join_refuses_a_day_that_cannot_be_booked(storage, day, expected) -> None:
    result = await storage.waitlist.join(CAROL, "Metz", day, Slot.DAY)
    assert result.outcome is expected
    assert await storage.waitlist.entries(CAROL) == []


async def test_join_refuses_a_closed_day_a_held_desk_a_free_desk_and_a_passed_deadline(
    storage, clock
) -> None:
    await storage.close_site("Metz", [WEDNESDAY], "travaux")
    closed = await storage.waitlist.join(CAROL, "Metz", WEDNESDAY, Slot.DAY)
    assert (closed.outcome, closed.reason) == (JoinOutcome.CLOSED, "travaux")
    free = await storage.waitlist.join(CAROL, "Metz", TUESDAY, Slot.DAY)
    assert (free.outcome, free.free) == (JoinOutcome.DESK_FREE, 2)
    await fill_metz(storage)
    held = await storage.waitlist.join(ALICE, "Metz", TUESDAY, Slot.AM)
    assert held.outcome is JoinOutcome.ALREADY_BOOKED and held.booking.desk in {"B-1", "B-2"}
    await fill_metz(storage, MONDAY)
    late = await storage.waitlist.join(CAROL, "Metz", MONDAY, Slot.AM)
    assert late.outcome is JoinOutcome.JOINED  # 09:00, the deadline is 10:00
    clock.set(paris("2026-11-23 10:00"))
    assert (await storage.waitlist.join(DAVE, "Metz", MONDAY, Slot.AM)).outcome is (
        JoinOutcome.TOO_LATE
    )
    # Orléans has no check-in: the wait for the afternoon ends when it starts (13:30).
    await storage.reserve(DAVE, "Orléans", [MONDAY], Slot.PM)
    assert (await storage.waitlist.join(EVE, "Orléans", MONDAY, Slot.PM)).outcome is (
        JoinOutcome.JOINED
    )
    clock.set(paris("2026-11-23 13:30"))
    assert (await storage.waitlist.join(CAROL, "Orléans", MONDAY, Slot.PM)).outcome is (
        JoinOutcome.TOO_LATE
    )
    assert await storage.waitlist.lapse() == 2  # Eve's wait and Carol's of 10:00 lapsed
    assert await storage.waitlist.entries(EVE) == []
    assert await storage.waitlist.entries(CAROL) == []


async def test_a_cancellation_goes_to_the_first_waiter_who_can_take_it(storage) -> None:
    await fill_metz(storage)
    await storage.reserve(CAROL, "Orléans", [TUESDAY], Slot.AM)  # Carol holds a desk then
    await storage.waitlist.join(CAROL, "Orléans", TUESDAY, Slot.PM)  # (only Orléans pm)
    for who in (DAVE, EVE):
        assert (await storage.waitlist.join(who, "Metz", TUESDAY, Slot.DAY)).outcome is (
            JoinOutcome.JOINED
        )
    [cancelled] = await storage.cancel(BOB, [TUESDAY])
    [dave] = await storage.list_bookings(DAVE, TUESDAY, TUESDAY)
    assert (dave.site, dave.desk, dave.slot) == ("Metz", cancelled.desk, Slot.DAY)
    assert await storage.list_bookings(EVE, TUESDAY, TUESDAY) == []
    assert await storage.waitlist.entries(DAVE) == []
    [eve] = await storage.waitlist.entries(EVE)
    assert eve.position == 1
    assert await sql(
        storage, "SELECT from_waitlist FROM reservations WHERE id = :id", id=dave.id
    ) == [(True,)]
    assert [(kind, who) for kind, who, _ in await dms(storage)] == [("waitlist", DAVE)]
    assert await overlaps(storage) == (0, 0)


async def test_a_half_freed_serves_the_waiter_of_that_half_not_a_whole_day(storage) -> None:
    await fill_metz(storage)
    await storage.waitlist.join(DAVE, "Metz", TUESDAY, Slot.DAY)
    await storage.waitlist.join(EVE, "Metz", TUESDAY, Slot.PM)
    [freed] = await storage.cancel(BOB, [TUESDAY], Slot.PM)  # Bob keeps his morning
    assert freed.slot is Slot.PM
    [eve] = await storage.list_bookings(EVE, TUESDAY, TUESDAY)
    assert eve.slot is Slot.PM and eve.desk == freed.desk
    assert await storage.list_bookings(DAVE, TUESDAY, TUESDAY) == []
    [dave] = await storage.waitlist.entries(DAVE)
    assert dave.position == 1


async def test_a_waiter_who_booked_elsewhere_or_declared_a_status_is_passed_over(
    storage,
) -> None:
    await fill_metz(storage)
    for who in (CAROL, DAVE, EVE):
        await storage.waitlist.join(who, "Metz", TUESDAY, Slot.DAY)
    await storage.reserve(CAROL, "Orléans", [TUESDAY], Slot.AM)
    await storage.set_status(DAVE, [TUESDAY], Slot.DAY, StatusKind.REMOTE)
    await storage.cancel(ALICE, [TUESDAY])
    [eve] = await storage.list_bookings(EVE, TUESDAY, TUESDAY)
    assert eve.site == "Metz"
    assert [b.site for b in await storage.list_bookings(CAROL, TUESDAY, TUESDAY)] == ["Orléans"]
    assert await storage.list_bookings(DAVE, TUESDAY, TUESDAY) == []


async def test_a_status_a_move_and_new_desks_free_desks_for_the_line(storage) -> None:
    await fill_metz(storage)
    await fill_metz(storage, WEDNESDAY)
    await storage.waitlist.join(CAROL, "Metz", TUESDAY, Slot.DAY)
    await storage.waitlist.join(DAVE, "Metz", WEDNESDAY, Slot.DAY)
    await storage.waitlist.join(EVE, "Metz", TUESDAY, Slot.DAY)
    await storage.set_status(ALICE, [TUESDAY], Slot.DAY, StatusKind.LEAVE, replace_bookings=True)
    assert [b.site for b in await storage.list_bookings(CAROL, TUESDAY, TUESDAY)] == ["Metz"]
    moved = await storage.move(BOB, WEDNESDAY, TUESDAY + timedelta(days=3))
    assert moved.moved
    assert [b.day for b in await storage.list_bookings(DAVE, WEDNESDAY, WEDNESDAY)] == [WEDNESDAY]
    opened = await storage.open_desks("Metz", labels=["B-3"])
    assert opened == ["B-3"]
    [eve] = await storage.list_bookings(EVE, TUESDAY, TUESDAY)
    assert eve.desk == "B-3"
    assert [who for _, who, _ in await dms(storage)] == [CAROL, DAVE, EVE]


async def test_a_closure_serves_nobody(storage) -> None:
    await fill_metz(storage)
    await storage.waitlist.join(CAROL, "Metz", TUESDAY, Slot.DAY)
    await storage.close_site("Metz", [TUESDAY], None)
    assert await storage.list_bookings(CAROL, TUESDAY, TUESDAY) == []


async def test_the_sweep_releases_no_shows_serves_the_line_once_and_counts_no_shows(
    storage, clock
) -> None:
    await fill_metz(storage, MONDAY, Slot.AM)
    [carol_pm] = await storage.reserve(CAROL, "Metz", [MONDAY], Slot.PM)
    [alice] = await storage.list_bookings(ALICE, MONDAY, MONDAY)
    assert await storage.mark_checked_in(alice.id)
    await storage.waitlist.join(DAVE, "Metz", MONDAY, Slot.AM)
    await storage.waitlist.join(EVE, "Metz", MONDAY, Slot.AM)
    assert await storage.waitlist.due_sweeps() == []  # 09:00: not yet
    clock.set(paris("2026-11-23 10:00"))
    [(site_id, day, half)] = await storage.waitlist.due_sweeps()
    assert (day, half) == (MONDAY, "am")
    [result] = await storage.waitlist.sweep_due()
    assert [b.member for b in result.released] == [BOB]
    assert [b.member for b in result.served] == [DAVE]
    assert result.lapsed == 1  # Eve's wait for this morning has lapsed
    assert await storage.waitlist.sweep(site_id, day, half) is None  # exactly once
    assert await storage.waitlist.sweep_due() == []
    rows = await sql(
        storage,
        "SELECT m.matrix_id, r.status, r.cancel_reason, r.from_waitlist FROM reservations r"
        " JOIN members m ON m.id = r.member_id WHERE r.day = :day ORDER BY r.id",
        day=MONDAY,
    )
    assert rows == [
        (ALICE, "active", None, False),
        (BOB, "released", "noshow", False),
        (CAROL, "active", None, False),  # the afternoon has its own deadline
        (DAVE, "active", None, True),
    ]
    assert [(kind, who) for kind, who, _ in await dms(storage)] == [
        ("noshow", BOB),
        ("waitlist", DAVE),
    ]
    clock.set(paris("2026-11-23 14:31"))
    [afternoon] = await storage.waitlist.sweep_due()
    assert [b.id for b in afternoon.released] == [carol_pm.booking.id]
    # Dave was served at 10:00 and did not check in by 14:30, but his booking is a morning:
    # the afternoon sweep leaves it. Bob may book again if a desk is free.
    [again] = await storage.reserve(BOB, "Metz", [MONDAY], Slot.PM)
    assert again.outcome is Outcome.BOOKED
    clock.set(paris("2026-11-24 09:00"))
    day = (await storage.occupancy("Metz", MONDAY, MONDAY)).current.days[0]
    assert (day.released, day.cancelled_by_agents, day.waiters_served) == (2, 0, 1)


async def test_a_booking_made_after_the_deadline_is_not_released(storage, clock) -> None:
    clock.set(paris("2026-11-23 10:30"))  # the bot was down at 10:00
    [late] = await storage.reserve(ALICE, "Metz", [MONDAY], Slot.AM)
    [result] = await storage.waitlist.sweep_due()  # the catch-up
    assert result.released == ()
    assert [b.id for b in await storage.list_bookings(ALICE, MONDAY, MONDAY)] == [late.booking.id]


async def test_erasure_removes_the_waits(storage) -> None:
    await fill_metz(storage)
    await storage.waitlist.join(CAROL, "Metz", TUESDAY, Slot.DAY)
    removed = await storage.personal.erase_member(CAROL)
    assert removed is not None and removed["waitlist"] == 1


async def test_desks_added_by_the_sites_file_serve_the_line(storage) -> None:
    await fill_metz(storage)
    await storage.waitlist.join(CAROL, "Metz", TUESDAY, Slot.DAY)
    await storage.import_sites(SITES.replace('["B-1", "B-2"]', '["B-1", "B-2", "B-3"]'))
    [carol] = await storage.list_bookings(CAROL, TUESDAY, TUESDAY)
    assert carol.desk == "B-3"
