"""The transactional outbox: messages for others, written with the change that causes them.

A command or a job that must tell someone other than the sender of a command (closure notices,
announcements, digests) writes `Envelope`s with `enqueue(tx, ...)` inside the transaction of its
change: both are committed, or neither. The delivery worker (`bot.delivery`) then claims the rows
with a lease, sends them and marks them sent, retried or failed.

Order per destination: only the oldest pending row of a destination can be claimed, so a
destination's messages go out one after the other even with several processes. PostgreSQL claims
with `FOR UPDATE SKIP LOCKED` (two processes never wait for each other's rows); SQLite writers are
serialized by BEGIN IMMEDIATE, which makes the select-then-lease atomic in the same way.
Each row carries its own Matrix transaction id (`tx_id`): a resend after a crash is the same event.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from sqlalchemy import delete, exists, func, insert, or_, select, update

from storage import audit, booking
from storage import sites as sites_ops
from storage.digests import mark_digest_sent
from storage.domain import RoomId, UserId
from storage.models import members, outbox
from storage.queries import Tx
from storage.subjects import Subject

if TYPE_CHECKING:
    from storage.core import Storage
    from storage.types import Booking, SiteInfo

log = logging.getLogger(__name__)

PENDING, SENT, FAILED = "pending", "sent", "failed"
GIVE_UP_AFTER = timedelta(hours=24)
SENT_KEPT = timedelta(days=7)


@dataclass(frozen=True)
class Envelope:
    """A message to write to the outbox: to a room (`room_id`) or to a person (`to`, in their
    direct room, created if needed)."""

    kind: str
    text: str
    html: str
    room_id: RoomId | None = None
    to: UserId | None = None
    mentions: tuple[UserId, ...] = ()
    about: Subject | None = None  # what the message is about, kept with its event id once sent

    def __post_init__(self) -> None:
        if (self.room_id is None) == (self.to is None):
            raise ValueError("an envelope goes to exactly one of room_id or to")


@dataclass(frozen=True)
class OutboxItem:
    """A row of the outbox, as the worker and `bureau-volant outbox` see it."""

    id: int
    kind: str
    destination: str
    recipient: UserId | None
    room_id: RoomId | None
    text: str
    html: str
    mentions: tuple[UserId, ...]
    tx_id: str
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None = None
    event_id: str | None = None
    last_error: str | None = None
    lease_owner: str | None = field(default=None, compare=False)


def _item(row: Any) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        kind=row.kind,
        destination=row.destination,
        recipient=row.recipient,
        room_id=row.room_id,
        text=row.body,
        html=row.html,
        mentions=tuple(json.loads(row.mentions or "[]")),
        tx_id=row.tx_id,
        status=row.status,
        attempts=row.attempts,
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
        sent_at=row.sent_at,
        event_id=row.event_id,
        last_error=row.last_error,
        lease_owner=row.lease_owner,
    )


# -- operations (each runs inside the caller's transaction) -------------------------------------


async def enqueue(tx: Tx, envelopes: Sequence[Envelope]) -> int:
    """Write the envelopes (in order) as pending rows; returns how many."""
    if not envelopes:
        return 0
    rows = [
        {
            "kind": e.kind,
            "destination": e.to or e.room_id,
            "recipient": e.to,
            "room_id": e.room_id,
            "body": e.text,
            "html": e.html,
            "mentions": json.dumps(list(e.mentions)),
            "tx_id": f"bv-{uuid4().hex}",
            "status": PENDING,
            "attempts": 0,
            "created_at": tx.now,
            "next_attempt_at": tx.now,
            "about": e.about.to_json() if e.about is not None else None,
        }
        for e in envelopes
    ]
    await tx.conn.execute(insert(outbox), rows)
    return len(rows)


async def claim_due(tx: Tx, owner: str, lease: timedelta, limit: int) -> list[OutboxItem]:
    """Lease up to `limit` due rows, the oldest pending row of each destination only."""
    earlier = outbox.alias("earlier")
    query = (
        select(outbox)
        .where(
            outbox.c.status == PENDING,
            outbox.c.next_attempt_at <= tx.now,
            or_(outbox.c.lease_until.is_(None), outbox.c.lease_until <= tx.now),
            ~exists().where(
                earlier.c.status == PENDING,
                earlier.c.destination == outbox.c.destination,
                earlier.c.id < outbox.c.id,
            ),
        )
        .order_by(outbox.c.id)
        .limit(limit)
    )
    if tx.is_postgres:
        query = query.with_for_update(of=outbox, skip_locked=True)
    rows = (await tx.conn.execute(query)).all()
    if not rows:
        return []
    ids = [r.id for r in rows]
    await tx.conn.execute(
        update(outbox)
        .where(outbox.c.id.in_(ids))
        .values(lease_owner=owner, lease_until=tx.now + lease, attempts=outbox.c.attempts + 1)
    )
    return [_claimed(r, owner) for r in rows]


def _claimed(row: Any, owner: str) -> OutboxItem:
    item = _item(row)
    return OutboxItem(**{**item.__dict__, "attempts": item.attempts + 1, "lease_owner": owner})


async def mark_sent(
    tx: Tx, row_id: int, owner: str, event_id: str | None, room_id: RoomId | None
) -> bool:
    """The row was delivered (as `event_id` in `room_id`); False if its lease was lost."""
    result = await tx.conn.execute(
        update(outbox)
        .where(outbox.c.id == row_id, outbox.c.lease_owner == owner, outbox.c.status == PENDING)
        .values(
            status=SENT,
            sent_at=tx.now,
            event_id=event_id,
            room_id=func.coalesce(room_id, outbox.c.room_id),
            lease_owner=None,
            lease_until=None,
            last_error=None,
        )
        .returning(outbox.c.id, outbox.c.about, outbox.c.room_id)
    )
    row = result.first()
    if row is not None and row.about is not None and event_id is not None and row.room_id:
        from storage.checkin import remember_message  # what a reaction to it will be about

        await remember_message(tx, event_id, row.room_id, Subject.from_json(row.about))
    return row is not None


async def mark_retry(tx: Tx, row_id: int, owner: str, delay: timedelta, error: str) -> str:
    """Try the row again after `delay`; after GIVE_UP_AFTER of failures it is marked failed.
    Returns the row's new status."""
    created = await tx.conn.scalar(select(outbox.c.created_at).where(outbox.c.id == row_id))
    if created is None:
        return FAILED
    status = FAILED if tx.now - created >= GIVE_UP_AFTER else PENDING
    await tx.conn.execute(
        update(outbox)
        .where(outbox.c.id == row_id, outbox.c.lease_owner == owner)
        .values(
            status=status,
            next_attempt_at=tx.now + delay,
            lease_owner=None,
            lease_until=None,
            last_error=error[:2000],
        )
    )
    return status


async def mark_failed(tx: Tx, row_id: int, owner: str, error: str) -> None:
    """The row cannot be delivered (unknown room, user gone...): failed, never retried alone."""
    await tx.conn.execute(
        update(outbox)
        .where(outbox.c.id == row_id, outbox.c.lease_owner == owner)
        .values(status=FAILED, lease_owner=None, lease_until=None, last_error=error[:2000])
    )


async def release(tx: Tx, owner: str) -> int:
    """Give back the leases of `owner` (graceful stop): the rows are due again at once."""
    result = await tx.conn.execute(
        update(outbox)
        .where(outbox.c.lease_owner == owner, outbox.c.status == PENDING)
        .values(lease_owner=None, lease_until=None)
        .returning(outbox.c.id)
    )
    return len(result.all())


async def remember_room(tx: Tx, row_id: int, room_id: RoomId) -> None:
    """The direct room a row to a person goes to, once found or created: a resend after a crash,
    and the next notices to that person, reuse it."""
    await tx.conn.execute(update(outbox).where(outbox.c.id == row_id).values(room_id=room_id))


async def known_direct_room(tx: Tx, user_id: UserId) -> RoomId | None:
    """The direct room last used for `user_id`, or None."""
    return await tx.conn.scalar(
        select(outbox.c.room_id)
        .where(outbox.c.recipient == user_id, outbox.c.room_id.is_not(None))
        .order_by(outbox.c.id.desc())
        .limit(1)
    )


async def list_items(
    tx: Tx, statuses: Sequence[str] = (PENDING, FAILED), limit: int = 100
) -> list[OutboxItem]:
    """Rows with these statuses, oldest first."""
    rows = await tx.conn.execute(
        select(outbox).where(outbox.c.status.in_(statuses)).order_by(outbox.c.id).limit(limit)
    )
    return [_item(r) for r in rows.all()]


async def retry(tx: Tx, ids: Sequence[int] | None) -> int:
    """Make failed rows (those of `ids`, or all) pending again, due now, with a new 24 h."""
    query = update(outbox).where(outbox.c.status == FAILED)
    if ids is not None:
        query = query.where(outbox.c.id.in_(list(ids)))
    result = await tx.conn.execute(
        query.values(
            status=PENDING,
            next_attempt_at=tx.now,
            created_at=tx.now,
            attempts=0,
            lease_owner=None,
            lease_until=None,
        ).returning(outbox.c.id)
    )
    return len(result.all())


async def counts(tx: Tx) -> dict[str, int]:
    """How many rows per status."""
    rows = await tx.conn.execute(select(outbox.c.status, func.count()).group_by(outbox.c.status))
    found = {PENDING: 0, SENT: 0, FAILED: 0}
    found.update({status: n for status, n in rows.all()})
    return found


async def prune_sent(tx: Tx, before: datetime) -> int:
    """Forget rows delivered before `before`."""
    result = await tx.conn.execute(
        delete(outbox)
        .where(outbox.c.status == SENT, outbox.c.sent_at < before)
        .returning(outbox.c.id)
    )
    return len(result.all())


# -- changes that tell others, in one transaction ----------------------------------------------

Compose = Callable[[list["Booking"], dict[str, str | None]], list[Envelope]]


async def _close_site_and_tell(
    tx: Tx,
    actor: UserId,
    site: str,
    days: Sequence[date],
    reason: str | None,
    compose: Compose,
) -> list[Booking]:
    cancelled = await booking.close_site(tx, site, days, reason)
    people = sorted({b.member for b in cancelled})
    locales: dict[str, str | None] = {}
    if people:
        rows = await tx.conn.execute(
            select(members.c.matrix_id, members.c.locale).where(members.c.matrix_id.in_(people))
        )
        locales = {matrix_id: locale for matrix_id, locale in rows.all()}
    await enqueue(tx, compose(cancelled, locales))
    await audit.record(
        tx,
        actor,
        "close",
        site,
        days=[d.isoformat() for d in sorted(set(days))],
        reason=reason,
        cancelled=len(cancelled),
        told=people,
    )
    return cancelled


async def _announce(
    tx: Tx, actor: UserId, sites: Sequence[str], text: str, envelopes: Sequence[Envelope]
) -> int:
    await enqueue(tx, envelopes)
    await audit.record(
        tx,
        actor,
        "announce",
        ", ".join(sites),
        text=text,
        rooms=sorted({e.room_id for e in envelopes if e.room_id}),
    )
    return len(envelopes)


async def _appoint(
    tx: Tx, actor: UserId, site: str, matrix_id: UserId, envelopes: Sequence[Envelope]
) -> SiteInfo:
    info = await sites_ops.add_manager(tx, site, matrix_id)
    await enqueue(tx, envelopes)
    await audit.record(tx, actor, "appoint", info.name, manager=matrix_id)
    return info


async def _open_desks(
    tx: Tx,
    actor: UserId,
    site: str,
    labels: Sequence[str] | None,
    count: int | None,
    from_day: date | None,
    envelopes: Callable[[list[str]], list[Envelope]],
) -> list[str]:
    opened = await sites_ops.open_desks(tx, site, labels, count, from_day)
    if opened:
        await enqueue(tx, envelopes(opened))
    await audit.record(
        tx,
        actor,
        "open",
        site,
        desks=opened,
        from_day=from_day.isoformat() if from_day else None,
    )
    return opened


async def _digest_sent(tx: Tx, room_id: RoomId, day: date, envelope: Envelope) -> None:
    await enqueue(tx, [envelope])
    await mark_digest_sent(tx, room_id, day)


class OutboxStore:
    """The outbox's named transactions over a `Storage` (`storage.outbox`)."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    async def enqueue(self, envelopes: Sequence[Envelope]) -> int:
        """Write envelopes alone (no other change goes with them)."""
        return await self._storage._write(enqueue, envelopes)

    async def claim_due(self, owner: str, lease: timedelta, limit: int = 100) -> list[OutboxItem]:
        """Lease due rows for delivery (see `claim_due`)."""
        return await self._storage._write(claim_due, owner, lease, limit)

    async def mark_sent(
        self, row_id: int, owner: str, event_id: str | None, room_id: RoomId | None = None
    ) -> bool:
        return await self._storage._write(mark_sent, row_id, owner, event_id, room_id)

    async def mark_retry(self, row_id: int, owner: str, delay: timedelta, error: str) -> str:
        return await self._storage._write(mark_retry, row_id, owner, delay, error)

    async def mark_failed(self, row_id: int, owner: str, error: str) -> None:
        await self._storage._write(mark_failed, row_id, owner, error)

    async def release(self, owner: str) -> int:
        return await self._storage._write(release, owner)

    async def remember_room(self, row_id: int, room_id: RoomId) -> None:
        await self._storage._write(remember_room, row_id, room_id)

    async def known_direct_room(self, user_id: UserId) -> RoomId | None:
        return await self._storage._read(known_direct_room, user_id)

    async def rows(
        self, statuses: Sequence[str] = (PENDING, FAILED), limit: int = 100
    ) -> list[OutboxItem]:
        return await self._storage._read(list_items, statuses, limit)

    async def retry(self, ids: Sequence[int] | None = None) -> int:
        return await self._storage._write(retry, ids)

    async def counts(self) -> dict[str, int]:
        return await self._storage._read(counts)

    async def prune_sent(self, before: datetime) -> int:
        return await self._storage._write(prune_sent, before)

    # Changes and their messages, in one transaction each.

    async def close_site(
        self,
        actor: UserId,
        site: str,
        days: Sequence[date],
        reason: str | None,
        compose: Compose,
    ) -> list[Booking]:
        """`Storage.close_site`, plus the envelopes `compose(cancelled, locales)` returns
        (locales: each affected member's language) and an audit entry, in one transaction."""
        return await self._storage._write(_close_site_and_tell, actor, site, days, reason, compose)

    async def announce(
        self, actor: UserId, sites: Sequence[str], text: str, envelopes: Sequence[Envelope]
    ) -> int:
        """An announcement's messages and its audit entry."""
        return await self._storage._write(_announce, actor, sites, text, envelopes)

    async def appoint(
        self, actor: UserId, site: str, matrix_id: UserId, envelopes: Sequence[Envelope]
    ) -> SiteInfo:
        """`Storage.add_manager`, the message to the new manager and the audit entry."""
        async with self._storage._changing_sites():
            return await self._storage._write(_appoint, actor, site, matrix_id, envelopes)

    async def open_desks(
        self,
        actor: UserId,
        site: str,
        labels: Sequence[str] | None,
        count: int | None,
        from_day: date | None,
        envelopes: Callable[[list[str]], list[Envelope]],
    ) -> list[str]:
        """`Storage.open_desks`, the news for following rooms and the audit entry."""
        async with self._storage._changing_sites():
            return await self._storage._write(
                _open_desks, actor, site, labels, count, from_day, envelopes
            )

    async def digest(self, room_id: RoomId, day: date, envelope: Envelope) -> None:
        """The room's digest of `day` goes to the outbox and the day is marked sent."""
        await self._storage._write(_digest_sent, room_id, day, envelope)


__all__ = [
    "FAILED",
    "PENDING",
    "SENT",
    "Envelope",
    "OutboxItem",
    "OutboxStore",
]
