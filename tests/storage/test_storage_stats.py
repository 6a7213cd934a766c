"""Contract: occupancy statistics against figures computed by hand, on SQLite and PostgreSQL.

The fixture week, Metz (3 desks, 6 desk-half-days a day), Monday 9 to Friday 13 November 2026:
- Mon 9: Alice, Bob, Carol all day → 6/6 (100 %); Dave is turned away ("full" answer);
- Tue 10: Alice morning → 1/6; Bob's afternoon is released as a no-show (desk freed);
- Wed 11: Armistice (public holiday) → nothing available;
- Thu 12: closed by the manager (Alice's booking cancelled by the closure, not by her);
- Fri 13: Alice all day (checked in), Bob morning → 3/6; Carol cancelled her own booking.
Totals: 10 booked / 18 available; previous period (2–6 Nov): 0 / 30.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from storage import Outcome, Slot, UnknownSite
from storage.stats import BadPeriod, distinct_agents_label
from tests.storage.storage_helpers import ALICE, BOB, CAROL, DAVE, add_members, paris

MON, TUE, WED, THU, FRI = (date(2026, 11, 9) + timedelta(days=i) for i in range(5))
EVE = "@eve.roux:agent.interieur.tchap.gouv.fr"
FRANK = "@frank.morel:agent.interieur.tchap.gouv.fr"


@pytest.fixture(autouse=True)
async def _week(storage, sites_yaml, clock) -> None:
    await sites_yaml(storage)
    await add_members(storage)
    clock.set(paris("2026-11-02 08:00"))
    for who in (ALICE, BOB, CAROL):
        [booked] = await storage.reserve(who, "Metz", [MON], Slot.DAY)
        assert booked.outcome is Outcome.BOOKED
    [full] = await storage.reserve(DAVE, "Metz", [MON], Slot.DAY)
    assert full.outcome is Outcome.FULL
    await storage.reserve(ALICE, "Metz", [TUE], Slot.AM)
    [bob_tue] = await storage.reserve(BOB, "Metz", [TUE], Slot.PM)
    await storage.reserve(ALICE, "Metz", [THU], Slot.DAY)
    assert len(await storage.close_site("Metz", [THU], "travaux")) == 1
    [alice_fri] = await storage.reserve(ALICE, "Metz", [FRI], Slot.DAY)
    await storage.reserve(BOB, "Metz", [FRI], Slot.AM)
    await storage.reserve(CAROL, "Metz", [FRI], Slot.PM)
    assert len(await storage.cancel(CAROL, [FRI])) == 1
    assert await storage.release_no_show(bob_tue.booking.id)
    assert not await storage.release_no_show(bob_tue.booking.id)  # already released
    assert await storage.mark_checked_in(alice_fri.booking.id)
    assert not await storage.release_no_show(alice_fri.booking.id)  # checked in: stays
    clock.set(paris("2026-11-16 09:00"))


async def test_site_figures_match_the_hand_count(storage) -> None:
    comparison = await storage.occupancy("Metz", MON, FRI)
    week = comparison.current
    assert (week.booked, week.available) == (10, 18)
    assert week.occupancy == pytest.approx(10 / 18)
    per_day = {d.day: (d.booked_half_days, d.available_half_days, d.closed) for d in week.days}
    assert per_day == {
        MON: (6, 6, None),
        TUE: (1, 6, None),
        WED: (0, 0, "holiday"),
        THU: (0, 0, "closure"),
        FRI: (3, 6, None),
    }
    assert week.by_weekday() == {0: 1.0, 1: pytest.approx(1 / 6), 4: 0.5}
    assert week.peak == (MON, 1.0)
    assert week.full_days == 1
    assert week.full_answers == 1
    assert week.waiters_served == 0
    assert (week.checked_in, week.released) == (1, 1)
    assert week.no_show_rate == pytest.approx(1 / 7)  # 6 active + 1 released, 1 released
    assert week.cancelled_by_agents == 1  # Carol; the closure is not the agents' doing
    assert week.desks == 3
    assert week.distinct_agents == 3
    assert week.agents_shown is None and distinct_agents_label(week.distinct_agents) == "< 5"
    assert week.foisonnement is None  # would reveal the count
    previous = comparison.previous
    assert (previous.start, previous.end) == (date(2026, 11, 4), date(2026, 11, 8))
    # 4 Nov–8 Nov: Wed, Thu, Fri open (3 × 6), the weekend is not a row.
    assert (previous.booked, previous.available) == (0, 18)
    assert comparison.trend == pytest.approx(10 / 18)
    friday = next(d for d in week.days if d.day == FRI)
    assert (friday.desks, friday.checked_in, friday.released, friday.occupancy) == (3, 1, 0, 0.5)


async def test_all_sites_add_up_and_five_agents_are_shown(storage, clock) -> None:
    await add_members(storage)
    for who in (EVE, FRANK):
        await storage.ensure_member(who)
    clock.set(paris("2026-11-10 07:00"))
    await storage.reserve(EVE, "Orléans", [date(2026, 11, 10)], Slot.DAY)
    await storage.reserve(FRANK, "Rambouillet", [date(2026, 11, 10)], Slot.AM)
    clock.set(paris("2026-11-16 09:00"))
    week = (await storage.occupancy(None, MON, FRI)).current
    # Metz 18; Orléans (45) 4 open days × 4 half-days; Nantes (44) 4 open days × 2;
    # Rambouillet closed on Wednesdays, open Mon, Tue, Thu, Fri × 2.
    assert week.available == 18 + 16 + 8 + 8
    assert week.booked == 10 + 2 + 1
    assert week.site is None
    assert week.distinct_agents == 5 and week.agents_shown == 5
    assert week.foisonnement == pytest.approx((3 + 2 + 1 + 1) / 5)  # desks per agent
    assert {d.site for d in week.days} == {"Metz", "Orléans", "Nantes", "Rambouillet"}


async def test_half_days_and_today_gauges(storage, clock) -> None:
    clock.set(paris("2026-11-13 10:00"))  # Friday of the fixture week
    [metz] = [s for s in await storage.occupancy_today() if s.site == "Metz"]
    assert (metz.desks, metz.booked, metz.checked_in, metz.released) == (3, 3, 1, 0)


async def test_bad_periods_and_sites_are_refused(storage) -> None:
    with pytest.raises(BadPeriod) as error:
        await storage.occupancy("Metz", FRI, MON)
    assert error.value.code == "ends_before_start"
    with pytest.raises(BadPeriod) as error:
        await storage.occupancy("Metz", date(2024, 1, 1), date(2026, 1, 31))
    assert error.value.code == "too_long"
    with pytest.raises(UnknownSite):
        await storage.occupancy("Brest", MON, FRI)


async def test_retention_period_bounds_what_is_read(storage) -> None:
    # Only 5 days of retention: from 11 November on (today is the 16th).
    week = (await storage.occupancy("Metz", MON, FRI, retention_days=5)).current
    assert week.start == WED and week.clamped_from == MON
    assert (week.booked, week.available) == (3, 6)
