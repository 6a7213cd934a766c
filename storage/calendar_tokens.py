"""Private calendar feed links: one live token per member, stored as its SHA-256 only.

The URL `/calendar/<token>.ics` is the secret; "nouveau lien agenda" revokes the old token and
makes a new one. A revoked or unknown token finds nobody (the HTTP side answers 404).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update

from storage.domain import Slot, UserId
from storage.models import calendar_tokens, desks, members, reservations, sites
from storage.queries import Tx

TOKEN_BYTES = 24


@dataclass(frozen=True)
class FeedBooking:
    """One booking as a calendar event: stable `id` (the UID), site, desk, day, slot, hours."""

    id: int
    site: str
    desk: str
    day: date
    slot: Slot
    timezone: str
    hours: str | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def new_token(tx: Tx, matrix_id: UserId, revoke: bool) -> str:
    """A fresh token for the member; with `revoke` the previous live ones stop working."""
    member_id = await tx.member_id(matrix_id)
    if revoke:
        await tx.conn.execute(
            update(calendar_tokens)
            .where(
                calendar_tokens.c.member_id == member_id, calendar_tokens.c.revoked_at.is_(None)
            )
            .values(revoked_at=tx.now)
        )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    await tx.conn.execute(
        insert(calendar_tokens).values(
            token_hash=token_hash(token), member_id=member_id, created_at=tx.now
        )
    )
    return token


async def has_live_token(tx: Tx, matrix_id: UserId) -> bool:
    member_id = await tx.member_id(matrix_id)
    found = await tx.conn.scalar(
        select(calendar_tokens.c.token_hash).where(
            calendar_tokens.c.member_id == member_id, calendar_tokens.c.revoked_at.is_(None)
        )
    )
    return found is not None


async def member_of_token(tx: Tx, token: str) -> UserId | None:
    """The Matrix id the live token belongs to, or None (unknown or revoked)."""
    found = await tx.conn.scalar(
        select(members.c.matrix_id)
        .select_from(calendar_tokens.join(members, members.c.id == calendar_tokens.c.member_id))
        .where(calendar_tokens.c.token_hash == token_hash(token))
        .where(calendar_tokens.c.revoked_at.is_(None))
    )
    return None if found is None else UserId(found)


def _feed_booking(row: Any) -> FeedBooking:
    booking_id, site, desk, day, slot, timezone, hours = row
    return FeedBooking(booking_id, site, desk, day, Slot(slot), timezone, hours)


async def feed_bookings(tx: Tx, matrix_id: UserId, start: date, end: date) -> list[FeedBooking]:
    """The member's active bookings from `start` to `end`, with their site's hours."""
    member_id = await tx.member_id(matrix_id)
    r = reservations.c
    rows = await tx.conn.execute(
        select(r.id, sites.c.name, desks.c.label, r.day, r.slot, sites.c.timezone, sites.c.hours)
        .select_from(
            reservations.join(desks, desks.c.id == r.desk_id).join(sites, sites.c.id == r.site_id)
        )
        .where(r.member_id == member_id, r.status == "active", r.day.between(start, end))
        .order_by(r.day, r.slot)
    )
    return [_feed_booking(row) for row in rows]


@dataclass(frozen=True)
class Feed:
    """What a feed request needs, read in one transaction: the member, their language, bookings."""

    member: UserId
    locale: str | None
    bookings: tuple[FeedBooking, ...]


async def feed_for_token(tx: Tx, token: str, start: date, end: date) -> Feed | None:
    """The live token's member with their bookings from `start` to `end`; None for an unknown
    or revoked token."""
    row = (
        await tx.conn.execute(
            select(members.c.id, members.c.matrix_id, members.c.locale)
            .select_from(
                calendar_tokens.join(members, members.c.id == calendar_tokens.c.member_id)
            )
            .where(calendar_tokens.c.token_hash == token_hash(token))
            .where(calendar_tokens.c.revoked_at.is_(None))
        )
    ).first()
    if row is None:
        return None
    r = reservations.c
    rows = await tx.conn.execute(
        select(r.id, sites.c.name, desks.c.label, r.day, r.slot, sites.c.timezone, sites.c.hours)
        .select_from(
            reservations.join(desks, desks.c.id == r.desk_id).join(sites, sites.c.id == r.site_id)
        )
        .where(r.member_id == row.id, r.status == "active", r.day.between(start, end))
        .order_by(r.day, r.slot)
    )
    return Feed(row.matrix_id, row.locale, tuple(_feed_booking(b) for b in rows))
