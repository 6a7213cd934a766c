"""Occupancy statistics and calendar feeds on PostgreSQL over a year of history.

Seeded with COPY: 20 sites of 600 desks, 40,000 agents (2,000 per site), and every working day of
2026 (public holidays excepted) a quarter of each site's agents book a desk there: about 10,000
bookings a day, 2.5 million in all, with half-days, 2 % cancelled by their agent, 2 % released
as no-shows and three in five of the others checked in; plus "full" answers on busy days.
Then, with "today" on 15 December 2026:
- `occupancy(site, 1 Nov, 30 Nov)`: one site's monthly figures with the previous period;
- `occupancy_png(figures)`: the chart of those figures (matplotlib Agg, PNG bytes);
- an agent's calendar feed: token lookup, bookings 30 days back to the horizon, ICS bytes.
Each step runs REPEAT times; the median is reported. Targets: figures <= 1 s, chart <= 1 s,
ICS <= 50 ms.

Runs in its own database (`<name>_stats_bench`) on the server of TEST_DATABASE_URL, dropped at
the end.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy.engine import make_url

from bench.common import Table, copy_sites, scratch_database
from bot.charts import occupancy_png
from bot.i18n import Translator
from bot.ics import feed, feed_window
from storage import SettableClock, Storage
from storage.calendar import french_holidays

T = TypeVar("T")

SITES = 20
DESKS_PER_SITE = 600
AGENTS = 40_000
PER_SITE = AGENTS // SITES
YEAR = 2026
NOW = datetime(2026, 12, 15, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
MONTH = (date(2026, 11, 1), date(2026, 11, 30))
REPEAT = 5
HORIZON_DAYS = 56


def run() -> list[Table]:
    """Run the benchmark against TEST_DATABASE_URL (make bench sets it)."""
    url = os.environ.get("TEST_DATABASE_URL")
    table = Table(
        "stats: a site's monthly figures, its chart, an agent's ICS (PostgreSQL)",
        ["step", "median s", "min s", "cpu s", "target s", "result"],
    )
    if not url:
        table.notes.append("skipped: TEST_DATABASE_URL is not set (make bench sets it)")
        return [table]
    return [asyncio.run(_run(url, table))]


async def _run(url: str, table: Table) -> Table:
    async with scratch_database(url, "stats_bench") as bench_url:
        async with Storage.open(
            bench_url, clock=SettableClock(NOW), migrate=True, horizon_days=HORIZON_DAYS
        ) as storage:
            seeded, bookings = await _seed(bench_url)
            await _measure(storage, table)
    table.notes += [
        f"{AGENTS:,} agents, {SITES} sites x {DESKS_PER_SITE} desks; {bookings:,} bookings "
        f"over the working days of {YEAR}, seeded with COPY in {seeded:.1f} s.",
        f"median and min of {REPEAT} runs; figures = occupancy('Site 01', {MONTH[0]}, "
        f"{MONTH[1]}) with the previous period of equal length.",
        "cpu s: this process's CPU time (median); the database's own work is not in it.",
        f"load average when done: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.",
    ]
    return table


async def _measure(storage: Storage, table: Table) -> None:
    comparison, seconds, cpu = await _timed(lambda: storage.occupancy("Site 01", *MONTH))
    current = comparison.current
    table.rows.append(
        (
            "figures",
            _median(seconds),
            min(seconds),
            cpu,
            1.0,
            f"occupancy {current.occupancy:.1%}, {current.booked:,} half-days",
        ),
    )
    tr = Translator("fr")
    png, seconds, cpu = await _timed(lambda: asyncio.to_thread(occupancy_png, current, tr))
    table.rows.append(
        ("chart", _median(seconds), min(seconds), cpu, 1.0, f"{len(png):,} bytes PNG")
    )
    token = await storage.calendar_token(_mxid(0))

    async def ics() -> bytes:
        start, end = feed_window(NOW.date(), HORIZON_DAYS)
        found = await storage.calendar_feed(token, start, end)
        assert found is not None
        return feed(found.bookings, tr, NOW)

    body, seconds, cpu = await _timed(ics)
    events = body.count(b"BEGIN:VEVENT")
    table.rows.append(("agent ICS", _median(seconds), min(seconds), cpu, 0.05, f"{events} events"))


async def _timed(step: Callable[[], Awaitable[T]]) -> tuple[T, list[float], float]:
    """The result, the wall-clock seconds of each run, and this process's median CPU seconds
    (the machine may be shared: CPU time says what the step itself costs here)."""
    result: Any = None
    seconds, cpu = [], []
    for _ in range(REPEAT):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = await step()
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return result, seconds, statistics.median(cpu)


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _mxid(i: int) -> str:
    return f"@agent{i:05d}:bench.example"


def _working_days() -> list[date]:
    holidays = french_holidays(None)
    day, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    days = []
    while day <= end:
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
        day += timedelta(days=1)
    return days


def _bookings(now: datetime) -> Iterator[tuple[object, ...]]:
    """Agent m belongs to site m % 20 + 1 with rank r = m // 20; on working day i the agents of
    rank r = -i (mod 4) book desk r // 4 of their site: 500 bookings per site and day."""
    today = NOW.date()
    for i, day in enumerate(_working_days()):
        past = day <= today
        stamp = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=8)
        for m in range(AGENTS):
            rank = m // SITES
            if (rank + i) % 4:
                continue
            site = m % SITES + 1
            desk = (site - 1) * DESKS_PER_SITE + rank // 4 + 1
            kind = (rank + i) % 10
            slot = "am" if kind == 4 else "pm" if kind == 8 else "day"
            fate = (rank * 3 + i) % 50
            status, cancelled_at, reason, checked = "active", None, None, None
            if fate == 0:
                status, cancelled_at, reason = "cancelled", stamp, "member"
            elif fate == 1 and past:
                status, cancelled_at, reason = "released", stamp, "noshow"
            elif past and (rank + 7 * i) % 5 < 3:
                checked = stamp
            yield (
                m + 1,
                site,
                desk,
                day,
                slot,
                slot != "pm",
                slot != "am",
                status,
                now,
                cancelled_at,
                reason,
                checked,
            )


async def _seed(url: str) -> tuple[float, int]:
    """Fill the tables with COPY through a plain asyncpg connection; (seconds, bookings)."""
    started = time.perf_counter()
    now = NOW.astimezone(UTC)
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await copy_sites(conn, SITES, now)
            await conn.copy_records_to_table(
                "desks",
                columns=["id", "site_id", "label", "sort_key", "active", "created_at"],
                records=[
                    ((s - 1) * DESKS_PER_SITE + d + 1, s, f"D-{d:03d}", f"d-{d:010d}", True, now)
                    for s in range(1, SITES + 1)
                    for d in range(DESKS_PER_SITE)
                ],
            )
            await conn.copy_records_to_table(
                "members",
                columns=["id", "matrix_id", "display_name", "role", "created_at", "updated_at"],
                records=[
                    (i + 1, _mxid(i), f"Agent {i}", "agent", now, now) for i in range(AGENTS)
                ],
            )
            rows = list(_bookings(now))
            # Bulk load: foreign-key triggers off and secondary indexes built once at the end.
            await conn.execute("SET LOCAL session_replication_role = replica")
            indexes = await conn.fetch(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'reservations'"
                " AND indexname <> 'pk_reservations'"
            )
            for index in indexes:
                await conn.execute(f'DROP INDEX "{index["indexname"]}"')
            await conn.copy_records_to_table(
                "reservations",
                columns=[
                    "member_id",
                    "site_id",
                    "desk_id",
                    "day",
                    "slot",
                    "covers_am",
                    "covers_pm",
                    "status",
                    "created_at",
                    "cancelled_at",
                    "cancel_reason",
                    "checked_in_at",
                ],
                records=rows,
            )
            await conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for index in indexes:
                await conn.execute(index["indexdef"])
            await conn.copy_records_to_table(
                "full_answers",
                columns=["site_id", "day", "slot", "answered_at"],
                records=[(1, day, "day", now) for day in _working_days()[::5] for _ in range(3)],
            )
            for table in ("sites", "desks", "members", "reservations", "full_answers"):
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return time.perf_counter() - started, len(rows)
