"""The check-in release sweep on PostgreSQL (issue 12): no-shows released, desks given to the
line, every DM written to the outbox.

Seeded with COPY: 20 sites of 100 desks (2,000 desks), every site with check-in by 10:00 (14:30
for an afternoon); 18,000 bookings: today (Tuesday 8 December 2026) each desk is booked for the
morning and for the afternoon by two agents (4,000 bookings, of which 3,000 not checked in: 1,500
mornings and 1,500 afternoons), and 14,000 whole-day bookings on the next 7 working days; 1,500
agents wait in line today (750 for a morning, 750 for an afternoon, spread over the sites).

The 10:00 sweep (`storage.waitlist.sweep_due()` with the clock at 10:00: one transaction per
site) releases the 1,500 morning no-shows, gives 750 desks to the morning line, writes 2,250
DMs; the 14:30 sweep does the same for the afternoons. Both together are the 3,000 releases and
1,500 waiters of the issue (also what a bot restarted at 14:30 catches up at once). Target: all
of it <= 5 s; afterwards, checked in SQL: no desk held twice, no agent booked twice.

Runs in its own database (`<name>_sweep_bench`) on the server of TEST_DATABASE_URL, dropped at
the end.
"""

from __future__ import annotations

import asyncio
import os
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench.common import Table, scratch_database
from bot.waitlist_notices import ChatNotices
from storage import SettableClock, Storage

PARIS = ZoneInfo("Europe/Paris")
SITES = 20
DESKS_PER_SITE = 100
DESKS = SITES * DESKS_PER_SITE
TODAY = date(2026, 12, 8)
LATER_DAYS = 7
WAITERS = 1_500
TARGET_S = 5.0

OVERLAPS = """
    SELECT
      (SELECT count(*) FROM reservations a JOIN reservations b
          ON a.desk_id = b.desk_id AND a.day = b.day AND a.id < b.id
         WHERE a.status = 'active' AND b.status = 'active'
           AND ((a.covers_am AND b.covers_am) OR (a.covers_pm AND b.covers_pm))),
      (SELECT count(*) FROM reservations a JOIN reservations b
          ON a.member_id = b.member_id AND a.day = b.day AND a.id < b.id
         WHERE a.status = 'active' AND b.status = 'active'
           AND ((a.covers_am AND b.covers_am) OR (a.covers_pm AND b.covers_pm)))
"""


def run() -> list[Table]:
    """Run the benchmark against TEST_DATABASE_URL (make bench sets it)."""
    url = os.environ.get("TEST_DATABASE_URL")
    table = Table(
        "sweep: check-in deadlines, no-shows released and desks given to the line (PostgreSQL)",
        ["deadline", "sites", "released", "served", "DMs", "seconds", "target s", "result"],
    )
    if not url:
        table.notes.append("skipped: TEST_DATABASE_URL is not set (make bench sets it)")
        return [table]
    return [asyncio.run(_run(url, table))]


async def _run(url: str, table: Table) -> Table:
    clock = SettableClock(datetime.combine(TODAY, datetime.min.time(), PARIS) + timedelta(hours=8))
    async with scratch_database(url, "sweep_bench") as bench_url:
        async with Storage.open(bench_url, clock=clock, migrate=True) as storage:
            storage.notices = ChatNotices()
            seeded, bookings = await _seed(bench_url)
            total = 0.0
            for deadline, at in (("10:00", (10, 0)), ("14:30", (14, 30))):
                clock.set(datetime.combine(TODAY, datetime.min.time(), PARIS).replace(
                    hour=at[0], minute=at[1]
                ))  # fmt: skip
                started = time.perf_counter()
                results = await storage.waitlist.sweep_due()
                seconds = time.perf_counter() - started
                total += seconds
                released = sum(len(r.released) for r in results)
                served = sum(len(r.served) for r in results)
                table.rows.append(
                    [deadline, len(results), released, served, released + served, seconds,
                     "", ""]
                )  # fmt: skip
            async with storage.engine.connect() as conn:
                desks_twice, agents_twice = (await conn.execute(text(OVERLAPS))).one()
                counts = (
                    await conn.execute(
                        text(
                            "SELECT (SELECT count(*) FROM reservations WHERE status = 'released'),"
                            " (SELECT count(*) FROM reservations WHERE status = 'active'"
                            "   AND from_waitlist),"
                            " (SELECT count(*) FROM outbox),"
                            " (SELECT count(*) FROM waitlist_entries)"
                        )
                    )
                ).one()
    released_sql, served_sql, outbox_rows, left = (int(c) for c in counts)
    ok = total <= TARGET_S and desks_twice == 0 and agents_twice == 0
    table.rows.append(
        ["both", SITES, released_sql, served_sql, outbox_rows, total, TARGET_S,
         "ok" if ok else "MISSED"]
    )  # fmt: skip
    table.notes += [
        f"{DESKS:,} desks ({SITES} sites x {DESKS_PER_SITE}), {bookings:,} bookings, "
        f"{WAITERS:,} waiters, seeded with COPY in {seeded:.1f} s.",
        f"checked in SQL afterwards: desks given twice = {desks_twice}, agents booked twice = "
        f"{agents_twice}; released {released_sql:,}, served from the line {served_sql:,}, "
        f"outbox rows {outbox_rows:,}, entries left in line {left}.",
        "one transaction per site and deadline, run one after the other (sweep_due).",
        f"load average when done: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.",
    ]
    return table


def _later_days() -> list[date]:
    days: list[date] = []
    day = TODAY
    while len(days) < LATER_DAYS:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


async def _seed(url: str) -> tuple[float, int]:
    """Sites, desks, agents, bookings and the line, with COPY; (seconds, bookings)."""
    started = time.perf_counter()
    now = datetime.combine(TODAY - timedelta(days=1), datetime.min.time(), UTC)
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    agents = 2 * DESKS + WAITERS
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await conn.copy_records_to_table(
                "sites",
                columns=["id", "name", "name_key", "department", "timezone", "open_weekdays",
                         "check_in_morning", "check_in_afternoon", "check_in_remind",
                         "created_at", "updated_at"],
                records=[(s, f"Site {s:02d}", f"site {s:02d}", None, "Europe/Paris", 31,
                          "10:00", "14:30", False, now, now) for s in range(1, SITES + 1)],
            )  # fmt: skip
            await conn.copy_records_to_table(
                "desks",
                columns=["id", "site_id", "label", "sort_key", "active", "created_at"],
                records=[((s - 1) * DESKS_PER_SITE + d + 1, s, f"D-{d:03d}", f"d-{d:010d}",
                          True, now) for s in range(1, SITES + 1) for d in range(DESKS_PER_SITE)],
            )  # fmt: skip
            await conn.copy_records_to_table(
                "members",
                columns=["id", "matrix_id", "display_name", "role", "created_at", "updated_at"],
                records=[(i + 1, f"@agent{i:05d}:agent.interieur.tchap.gouv.fr", f"Agent {i}",
                          "agent", now, now) for i in range(agents)],
            )  # fmt: skip
            rows: list[tuple[object, ...]] = []
            checked = now + timedelta(hours=32)  # today 08:00 UTC
            for desk in range(1, DESKS + 1):
                site = (desk - 1) // DESKS_PER_SITE + 1
                came = checked if desk % 4 == 0 else None  # 3 in 4 are no-shows
                rows.append((desk, site, desk, TODAY, "am", True, False, now, came))
                rows.append((DESKS + desk, site, desk, TODAY, "pm", False, True, now, came))
                for day in _later_days():
                    rows.append((desk, site, desk, day, "day", True, True, now, None))
            await conn.copy_records_to_table(
                "reservations",
                columns=["member_id", "site_id", "desk_id", "day", "slot", "covers_am",
                         "covers_pm", "status", "created_at", "checked_in_at"],
                records=[(*r[:7], "active", *r[7:]) for r in rows],
            )  # fmt: skip
            line = []
            for i in range(WAITERS):
                slot = "am" if i % 2 == 0 else "pm"
                line.append((2 * DESKS + i + 1, i % SITES + 1, TODAY, slot, slot == "am",
                             slot == "pm", now + timedelta(seconds=i)))  # fmt: skip
            await conn.copy_records_to_table(
                "waitlist_entries",
                columns=["member_id", "site_id", "day", "slot", "covers_am", "covers_pm",
                         "created_at"],
                records=line,
            )  # fmt: skip
            for table in ("sites", "desks", "members"):
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return time.perf_counter() - started, len(rows)
