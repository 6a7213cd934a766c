"""Contract: exactly one digest per room and day, also under races and across processes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from storage import Storage
from tests.storage.storage_helpers import TUESDAY, WEDNESDAY

ROOM = "!equipe:agent.interieur.tchap.gouv.fr"
LEASE = timedelta(minutes=10)


async def test_the_first_claim_wins_until_sent(storage) -> None:
    assert await storage.digest_sent(ROOM, TUESDAY) is False
    assert await storage.claim_digest(ROOM, TUESDAY, "p1", LEASE) is True
    assert await storage.claim_digest(ROOM, TUESDAY, "p2", LEASE) is False
    assert await storage.claim_digest(ROOM, TUESDAY, "p1", LEASE) is False  # even the owner
    assert await storage.claim_digest(ROOM, WEDNESDAY, "p2", LEASE) is True  # another day
    assert await storage.claim_digest("!other:x", TUESDAY, "p2", LEASE) is True  # another room
    await storage.mark_digest_sent(ROOM, TUESDAY)
    assert await storage.digest_sent(ROOM, TUESDAY) is True
    assert await storage.digest_sent(ROOM, WEDNESDAY) is False


async def test_an_expired_lease_is_taken_over_but_never_a_sent_digest(storage, clock) -> None:
    assert await storage.claim_digest(ROOM, TUESDAY, "crashed", LEASE) is True
    clock.advance(LEASE - timedelta(seconds=1))
    assert await storage.claim_digest(ROOM, TUESDAY, "p2", LEASE) is False
    clock.advance(timedelta(seconds=1))
    assert await storage.claim_digest(ROOM, TUESDAY, "p2", LEASE) is True  # crash: taken over
    assert await storage.claim_digest(ROOM, TUESDAY, "crashed", LEASE) is False  # p2's lease
    await storage.mark_digest_sent(ROOM, TUESDAY)
    clock.advance(timedelta(hours=3))
    assert await storage.claim_digest(ROOM, TUESDAY, "p3", LEASE) is False
    assert await storage.digest_sent(ROOM, TUESDAY) is True


async def test_marking_sent_without_a_claim_blocks_later_claims(storage) -> None:
    await storage.mark_digest_sent(ROOM, TUESDAY)
    await storage.mark_digest_sent(ROOM, TUESDAY)  # idempotent
    assert await storage.digest_sent(ROOM, TUESDAY) is True
    assert await storage.claim_digest(ROOM, TUESDAY, "p1", LEASE) is False


async def test_a_lease_must_be_positive(storage) -> None:
    with pytest.raises(ValueError):
        await storage.claim_digest(ROOM, TUESDAY, "p1", timedelta(0))


async def test_concurrent_claims_have_one_winner(storage) -> None:
    rooms = [f"!room{i}:x" for i in range(10)]
    attempts = [(f"p{n}", room) for n in range(8) for room in rooms]
    results = await asyncio.gather(
        *(storage.claim_digest(room, TUESDAY, owner, LEASE) for owner, room in attempts)
    )
    assert sorted(room for (_, room), won in zip(attempts, results) if won) == sorted(rooms)


async def test_two_processes_claim_each_room_once(storage, clock) -> None:
    # A second Storage has its own engine and connection pool, as a second bot process would.
    url = storage.engine.url.render_as_string(hide_password=False)
    rooms = [f"!room{i}:x" for i in range(20)]
    async with Storage.open(url, clock=clock) as other:
        attempts = [
            (process, room) for room in rooms for process in (storage, other, storage, other)
        ]
        results = await asyncio.gather(
            *(process.claim_digest(room, TUESDAY, "bot", LEASE) for process, room in attempts)
        )
        won = [room for (_, room), ok in zip(attempts, results) if ok]
        assert sorted(won) == sorted(rooms)
        for room in rooms:
            await other.mark_digest_sent(room, TUESDAY)
        assert all([await storage.digest_sent(room, TUESDAY) for room in rooms])
        assert not any(
            await asyncio.gather(*(storage.claim_digest(r, TUESDAY, "late", LEASE) for r in rooms))
        )


async def test_old_digest_runs_are_forgotten_recent_ones_kept(storage) -> None:
    await storage.claim_digest(ROOM, TUESDAY, "p1", LEASE)
    await storage.mark_digest_sent(ROOM, TUESDAY)
    await storage.claim_digest(ROOM, WEDNESDAY, "p1", LEASE)
    assert await storage.prune_digest_runs(TUESDAY) == 0
    assert await storage.prune_digest_runs(WEDNESDAY) == 1
    assert await storage.digest_sent(ROOM, TUESDAY) is False  # forgotten
    assert await storage.claim_digest(ROOM, WEDNESDAY, "p2", LEASE) is False  # kept, still held


async def test_ping_answers(storage) -> None:
    await storage.ping()
