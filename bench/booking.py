"""Booking throughput on PostgreSQL: `reserve` against a plain INSERT + COMMIT baseline.

40,000 members and 2,000 desks on 20 sites; 16 then 64 concurrent clients each book random
working days over 4 weeks (one `reserve` per member, a mix of whole days and half-days). In the
same run, on the same server and the same pooled connections, a baseline of single-row
INSERT + COMMIT gives the ceiling; the ratio says how close `reserve` comes to it. Afterwards, SQL
checks that no desk and no member holds an overlapping booking.

Runs in its own database (`<name>_bench`) on the server of TEST_DATABASE_URL, dropped at the end.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text

from bench.common import Table, percentile, scratch_database
from storage import SettableClock, Slot, Storage
from storage.models import members, metadata

SITES = 20
DESKS_PER_SITE = 100
MEMBERS = 40_000
BASELINE_OPS = 20_000
CLIENTS = (16, 64)
ROUNDS = 4
# A fixed, holiday-free month, so that every request reaches the database.
NOW = datetime(2027, 1, 11, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
FIRST_DAY = date(2027, 1, 18)
SLOTS = [Slot.DAY, Slot.DAY, Slot.AM, Slot.PM]

OVERLAPS_SQL = """
SELECT
  (SELECT count(*) FROM reservations a JOIN reservations b
      ON a.desk_id = b.desk_id AND a.day = b.day AND a.id < b.id
     WHERE a.status = 'active' AND b.status = 'active'
       AND ((a.covers_am AND b.covers_am) OR (a.covers_pm AND b.covers_pm))) AS desk_overlaps,
  (SELECT count(*) FROM reservations a JOIN reservations b
      ON a.member_id = b.member_id AND a.day = b.day AND a.id < b.id
     WHERE a.status = 'active' AND b.status = 'active'
       AND ((a.covers_am AND b.covers_am) OR (a.covers_pm AND b.covers_pm))) AS member_overlaps
"""


def run() -> list[Table]:
    """Run the benchmark against TEST_DATABASE_URL (make bench sets it)."""
    url = os.environ.get("TEST_DATABASE_URL")
    table = Table(
        "booking: reserve vs plain INSERT + COMMIT (PostgreSQL)",
        [
            "clients",
            "operation",
            "ops",
            "ops/s",
            "p50 ms",
            "p99 ms",
            "ratio",
            "wall s",
            "outcomes",
        ],
    )
    if not url:
        table.notes.append("skipped: TEST_DATABASE_URL is not set (make bench sets it)")
        return [table]
    return [asyncio.run(_run(url, table))]


async def _run(url: str, table: Table) -> Table:
    async with scratch_database(url, "bench") as bench_url:
        for clients in CLIENTS:
            await _one_level(bench_url, clients, table)
    table.notes += [
        f"{MEMBERS:,} members, {SITES * DESKS_PER_SITE:,} desks on {SITES} sites, "
        f"20 working days from {FIRST_DAY}; each member books once "
        "(1/2 whole days, 1/4 mornings, 1/4 afternoons).",
        f"ratio = reserve ops/s / baseline ops/s at the same concurrency, in {ROUNDS} "
        "alternating rounds (target >= 0.5); wall s = time of all reserve calls (target < 60 s).",
    ]
    return table


async def _one_level(url: str, clients: int, table: Table) -> None:
    clock = SettableClock(NOW)
    async with Storage.open(url, clock=clock, migrate=True, pool_size=clients) as storage:
        await _reset(storage)
        await storage.import_sites(_sites_yaml())
        await _add_members(storage)
        rng = random.Random(clients)
        site_names = [f"Site {n:02d}" for n in range(1, SITES + 1)]
        days = [d for d in (FIRST_DAY + timedelta(days=i) for i in range(28)) if d.weekday() < 5]
        requests = [
            (
                f"@agent{i:05d}:bench.example",
                rng.choice(site_names),
                rng.choice(days),
                rng.choice(SLOTS),
            )
            for i in range(MEMBERS)
        ]
        outcomes: Counter[str] = Counter()

        async def reserve_op(i: int) -> None:
            member, site, day, slot = requests[i]
            (outcome,) = await storage.reserve(member, site, [day], slot)
            outcomes[outcome.outcome.value] += 1

        # Alternate baseline and reserve rounds, so that a change in the machine's load (the
        # cores are shared) weighs on both sides of the ratio alike.
        baseline, measured = _Measure(), _Measure()
        base_op = _baseline_op(storage)
        for round_ in range(ROUNDS):
            size, base_size = MEMBERS // ROUNDS, BASELINE_OPS // ROUNDS
            baseline.add(
                await _measure(
                    clients, range(round_ * base_size, (round_ + 1) * base_size), base_op
                )
            )
            measured.add(
                await _measure(clients, range(round_ * size, (round_ + 1) * size), reserve_op)
            )
        async with storage.engine.connect() as conn:
            desk_overlaps, member_overlaps = (await conn.execute(text(OVERLAPS_SQL))).one()
    base_rate = baseline.ops / baseline.wall
    rate = measured.ops / measured.wall
    table.rows.append(
        [
            clients,
            "INSERT+COMMIT",
            baseline.ops,
            base_rate,
            baseline.p50,
            baseline.p99,
            "",
            baseline.wall,
            "",
        ]
    )
    table.rows.append(
        [
            clients,
            "reserve",
            measured.ops,
            rate,
            measured.p50,
            measured.p99,
            rate / base_rate,
            measured.wall,
            ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())),
        ]
    )
    table.notes.append(
        f"{clients} clients: overlaps after the run: desks {desk_overlaps}, "
        f"members {member_overlaps}"
    )


class _Measure:
    """Operations, wall time and latencies of one or more rounds."""

    def __init__(self, wall: float = 0.0, latencies: list[float] | None = None) -> None:
        self.wall = wall
        self.latencies = latencies or []

    def add(self, other: _Measure) -> None:
        self.wall += other.wall
        self.latencies += other.latencies

    @property
    def ops(self) -> int:
        return len(self.latencies)

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 50) * 1000

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 99) * 1000


async def _measure(
    clients: int, indexes: range, operation: Callable[[int], Awaitable[None]]
) -> _Measure:
    """Run `operation(i)` for each index from `clients` concurrent workers."""
    latencies: list[float] = []
    next_index = iter(indexes)

    async def worker() -> None:
        for i in next_index:
            started = time.perf_counter()
            await operation(i)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return _Measure(time.perf_counter() - started, latencies)


def _baseline_op(storage: Storage) -> Callable[[int], Awaitable[None]]:
    statement = text(
        "INSERT INTO bench_baseline (member_id, day, slot, created_at) "
        "VALUES (:member_id, :day, :slot, :created_at)"
    )
    now = NOW

    async def op(i: int) -> None:
        async with storage.engine.begin() as conn:
            await conn.execute(
                statement,
                {"member_id": i, "day": FIRST_DAY, "slot": "day", "created_at": now},
            )

    return op


async def _reset(storage: Storage) -> None:
    async with storage.engine.begin() as conn:
        # Every table of the models, so that a new one never makes the reset fail.
        tables = ", ".join(table.name for table in metadata.sorted_tables)
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        await conn.execute(text("DROP TABLE IF EXISTS bench_baseline"))
        await conn.execute(
            text(
                "CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, member_id integer NOT "
                "NULL, day date NOT NULL, slot text NOT NULL, created_at timestamptz NOT NULL)"
            )
        )


async def _add_members(storage: Storage) -> None:
    now = storage.clock.now()
    rows = [
        {
            "matrix_id": f"@agent{i:05d}:bench.example",
            "display_name": f"Agent {i}",
            "role": "agent",
            "created_at": now,
            "updated_at": now,
        }
        for i in range(MEMBERS)
    ]
    async with storage.engine.begin() as conn:
        await conn.execute(insert(members), rows)
        await conn.execute(text("ANALYZE"))


def _sites_yaml() -> str:
    lines = ["sites:"]
    for n in range(1, SITES + 1):
        labels = ", ".join(f'"{n:02d}-{d:03d}"' for d in range(1, DESKS_PER_SITE + 1))
        lines += [f'  - name: "Site {n:02d}"', '    department: "75"', f"    desks: [{labels}]"]
    return "\n".join(lines) + "\n"
