"""Exactly one digest per room and day, across restarts and across bot processes.

A process claims (room, day) before building and posting the digest, and marks it sent after.
The claim is one conditional upsert on the `digest_runs` primary key: the row is inserted, or
taken over only when it was never sent and its lease has expired (the claimer crashed between
claim and send). PostgreSQL re-checks that condition on the latest row version after waiting for
a concurrent claimer's commit, and SQLite serializes writers, so exactly one caller wins.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from sqlalchemy import and_, delete, select

from storage.domain import RoomId
from storage.models import digest_runs
from storage.queries import Tx, upsert

log = logging.getLogger(__name__)

UNCLAIMED = "(unclaimed)"  # owner of a digest marked sent without a claim


async def claim_digest(tx: Tx, room_id: RoomId, day: date, owner: str, lease: timedelta) -> bool:
    """True when this caller may post the room's digest of `day` (see `Storage.claim_digest`)."""
    if lease <= timedelta(0):
        raise ValueError("a claim needs a positive lease")
    insert = upsert(tx)(digest_runs).values(
        room_id=room_id,
        day=day,
        owner=owner,
        claimed_at=tx.now,
        lease_until=tx.now + lease,
        sent_at=None,
    )
    claim = insert.on_conflict_do_update(
        index_elements=["room_id", "day"],
        set_={
            "owner": insert.excluded.owner,
            "claimed_at": insert.excluded.claimed_at,
            "lease_until": insert.excluded.lease_until,
        },
        where=and_(digest_runs.c.sent_at.is_(None), digest_runs.c.lease_until <= tx.now),
    ).returning(digest_runs.c.room_id)
    won = (await tx.conn.execute(claim)).first() is not None
    log.debug("digest of %s for %s claimed by %s: %s", room_id, day, owner, won)
    return won


async def mark_digest_sent(tx: Tx, room_id: RoomId, day: date) -> None:
    """Record that the digest was posted (a claim is never taken over afterwards)."""
    insert = upsert(tx)(digest_runs).values(
        room_id=room_id,
        day=day,
        owner=UNCLAIMED,
        claimed_at=tx.now,
        lease_until=tx.now,
        sent_at=tx.now,
    )
    await tx.conn.execute(
        insert.on_conflict_do_update(
            index_elements=["room_id", "day"],
            set_={"sent_at": insert.excluded.sent_at},
            where=digest_runs.c.sent_at.is_(None),
        )
    )


async def digest_sent(tx: Tx, room_id: RoomId, day: date) -> bool:
    """True once the room's digest of `day` was marked sent."""
    sent_at = await tx.conn.scalar(
        select(digest_runs.c.sent_at).where(
            digest_runs.c.room_id == room_id, digest_runs.c.day == day
        )
    )
    return sent_at is not None


async def prune_digest_runs(tx: Tx, before: date) -> int:
    """Forget the digest runs of days before `before` (their claims can no longer matter)."""
    result = await tx.conn.execute(
        delete(digest_runs).where(digest_runs.c.day < before).returning(digest_runs.c.room_id)
    )
    return len(result.all())


CLAIM_CHUNK = 500  # rows per statement (SQLite's bound-parameter limit)


async def claim_digests(
    tx: Tx, room_ids: list[RoomId], day: date, owner: str, lease: timedelta
) -> list[RoomId]:
    """`claim_digest` for many rooms at once: one statement per CLAIM_CHUNK rooms; returns the
    rooms this caller won, in the order given."""
    if lease <= timedelta(0):
        raise ValueError("a claim needs a positive lease")
    won: set[str] = set()
    for start in range(0, len(room_ids), CLAIM_CHUNK):
        chunk = room_ids[start : start + CLAIM_CHUNK]
        insert = upsert(tx)(digest_runs).values(
            [
                {
                    "room_id": room_id,
                    "day": day,
                    "owner": owner,
                    "claimed_at": tx.now,
                    "lease_until": tx.now + lease,
                    "sent_at": None,
                }
                for room_id in chunk
            ]
        )
        claim = insert.on_conflict_do_update(
            index_elements=["room_id", "day"],
            set_={
                "owner": insert.excluded.owner,
                "claimed_at": insert.excluded.claimed_at,
                "lease_until": insert.excluded.lease_until,
            },
            where=and_(digest_runs.c.sent_at.is_(None), digest_runs.c.lease_until <= tx.now),
        ).returning(digest_runs.c.room_id)
        won.update((await tx.conn.execute(claim)).scalars())
    return [room for room in room_ids if room in won]


async def sent_among(tx: Tx, room_ids: list[RoomId], day: date) -> set[RoomId]:
    """The rooms of `room_ids` whose digest of `day` was marked sent."""
    found: set[RoomId] = set()
    for start in range(0, len(room_ids), CLAIM_CHUNK):
        chunk = room_ids[start : start + CLAIM_CHUNK]
        rows = await tx.conn.execute(
            select(digest_runs.c.room_id).where(
                digest_runs.c.day == day,
                digest_runs.c.room_id.in_(chunk),
                digest_runs.c.sent_at.is_not(None),
            )
        )
        found.update(rows.scalars())
    return found
