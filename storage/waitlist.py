"""The waitlist and the release of no-shows (issue 12, sections 1 and 2).

- The line: an agent waits for a desk at a site on a day and half-day (`waitlist_entries`,
  first come first served by id). Joining is refused on a day that cannot be booked (past,
  weekend, holiday, closed, beyond the horizon), after the slot's deadline, or when the agent
  already holds a desk then; when a desk is free now there is nothing to wait for.
- Serving (`serve`, called by `storage.freed.desk_freed` inside the transaction that freed a
  desk): the first waiters in line whose slot has a free desk and who hold no overlapping
  booking (nor a status) get it booked (`from_waitlist`), leave the line and are told by DM
  (an outbox envelope in the same transaction). On PostgreSQL the (site, day) advisory lock of
  `booking.take_locks` is taken first, so frees, bookings and serves of one site-day queue: the
  head of the line is never skipped and a desk is never given twice (the partial unique indexes
  also forbid it), and a waiter is never booked twice (their unique indexes).
- The release sweep (`sweep`): at a site's check-in deadline, its active bookings of that day
  and deadline made before it and not checked in become `released` (`cancel_reason = 'noshow'`),
  each agent is told by DM, the freed desks go to the line, and the line of that deadline lapses.
  One transaction per site, day and half; the `release_sweeps` row claims it, so it runs exactly
  once across restarts and processes, and a sweep missed while the bot was down runs at the next
  start (the job looks for today's passed deadlines without a row).
- Entries lapse at their slot's check-in deadline, or at the slot's start where the site has no
  check-in (`lapse`).

Messages are composed by `tx.notices` (a `Notices` the chat side installs, `PlainNotices` until
then): storage knows nothing of chat.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, exists, func, insert, or_, select, update

from storage import booking as booking_ops
from storage.calendar import SiteCalendar
from storage.domain import UserId
from storage.models import (
    members,
    presence_statuses,
    release_sweeps,
    reservations,
    site_closures,
    sites,
    waitlist_entries,
)
from storage.outbox import Envelope, enqueue
from storage.queries import Tx, active, booking_select, member_bookings, one_of, to_booking, upsert
from storage.sites import check_in_rule
from storage.types import Booking, CheckInRule, Slot

if TYPE_CHECKING:
    from storage.core import Storage

log = logging.getLogger(__name__)

DEFAULT_STARTS = (time(9, 0), time(13, 30))  # the default hours "09:00-12:30,13:30-18:00"
SERVE_ROUNDS = 5  # bounded: each round serves at least one waiter or stops


class Notices(Protocol):
    """Composes the DMs of the waitlist and the release sweep (the chat side implements it)."""

    def served(self, booking: Booking, locale: str | None) -> Envelope:
        """To a waiter who was just given `booking`."""
        ...

    def released(self, booking: Booking, locale: str | None, deadline: time) -> Envelope:
        """To an agent whose `booking` was released for lack of a check-in by `deadline`."""
        ...


class PlainNotices:
    """Notices without the chat side's wording (storage tests, scripts)."""

    def served(self, booking: Booking, locale: str | None) -> Envelope:
        text = f"waitlist: {booking.site} {booking.day} {booking.slot} {booking.desk}"
        return Envelope("waitlist", text, text, to=booking.member)

    def released(self, booking: Booking, locale: str | None, deadline: time) -> Envelope:
        text = f"released: {booking.site} {booking.day} {booking.slot} {booking.desk}"
        return Envelope("noshow", text, text, to=booking.member)


class JoinOutcome(StrEnum):
    JOINED = "joined"
    ALREADY_WAITING = "already_waiting"  # same site and day: the slot was updated
    ALREADY_BOOKED = "already_booked"
    DESK_FREE = "desk_free"  # nothing to wait for: book it
    TOO_LATE = "too_late"  # the slot's deadline (or start) has passed
    PAST = "past"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    CLOSED = "closed"
    BEYOND_HORIZON = "beyond_horizon"


@dataclass(frozen=True)
class WaitEntry:
    """A place in a line: `position` 1 is next served."""

    site: str
    day: date
    slot: Slot
    position: int
    created_at: datetime


@dataclass(frozen=True)
class JoinResult:
    outcome: JoinOutcome
    entry: WaitEntry | None = None
    booking: Booking | None = None  # ALREADY_BOOKED: the booking held
    reason: str | None = None  # HOLIDAY: its name; CLOSED: the closure's reason
    free: int = 0  # DESK_FREE: how many


@dataclass(frozen=True)
class SweepResult:
    site: str
    day: date
    half: str
    released: tuple[Booking, ...]
    served: tuple[Booking, ...]
    lapsed: int


# -- hours ---------------------------------------------------------------------------------


def slot_starts(hours: str | None) -> tuple[time, time]:
    """(morning start, afternoon start) from a site's hours "09:00-12:30,13:30-18:00"."""
    if not hours:
        return DEFAULT_STARTS
    try:
        am, pm = (span.split("-")[0].strip() for span in hours.split(","))
        return time.fromisoformat(am), time.fromisoformat(pm)
    except ValueError:
        return DEFAULT_STARTS


def lapse_time(slot: Slot, rule: CheckInRule | None, hours: str | None) -> time:
    """When a wait for `slot` ends: its check-in deadline, else the slot's start."""
    deadline = rule.deadline(slot) if rule is not None else None
    if deadline is not None:
        return deadline
    am, pm = slot_starts(hours)
    return pm if slot is Slot.PM else am


def _covers(slot: Slot) -> Any:
    e = waitlist_entries.c
    if slot is Slot.AM:
        return e.covers_am
    if slot is Slot.PM:
        return e.covers_pm
    return or_(e.covers_am, e.covers_pm)


async def _site_row(tx: Tx, site_id: int) -> Any:
    return (
        await tx.conn.execute(
            select(
                sites.c.id,
                sites.c.name,
                sites.c.timezone,
                sites.c.hours,
                sites.c.check_in_morning,
                sites.c.check_in_afternoon,
                sites.c.check_in_remind,
            ).where(sites.c.id == site_id)
        )
    ).one()


async def _locales(tx: Tx, people: Sequence[UserId]) -> dict[UserId, str | None]:
    if not people:
        return {}
    rows = await tx.conn.execute(
        select(members.c.matrix_id, members.c.locale).where(
            one_of(tx, members.c.matrix_id, sorted(set(people)))
        )
    )
    return {matrix_id: locale for matrix_id, locale in rows.all()}


# -- the line ------------------------------------------------------------------------------


async def join(tx: Tx, member: UserId, site: str, day: date, slot: Slot) -> JoinResult:
    """Put `member` in the line of `site`, `day`, `slot` (see the module's docstring)."""
    cal = await tx.site(site)
    member_id, _ = await booking_ops.lock_member(tx, member)
    blocked = cal.block(day, tx.today(cal.tz), tx.horizon_days)
    if blocked is not None:
        return JoinResult(JoinOutcome(blocked[0].value), reason=blocked[1])
    row = await _site_row(tx, cal.site_id)
    lapses = datetime.combine(day, lapse_time(slot, check_in_rule(row), row.hours), cal.tz)
    if tx.now >= lapses:
        return JoinResult(JoinOutcome.TOO_LATE)
    closure = (
        await tx.conn.execute(
            select(site_closures.c.reason).where(
                site_closures.c.site_id == cal.site_id, site_closures.c.day == day
            )
        )
    ).first()
    if closure is not None:
        return JoinResult(JoinOutcome.CLOSED, reason=closure.reason)
    held = await member_bookings(tx, member_id, [day], slot)
    if held:
        return JoinResult(JoinOutcome.ALREADY_BOOKED, booking=to_booking(held[0]))
    free = await booking_ops.free_desks(tx, cal.site_id, day, slot)
    if free:
        return JoinResult(JoinOutcome.DESK_FREE, free=len(free))
    e = waitlist_entries.c
    existing = await tx.conn.scalar(
        select(e.id).where(e.member_id == member_id, e.site_id == cal.site_id, e.day == day)
    )
    values = {"slot": slot.value, "covers_am": slot.covers_am, "covers_pm": slot.covers_pm}
    if existing is not None:
        await tx.conn.execute(update(waitlist_entries).where(e.id == existing).values(**values))
        outcome = JoinOutcome.ALREADY_WAITING
    else:
        await tx.conn.execute(
            insert(waitlist_entries).values(
                member_id=member_id, site_id=cal.site_id, day=day, created_at=tx.now, **values
            )
        )
        outcome = JoinOutcome.JOINED
    entries = await _entries(tx, member_id, day, day, cal.site_id)
    return JoinResult(outcome, entry=entries[0] if entries else None)


async def _entries(
    tx: Tx, member_id: int, start: date, end: date, site_id: int | None = None
) -> list[WaitEntry]:
    e = waitlist_entries.c
    ahead = waitlist_entries.alias("ahead")
    a = ahead.c
    overlapping = or_(and_(a.covers_am, e.covers_am), and_(a.covers_pm, e.covers_pm))
    position = (
        select(func.count())
        .select_from(ahead)
        .where(a.site_id == e.site_id, a.day == e.day, a.id <= e.id, overlapping)
        .scalar_subquery()
    )
    query = (
        select(sites.c.name, e.day, e.slot, e.created_at, position.label("position"))
        .join(sites, sites.c.id == e.site_id)
        .where(e.member_id == member_id, e.day.between(start, end))
        .order_by(e.day, e.id)
    )
    if site_id is not None:
        query = query.where(e.site_id == site_id)
    rows = (await tx.conn.execute(query)).all()
    return [
        WaitEntry(row.name, row.day, Slot(row.slot), int(row.position), row.created_at)
        for row in rows
    ]


async def entries_of(tx: Tx, member: UserId) -> list[WaitEntry]:
    """The member's places in line, today (default time zone) and later, by day."""
    member_id = await tx.member_id(member)
    today = tx.today()
    return await _entries(tx, member_id, today, date.max)


async def leave(
    tx: Tx, member: UserId, site: str | None, days: Sequence[date] | None
) -> list[WaitEntry]:
    """Leave the line (of `site` and/or `days` when given, else every line); returns the
    entries left."""
    member_id = await tx.member_id(member)
    today = tx.today()
    mine = await _entries(tx, member_id, today, date.max)
    site_name = (await tx.site(site)).name if site else None
    gone = [
        entry
        for entry in mine
        if (site_name is None or entry.site == site_name) and (not days or entry.day in days)
    ]
    e = waitlist_entries.c
    for entry in gone:
        cal = await tx.site(entry.site)
        await tx.conn.execute(
            delete(waitlist_entries).where(
                e.member_id == member_id, e.site_id == cal.site_id, e.day == entry.day
            )
        )
    return gone


# -- serving -------------------------------------------------------------------------------


async def serve(
    tx: Tx, site_id: int, day: date, covers_am: bool, covers_pm: bool, sweeping: bool = False
) -> list[Booking]:
    """Give the free desks of `site_id` on `day` to the line, first come first served, for the
    waiters whose slot shares a half with the freed one; returns the bookings made. The line of
    a slot whose deadline has passed is served only by its own sweep (`sweeping`)."""
    e = waitlist_entries.c
    freed = [h for h, covered in ((Slot.AM, covers_am), (Slot.PM, covers_pm)) if covered]
    if not freed:
        return []
    await booking_ops.take_locks(tx, site_id, [day], None)
    has_status = exists().where(
        presence_statuses.c.member_id == e.member_id,
        presence_statuses.c.day == e.day,
        or_(
            and_(e.covers_am, presence_statuses.c.half == "am"),
            and_(e.covers_pm, presence_statuses.c.half == "pm"),
        ),
    )
    r = reservations.c
    holds_one = exists().where(
        r.member_id == e.member_id,
        r.day == e.day,
        r.status == "active",
        or_(and_(e.covers_am, r.covers_am), and_(e.covers_pm, r.covers_pm)),
    )
    rows = (
        await tx.conn.execute(
            select(e.id, e.slot, e.member_id, members.c.matrix_id, members.c.locale)
            .join(members, members.c.id == e.member_id)
            .where(
                e.site_id == site_id,
                e.day == day,
                or_(*(_covers(half) for half in freed)),
                ~has_status,
                ~holds_one,
            )
            .order_by(e.id)
        )
    ).all()
    if not rows:
        return []
    row = await _site_row(tx, site_id)
    cal = await tx.site(row.name)
    if (
        not sweeping
        and tx.now >= _lapse_instant(cal, row, day, Slot.AM)
        and tx.now >= _lapse_instant(cal, row, day, Slot.PM)
    ):
        return []  # the whole line has lapsed
    line = [
        entry
        for entry in rows
        if sweeping or tx.now < _lapse_instant(cal, row, day, Slot(entry.slot))
    ]
    served: list[tuple[int, Booking, str | None]] = []
    # Rounds: free desks are read once, given in line order, inserted together. A waiter whose
    # insert lost (they booked elsewhere meanwhile) leaves the round; the next round gives
    # their desk to the next in line. Under the site-day lock nobody else books here.
    for _ in range(SERVE_ROUNDS):
        given = await _assign(tx, site_id, day, line)
        if not given:
            break
        made = await _insert_bookings(tx, cal, site_id, day, given)
        served += [(entry.id, b, entry.locale) for entry, b in made]
        done = {entry.id for entry, _ in given}
        line = [entry for entry in line if entry.id not in done]
        if len(made) == len(given):
            break
    if not served:
        return []
    await tx.conn.execute(
        delete(waitlist_entries).where(one_of(tx, e.id, [entry_id for entry_id, _, _ in served]))
    )
    notices: Notices = tx.notices or PlainNotices()
    await enqueue(tx, [notices.served(b, locale) for _, b, locale in served])
    log.info("waitlist: %d served at %s on %s", len(served), cal.name, day)
    return [b for _, b, _ in served]


async def _assign(tx: Tx, site_id: int, day: date, line: Sequence[Any]) -> list[tuple[Any, int]]:
    """(entry, desk id) for the waiters of `line`, in order, while free desks fit their slot
    (desks in natural order; a whole day needs a desk free on both halves)."""
    if not line:
        return []
    params = {"site_id": site_id, "day": day}
    left: dict[Slot, dict[int, None]] = {}
    for half in (Slot.AM, Slot.PM):
        found = await tx.conn.execute(booking_ops.free_desks_query(half), params)
        left[half] = dict.fromkeys(row.id for row in found)
    given: list[tuple[Any, int]] = []
    for entry in line:
        slot = Slot(entry.slot)
        if slot is Slot.DAY:
            desk = next((d for d in left[Slot.AM] if d in left[Slot.PM]), None)
        else:
            desk = next(iter(left[slot]), None)
        if desk is None:
            continue
        for half in (Slot.AM, Slot.PM):
            if half is slot or slot is Slot.DAY:
                del left[half][desk]
        given.append((entry, desk))
        if not left[Slot.AM] and not left[Slot.PM]:
            break
    return given


async def _insert_bookings(
    tx: Tx, cal: SiteCalendar, site_id: int, day: date, given: Sequence[tuple[Any, int]]
) -> list[tuple[Any, Booking]]:
    """Insert the bookings of `given` in one statement (a lost race is left out)."""
    r = reservations.c
    values = [
        {
            "member_id": entry.member_id,
            "site_id": site_id,
            "desk_id": desk,
            "day": day,
            "slot": entry.slot,
            "covers_am": Slot(entry.slot).covers_am,
            "covers_pm": Slot(entry.slot).covers_pm,
            "status": "active",
            "created_at": tx.now,
            "from_waitlist": True,
        }
        for entry, desk in given
    ]
    inserted = {
        row.member_id: row.id
        for row in await tx.conn.execute(
            upsert(tx)(reservations)
            .values(values)
            .on_conflict_do_nothing()
            .returning(r.id, r.member_id)
        )
    }
    if not inserted:
        return []
    rows = {
        found.id: to_booking(found)
        for found in await tx.conn.execute(
            booking_select().where(one_of(tx, r.id, list(inserted.values())))
        )
    }
    return [
        (entry, rows[inserted[entry.member_id]])
        for entry, _ in given
        if entry.member_id in inserted
    ]


def _lapse_instant(cal: SiteCalendar, row: Any, day: date, slot: Slot) -> datetime:
    return datetime.combine(day, lapse_time(slot, check_in_rule(row), row.hours), cal.tz)


# -- the release sweep ---------------------------------------------------------------------


async def due_sweeps(tx: Tx) -> list[tuple[int, date, str]]:
    """(site id, day, half) of today's check-in deadlines that have passed without a sweep."""
    rows = (
        await tx.conn.execute(
            select(
                sites.c.id,
                sites.c.name,
                sites.c.timezone,
                sites.c.check_in_morning,
                sites.c.check_in_afternoon,
                sites.c.check_in_remind,
            ).where(
                or_(sites.c.check_in_morning.is_not(None), sites.c.check_in_afternoon.is_not(None))
            )
        )
    ).all()
    due: list[tuple[int, date, str]] = []
    for row in rows:
        rule = check_in_rule(row)
        assert rule is not None
        tz = ZoneInfo(row.timezone)
        today = tx.today(tz)
        for half, deadline in (("am", rule.morning), ("pm", rule.afternoon)):
            if deadline is not None and tx.now >= datetime.combine(today, deadline, tz):
                due.append((row.id, today, half))
    if not due:
        return []
    done = {
        (r.site_id, r.day, r.half)
        for r in await tx.conn.execute(
            select(release_sweeps.c.site_id, release_sweeps.c.day, release_sweeps.c.half).where(
                release_sweeps.c.day.in_(sorted({d for _, d, _ in due}))
            )
        )
    }
    return [key for key in due if key not in done]


async def sweep(tx: Tx, site_id: int, day: date, half: str) -> SweepResult | None:
    """Release the no-shows of `site_id`'s `half` deadline on `day` (see the module's
    docstring); None when this sweep already ran (or the site has no such deadline)."""
    row = await _site_row(tx, site_id)
    rule = check_in_rule(row)
    deadline = None if rule is None else (rule.morning if half == "am" else rule.afternoon)
    if deadline is None:
        return None
    claimed = await tx.conn.execute(
        upsert(tx)(release_sweeps)
        .values(site_id=site_id, day=day, half=half, swept_at=tx.now, released=0, served=0)
        .on_conflict_do_nothing(index_elements=["site_id", "day", "half"])
        .returning(release_sweeps.c.site_id)
    )
    if claimed.first() is None:
        return None  # another process (or an earlier run) did it
    cal = await tx.site(row.name)
    await booking_ops.take_locks(tx, site_id, [day], None)
    r = reservations.c
    of_deadline = r.covers_am if half == "am" else r.slot == Slot.PM.value
    instant = datetime.combine(day, deadline, cal.tz)
    released_ids = list(
        (
            await tx.conn.execute(
                update(reservations)
                .where(
                    r.site_id == site_id,
                    r.day == day,
                    active(),
                    r.checked_in_at.is_(None),
                    r.created_at < instant,
                    of_deadline,
                )
                .values(status="released", cancelled_at=tx.now, cancel_reason="noshow")
                .returning(r.id)
            )
        ).scalars()
    )
    released: list[Booking] = []
    if released_ids:
        rows = await tx.conn.execute(
            booking_select()
            .add_columns(members.c.locale)
            .where(one_of(tx, r.id, released_ids))
            .order_by(r.id)
        )
        notices: Notices = tx.notices or PlainNotices()
        envelopes: list[Envelope] = []
        for found in rows:
            released.append(to_booking(found))
            envelopes.append(notices.released(released[-1], found.locale, deadline))
        await enqueue(tx, envelopes)
    served = (
        await serve(
            tx,
            site_id,
            day,
            any(b.slot.covers_am for b in released),
            any(b.slot.covers_pm for b in released),
            sweeping=True,
        )
        if released
        else []
    )
    e = waitlist_entries.c
    lapsing = (
        or_(e.covers_am, e.slot == Slot.DAY.value) if half == "am" else e.slot == Slot.PM.value
    )
    lapsed = await tx.conn.execute(
        delete(waitlist_entries).where(e.site_id == site_id, e.day == day, lapsing)
    )
    await tx.conn.execute(
        update(release_sweeps)
        .where(
            release_sweeps.c.site_id == site_id,
            release_sweeps.c.day == day,
            release_sweeps.c.half == half,
        )
        .values(released=len(released), served=len(served))
    )
    if released or served:
        log.info(
            "release sweep %s %s %s: %d released, %d served",
            cal.name,
            day,
            half,
            len(released),
            len(served),
        )
    return SweepResult(
        cal.name, day, half, tuple(released), tuple(served), int(lapsed.rowcount or 0)
    )


async def lapse(tx: Tx) -> int:
    """Remove the entries whose slot's deadline (or start) has passed; returns how many."""
    e = waitlist_entries.c
    rows = (
        await tx.conn.execute(
            select(
                e.id,
                e.day,
                e.slot,
                sites.c.name,
                sites.c.timezone,
                sites.c.hours,
                sites.c.check_in_morning,
                sites.c.check_in_afternoon,
                sites.c.check_in_remind,
            )
            .join(sites, sites.c.id == e.site_id)
            .where(e.day <= tx.today() + timedelta(days=1))  # time zones east of ours
        )
    ).all()
    gone = [
        row.id
        for row in rows
        if tx.now
        >= datetime.combine(
            row.day,
            lapse_time(Slot(row.slot), check_in_rule(row), row.hours),
            ZoneInfo(row.timezone),
        )
    ]
    if gone:
        await tx.conn.execute(delete(waitlist_entries).where(one_of(tx, e.id, gone)))
    return len(gone)


class WaitlistStore:
    """The waitlist's and the sweep's named transactions over a `Storage` (`storage.waitlist`)."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    async def join(self, member: UserId, site: str, day: date, slot: Slot) -> JoinResult:
        """Wait for a desk at `site` on `day`, `slot` (see `join`)."""
        return await self._storage._write(join, member, site, day, Slot(slot))

    async def entries(self, member: UserId) -> list[WaitEntry]:
        """The member's places in line, with their positions."""
        return await self._storage._read(entries_of, member)

    async def leave(
        self, member: UserId, site: str | None = None, days: Sequence[date] | None = None
    ) -> list[WaitEntry]:
        """Leave lines (all when no site and no days)."""
        return await self._storage._write(leave, member, site, list(days) if days else None)

    async def due_sweeps(self) -> list[tuple[int, date, str]]:
        return await self._storage._read(due_sweeps)

    async def sweep(self, site_id: int, day: date, half: str) -> SweepResult | None:
        """One site's release sweep for one deadline, in one transaction."""
        return await self._storage._write(sweep, site_id, day, half)

    async def sweep_due(self) -> list[SweepResult]:
        """Run every sweep due now (catching up the ones missed today)."""
        done: list[SweepResult] = []
        for site_id, day, half in await self.due_sweeps():
            result = await self.sweep(site_id, day, half)
            if result is not None:
                done.append(result)
        return done

    async def lapse(self) -> int:
        """Drop the entries whose time has passed."""
        return await self._storage._write(lapse)


__all__ = [
    "JoinOutcome",
    "JoinResult",
    "Notices",
    "PlainNotices",
    "SweepResult",
    "WaitEntry",
    "WaitlistStore",
]
