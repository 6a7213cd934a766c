"""Check-ins and released no-shows: the two facts the statistics count (issue 12 calls these).

A released no-show has the status `released` with `cancel_reason = 'noshow'` and `cancelled_at`:
it leaves the partial unique indexes, so the desk can be booked again at once (the waitlist
first). `storage.waitlist.sweep` releases a whole deadline at once.
"""

from __future__ import annotations

from sqlalchemy import update

from storage.freed import desk_freed
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
    done = (
        await tx.conn.execute(
            update(reservations)
            .where(
                reservations.c.id == booking_id, active(), reservations.c.checked_in_at.is_(None)
            )
            .values(status="released", cancelled_at=tx.now, cancel_reason="noshow")
            .returning(
                reservations.c.site_id,
                reservations.c.day,
                reservations.c.covers_am,
                reservations.c.covers_pm,
            )
        )
    ).first()
    if done is None:
        return False
    await desk_freed(tx, done.site_id, done.day, done.covers_am, done.covers_pm)
    return True
