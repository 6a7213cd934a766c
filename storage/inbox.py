"""Commands claimed with a lease, so that each is answered once by one of several processes.

A process claims a command's event id before handling it (the primary key decides under races,
as before) and now stores the command and a lease with it; once answered, `done_at` is set. When
a process dies between the claim and the answer, another one takes the command over after the
lease (`take_over`, with `FOR UPDATE SKIP LOCKED` on PostgreSQL) and answers it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from storage.models import processed_events
from storage.queries import Tx, upsert


async def claim_command(
    tx: Tx, event_id: str, owner: str, payload: dict[str, Any], lease: timedelta
) -> bool:
    """True for the first claim of `event_id` only."""
    result = await tx.conn.execute(
        upsert(tx)(processed_events)
        .values(
            event_id=event_id,
            claimed_at=tx.now,
            owner=owner,
            lease_until=tx.now + lease,
            payload=payload,
        )
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(processed_events.c.event_id)
    )
    return result.first() is not None


async def command_done(tx: Tx, event_id: str) -> None:
    """The command was answered (its payload is no longer needed)."""
    await tx.conn.execute(
        update(processed_events)
        .where(processed_events.c.event_id == event_id)
        .values(done_at=tx.now, payload=None, lease_until=None)
    )


async def take_over(tx: Tx, owner: str, lease: timedelta, limit: int) -> list[dict[str, Any]]:
    """Claim the commands whose lease expired unanswered; returns their payloads, oldest first."""
    query = (
        select(processed_events.c.event_id, processed_events.c.payload)
        .where(
            processed_events.c.done_at.is_(None),
            processed_events.c.lease_until.is_not(None),
            processed_events.c.lease_until <= tx.now,
            processed_events.c.payload.is_not(None),
        )
        .order_by(processed_events.c.claimed_at, processed_events.c.event_id)
        .limit(limit)
    )
    if tx.is_postgres:
        query = query.with_for_update(skip_locked=True)
    rows = (await tx.conn.execute(query)).all()
    if not rows:
        return []
    await tx.conn.execute(
        update(processed_events)
        .where(processed_events.c.event_id.in_([r.event_id for r in rows]))
        .values(owner=owner, lease_until=tx.now + lease)
    )
    return [r.payload for r in rows]
