"""Personal data (RGPD): retention, a member's export, a member's erasure, the audit log.

- Retention: bookings, presence statuses, desk loans, handled-event records, audit entries and
  outbox rows older than the retention period are deleted by the housekeeping job
  (`prune_older_than`).
  What stays (sites, desks, closures, digest runs) identifies nobody.
- Export: everything stored about a member, as plain JSON-ready data (`export_member`).
- Erasure: the member's future bookings are cancelled, then everything that names them is
  deleted; their name in the audit log is replaced by a fixed placeholder (`erase_member`).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select, update

from storage import audit
from storage.domain import UserId
from storage.models import (
    audit_log,
    bot_messages,
    calendar_tokens,
    desk_loans,
    desks,
    dialogue_states,
    members,
    outbox,
    pending_questions,
    presence_statuses,
    processed_events,
    reaction_effects,
    reservations,
    room_members,
    site_managers,
    sites,
    teams,
    waitlist_entries,
)
from storage.queries import Tx

if TYPE_CHECKING:
    from storage.core import Storage

log = logging.getLogger(__name__)

ERASED = "(effacé)"


async def prune_older_than(tx: Tx, before_day: date, before: datetime) -> dict[str, int]:
    """Delete personal records older than the retention period; returns counts per kind."""

    async def count(statement: Any) -> int:
        return len((await tx.conn.execute(statement)).all())

    return {
        "bookings": await count(
            delete(reservations)
            .where(reservations.c.day < before_day)
            .returning(reservations.c.id)
        ),
        "statuses": await count(
            delete(presence_statuses)
            .where(presence_statuses.c.day < before_day)
            .returning(presence_statuses.c.day)
        ),
        "events": await count(
            delete(processed_events)
            .where(processed_events.c.claimed_at < before, processed_events.c.done_at.is_not(None))
            .returning(processed_events.c.event_id)
        ),
        "desk_loans": await count(
            delete(desk_loans).where(desk_loans.c.day < before_day).returning(desk_loans.c.day)
        ),
        "audit": await audit.prune(tx, before),
        "outbox": await count(
            delete(outbox)
            .where(outbox.c.created_at < before, outbox.c.status != "pending")
            .returning(outbox.c.id)
        ),
    }


async def export_member(tx: Tx, matrix_id: UserId) -> dict[str, Any] | None:
    """Everything stored about the member (None when unknown)."""
    member = (
        await tx.conn.execute(select(members).where(members.c.matrix_id == matrix_id))
    ).first()
    if member is None:
        return None
    default_site = None
    if member.default_site_id is not None:
        default_site = await tx.conn.scalar(
            select(sites.c.name).where(sites.c.id == member.default_site_id)
        )
    bookings = await tx.conn.execute(
        select(
            reservations.c.day,
            reservations.c.slot,
            reservations.c.status,
            reservations.c.created_at,
            reservations.c.cancelled_at,
            reservations.c.cancel_reason,
            sites.c.name.label("site"),
            desks.c.label.label("desk"),
        )
        .join(sites, sites.c.id == reservations.c.site_id)
        .join(desks, desks.c.id == reservations.c.desk_id)
        .where(reservations.c.member_id == member.id)
        .order_by(reservations.c.day, reservations.c.id)
    )
    statuses = await tx.conn.execute(
        select(presence_statuses)
        .where(presence_statuses.c.member_id == member.id)
        .order_by(presence_statuses.c.day, presence_statuses.c.half)
    )
    rooms = await tx.conn.scalars(
        select(room_members.c.room_id)
        .where(room_members.c.member_id == member.id)
        .order_by(room_members.c.room_id)
    )
    led = await tx.conn.scalars(select(teams.c.room_id).where(teams.c.lead_id == member.id))
    managed = await tx.conn.scalars(
        select(sites.c.name)
        .join(site_managers, site_managers.c.site_id == sites.c.id)
        .where(site_managers.c.matrix_id == matrix_id)
        .order_by(sites.c.name)
    )
    questions = await tx.conn.execute(
        select(
            pending_questions.c.room, pending_questions.c.kind, pending_questions.c.expires_at
        ).where(pending_questions.c.member_id == member.id)
    )
    messages = await tx.conn.execute(
        select(outbox.c.kind, outbox.c.body, outbox.c.created_at, outbox.c.status)
        .where(outbox.c.recipient == matrix_id)
        .order_by(outbox.c.id)
    )
    actions = await audit.list_entries(tx, actor=matrix_id, limit=10_000)
    owned = await tx.conn.execute(
        select(sites.c.name, desks.c.label)
        .join(desks, desks.c.site_id == sites.c.id)
        .where(desks.c.owner_id == member.id)
        .order_by(sites.c.name, desks.c.sort_key)
    )
    loans = await tx.conn.execute(
        select(desk_loans.c.day, desk_loans.c.half, desks.c.label)
        .join(desks, desks.c.id == desk_loans.c.desk_id)
        .where(desk_loans.c.owner_id == member.id)
        .order_by(desk_loans.c.day, desk_loans.c.half)
    )

    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "profile": {
            "matrix_id": member.matrix_id,
            "display_name": member.display_name,
            "role": member.role,
            "locale": member.locale,
            "default_site": default_site,
            "created_at": when(member.created_at),
            "updated_at": when(member.updated_at),
        },
        "bookings": [
            {
                "day": b.day.isoformat(),
                "slot": b.slot,
                "site": b.site,
                "desk": b.desk,
                "status": b.status,
                "created_at": when(b.created_at),
                "cancelled_at": when(b.cancelled_at),
                "cancel_reason": b.cancel_reason,
            }
            for b in bookings.all()
        ],
        "statuses": [
            {"day": s.day.isoformat(), "half": s.half, "kind": s.kind} for s in statuses.all()
        ],
        # The bot has no waiting list yet: the questions it is waiting for an answer to.
        "waitlist": [],
        "pending_questions": [
            {"room": q.room, "kind": q.kind, "expires_at": when(q.expires_at)}
            for q in questions.all()
        ],
        "desks_owned": [{"site": d.name, "desk": d.label} for d in owned.all()],
        "desk_loans": [
            {"day": x.day.isoformat(), "half": x.half, "desk": x.label} for x in loans.all()
        ],
        "rooms": list(rooms),
        "teams_led": list(led),
        "sites_managed": list(managed),
        "messages_sent_to_you": [
            {"kind": m.kind, "text": m.body, "at": when(m.created_at), "status": m.status}
            for m in messages.all()
        ],
        "actions_recorded": [
            {"at": when(a.at), "action": a.action, "target": a.target, "details": a.details}
            for a in actions
        ],
    }


async def erase_member(tx: Tx, matrix_id: UserId) -> dict[str, int] | None:
    """Cancel the member's future bookings, then delete everything that identifies them;
    returns what was removed (None when unknown)."""
    member_id = await tx.conn.scalar(select(members.c.id).where(members.c.matrix_id == matrix_id))
    if member_id is None:
        return None
    today = tx.today()
    future = await tx.conn.execute(
        update(reservations)
        .where(
            reservations.c.member_id == member_id,
            reservations.c.status == "active",
            reservations.c.day >= today,
        )
        .values(status="cancelled", cancelled_at=tx.now, cancel_reason="member")
        .returning(reservations.c.id)
    )
    cancelled = len(future.all())

    # What identifies the member, table by table: (what the answer calls it, table, column).
    owned = (
        ("bookings", reservations, reservations.c.member_id, member_id),
        ("statuses", presence_statuses, presence_statuses.c.member_id, member_id),
        ("pending_questions", pending_questions, pending_questions.c.member_id, member_id),
        ("calendar_links", calendar_tokens, calendar_tokens.c.member_id, member_id),
        ("desk_loans", desk_loans, desk_loans.c.owner_id, member_id),
        ("conversations", dialogue_states, dialogue_states.c.member_id, member_id),
        ("rooms", room_members, room_members.c.member_id, member_id),
        ("waitlist", waitlist_entries, waitlist_entries.c.member_id, member_id),
        ("sites_managed", site_managers, site_managers.c.matrix_id, matrix_id),
        ("messages", outbox, outbox.c.recipient, matrix_id),
        ("bot_messages", bot_messages, bot_messages.c.member_id, member_id),
        ("reactions", reaction_effects, reaction_effects.c.member_id, member_id),
    )
    removed = {"future_bookings_cancelled": cancelled}
    for name, table, column, value in owned:
        result = await tx.conn.execute(delete(table).where(column == value))
        removed[name] = result.rowcount or 0
    await tx.conn.execute(update(teams).where(teams.c.lead_id == member_id).values(lead_id=None))
    desks_owned = await tx.conn.execute(
        update(desks)
        .where(desks.c.owner_id == member_id)
        .values(owner_id=None, owner_assigned_at=None)
        .returning(desks.c.id)
    )
    removed["desks_owned"] = len(desks_owned.all())
    await tx.conn.execute(
        update(audit_log).where(audit_log.c.actor == matrix_id).values(actor=ERASED)
    )
    await tx.conn.execute(
        update(audit_log).where(audit_log.c.target == matrix_id).values(target=ERASED)
    )
    await tx.conn.execute(delete(members).where(members.c.id == member_id))
    log.info("erased the personal data of a member on their request")
    return removed


__all__ = ["ERASED", "PersonalDataStore"]


class PersonalDataStore:
    """The named transactions of personal data (`storage.personal`)."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    async def prune_older_than(self, before_day: date, before: datetime) -> dict[str, int]:
        """Retention: delete what is older than the period (see `prune_older_than`)."""
        return await self._storage._write(prune_older_than, before_day, before)

    async def export_member(self, matrix_id: UserId) -> dict[str, Any] | None:
        """Everything stored about the member."""
        return await self._storage._read(export_member, matrix_id)

    async def erase_member(self, matrix_id: UserId) -> dict[str, int] | None:
        """Erase the member (see `erase_member`)."""
        async with self._storage._changing_sites():  # a manager erased leaves their sites
            return await self._storage._write(erase_member, matrix_id)

    async def audit_entries(
        self,
        since: datetime | None = None,
        actor: UserId | None = None,
        action: str | None = None,
        limit: int = 100,
    ) -> list[audit.AuditEntry]:
        """The audit log, newest first."""
        return await self._storage._read(audit.list_entries, since, actor, action, limit)
