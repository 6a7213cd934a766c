"""Check-ins and released no-shows: the two facts the statistics count (issue 12 calls these).

A released no-show is a cancelled booking with `cancel_reason = 'noshow'`: it leaves the partial
unique indexes, so the desk can be booked again at once.
"""

from __future__ import annotations

from sqlalchemy import update

from storage.models import reservations
from storage.queries import Tx, active


async def mark_checked_in(tx: Tx, booking_id: int) -> bool:
    """Record that the agent arrived; False when the booking is not active (or already was)."""
    done = await tx.conn.execute(
        update(reservations)
        .where(reservations.c.id == booking_id, active(), reservations.c.checked_in_at.is_(None))
        .values(checked_in_at=tx.now)
        .returning(reservations.c.id)
    )
    return done.first() is not None


async def release_no_show(tx: Tx, booking_id: int) -> bool:
    """Release an active booking that was not checked in (its desk is free again); False when
    it is not active or was checked in."""
    done = await tx.conn.execute(
        update(reservations)
        .where(reservations.c.id == booking_id, active(), reservations.c.checked_in_at.is_(None))
        .values(status="cancelled", cancelled_at=tx.now, cancel_reason="noshow")
        .returning(reservations.c.id)
    )
    return done.first() is not None
