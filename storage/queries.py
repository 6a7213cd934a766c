"""Pieces shared by the operations: the transaction context, the site directory, booking rows."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, any_, bindparam, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import String

from storage.calendar import SiteCalendar, weekdays_from_mask
from storage.domain import UserId
from storage.errors import UnknownMember, UnknownSite
from storage.models import desks, members, reservations, site_aliases, sites
from storage.names import fold_name
from storage.types import Booking, Slot

if TYPE_CHECKING:
    from sqlalchemy.engine import Row

log = logging.getLogger(__name__)


@dataclass
class Tx:
    """What one transaction's code needs: its connection, "now", and the shared settings."""

    conn: AsyncConnection
    now: datetime
    horizon_days: int
    timezone: ZoneInfo  # for "today" when no site is involved (statuses)
    sites: SiteDirectory
    # Composes the waitlist's and the release sweep's DMs (storage.waitlist.Notices); None:
    # plain ones. The chat side installs its own on the Storage.
    notices: Any = None

    @property
    def is_postgres(self) -> bool:
        return self.conn.dialect.name == "postgresql"

    def today(self, tz: ZoneInfo | None = None) -> date:
        """Today's date in `tz` (the default time zone when None), at this transaction's now."""
        return self.now.astimezone(tz or self.timezone).date()

    async def site(self, name: str) -> SiteCalendar:
        """The site named `name` (name or alias, any case/accents), or `UnknownSite`."""
        return await self.sites.get(self.conn, name)

    async def member_id(self, matrix_id: UserId) -> int:
        """The member's row id, or `UnknownMember`."""
        found = await self.conn.scalar(
            select(members.c.id).where(members.c.matrix_id == matrix_id)
        )
        if found is None:
            raise UnknownMember(matrix_id)
        return int(found)


class SiteDirectory:
    """Cache of the static facts of every site (few rows, read on every booking).

    Reloaded after `ttl` seconds, at once after an import in this process, and once more on an
    unknown name (a site just created by another process).
    """

    def __init__(self, ttl: float = 60.0) -> None:
        self._ttl = ttl
        self._by_key: dict[str, SiteCalendar] = {}
        self._loaded_at: float | None = None

    def invalidate(self) -> None:
        """Reload on next use (after an import in this process)."""
        self._loaded_at = None

    async def get(self, conn: AsyncConnection, name: str) -> SiteCalendar:
        """The site named `name` (folded name or alias), or `UnknownSite`."""
        fresh = False
        if self._loaded_at is None or time.monotonic() - self._loaded_at > self._ttl:
            await self._load(conn)
            fresh = True
        found = self._by_key.get(fold_name(name))
        if found is None and not fresh:
            await self._load(conn)
            found = self._by_key.get(fold_name(name))
        if found is None:
            raise UnknownSite(name)
        return found

    async def _load(self, conn: AsyncConnection) -> None:
        rows = (
            await conn.execute(
                select(
                    sites.c.id,
                    sites.c.name,
                    sites.c.name_key,
                    sites.c.timezone,
                    sites.c.department,
                    sites.c.open_weekdays,
                )
            )
        ).all()
        by_id = {
            row.id: SiteCalendar(
                site_id=row.id,
                name=row.name,
                timezone=row.timezone,
                department=row.department,
                open_weekdays=weekdays_from_mask(row.open_weekdays),
            )
            for row in rows
        }
        by_key = {row.name_key: by_id[row.id] for row in rows}
        aliases = await conn.execute(select(site_aliases.c.alias_key, site_aliases.c.site_id))
        for alias_key, site_id in aliases:
            by_key.setdefault(alias_key, by_id[site_id])
        self._by_key = by_key
        self._loaded_at = time.monotonic()
        log.debug("site directory loaded: %d sites", len(by_id))


def default_site_id() -> ColumnElement[int]:
    """A member's default site id (correlated to `members`): the one they set, else the site of
    their last booking — the same rule as `MemberInfo.default_site`."""
    last_booked = (
        select(reservations.c.site_id)
        .where(reservations.c.member_id == members.c.id)
        # "+ 0" keeps the planner from walking the primary key backwards (see booking.py):
        # a member's few rows are found by the member_id indexes, then sorted.
        .order_by((reservations.c.id + 0).desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(members.c.default_site_id, last_booked)


def overlap(slot: Slot, table: Any = reservations) -> ColumnElement[bool]:
    """Reservations (of `table`, an alias of reservations) sharing a half-day with `slot`."""
    if slot is Slot.AM:
        return cast(ColumnElement[bool], table.c.covers_am)
    if slot is Slot.PM:
        return cast(ColumnElement[bool], table.c.covers_pm)
    return or_(table.c.covers_am, table.c.covers_pm)


def active() -> ColumnElement[bool]:
    return reservations.c.status == "active"


def booking_select() -> Select[Any]:
    """Reservations with what a `Booking` shows (member id and name, site name, desk label)."""
    return (
        select(
            reservations.c.id,
            members.c.matrix_id,
            members.c.display_name,
            sites.c.name.label("site_name"),
            desks.c.label.label("desk_label"),
            reservations.c.day,
            reservations.c.slot,
            reservations.c.created_at,
            reservations.c.site_id,
            sites.c.timezone,
        )
        .join(members, members.c.id == reservations.c.member_id)
        .join(desks, desks.c.id == reservations.c.desk_id)
        .join(sites, sites.c.id == reservations.c.site_id)
    )


def to_booking(row: Row[Any], slot: Slot | None = None) -> Booking:
    """A `Booking` from a `booking_select` row (`slot` overrides it, for a released half)."""
    return Booking(
        id=row.id,
        member=row.matrix_id,
        display_name=row.display_name,
        site=row.site_name,
        desk=row.desk_label,
        day=row.day,
        slot=slot or Slot(row.slot),
        created_at=row.created_at,
    )


def booking_order(booking: Booking) -> tuple[date, int, str, str]:
    """Day, then morning before afternoon."""
    return (booking.day, 0 if booking.slot.covers_am else 1, booking.site, booking.desk)


async def member_bookings(
    tx: Tx,
    member_id: int,
    days: Sequence[date],
    slot: Slot | None = None,
    site_id: int | None = None,
) -> list[Row[Any]]:
    """The member's active reservations on `days` overlapping `slot` (any when None)."""
    query = booking_select().where(
        reservations.c.member_id == member_id,
        active(),
        reservations.c.day.in_(sorted(set(days))),
    )
    if slot is not None:
        query = query.where(overlap(slot))
    if site_id is not None:
        query = query.where(reservations.c.site_id == site_id)
    rows = (await tx.conn.execute(query.order_by(reservations.c.day, reservations.c.id))).all()
    return list(rows)


def not_past(rows: Sequence[Row[Any]], tx: Tx) -> list[Row[Any]]:
    """Rows whose day is today or later in their site's time zone (the past is history)."""
    return [row for row in rows if row.day >= tx.today(ZoneInfo(row.timezone))]


def halves(slot: Slot) -> tuple[str, ...]:
    """("am",), ("pm",) or ("am", "pm")."""
    return tuple(h for h, covered in (("am", slot.covers_am), ("pm", slot.covers_pm)) if covered)


def upsert(tx: Tx) -> Any:
    """The dialect's `insert` construct, which has `on_conflict_do_nothing/update`."""
    return postgresql.insert if tx.is_postgres else sqlite.insert


def desk_is_bookable(day_param: Any) -> ColumnElement[bool]:
    """Active desks whose opening date (if any) has come on `day_param`."""
    return and_(
        desks.c.active,
        or_(desks.c.bookable_from.is_(None), desks.c.bookable_from <= day_param),
    )


def one_of(tx: Tx, column: Any, values: Sequence[str] | Sequence[int]) -> ColumnElement[bool]:
    """`column IN values` with ONE bound parameter however many values there are.

    asyncpg caps a statement at 32,767 parameters and a long IN list is a new statement text
    for every length: PostgreSQL gets `= ANY(array)`, SQLite `IN (SELECT value FROM
    json_each(:json))`. Values are strings or integers, like the column.
    """
    listed = list(values)
    if tx.is_postgres:
        return column == any_(  # type: ignore[no-any-return]  # SQLAlchemy: untyped ==
            bindparam(None, listed, type_=postgresql.ARRAY(column.type), unique=True)
        )
    rows = func.json_each(bindparam(None, json.dumps(listed), type_=String, unique=True))
    return column.in_(select(rows.table_valued("value").c.value))  # type: ignore[no-any-return]  # untyped in_
