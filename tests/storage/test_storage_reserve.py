"""Contract: `reserve` and its outcomes, the calendar rules, and `availability`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from storage import Outcome, Slot, StatusKind, UnknownMember, UnknownSite
from tests.storage.storage_helpers import (
    ALICE,
    BOB,
    CAROL,
    CHRISTMAS,
    DAVE,
    FRIDAY,
    MONDAY,
    NEXT_MONDAY,
    SATURDAY,
    THURSDAY,
    TUESDAY,
    WEDNESDAY,
    add_members,
    overlaps,
    paris,
)


@pytest.fixture(autouse=True)
async def _sites(storage, sites_yaml) -> None:
    await sites_yaml(storage)
    await add_members(storage)


async def book(storage, member, day, slot=Slot.DAY, site="Metz", desk=None):
    (outcome,) = await storage.reserve(member, site, [day], slot, desk=desk)
    return outcome


async def test_booked_outcome_carries_the_booking(storage) -> None:
    outcome = await book(storage, ALICE, TUESDAY, Slot.AM)
    assert outcome.outcome is Outcome.BOOKED
    booking = outcome.booking
    assert (booking.member, booking.display_name, booking.site, booking.desk) == (
        ALICE,
        "Alice Martin",
        "Metz",
        "B-101",
    )
    assert (booking.day, booking.slot) == (TUESDAY, Slot.AM)
    assert booking.created_at == paris("2026-11-23 09:00")
    assert await storage.list_bookings(ALICE, MONDAY, FRIDAY) == [booking]


async def test_site_is_found_by_alias_and_any_case(storage) -> None:
    outcome = await book(storage, ALICE, TUESDAY, site="metz lize")
    assert outcome.outcome is Outcome.BOOKED
    assert outcome.booking.site == "Metz"


async def test_desks_are_assigned_in_natural_order(storage, sites_yaml) -> None:
    await sites_yaml(storage, "sites:\n  - name: Lille\n    desks: [L-10, L-9, L-100, L-2]\n")
    desks = [
        (await book(storage, m, TUESDAY, site="Lille")).booking.desk
        for m in (ALICE, BOB, CAROL, DAVE)
    ]
    assert desks == ["L-2", "L-9", "L-10", "L-100"]


async def test_last_desk_at_the_site_is_preferred_when_free(storage) -> None:
    assert (await book(storage, BOB, TUESDAY, desk="B-204")).booking.desk == "B-204"
    # Bob gets B-204 again although B-101 comes first...
    assert (await book(storage, BOB, WEDNESDAY)).booking.desk == "B-204"
    # ...even after cancelling it; but not when someone else holds it.
    await storage.cancel(BOB, [WEDNESDAY])
    assert (await book(storage, CAROL, THURSDAY, desk="B-204")).outcome is Outcome.BOOKED
    assert (await book(storage, BOB, THURSDAY)).booking.desk == "B-101"


async def test_already_booked_returns_the_existing_booking(storage) -> None:
    first = (await book(storage, ALICE, TUESDAY, Slot.AM)).booking
    again = await book(storage, ALICE, TUESDAY, Slot.DAY, site="Orléans")
    assert again.outcome is Outcome.ALREADY_BOOKED
    assert again.booking == first
    # The other half-day is free for her.
    assert (await book(storage, ALICE, TUESDAY, Slot.PM)).outcome is Outcome.BOOKED


async def test_full_offers_the_other_half_day(storage) -> None:
    await book(storage, ALICE, TUESDAY, Slot.DAY, site="Orléans")
    await book(storage, BOB, TUESDAY, Slot.AM, site="Orléans")
    outcome = await book(storage, CAROL, TUESDAY, Slot.AM, site="Orléans")
    assert outcome.outcome is Outcome.FULL
    assert outcome.alternative_slot is Slot.PM
    # A whole day is offered the half that is free.
    outcome = await book(storage, CAROL, TUESDAY, Slot.DAY, site="Orléans")
    assert (outcome.outcome, outcome.alternative_slot) == (Outcome.FULL, Slot.PM)
    await book(storage, DAVE, TUESDAY, Slot.PM, site="Orléans")
    outcome = await book(storage, CAROL, TUESDAY, Slot.AM, site="Orléans")
    assert (outcome.outcome, outcome.alternative_slot) == (Outcome.FULL, None)


async def test_half_days_share_a_desk(storage, sites_yaml) -> None:
    await sites_yaml(storage, "sites:\n  - name: Nantes\n    desks: [N-1]\n")
    morning = await book(storage, ALICE, TUESDAY, Slot.AM, site="Nantes")
    afternoon = await book(storage, BOB, TUESDAY, Slot.PM, site="Nantes")
    assert morning.booking.desk == afternoon.booking.desk == "N-1"
    assert (await book(storage, CAROL, TUESDAY, Slot.DAY, site="Nantes")).outcome is Outcome.FULL


async def test_desk_taken_offers_a_free_desk(storage) -> None:
    await book(storage, ALICE, TUESDAY, Slot.AM, desk="B-102")
    outcome = await book(storage, BOB, TUESDAY, Slot.DAY, desk="b-102")
    assert outcome.outcome is Outcome.DESK_TAKEN
    assert outcome.alternative_desk == "B-101"
    assert outcome.alternative_slot is Slot.PM
    assert outcome.booking is None


async def test_unknown_or_inactive_desk(storage, sites_yaml) -> None:
    assert (await book(storage, ALICE, TUESDAY, desk="Z-999")).outcome is Outcome.UNKNOWN_DESK
    # A desk removed from the sites file can no longer be booked.
    await sites_yaml(storage, "sites:\n  - name: Metz\n    department: '57'\n    desks: [B-101]\n")
    assert (await book(storage, ALICE, TUESDAY, desk="B-102")).outcome is Outcome.UNKNOWN_DESK


async def test_explicit_desk_is_booked(storage) -> None:
    outcome = await book(storage, ALICE, TUESDAY, desk="B-204")
    assert (outcome.outcome, outcome.booking.desk) == (Outcome.BOOKED, "B-204")


@pytest.mark.parametrize(
    ("day", "expected", "reason"),
    [
        (SATURDAY, Outcome.WEEKEND, None),
        (CHRISTMAS, Outcome.HOLIDAY, "Noël"),
        (MONDAY - timedelta(days=3), Outcome.PAST, None),
        (MONDAY + timedelta(days=57), Outcome.BEYOND_HORIZON, None),
    ],
)
async def test_calendar_outcomes(storage, day, expected, reason) -> None:
    outcome = await book(storage, ALICE, day)
    assert (outcome.outcome, outcome.reason, outcome.booking) == (expected, reason, None)


async def test_today_and_the_horizons_last_day_are_bookable(storage) -> None:
    assert (await book(storage, ALICE, MONDAY)).outcome is Outcome.BOOKED
    last = MONDAY + timedelta(days=56)
    assert (await book(storage, ALICE, last)).outcome is Outcome.BOOKED


async def test_horizon_is_configurable(storage) -> None:
    storage.horizon_days = 7
    assert (await book(storage, ALICE, NEXT_MONDAY)).outcome is Outcome.BOOKED
    late = await book(storage, ALICE, NEXT_MONDAY + timedelta(days=1))
    assert late.outcome is Outcome.BEYOND_HORIZON


async def test_christmas_is_closed_everywhere(storage) -> None:
    for site in ("Metz", "Orléans", "Rambouillet"):
        outcome = await book(storage, ALICE, CHRISTMAS, site=site)
        assert (outcome.outcome, outcome.reason) == (Outcome.HOLIDAY, "Noël")


async def test_good_friday_2027_closed_in_moselle_open_in_loiret(storage, clock) -> None:
    clock.set(paris("2027-03-01 09:00"))
    good_friday = date(2027, 3, 26)
    metz = await book(storage, ALICE, good_friday, site="Metz")
    assert (metz.outcome, metz.reason) == (Outcome.HOLIDAY, "Vendredi saint")
    assert (await book(storage, ALICE, good_friday, site="Orléans")).outcome is Outcome.BOOKED
    blocked = await storage.availability("Metz", good_friday, Slot.DAY)
    assert (blocked.blocked, blocked.reason, blocked.free) == (
        Outcome.HOLIDAY,
        "Vendredi saint",
        (),
    )


async def test_alsace_adds_26_december(storage, sites_yaml, clock) -> None:
    await sites_yaml(
        storage,
        "sites:\n  - name: Strasbourg\n    department: '67'\n    desks: [S-1]\n"
        "  - name: Mulhouse\n    department: 68\n    desks: [M-1]\n",
    )
    clock.set(paris("2028-12-01 09:00"))
    st_stephen = date(2028, 12, 26)  # a Tuesday
    for site in ("Strasbourg", "Mulhouse", "Metz"):
        assert (await book(storage, ALICE, st_stephen, site=site)).outcome is Outcome.HOLIDAY
    assert (await book(storage, ALICE, st_stephen, site="Orléans")).outcome is Outcome.BOOKED


async def test_closed_weekday(storage) -> None:
    outcome = await book(storage, ALICE, WEDNESDAY, site="Rambouillet")
    assert (outcome.outcome, outcome.reason) == (Outcome.CLOSED, None)
    assert (await book(storage, ALICE, THURSDAY, site="Rambouillet")).outcome is Outcome.BOOKED


async def test_open_on_saturday_when_the_site_says_so(storage, sites_yaml) -> None:
    await sites_yaml(
        storage,
        "sites:\n  - name: Accueil\n    open_weekdays: [0, 1, 2, 3, 4, samedi]\n    desks: [A]\n",
    )
    assert (await book(storage, ALICE, SATURDAY, site="Accueil")).outcome is Outcome.BOOKED


async def test_today_turns_at_midnight_paris_time(storage, clock) -> None:
    clock.set(paris("2026-11-23 23:59"))  # 22:59 UTC
    assert (await book(storage, ALICE, MONDAY)).outcome is Outcome.BOOKED
    clock.set(paris("2026-11-24 00:01"))  # still Monday in UTC (23:01)
    assert (await book(storage, BOB, MONDAY)).outcome is Outcome.PAST
    assert (await book(storage, BOB, TUESDAY)).outcome is Outcome.BOOKED


async def test_today_follows_the_sites_time_zone(storage, sites_yaml, clock) -> None:
    await sites_yaml(
        storage,
        "sites:\n  - name: Cayenne\n    department: '973'\n"
        "    timezone: America/Cayenne\n    desks: [C-1]\n",
    )
    clock.set(paris("2026-11-24 00:30"))  # Monday 20:30 in Cayenne
    assert (await book(storage, ALICE, MONDAY, site="Cayenne")).outcome is Outcome.BOOKED
    assert (await book(storage, BOB, MONDAY, site="Metz")).outcome is Outcome.PAST


async def test_several_days_one_outcome_each_in_order(storage) -> None:
    days = [FRIDAY, SATURDAY, TUESDAY, CHRISTMAS, TUESDAY]
    outcomes = await storage.reserve(ALICE, "Metz", days, Slot.DAY)
    assert [o.day for o in outcomes] == days
    assert [o.outcome for o in outcomes] == [
        Outcome.BOOKED,
        Outcome.WEEKEND,
        Outcome.BOOKED,
        Outcome.HOLIDAY,
        Outcome.ALREADY_BOOKED,
    ]
    assert outcomes[4].booking == outcomes[2].booking


async def test_closure_is_an_outcome_with_its_reason(storage) -> None:
    await storage.close_site("Metz", [TUESDAY], "Exercice incendie")
    outcome = await book(storage, ALICE, TUESDAY)
    assert (outcome.outcome, outcome.reason) == (Outcome.CLOSED, "Exercice incendie")
    assert (await book(storage, ALICE, WEDNESDAY)).outcome is Outcome.BOOKED


async def test_booking_replaces_the_status_of_the_same_half_day(storage) -> None:
    await storage.set_status(ALICE, [TUESDAY], Slot.DAY, StatusKind.REMOTE)
    outcome = await book(storage, ALICE, TUESDAY, Slot.AM)
    assert outcome.replaced_status is StatusKind.REMOTE
    kinds = {(p.kind.value, p.slot) for p in await storage.who(TUESDAY, members=[ALICE])}
    assert kinds == {("onsite", Slot.AM), ("remote", Slot.PM)}
    assert (await book(storage, ALICE, WEDNESDAY)).replaced_status is None


async def test_unknown_member_and_unknown_site(storage) -> None:
    with pytest.raises(UnknownMember):
        await storage.reserve("@nobody:example.org", "Metz", [TUESDAY], Slot.DAY)
    with pytest.raises(UnknownMember):
        await storage.reserve("@nobody:example.org", "Metz", [SATURDAY], Slot.DAY)
    with pytest.raises(UnknownSite):
        await storage.reserve(ALICE, "Atlantis", [TUESDAY], Slot.DAY)


async def test_source_event_is_kept(storage) -> None:
    await storage.reserve(ALICE, "Metz", [TUESDAY], Slot.DAY, source_event_id="$evt:example")
    async with storage.engine.connect() as conn:
        stored = await conn.scalar(text("SELECT source_event_id FROM reservations"))
    assert stored == "$evt:example"


async def test_availability(storage) -> None:
    await book(storage, ALICE, TUESDAY, Slot.AM)
    await book(storage, BOB, TUESDAY, Slot.DAY, desk="B-204")
    morning = await storage.availability("metz", TUESDAY, Slot.AM)
    assert (morning.site, morning.free, morning.free_count, morning.total) == (
        "Metz",
        ("B-102",),
        1,
        3,
    )
    assert morning.blocked is None
    afternoon = await storage.availability("Metz", TUESDAY, Slot.PM)
    assert afternoon.free == ("B-101", "B-102")
    weekend = await storage.availability("Metz", SATURDAY, Slot.DAY)
    assert (weekend.blocked, weekend.free_count, weekend.total) == (Outcome.WEEKEND, 0, 3)
    await storage.close_site("Metz", [THURSDAY], "Travaux")
    closed = await storage.availability("Metz", THURSDAY, Slot.DAY)
    assert (closed.blocked, closed.reason) == (Outcome.CLOSED, "Travaux")


async def test_bookings_never_overlap(storage) -> None:
    for member in (ALICE, BOB, CAROL, DAVE):
        for slot in (Slot.AM, Slot.DAY, Slot.PM):
            await storage.reserve(member, "Orléans", [TUESDAY, WEDNESDAY], slot)
    assert await overlaps(storage) == (0, 0)
