"""Reserving, cancelling and listing desks, and closing sites: the hot path of the core.

`reserve` books each day with one INSERT ... SELECT that picks the desk (the member's last desk
at the site when free, else the first free one in natural label order) and inserts it, with
ON CONFLICT DO NOTHING against the partial unique indexes: a lost race is an empty result, never
an exception, and the slow path then says why (closed, already booked, desk taken, full).

On PostgreSQL, transaction-scoped advisory locks are taken first on each (site, day) and on the
member, so that concurrent requests for the same site-day queue instead of colliding (300
requests for 20 desks: 20 booked, 280 full, no retry), and a member's bookings and statuses
never change in two transactions at once. The desk choice, the insert, the removal of the
statuses it replaces and the desk label are one statement (data-modifying CTE); `reserve_pg`
sends BEGIN with the locks, so that a booking takes three round trips, like a plain INSERT +
COMMIT, and a day that cannot be booked is explained in the same transaction (one path: there
is no separate fast path to fall back from). SQLite serializes writers with BEGIN IMMEDIATE and
runs the same steps as separate (in-process, cheap) statements.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

import asyncpg
from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Integer,
    String,
    bindparam,
    column,
    delete,
    func,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Executable
from sqlalchemy.sql.elements import TextClause

from storage import stats
from storage.calendar import SiteCalendar
from storage.domain import UserId
from storage.errors import UnknownMember
from storage.freed import desk_freed
from storage.models import (
    REASON_LENGTH,
    UTCDateTime,
    desks,
    members,
    presence_statuses,
    reservations,
    site_closures,
)
from storage.names import clip
from storage.owned import bookable_by_sql, owned_first_sql
from storage.queries import (
    Tx,
    active,
    booking_order,
    booking_select,
    desk_is_bookable,
    halves,
    member_bookings,
    not_past,
    to_booking,
    upsert,
)
from storage.types import Availability, Booking, DayOutcome, Outcome, Slot, StatusKind

log = logging.getLogger(__name__)

# How many times one day is tried when a free desk seen by the explanation was not found by the
# insert (a concurrent booking rolled back in between); database retries are core.MAX_ATTEMPTS.
DESK_RACE_TRIES = 3
# Advisory lock keys are (site id >= 1, day ordinal) for a site-day, (0, hash) for a member.
MEMBER_LOCK_NAMESPACE = 0

_LOCKS = text(
    "SELECT pg_advisory_xact_lock(k1, k2)::text FROM unnest(:k1, :k2) AS keys (k1, k2)"
).bindparams(
    bindparam("k1", type_=postgresql.ARRAY(Integer)),
    bindparam("k2", type_=postgresql.ARRAY(Integer)),
)
_BIND_TYPES = (
    bindparam("site_id", type_=Integer),
    bindparam("member_id", type_=Integer),
    bindparam("matrix_id", type_=String),
    bindparam("day", type_=Date),
    bindparam("now", type_=UTCDateTime),
    bindparam("event", type_=String),
    bindparam("label", type_=String),
)
# The booking statement is planned once per connection (a generic plan) instead of at every
# call (planning is a large part of its cost). Sequential scans are off while it is planned so
# that the plan uses the indexes whatever the size of the tables then (a plan made on an
# empty table would otherwise scan it, and keep doing so as it grows).
_FAST_PATH_SETTINGS = (
    "SET LOCAL plan_cache_mode = force_generic_plan; SET LOCAL enable_seqscan = off;"
)
_INSERT_COLUMNS = (
    "member_id, site_id, desk_id, day, slot, covers_am, covers_pm, status, created_at,"
    " source_event_id"
)


def member_lock_key(matrix_id: UserId) -> int:
    """A stable 32-bit key for a member's advisory lock (a collision only serializes more)."""
    return zlib.crc32(matrix_id.encode()) - 2**31


async def take_locks(
    tx: Tx, site_id: int | None, days: Sequence[date], matrix_id: UserId | None
) -> None:
    """PostgreSQL: lock each (site, day), in order, then the member, until the transaction ends.

    Requests for one site-day then queue instead of colliding, and a member's bookings and
    statuses never change in two transactions at once. The site-days always come first and in
    ascending order, so two transactions never wait for each other in a circle. SQLite needs no
    lock: BEGIN IMMEDIATE already serializes writers.
    """
    if not tx.is_postgres:
        return
    keys = [(site_id, ordinal) for ordinal in sorted({d.toordinal() for d in days})]
    if matrix_id is not None:
        keys.append((MEMBER_LOCK_NAMESPACE, member_lock_key(matrix_id)))
    if keys:
        k1, k2 = zip(*keys)
        await tx.conn.execute(_LOCKS, {"k1": list(k1), "k2": list(k2)})


async def lock_member(tx: Tx, matrix_id: UserId) -> tuple[int, str | None]:
    """Resolve a member (id, display name), locked for this transaction on PostgreSQL."""
    await take_locks(tx, None, (), matrix_id)
    row = (
        await tx.conn.execute(
            select(members.c.id, members.c.display_name).where(members.c.matrix_id == matrix_id)
        )
    ).first()
    if row is None:
        raise UnknownMember(matrix_id)
    return row.id, row.display_name


def calendar_outcomes(
    cal: SiteCalendar, days: Sequence[date], slot: Slot, today: date, horizon_days: int
) -> list[DayOutcome | None]:
    """Per day, the outcome when the calendar refuses it (past, weekend, holiday...), else
    None: the day goes to the database."""
    outcomes: list[DayOutcome | None] = []
    for day in days:
        blocked = cal.block(day, today, horizon_days)
        outcomes.append(DayOutcome(day, slot, blocked[0], reason=blocked[1]) if blocked else None)
    return outcomes


async def reserve(
    tx: Tx,
    member: UserId,
    site: str,
    days: Sequence[date],
    slot: Slot,
    desk: str | None,
    source_event_id: str | None,
    *,
    locked: bool = False,
) -> list[DayOutcome]:
    """One outcome per requested day, in order (see `Storage.reserve`); `locked`: the caller
    took the locks of `take_locks` already (`reserve_pg`)."""
    cal = await tx.site(site)
    outcomes = calendar_outcomes(cal, days, slot, tx.today(cal.tz), tx.horizon_days)
    bookable = [day for day, outcome in zip(days, outcomes) if outcome is None]
    booker = _Booker(tx, cal, member, slot, desk, source_event_id)
    if bookable and not locked:
        await take_locks(tx, cal.site_id, bookable, member)
    if not bookable or not tx.is_postgres:
        await booker.resolve_member()
    for index, outcome in enumerate(outcomes):
        if outcome is None:
            outcomes[index] = await booker.book(days[index])
    done = [outcome for outcome in outcomes if outcome is not None]
    # Demand turned away (issue 13): on PostgreSQL the booking statement counted it already.
    uncounted = [outcome for outcome in done if outcome.day not in booker.counted]
    await stats.record_full_answers(tx, cal.site_id, uncounted)
    return done


def booked_outcome(
    *,
    booking_id: int,
    member: UserId,
    display_name: str | None,
    site: str,
    desk: str,
    day: date,
    slot: Slot,
    created_at: datetime,
    replaced: str | None,
) -> DayOutcome:
    """The outcome of a day just booked (both paths of `reserve` build it here); `replaced` is
    the kind of the status the booking replaced, if any."""
    booking = Booking(
        id=booking_id,
        member=UserId(member),
        display_name=display_name,
        site=site,
        desk=desk,
        day=day,
        slot=slot,
        created_at=created_at,
    )
    return DayOutcome(
        day,
        slot,
        Outcome.BOOKED,
        booking=booking,
        replaced_status=StatusKind(replaced) if replaced else None,
    )


async def reserve_pg(
    tx: Tx,
    *,
    member: UserId,
    site: str,
    days: Sequence[date],
    slot: Slot,
    desk: str | None,
    source_event_id: str | None,
) -> list[DayOutcome] | None:
    """`reserve` on PostgreSQL in as few round trips as a plain INSERT + COMMIT: BEGIN, the
    plan settings and the advisory locks in one simple-protocol message, then `reserve` itself
    (the booking statement once per day; the explanation when a day cannot be booked, in the
    same transaction), then COMMIT. `tx.conn` is in AUTOCOMMIT (`Storage._write_managed`): this
    function opens and ends the transaction itself. None when no day passes the calendar (the
    caller runs `reserve`, which also checks the member). Only integers are interpolated."""
    cal = await tx.site(site)
    outcomes = calendar_outcomes(cal, days, slot, tx.today(cal.tz), tx.horizon_days)
    bookable = [day for day, outcome in zip(days, outcomes) if outcome is None]
    if not bookable:
        return None
    locks = [(cal.site_id, o) for o in sorted({d.toordinal() for d in bookable})]
    locks.append((MEMBER_LOCK_NAMESPACE, member_lock_key(member)))
    begin = f"BEGIN; {_FAST_PATH_SETTINGS} SELECT " + ", ".join(
        f"pg_advisory_xact_lock({int(k1)}, {int(k2)})" for k1, k2 in locks
    )
    async with _raw_transaction(tx.conn, begin):
        return await reserve(tx, member, site, days, slot, desk, source_event_id, locked=True)


@asynccontextmanager
async def _raw_transaction(conn: AsyncConnection, begin: str) -> AsyncIterator[None]:
    """A transaction opened with `begin` (BEGIN and more, one message) on a connection in
    AUTOCOMMIT, whose statements (SQLAlchemy's too) then run inside it: COMMIT at the end,
    ROLLBACK on an error; a connection in an unknown state is invalidated, never pooled."""
    raw = (await conn.get_raw_connection()).driver_connection
    assert raw is not None  # an open asyncpg connection
    try:
        await raw.execute(begin)
        yield
    except BaseException as error:
        if isinstance(error, Exception):
            await _finish(conn, raw, "ROLLBACK")
        else:
            await conn.invalidate()  # cancelled: state unknown
        raise
    await _finish(conn, raw, "COMMIT")


async def _finish(conn: AsyncConnection, raw: Any, sql: str) -> None:
    """COMMIT or ROLLBACK; the transaction is over even when the server refuses (a COMMIT
    that fails rolls back), but a connection lost or cancelled meanwhile is invalidated."""
    try:
        await raw.execute(sql)
    except asyncpg.PostgresError:
        raise
    except BaseException:
        if not conn.invalidated:
            await conn.invalidate()
        raise


@cache
def _pg_book_raw(slot: Slot, with_label: bool) -> tuple[str, tuple[str, ...]]:
    """The booking statement as sent to asyncpg ($n parameters) and its parameter names (the
    plan tests prepare it by hand)."""
    statement: Any = _pg_book(slot, with_label)  # a TextualSelect, typed as Executable
    dialect: Any = asyncpg_dialect.dialect
    compiled = statement.compile(dialect=dialect())
    return str(compiled), tuple(compiled.positiontup or ())


class _Booker:
    """Books one member, one site, one slot, day after day."""

    def __init__(
        self,
        tx: Tx,
        cal: SiteCalendar,
        member: UserId,
        slot: Slot,
        desk: str | None,
        source_event_id: str | None,
    ) -> None:
        self.tx, self.cal, self.slot, self.member = tx, cal, slot, member
        self.member_id: int | None = None
        self.display_name: str | None = None
        self.label = desk
        self.source_event_id = source_event_id
        self.counted: set[date] = set()  # days whose "full" answer the statement recorded

    async def resolve_member(self) -> int:
        if self.member_id is None:
            row = (
                await self.tx.conn.execute(
                    select(members.c.id, members.c.display_name).where(
                        members.c.matrix_id == self.member
                    )
                )
            ).first()
            if row is None:
                raise UnknownMember(self.member)
            self.member_id, self.display_name = row
        return self.member_id

    async def book(self, day: date) -> DayOutcome:
        for attempt in range(1, DESK_RACE_TRIES + 1):
            booked, seen = await self._insert(day)
            if booked is not None:
                return booked
            if seen is None:  # SQLite: the insert says nothing of why it found no desk
                seen = await self._look(day)
            explained = self._explain(day, seen)
            if explained is not None:
                return explained
            # A free desk is visible now although the insert found none: a concurrent booking
            # was rolled back between the two statements. Try again, a bounded number of times.
            log.info("reserve %s %s %s: retry %d", self.member, self.cal.name, day, attempt)
        log.warning(
            "reserve %s %s %s: no stable answer, reported full", self.member, self.cal.name, day
        )
        return DayOutcome(day, self.slot, Outcome.FULL)

    async def _insert(self, day: date) -> tuple[DayOutcome | None, _Seen | None]:
        """The booking of `day`, or None with (PostgreSQL) what the statement saw instead."""
        params: dict[str, Any] = {
            "site_id": self.cal.site_id,
            "day": day,
            "now": self.tx.now,
            "event": self.source_event_id,
        }
        if self.label is not None:
            params["label"] = self.label
        conn = self.tx.conn
        if self.tx.is_postgres:
            params["matrix_id"] = self.member
            row = (await conn.execute(_pg_book(self.slot, self.label is not None), params)).first()
            if row is None:
                raise UnknownMember(self.member)
            self.member_id, self.display_name = row.member_id, row.display_name
            if row.id is None:  # the statement also read why (`_why_sql`), and counted a full
                if row.counted:
                    self.counted.add(day)
                return None, _Seen.of(row, self, day)
            booking_id, created_at, label, replaced = (
                row.id,
                row.created_at,
                row.label,
                row.replaced,
            )
        else:
            params["member_id"] = self.member_id
            statement = _sqlite_book(self.slot, self.label is not None)
            row = (await conn.execute(statement, params)).first()
            if row is None:
                return None, None
            booking_id, desk_id, created_at = row
            label = await conn.scalar(select(desks.c.label).where(desks.c.id == desk_id))
            removed = (
                await conn.execute(
                    _delete_statuses(self.slot), {"member_id": self.member_id, "day": day}
                )
            ).all()
            replaced = min(removed)[1] if removed else None
        booked = booked_outcome(
            booking_id=booking_id,
            member=self.member,
            display_name=self.display_name,
            site=self.cal.name,
            desk=label,
            day=day,
            slot=self.slot,
            created_at=created_at,
            replaced=replaced,
        )
        return booked, None

    async def _look(self, day: date) -> _Seen:
        """SQLite: what `_explain` needs, in one statement (`_situation`)."""
        params: dict[str, Any] = {
            "site_id": self.cal.site_id,
            "day": day,
            "member_id": await self.resolve_member(),
        }
        if self.label is not None:
            params["label"] = self.label
        statement = _situation(self.slot, self.label is not None)
        return _Seen.of((await self.tx.conn.execute(statement, params)).one(), self, day)

    def _explain(self, day: date, seen: _Seen) -> DayOutcome | None:
        """Why nothing was inserted, from what the database saw; None when nothing explains
        it (then retry): the one place that decides the answer, on both databases."""
        if seen.closed:
            return DayOutcome(day, self.slot, Outcome.CLOSED, reason=seen.reason)
        if seen.held is not None:
            return DayOutcome(day, self.slot, Outcome.ALREADY_BOOKED, booking=seen.held)
        others = [self.slot.other_half] if self.slot.other_half else [Slot.AM, Slot.PM]
        alternative = next((o for o, free in zip(others, seen.others) if free), None)
        if self.label is not None:
            if not seen.desk_exists:
                return DayOutcome(day, self.slot, Outcome.UNKNOWN_DESK)
            if seen.wanted:
                return None
            return DayOutcome(
                day,
                self.slot,
                Outcome.DESK_TAKEN,
                alternative_desk=seen.any_desk,
                alternative_slot=alternative,
            )
        if seen.wanted:
            return None
        return DayOutcome(day, self.slot, Outcome.FULL, alternative_slot=alternative)


@dataclass(frozen=True)
class _Seen:
    """What the database saw of a site-day when nothing could be booked (`_why_sql`)."""

    closed: bool
    reason: str | None
    held: Booking | None  # the member's booking that day sharing a half-day with the slot
    desk_exists: bool  # the desk asked for exists and is open that day (True without one)
    wanted: str | None  # the first free desk for the slot (only the one asked for)
    any_desk: str | None  # the first free desk for the slot, any label
    others: tuple[str | None, str | None]  # the first free desk of each other half-day

    @classmethod
    def of(cls, row: Any, booker: _Booker, day: date) -> _Seen:
        held = None
        if row.held_id is not None:
            held = Booking(
                id=row.held_id,
                member=booker.member,
                display_name=booker.display_name,
                site=row.held_site,
                desk=row.held_desk,
                day=day,
                slot=Slot(row.held_slot),
                created_at=row.held_created_at,
            )
        return cls(
            closed=bool(row.closed),
            reason=row.reason,
            held=held,
            desk_exists=bool(row.desk_exists),
            wanted=row.wanted,
            any_desk=row.any_desk,
            others=(row.other_0, row.other_1),
        )


async def free_desks(
    tx: Tx, site_id: int, day: date, slot: Slot, label: str | None = None, limit: bool = False
) -> list[str]:
    """Labels of the desks free for `slot` on `day`, in natural order (only `label` if given)."""
    params: dict[str, Any] = {"site_id": site_id, "day": day}
    if label is not None:
        params["label"] = label
    rows = await tx.conn.execute(_free_desks_statement(slot, label is not None, limit), params)
    return [row.label for row in rows]


def _overlap_sql(slot: Slot, alias: str = "r") -> str:
    """SQL true for reservations (alias `alias`) sharing a half-day with `slot`."""
    if slot is Slot.DAY:
        return f"{alias}.covers_am OR {alias}.covers_pm"
    return f"{alias}.covers_am" if slot is Slot.AM else f"{alias}.covers_pm"


def _free_desks_sql(slot: Slot, with_label: bool, preferred_for: str | None, limit: bool) -> str:
    """SELECT id, label of the free desks of :site_id on :day, best first.

    Free = active, already open on that day, not held by an active reservation sharing a
    half-day with `slot`, the site not closed that day, and not someone else's owned desk
    unless its owner is away (`storage.owned`). `preferred_for` is the SQL of a member id whose
    own desk, then last desk at this site (even if cancelled since), comes first.
    """
    overlap = _overlap_sql(slot)
    label = "AND lower(d.label) = lower(:label)" if with_label else ""
    prefer = (
        # "p.id + 0": ordered by the bare id, the planner may walk the whole primary key
        # backwards, filtering, when statistics are thin; this way it must look the member's
        # few rows up in the (member_id, site_id, id) index and sort them.
        "CASE WHEN d.id = (SELECT p.desk_id FROM reservations AS p"
        f" WHERE p.member_id = {preferred_for} AND p.site_id = :site_id"
        " ORDER BY p.id + 0 DESC LIMIT 1) THEN 0 ELSE 1 END, "
        if preferred_for
        else ""
    )
    return f"""
        SELECT d.id, d.label
          FROM desks AS d
         WHERE d.site_id = :site_id
           AND d.active
           AND (d.bookable_from IS NULL OR d.bookable_from <= :day)
           {label}
           AND d.id NOT IN (SELECT r.desk_id FROM reservations AS r
                             WHERE r.site_id = :site_id AND r.day = :day
                               AND r.status = 'active' AND ({overlap}))
           AND NOT EXISTS (SELECT 1 FROM site_closures AS c
                            WHERE c.site_id = :site_id AND c.day = :day)
           AND {bookable_by_sql(slot, preferred_for)}
         ORDER BY {owned_first_sql(preferred_for)}{prefer}d.sort_key, d.id
         {"LIMIT 1" if limit else ""}"""


def _typed(sql: str) -> TextClause:
    names = {b.key for b in _BIND_TYPES if f":{b.key}" in sql}
    return text(sql).bindparams(*(b for b in _BIND_TYPES if b.key in names))


def free_desks_query(slot: Slot) -> TextClause:
    """SELECT id, label of the desks free for `slot` at :site_id on :day, in natural order."""
    return _free_desks_statement(slot, False, False)


@cache
def _free_desks_statement(slot: Slot, with_label: bool, limit: bool) -> TextClause:
    return _typed(_free_desks_sql(slot, with_label, None, limit))


def _why_sql(slot: Slot, with_label: bool, member: str, gate: str = "true") -> str:
    """One row (none when `gate` is false): `closed` and its `reason`; the member's (`member`:
    the SQL of their id) booking that day sharing a half-day with `slot` (`held_*`);
    `desk_exists` (the desk :label is open that day; true without a label); `wanted` (the
    first free desk for `slot`, only :label with a label), `any_desk` (the first free desk for
    `slot`, any label), then `other_0`, `other_1`: the first free desk (only :label with a
    label) of each half-day `alternative_slot` would offer, in its order. What
    `_Booker._explain` needs, in one statement."""

    def first(candidate: Slot, label: bool) -> str:
        free = _free_desks_sql(candidate, label, None, limit=True)
        return f"(SELECT f.label FROM ({free}) AS f)"

    others: list[Slot | None] = [slot.other_half] if slot.other_half else [Slot.AM, Slot.PM]
    others += [None] * (2 - len(others))
    desk_exists = (
        """EXISTS (SELECT 1 FROM desks AS d
                    WHERE d.site_id = :site_id AND lower(d.label) = lower(:label)
                      AND d.active AND (d.bookable_from IS NULL OR d.bookable_from <= :day))"""
        if with_label
        else "true"
    )
    columns = [
        "EXISTS (SELECT 1 FROM site_closures AS c WHERE c.site_id = :site_id AND c.day = :day)"
        " AS closed",
        "(SELECT c.reason FROM site_closures AS c WHERE c.site_id = :site_id AND c.day = :day)"
        " AS reason",
        f"{desk_exists} AS desk_exists",
        f"{first(slot, with_label)} AS wanted",
        f"{first(slot, False) if with_label else 'NULL'} AS any_desk",
        *(
            f"{first(other, with_label) if other else 'NULL'} AS other_{n}"
            for n, other in enumerate(others)
        ),
        "held.id AS held_id",
        "held.site AS held_site",
        "held.desk AS held_desk",
        "held.slot AS held_slot",
        "held.created_at AS held_created_at",
    ]
    held = f"""
        SELECT r.id, r.slot, r.created_at,
               (SELECT s.name FROM sites AS s WHERE s.id = r.site_id) AS site,
               (SELECT d.label FROM desks AS d WHERE d.id = r.desk_id) AS desk
          FROM reservations AS r
         WHERE r.member_id = {member} AND r.day = :day AND r.status = 'active'
           AND ({_overlap_sql(slot)})
         ORDER BY r.id + 0 LIMIT 1"""  # "+ 0": see `_free_desks_sql`
    return (
        "SELECT "
        + ",\n       ".join(columns)
        + f"\n  FROM (SELECT 1 AS one) AS one LEFT JOIN ({held}) AS held ON true"
        + f"\n WHERE {gate}"
    )


_WHY_COLUMNS = (
    column("closed", Boolean),
    column("reason", String),
    column("desk_exists", Boolean),
    column("wanted", String),
    column("any_desk", String),
    column("other_0", String),
    column("other_1", String),
    column("held_id", BigInteger),
    column("held_site", String),
    column("held_desk", String),
    column("held_slot", String),
    column("held_created_at", UTCDateTime),
)


@cache
def _situation(slot: Slot, with_label: bool) -> Executable:
    """SQLite: `_why_sql` for :member_id, on its own (PostgreSQL reads it in `_pg_book`)."""
    return _typed(_why_sql(slot, with_label, ":member_id")).columns(*_WHY_COLUMNS)


def _values(slot: Slot, member: str) -> str:
    return (
        f"{member}, :site_id, chosen.id, :day, '{slot.value}', {str(slot.covers_am).upper()},"
        f" {str(slot.covers_pm).upper()}, 'active', :now, :event"
    )


def _halves_sql(slot: Slot) -> str:
    return ", ".join(f"'{half}'" for half in halves(slot))


@cache
def _pg_book(slot: Slot, with_label: bool) -> Executable:
    """PostgreSQL, one round trip whatever the answer: pick the desk, INSERT the booking,
    DELETE the statuses it replaces; returns (id, created_at, desk label, display name,
    replaced status, member id), the booking's columns NULL when nothing was inserted, no row
    for an unknown member. When nothing was inserted, the same statement reads why
    (`_why_sql`, the other columns; NULL after a booking: not even read) and, when the answer
    is "full" (no label asked, nothing free, not closed, not already booked), records it for
    the statistics (`counted` = 1, `stats.record_full_answers` otherwise). Read in the
    insert's snapshot, taken after the locks: it explains exactly what the insert saw (a desk
    it saw free but could not take is `wanted`: the caller tries again)."""
    chosen = _free_desks_sql(slot, with_label, "(SELECT m.id FROM m)", limit=True)
    gate = "NOT EXISTS (SELECT 1 FROM inserted) AND EXISTS (SELECT 1 FROM m)"
    why = _why_sql(slot, with_label, "(SELECT m.id FROM m)", gate)
    # A desk asked for by name is taken or unknown: never a "full" answer.
    counted = (
        ""
        if with_label
        else f""",
        counted AS (
            INSERT INTO full_answers (site_id, day, slot, answered_at)
            SELECT :site_id, :day, '{slot.value}', :now FROM why
             WHERE NOT why.closed AND why.held_id IS NULL AND why.wanted IS NULL
            RETURNING id
        )"""
    )
    sql = f"""
        WITH m AS (SELECT id, display_name FROM members WHERE matrix_id = :matrix_id),
        chosen AS ({chosen}),
        inserted AS (
            INSERT INTO reservations ({_INSERT_COLUMNS})
            SELECT {_values(slot, "m.id")} FROM m, chosen
            ON CONFLICT DO NOTHING
            RETURNING id, desk_id, created_at
        ),
        removed AS (
            DELETE FROM presence_statuses AS s USING inserted
             WHERE s.member_id = (SELECT m.id FROM m) AND s.day = :day
               AND s.half IN ({_halves_sql(slot)})
            RETURNING s.half, s.kind
        ),
        why AS ({why}){counted}
        SELECT inserted.id, inserted.created_at, chosen.label, m.display_name,
               (SELECT removed.kind FROM removed ORDER BY removed.half LIMIT 1) AS replaced,
               m.id AS member_id, why.*,
               {"0" if with_label else "(SELECT count(*) FROM counted)"} AS counted
          FROM m LEFT JOIN (inserted JOIN chosen ON chosen.id = inserted.desk_id) ON true
          LEFT JOIN why ON true"""
    return _typed(sql).columns(
        column("id", BigInteger),
        column("created_at", UTCDateTime),
        column("label", String),
        column("display_name", String),
        column("replaced", String),
        column("member_id", Integer),
        *_WHY_COLUMNS,
        column("counted", Integer),
    )


@cache
def _sqlite_book(slot: Slot, with_label: bool) -> Executable:
    """SQLite: pick the desk and INSERT the booking; returns (id, desk_id, created_at)."""
    chosen = _free_desks_sql(slot, with_label, ":member_id", limit=True)
    # "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint.
    sql = f"""
        INSERT INTO reservations ({_INSERT_COLUMNS})
        SELECT {_values(slot, ":member_id")} FROM ({chosen}) AS chosen WHERE true
        ON CONFLICT DO NOTHING
        RETURNING id, desk_id, created_at"""
    return _typed(sql).columns(
        column("id", BigInteger), column("desk_id", Integer), column("created_at", UTCDateTime)
    )


@cache
def _delete_statuses(slot: Slot) -> Executable:
    statuses = presence_statuses
    return (
        delete(statuses)
        .where(
            statuses.c.member_id == bindparam("member_id", type_=Integer),
            statuses.c.day == bindparam("day", type_=Date),
            statuses.c.half.in_(halves(slot)),
        )
        .returning(statuses.c.half, statuses.c.kind)
    )


async def cancel(
    tx: Tx,
    member: UserId,
    days: Sequence[date],
    slot: Slot | None,
    site: str | None,
    reason: str = "member",
) -> list[Booking]:
    """Cancel the member's bookings on `days` (see `Storage.cancel`)."""
    site_id = (await tx.site(site)).site_id if site else None
    member_id = await tx.member_id(member)
    rows = not_past(await member_bookings(tx, member_id, days, slot, site_id), tx)
    return await release(tx, rows, slot, reason)


async def release(
    tx: Tx, rows: Sequence[Any], slot: Slot | None, reason: str, serve: bool = True
) -> list[Booking]:
    """Cancel booking rows, or trim a whole-day one to its other half when only one half is
    released; returns what was released (the trimmed half as a Booking with that slot). The
    freed desks go to the waitlist (`desk_freed`) unless `serve` is False (a move serves after
    its new booking) or the site is closed (`reason` "closure")."""
    released: list[Booking] = []
    cancel_ids: list[int] = []
    for row in rows:
        booked = Slot(row.slot)
        if slot in (Slot.AM, Slot.PM) and booked is Slot.DAY:
            kept = slot.other_half
            assert kept is not None
            trimmed = await tx.conn.execute(
                update(reservations)
                .where(
                    reservations.c.id == row.id, active(), reservations.c.slot == Slot.DAY.value
                )
                .values(slot=kept.value, covers_am=kept.covers_am, covers_pm=kept.covers_pm)
                .returning(reservations.c.id)
            )
            if trimmed.first() is not None:
                released.append(to_booking(row, slot))
        else:
            cancel_ids.append(row.id)
    if cancel_ids:
        done = set(
            (
                await tx.conn.execute(
                    update(reservations)
                    .where(reservations.c.id.in_(cancel_ids), active())
                    .values(status="cancelled", cancelled_at=tx.now, cancel_reason=reason)
                    .returning(reservations.c.id)
                )
            ).scalars()
        )
        released += [to_booking(row) for row in rows if row.id in done]
    if serve and reason != "closure":
        await serve_released(tx, rows, released)
    return sorted(released, key=booking_order)


async def serve_released(tx: Tx, rows: Sequence[Any], released: Sequence[Booking]) -> None:
    """Tell `desk_freed` about each (site, day) that `released` (from `rows`) freed."""
    site_of = {row.id: row.site_id for row in rows}
    freed: dict[tuple[int, date], list[bool]] = {}
    for b in released:
        halves_freed = freed.setdefault((site_of[b.id], b.day), [False, False])
        halves_freed[0] |= b.slot.covers_am
        halves_freed[1] |= b.slot.covers_pm
    for (site_id, day), (am, pm) in sorted(freed.items()):
        await desk_freed(tx, site_id, day, am, pm)


async def list_bookings(tx: Tx, member: UserId, from_day: date, to_day: date) -> list[Booking]:
    """The member's active bookings between two days, inclusive, in order."""
    member_id = await tx.member_id(member)
    rows = await tx.conn.execute(
        booking_select().where(
            reservations.c.member_id == member_id,
            active(),
            reservations.c.day.between(from_day, to_day),
        )
    )
    return sorted((to_booking(row) for row in rows), key=booking_order)


async def availability(tx: Tx, site: str, day: date, slot: Slot) -> Availability:
    """Free desks of a site for one slot of one day."""
    cal = await tx.site(site)
    total = await tx.conn.scalar(
        select(func.count())
        .select_from(desks)
        .where(desks.c.site_id == cal.site_id, desk_is_bookable(day))
    )
    blocked = cal.block(day, tx.today(cal.tz), tx.horizon_days)
    if blocked is None:
        closure = (
            await tx.conn.execute(
                select(site_closures.c.reason).where(
                    site_closures.c.site_id == cal.site_id, site_closures.c.day == day
                )
            )
        ).first()
        if closure is not None:
            blocked = (Outcome.CLOSED, closure.reason)
    if blocked is not None:
        return Availability(cal.name, day, slot, (), 0, int(total or 0), blocked[0], blocked[1])
    free = tuple(await free_desks(tx, cal.site_id, day, slot))
    return Availability(cal.name, day, slot, free, len(free), int(total or 0))


async def close_site(tx: Tx, site: str, days: Sequence[date], reason: str | None) -> list[Booking]:
    """Close a site on `days` (today or later) and cancel the bookings there. The reason,
    written by a manager, is cut to fit its column (every caller: Storage, the outbox)."""
    reason = clip(reason, REASON_LENGTH)
    cal = await tx.site(site)
    today = tx.today(cal.tz)
    days = sorted({day for day in days if day >= today})
    if not days:
        return []
    await take_locks(tx, cal.site_id, days, None)
    for day in days:
        await tx.conn.execute(
            upsert(tx)(site_closures)
            .values(site_id=cal.site_id, day=day, reason=reason, created_at=tx.now)
            .on_conflict_do_update(index_elements=["site_id", "day"], set_={"reason": reason})
        )
    rows = (
        await tx.conn.execute(
            booking_select().where(
                reservations.c.site_id == cal.site_id, active(), reservations.c.day.in_(days)
            )
        )
    ).all()
    return await release(tx, rows, None, "closure")


async def reopen_site(tx: Tx, site: str, days: Sequence[date]) -> list[date]:
    """Remove closures; returns the days that were closed."""
    cal = await tx.site(site)
    rows = await tx.conn.execute(
        delete(site_closures)
        .where(site_closures.c.site_id == cal.site_id, site_closures.c.day.in_(sorted(set(days))))
        .returning(site_closures.c.day)
    )
    return sorted(rows.scalars())


async def bookings_at(tx: Tx, site: str, days: Sequence[date]) -> list[Booking]:
    """The active bookings at the site on `days` from today on: those `close_site` would
    cancel, so that the chat side can say how many before asking."""
    cal = await tx.site(site)
    today = tx.today(cal.tz)
    days = sorted({day for day in days if day >= today})
    if not days:
        return []
    rows = await tx.conn.execute(
        booking_select().where(
            reservations.c.site_id == cal.site_id, active(), reservations.c.day.in_(days)
        )
    )
    return sorted((to_booking(row) for row in rows), key=booking_order)
