"""Concurrency: the database keeps desks and members from double booking under load."""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter

import pytest
from sqlalchemy import insert, text

from storage import Outcome, Slot, StatusConflict, StatusKind, Storage
from storage.models import members
from tests.storage.storage_helpers import TUESDAY, WEDNESDAY, overlaps

TWENTY_DESKS = (
    "sites:\n  - name: Annexe\n    desks: [{}]\n  - name: Siège\n    desks: [S-1, S-2]\n"
)


async def add_agents(storage: Storage, count: int) -> list[str]:
    ids = [f"@agent{i:03d}:agent.interieur.tchap.gouv.fr" for i in range(count)]
    now = storage.clock.now()
    async with storage.engine.begin() as conn:
        await conn.execute(
            insert(members),
            [{"matrix_id": m, "role": "agent", "created_at": now, "updated_at": now} for m in ids],
        )
    return ids


async def crowd(storage: Storage, agents: list[str], desks: int, slot=Slot.DAY):
    labels = ", ".join(f"P-{n:02d}" for n in range(1, desks + 1))
    await storage.import_sites(TWENTY_DESKS.format(labels))
    results = await asyncio.gather(
        *(storage.reserve(agent, "Annexe", [TUESDAY], slot) for agent in agents)
    )
    return [outcome for (outcome,) in results]


@pytest.mark.postgres
@pytest.mark.parametrize("storage", ["postgres"], indirect=True)
async def test_300_agents_for_20_desks(storage) -> None:
    agents = await add_agents(storage, 300)
    outcomes = await crowd(storage, agents, 20)
    assert Counter(o.outcome for o in outcomes) == {Outcome.BOOKED: 20, Outcome.FULL: 280}
    assert len({o.booking.desk for o in outcomes if o.booking}) == 20
    assert await overlaps(storage) == (0, 0)
    assert (await storage.availability("Annexe", TUESDAY, Slot.DAY)).free_count == 0


async def test_a_crowd_on_either_database(storage) -> None:
    agents = await add_agents(storage, 40)
    outcomes = await crowd(storage, agents, 5)
    assert Counter(o.outcome for o in outcomes) == {Outcome.BOOKED: 5, Outcome.FULL: 35}
    assert await overlaps(storage) == (0, 0)


async def test_the_same_member_twice_at_once_gets_one_booking(storage) -> None:
    agents = await add_agents(storage, 10)
    ten = ", ".join(f"P-{n}" for n in range(10))
    await storage.import_sites(
        f"sites:\n  - name: Annexe\n    desks: [{ten}]\n  - name: Siège\n    desks: [{ten}]\n"
    )
    for agent in agents:
        # Same day, two sites, at the same time: one place at a time.
        first, second = await asyncio.gather(
            storage.reserve(agent, "Annexe", [WEDNESDAY], Slot.AM),
            storage.reserve(agent, "Siège", [WEDNESDAY], Slot.DAY),
        )
        kinds = sorted([first[0].outcome.value, second[0].outcome.value])
        assert kinds == ["already_booked", "booked"]
        assert len(await storage.list_bookings(agent, WEDNESDAY, WEDNESDAY)) == 1
    assert await overlaps(storage) == (0, 0)


async def test_mixed_half_days_under_load(storage) -> None:
    agents = await add_agents(storage, 60)
    await storage.import_sites(TWENTY_DESKS.format("P-01, P-02, P-03, P-04"))
    rng = random.Random(7)
    calls = [
        storage.reserve(agent, "Annexe", [TUESDAY, WEDNESDAY], rng.choice(list(Slot)))
        for agent in agents
    ] + [storage.cancel(agent, [TUESDAY], Slot.AM) for agent in rng.sample(agents, 20)]
    rng.shuffle(calls)
    await asyncio.gather(*calls)
    assert await overlaps(storage) == (0, 0)
    for day in (TUESDAY, WEDNESDAY):
        held = [p for p in await storage.who(day) if p.kind == "onsite"]
        halves = Counter(
            (p.desk, half)
            for p in held
            for half in ("am", "pm")
            if (half == "am" and p.slot.covers_am) or (half == "pm" and p.slot.covers_pm)
        )
        assert max(halves.values()) == 1
        if day == WEDNESDAY:  # no cancellation that day: all 8 half-days were wanted
            assert len(halves) == 8


@pytest.mark.postgres
@pytest.mark.parametrize("storage", ["postgres"], indirect=True)
async def test_queued_requests_read_what_the_one_before_them_booked(storage, caplog) -> None:
    # The locks are taken before the booking statement's snapshot (BEGIN with the locks,
    # then the statement): a request that queued behind another sees its booking, never
    # picks a desk just taken, so never has to try again.
    agents = await add_agents(storage, 60)
    with caplog.at_level(logging.INFO, logger="storage.booking"):
        outcomes = await crowd(storage, agents, 5)
    assert Counter(o.outcome for o in outcomes) == {Outcome.BOOKED: 5, Outcome.FULL: 55}
    assert [r.getMessage() for r in caplog.records if "retry" in r.getMessage()] == []
    figures = await storage.occupancy_period("Annexe", TUESDAY, TUESDAY)
    assert figures.full_answers == 55


async def test_a_status_and_a_booking_at_once_never_both_hold_a_half_day(storage) -> None:
    agents = await add_agents(storage, 30)
    await storage.import_sites(TWENTY_DESKS.format("P-01, P-02, P-03"))
    rng = random.Random(11)
    calls = [
        storage.reserve(agent, "Annexe", [TUESDAY], rng.choice(list(Slot))) for agent in agents
    ]
    calls += [
        storage.set_status(agent, [TUESDAY], rng.choice(list(Slot)), StatusKind.REMOTE)
        for agent in agents
    ]
    rng.shuffle(calls)
    results = await asyncio.gather(*calls, return_exceptions=True)
    assert all(isinstance(r, list | StatusConflict) for r in results), results
    both = """
        SELECT count(*) FROM reservations AS r JOIN presence_statuses AS s
            ON s.member_id = r.member_id AND s.day = r.day
         WHERE r.status = 'active'
           AND ((s.half = 'am' AND r.covers_am) OR (s.half = 'pm' AND r.covers_pm))"""
    async with storage.engine.connect() as conn:
        assert (await conn.execute(text(both))).scalar_one() == 0
    assert await overlaps(storage) == (0, 0)
