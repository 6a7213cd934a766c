"""Concurrency on PostgreSQL: desks freed while many wait are served first come, first served.

100 agents hold the 100 desks of the Annexe on Tuesday; 150 agents wait in line. The 100
cancel at the same time, while 30 outsiders try to book the Annexe directly and the first 10
waiters try to book the Siège (2 desks) too. Checked in SQL afterwards: no desk given twice, no
agent booked twice, every freed desk went to the line (outsiders got nothing), and no waiter
left without a desk was ahead of a waiter served.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import insert, text

from storage import Outcome, Slot, Storage
from storage.models import members
from storage.waitlist import JoinOutcome
from tests.storage.storage_helpers import TUESDAY, overlaps

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("storage", ["postgres"], indirect=True),
]


async def add_agents(storage: Storage, prefix: str, count: int) -> list[str]:
    ids = [f"@{prefix}{i:03d}:agent.interieur.tchap.gouv.fr" for i in range(count)]
    now = storage.clock.now()
    async with storage.engine.begin() as conn:
        await conn.execute(
            insert(members),
            [{"matrix_id": m, "role": "agent", "created_at": now, "updated_at": now} for m in ids],
        )
    return ids


async def test_100_cancellations_for_150_waiters(storage) -> None:
    labels = ", ".join(f"A-{n:03d}" for n in range(100))
    await storage.import_sites(
        f"sites:\n  - name: Annexe\n    desks: [{labels}]\n"
        "  - name: Siège\n    desks: [S-1, S-2]\n"
    )
    holders = await add_agents(storage, "holder", 100)
    waiters = await add_agents(storage, "waiter", 150)
    outsiders = await add_agents(storage, "outsider", 30)
    for holder in holders:
        [booked] = await storage.reserve(holder, "Annexe", [TUESDAY], Slot.DAY)
        assert booked.outcome is Outcome.BOOKED
    for position, waiter in enumerate(waiters, 1):
        joined = await storage.waitlist.join(waiter, "Annexe", TUESDAY, Slot.DAY)
        assert joined.outcome is JoinOutcome.JOINED and joined.entry.position == position

    results = await asyncio.gather(
        *(storage.reserve(waiter, "Siège", [TUESDAY], Slot.DAY) for waiter in waiters[:10]),
        *(storage.cancel(holder, [TUESDAY]) for holder in holders),
        *(storage.reserve(outsider, "Annexe", [TUESDAY], Slot.DAY) for outsider in outsiders),
    )
    assert all(len(cancelled) == 1 for cancelled in results[10:110])
    assert Counter(o.outcome for (o,) in results[110:]) == {Outcome.FULL: 30}

    assert await overlaps(storage) == (0, 0)
    async with storage.engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT m.matrix_id, s.name, r.from_waitlist FROM reservations r"
                    " JOIN members m ON m.id = r.member_id JOIN sites s ON s.id = r.site_id"
                    " WHERE r.status = 'active' AND r.day = :day"
                ),
                {"day": TUESDAY},
            )
        ).all()
        waiting = set(
            (
                await conn.execute(
                    text(
                        "SELECT m.matrix_id FROM waitlist_entries e"
                        " JOIN members m ON m.id = e.member_id"
                    )
                )
            ).scalars()
        )
        notices = Counter(
            (
                await conn.execute(text("SELECT recipient FROM outbox WHERE kind = 'waitlist'"))
            ).scalars()
        )
    annexe = [who for who, site, _ in rows if site == "Annexe"]
    assert len(annexe) == 100  # every freed desk was given again
    assert all(from_waitlist for _, site, from_waitlist in rows if site == "Annexe")
    assert set(annexe) <= set(waiters)  # to the line, never to an outsider
    assert Counter(who for who, _, _ in rows).most_common(1)[0][1] == 1  # nobody twice
    at_siege = {who for who, site, _ in rows if site == "Siège"}
    assert len(at_siege) <= 2  # those booked there first were passed over at the Annexe
    served = set(annexe)
    assert notices == Counter(served)  # one DM each, to those served only
    assert waiting == set(waiters) - served  # served waiters left the line, the others stay
    # Nobody without a desk was ahead in line of someone served.
    last_served = max(waiters.index(who) for who in served)
    skipped = [w for w in waiters[:last_served] if w not in served and w not in at_siege]
    assert skipped == []
