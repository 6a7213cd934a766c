"""The audit log of manager and admin actions: who opened, closed, announced, appointed; when;
what it changed. Entries are written in the transaction of the action itself (`record`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select

from storage.domain import UserId
from storage.models import AUDIT_TARGET_LENGTH, audit_log
from storage.names import clip
from storage.queries import Tx


@dataclass(frozen=True)
class AuditEntry:
    """One recorded action."""

    id: int
    at: datetime
    actor: UserId
    action: str  # open, close, announce, appoint, erase
    target: str  # a site, a member...
    details: dict[str, Any]


async def record(tx: Tx, actor: UserId, action: str, target: str, **details: Any) -> None:
    """Add an entry, in the caller's transaction. `target` is cut to fit its column (an
    announcement to many sites lists them all)."""
    await tx.conn.execute(
        insert(audit_log).values(
            at=tx.now,
            actor=actor,
            action=action,
            target=clip(target, AUDIT_TARGET_LENGTH),
            details=details,
        )
    )


async def list_entries(
    tx: Tx,
    since: datetime | None = None,
    actor: UserId | None = None,
    action: str | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """The newest entries first (at most `limit`), optionally filtered."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if since is not None:
        query = query.where(audit_log.c.at >= since)
    if actor is not None:
        query = query.where(audit_log.c.actor == actor)
    if action is not None:
        query = query.where(audit_log.c.action == action)
    rows = (await tx.conn.execute(query)).all()
    return [AuditEntry(r.id, r.at, r.actor, r.action, r.target, r.details or {}) for r in rows]


async def prune(tx: Tx, before: datetime) -> int:
    """Forget entries older than `before` (the retention period)."""
    result = await tx.conn.execute(
        delete(audit_log).where(audit_log.c.at < before).returning(audit_log.c.id)
    )
    return len(result.all())
