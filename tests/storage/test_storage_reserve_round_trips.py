"""PostgreSQL: what a reservation costs in round trips (issue 10's latency target): BEGIN with
the plan settings and the locks, then per day one booking statement that also explains a day
that cannot be booked and counts a "full" answer, then COMMIT - three round trips for one day
whatever the answer (booked, full, already booked). Statements are prepared once per
connection: the warm-up prepares them, the count leaves preparation out."""

from __future__ import annotations

import pytest

from storage import Outcome, Slot
from storage.engine import count_round_trips
from tests.storage.storage_helpers import ALICE, BOB, CAROL, DAVE, THURSDAY, TUESDAY, WEDNESDAY

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("storage", ["postgres"], indirect=True),
]
ONE_DAY = 3  # BEGIN and the locks, the booking statement, COMMIT


@pytest.fixture(autouse=True)
async def _sites(storage, sites_yaml) -> None:
    await sites_yaml(storage)
    for member in (ALICE, BOB, CAROL, DAVE):
        await storage.ensure_member(member)


async def test_a_one_day_booking_is_three_round_trips_whatever_the_answer(storage) -> None:
    await storage.reserve(CAROL, "Nantes", [TUESDAY], Slot.DAY)  # warm-up: booked, full
    await storage.reserve(DAVE, "Nantes", [TUESDAY], Slot.DAY)
    with count_round_trips(storage.engine) as booked:
        (outcome,) = await storage.reserve(ALICE, "Nantes", [WEDNESDAY], Slot.DAY)
    assert outcome.outcome is Outcome.BOOKED
    assert len(booked.trips) == ONE_DAY, booked.trips
    with count_round_trips(storage.engine) as full:
        (outcome,) = await storage.reserve(BOB, "Nantes", [WEDNESDAY], Slot.DAY)
    assert outcome.outcome is Outcome.FULL
    assert len(full.trips) == ONE_DAY, full.trips
    with count_round_trips(storage.engine) as held:
        (outcome,) = await storage.reserve(ALICE, "Nantes", [WEDNESDAY], Slot.DAY)
    assert outcome.outcome is Outcome.ALREADY_BOOKED
    assert len(held.trips) == ONE_DAY, held.trips
    assert full.trips[0].startswith("BEGIN;") and full.trips[-1] == "COMMIT"
    figures = await storage.occupancy_period("Nantes", TUESDAY, WEDNESDAY)
    assert figures.full_answers == 2


async def test_several_days_are_one_transaction(storage) -> None:
    await storage.reserve(CAROL, "Metz", [TUESDAY, WEDNESDAY], Slot.DAY)  # warm-up
    with count_round_trips(storage.engine) as sent:
        outcomes = await storage.reserve(ALICE, "Metz", [TUESDAY, WEDNESDAY, THURSDAY], Slot.AM)
    assert [o.outcome for o in outcomes] == [Outcome.BOOKED] * 3
    assert sent.trips[0].startswith("BEGIN;") and sent.trips[-1] == "COMMIT"
    assert len(sent.trips) == 2 + 3
