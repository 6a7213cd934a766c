"""Occupancy statistics of a site (or every site) over a period, computed in SQL on both engines.

Definitions (issue 13), all about desks and half-days, never about one named person:
- available desk-half-days of a day: the site's active desks bookable that day × 2, on the days
  the site is open (open weekday, not a public holiday of its département, not closed), else 0;
- booked desk-half-days: half-days held by active bookings (a released no-show frees its desk,
  so it is counted as `released`, not as booked); occupancy = booked ÷ available, in [0, 1];
- check-ins: active bookings with `checked_in_at`; no-shows: bookings released for lack of a
  check-in (`cancel_reason = 'noshow'`); the no-show rate is released ÷ (active + released)
  bookings of the days up to today (what could have been checked in or released);
- cancellations by agents: bookings cancelled by their agent (`member`) or replaced by a status
  (`status`); closures are the site's doing and not counted;
- "full" answers: the rows `record_full_answers` keeps when reserve answers full; waiters served:
  bookings given from the waitlist (0 until issue 12's waitlist sets `from_waitlist`);
- distinct agents who came: members with an active booking on a day up to today; the *taux de
  foisonnement* is active desks ÷ that number. Both are hidden under `PRIVACY_THRESHOLD` agents
  by the renderers (`distinct_agents_label`).

Only bookings within the retention period are read: a period is clamped to start at most
`retention_days` before today. The calendar (weekdays, holidays) comes from `SiteCalendar`; every
count over bookings, closures, desks and answers is one grouped SQL query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, func, insert, select

from storage.calendar import SiteCalendar
from storage.errors import StorageError
from storage.models import desks, full_answers, reservations, site_closures, sites
from storage.queries import Tx
from storage.types import DayOutcome, Outcome

MAX_PERIOD_DAYS = 731  # "more than two years" is refused
PRIVACY_THRESHOLD = 5  # fewer distinct agents than this are shown as "< 5"
AGENT_CANCEL_REASONS = ("member", "status")
NOSHOW = "noshow"


class BadPeriod(StorageError):
    """A period the statistics refuse: `code` is "ends_before_start" or "too_long"."""

    def __init__(self, code: str, start: date, end: date) -> None:
        super().__init__(f"{code}: {start} to {end}")
        self.code = code
        self.start = start
        self.end = end


@dataclass(frozen=True)
class DayFigures:
    """One site on one day (a row of the CSV)."""

    day: date
    site: str
    desks: int
    booked_half_days: int
    available_half_days: int
    checked_in: int = 0
    released: int = 0
    full_answers: int = 0
    waiters_served: int = 0
    cancelled_by_agents: int = 0
    closed: str | None = None  # why nothing was available: "holiday", "closure", "weekday"

    @property
    def occupancy(self) -> float | None:
        """Booked ÷ available (None on a day with nothing available)."""
        if self.available_half_days <= 0:
            return None
        return min(1.0, self.booked_half_days / self.available_half_days)


@dataclass(frozen=True)
class PeriodFigures:
    """The figures of one period for one site or all (`site` None)."""

    site: str | None
    start: date
    end: date
    days: tuple[DayFigures, ...]
    desks: int
    distinct_agents: int
    due_bookings: int  # active + released bookings up to today: the no-show rate's base
    clamped_from: date | None = None  # the requested start, when retention moved it
    by_day: tuple[tuple[date, int, int], ...] = field(default=())  # (day, booked, available)

    @property
    def booked(self) -> int:
        return sum(d.booked_half_days for d in self.days)

    @property
    def available(self) -> int:
        return sum(d.available_half_days for d in self.days)

    @property
    def occupancy(self) -> float | None:
        return min(1.0, self.booked / self.available) if self.available else None

    @property
    def checked_in(self) -> int:
        return sum(d.checked_in for d in self.days)

    @property
    def released(self) -> int:
        return sum(d.released for d in self.days)

    @property
    def no_show_rate(self) -> float | None:
        return self.released / self.due_bookings if self.due_bookings else None

    @property
    def full_answers(self) -> int:
        return sum(d.full_answers for d in self.days)

    @property
    def waiters_served(self) -> int:
        return sum(d.waiters_served for d in self.days)

    @property
    def cancelled_by_agents(self) -> int:
        return sum(d.cancelled_by_agents for d in self.days)

    def daily(self) -> list[tuple[date, int, int, float | None]]:
        """Per day over the sites: (day, booked, available, occupancy), days with capacity."""
        out: list[tuple[date, int, int, float | None]] = []
        for day, booked, available in self.by_day:
            if available > 0:
                out.append((day, booked, available, min(1.0, booked / available)))
        return out

    @property
    def peak(self) -> tuple[date, float] | None:
        """The first day with the highest occupancy, and that occupancy."""
        best: tuple[date, float] | None = None
        for day, _, _, occupancy in self.daily():
            if occupancy is not None and (best is None or occupancy > best[1]):
                best = (day, occupancy)
        return best

    @property
    def full_days(self) -> int:
        """Days at 100 % (every available desk-half-day booked)."""
        return sum(1 for _, booked, available, _ in self.daily() if booked >= available)

    def by_weekday(self) -> dict[int, float]:
        """Occupancy per weekday (0 = Monday), over the days that had capacity."""
        booked: dict[int, int] = defaultdict(int)
        available: dict[int, int] = defaultdict(int)
        for day, b, a, _ in self.daily():
            booked[day.weekday()] += b
            available[day.weekday()] += a
        return {w: min(1.0, booked[w] / available[w]) for w in sorted(available)}

    @property
    def agents_shown(self) -> int | None:
        """The distinct agents count, or None when under the privacy threshold."""
        return self.distinct_agents if self.distinct_agents >= PRIVACY_THRESHOLD else None

    @property
    def foisonnement(self) -> float | None:
        """Active desks ÷ distinct agents who came (None under the privacy threshold)."""
        shown = self.agents_shown
        return self.desks / shown if shown else None


@dataclass(frozen=True)
class Comparison:
    """A period's figures and those of the previous period of equal length."""

    current: PeriodFigures
    previous: PeriodFigures

    @property
    def trend(self) -> float | None:
        """Occupancy change in points (0.05 = +5 points), None when either is unknown."""
        a, b = self.current.occupancy, self.previous.occupancy
        return None if a is None or b is None else a - b


@dataclass(frozen=True)
class SiteToday:
    """Today's gauges of one site (`/metrics`)."""

    site: str
    desks: int
    booked: int
    checked_in: int
    released: int


def distinct_agents_label(count: int) -> str:
    """ "< 5" under the privacy threshold, else the number."""
    return f"< {PRIVACY_THRESHOLD}" if count < PRIVACY_THRESHOLD else str(count)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of equal length just before [start, end]."""
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def check_period(start: date, end: date) -> None:
    """`BadPeriod` for a period ending before it starts or longer than two years."""
    if end < start:
        raise BadPeriod("ends_before_start", start, end)
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise BadPeriod("too_long", start, end)


async def compare(
    tx: Tx, site: str | None, start: date, end: date, retention_days: int
) -> Comparison:
    """The period's figures and the previous period's, read in one pass over both."""
    check_period(start, end)
    cals = await _calendars(tx, site)
    prev_start, prev_end = previous_period(start, end)
    floor = tx.today() - timedelta(days=retention_days)
    raw = await _Raw.load(tx, cals, max(prev_start, floor), end)
    name = cals[0].name if site is not None else None
    return Comparison(
        current=await raw.figures(tx, name, start, end, floor),
        previous=await raw.figures(tx, name, prev_start, prev_end, floor),
    )


async def period(
    tx: Tx, site: str | None, start: date, end: date, retention_days: int
) -> PeriodFigures:
    """The figures of [start, end] (no comparison)."""
    check_period(start, end)
    cals = await _calendars(tx, site)
    floor = tx.today() - timedelta(days=retention_days)
    raw = await _Raw.load(tx, cals, max(start, floor), end)
    return await raw.figures(tx, cals[0].name if site is not None else None, start, end, floor)


async def today_by_site(tx: Tx) -> list[SiteToday]:
    """Per site, today: active desks, booked half-days, check-ins, released bookings."""
    cals = await _calendars(tx, None)
    out: list[SiteToday] = []
    if not cals:
        return out
    days = {cal.site_id: tx.today(cal.tz) for cal in cals}
    raw = await _Raw.load(tx, cals, min(days.values()), max(days.values()))
    for cal in cals:
        day = raw.day(cal, days[cal.site_id])
        out.append(
            SiteToday(cal.name, day.desks, day.booked_half_days, day.checked_in, day.released)
        )
    return out


async def record_full_answers(tx: Tx, site_id: int, outcomes: Sequence[DayOutcome]) -> None:
    """Keep one row per "full" answer (demand turned away), in the reserve transaction."""
    rows = [
        {"site_id": site_id, "day": o.day, "slot": str(o.slot), "answered_at": tx.now}
        for o in outcomes
        if o.outcome is Outcome.FULL
    ]
    if rows:
        await tx.conn.execute(insert(full_answers), rows)


async def _calendars(tx: Tx, site: str | None) -> list[SiteCalendar]:
    if site is not None:
        return [await tx.site(site)]
    names = (await tx.conn.execute(select(sites.c.name).order_by(sites.c.name))).scalars()
    return [await tx.site(name) for name in names]


class _Raw:
    """The grouped counts of a set of sites over a range of days, from four queries."""

    def __init__(self, cals: Sequence[SiteCalendar], start: date, end: date) -> None:
        self.cals = list(cals)
        self.start, self.end = start, end
        self.bookings: dict[tuple[int, date], Any] = {}
        self.closures: set[tuple[int, date]] = set()
        self.desks: dict[int, list[tuple[date | None, int]]] = defaultdict(list)
        self.full: dict[tuple[int, date], int] = {}

    @classmethod
    async def load(cls, tx: Tx, cals: Sequence[SiteCalendar], start: date, end: date) -> _Raw:
        raw = cls(cals, start, end)
        if not cals or end < start:
            return raw
        ids = [cal.site_id for cal in cals]
        r = reservations.c
        active = r.status == "active"
        halves = case((r.covers_am, 1), else_=0) + case((r.covers_pm, 1), else_=0)
        in_range = and_(r.site_id.in_(ids), r.day.between(start, end))
        rows = await tx.conn.execute(
            select(
                r.site_id,
                r.day,
                func.sum(case((active, halves), else_=0)).label("booked"),
                func.sum(case((and_(active, r.checked_in_at.is_not(None)), 1), else_=0)).label(
                    "checked_in"
                ),
                func.sum(case((r.cancel_reason == NOSHOW, 1), else_=0)).label("released"),
                func.sum(case((r.cancel_reason.in_(AGENT_CANCEL_REASONS), 1), else_=0)).label(
                    "cancelled"
                ),
                func.sum(case((and_(active, r.from_waitlist), 1), else_=0)).label("waiters"),
                func.sum(case((active, 1), else_=0)).label("active_count"),
            )
            .where(in_range)
            .group_by(r.site_id, r.day)
        )
        raw.bookings = {(row.site_id, row.day): row for row in rows}
        closed = await tx.conn.execute(
            select(site_closures.c.site_id, site_closures.c.day).where(
                site_closures.c.site_id.in_(ids), site_closures.c.day.between(start, end)
            )
        )
        raw.closures = {(row.site_id, row.day) for row in closed}
        desk_rows = await tx.conn.execute(
            select(desks.c.site_id, desks.c.bookable_from, func.count())
            .where(desks.c.site_id.in_(ids), desks.c.active)
            .group_by(desks.c.site_id, desks.c.bookable_from)
        )
        for site_id, bookable_from, count in desk_rows:
            raw.desks[site_id].append((bookable_from, int(count)))
        answers = await tx.conn.execute(
            select(full_answers.c.site_id, full_answers.c.day, func.count())
            .where(full_answers.c.site_id.in_(ids), full_answers.c.day.between(start, end))
            .group_by(full_answers.c.site_id, full_answers.c.day)
        )
        raw.full = {(site_id, day): int(n) for site_id, day, n in answers}
        return raw

    def desk_count(self, cal: SiteCalendar, day: date) -> int:
        return sum(
            n for since, n in self.desks.get(cal.site_id, ()) if since is None or since <= day
        )

    def day(self, cal: SiteCalendar, day: date) -> DayFigures:
        desk_count = self.desk_count(cal, day)
        closed: str | None = None
        if day.weekday() not in cal.open_weekdays:
            closed = "weekday"
        elif cal.holiday(day):
            closed = "holiday"
        elif (cal.site_id, day) in self.closures:
            closed = "closure"
        row = self.bookings.get((cal.site_id, day))
        return DayFigures(
            day=day,
            site=cal.name,
            desks=desk_count,
            booked_half_days=int(row.booked) if row else 0,
            available_half_days=0 if closed else 2 * desk_count,
            checked_in=int(row.checked_in) if row else 0,
            released=int(row.released) if row else 0,
            full_answers=self.full.get((cal.site_id, day), 0),
            waiters_served=int(row.waiters) if row else 0,
            cancelled_by_agents=int(row.cancelled) if row else 0,
            closed=closed,
        )

    async def figures(
        self, tx: Tx, name: str | None, start: date, end: date, floor: date
    ) -> PeriodFigures:
        """The period [start, end] (clamped to the retention floor) out of the loaded range."""
        requested = start
        start = max(start, floor)
        today = tx.today()
        rows: list[DayFigures] = []
        by_day: dict[date, list[int]] = {}
        due = 0
        day = start
        while day <= end:
            totals = by_day.setdefault(day, [0, 0])
            for cal in self.cals:
                figures = self.day(cal, day)
                # Weekly closed days (weekends) are not rows; holidays and closures are.
                if figures.closed != "weekday" or figures.booked_half_days:
                    rows.append(figures)
                totals[0] += figures.booked_half_days
                totals[1] += figures.available_half_days
                row = self.bookings.get((cal.site_id, day))
                if row is not None and day <= today:
                    due += int(row.active_count) + int(row.released)
            day += timedelta(days=1)
        desk_total = sum(self.desk_count(cal, end) for cal in self.cals)
        agents = await _distinct_agents(tx, [c.site_id for c in self.cals], start, min(end, today))
        return PeriodFigures(
            site=name,
            start=start,
            end=end,
            days=tuple(rows),
            desks=desk_total,
            distinct_agents=agents,
            due_bookings=due,
            clamped_from=requested if requested < start else None,
            by_day=tuple((d, t[0], t[1]) for d, t in sorted(by_day.items())),
        )


async def _distinct_agents(tx: Tx, site_ids: Sequence[int], start: date, end: date) -> int:
    if not site_ids or end < start:
        return 0
    r = reservations.c
    found = await tx.conn.scalar(
        select(func.count(func.distinct(r.member_id))).where(
            r.site_id.in_(site_ids),
            r.day.between(start, end),
            r.status == "active",
        )
    )
    return int(found or 0)
