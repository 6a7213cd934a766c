"""The morning digests on PostgreSQL: 2,000 team rooms of 20 members (40,000 members).

Seeded with COPY: 20 sites with 900 desks each, 40,000 members (three in four with a default
site), 2,000 subscribed rooms of 20 members, and for the digest's day 18,000 bookings (whole days
and half-days) and 12,000 members with statuses, over 10 earlier working days of the same
history (so that the tables are not trivially small). Then, on one morning:
- `list_teams()`: what the scheduler reads at every tick (the usual site of every team);
- `team_days(day, rooms)` for every room, in ONE call and in batches of 200 rooms;
- `build_digest(DigestInput(...), Translator("fr"))` for every room (the lead's pure builder);
- for information, the per-room `claim_digest` + `mark_digest_sent` that `bot.jobs` runs.
Statements are counted with `storage.engine.count_statements`; each step runs REPEAT times and
the median is reported. Target: fetch + build <= 2 s, a constant number of queries.

Runs in its own database (`<name>_digest_bench`) on the server of TEST_DATABASE_URL, dropped at
the end.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy.engine import make_url

from bench.common import Table, copy_sites, scratch_database
from bot.digest import DigestInput, build_digest
from bot.i18n import Translator
from storage import SettableClock, Storage, TeamDay
from storage.engine import count_statements

T = TypeVar("T")

ROOMS = 2_000
TEAM_SIZE = 20
MEMBERS = ROOMS * TEAM_SIZE
SITES = 20
BOOKERS = 9  # per team, on the digest's day: members 0-8 of each room
WITH_STATUS = range(9, 15)  # members 9-14 of each room have a status that day
DESKS_PER_SITE = ROOMS // SITES * BOOKERS  # every booker of a site's teams has a desk
HISTORY_DAYS = 10
BATCH = 200
REPEAT = 3
DAY = date(2027, 1, 19)  # a Tuesday, no holiday
NOW = datetime(2027, 1, 19, 8, 30, tzinfo=ZoneInfo("Europe/Paris"))
SLOTS = ("day", "am", "pm")
KINDS = ("remote", "leave", "travel")


def run() -> list[Table]:
    """Run the benchmark against TEST_DATABASE_URL (make bench sets it)."""
    url = os.environ.get("TEST_DATABASE_URL")
    table = Table(
        "digest: every team's morning digest (PostgreSQL)",
        ["step", "rooms", "calls", "queries", "median s", "min s", "result"],
    )
    if not url:
        table.notes.append("skipped: TEST_DATABASE_URL is not set (make bench sets it)")
        return [table]
    return [asyncio.run(_run(url, table))]


async def _run(url: str, table: Table) -> Table:
    async with (
        scratch_database(url, "digest_bench") as bench_url,
        Storage.open(bench_url, clock=SettableClock(NOW), migrate=True) as storage,
    ):
        seeded = await _seed(bench_url)
        await _measure_morning(storage, table)
    table.notes += [
        f"{ROOMS:,} rooms x {TEAM_SIZE} members = {MEMBERS:,} members; {SITES} sites; "
        f"seeded with COPY in {seeded:.1f} s.",
        f"Day {DAY}: {ROOMS * BOOKERS:,} bookings, {ROOMS * len(WITH_STATUS):,} members with a "
        f"status; {HISTORY_DAYS} earlier days of the same history.",
        f"median and min of {REPEAT} runs. fetch + build = team_days (one call) + build_digest: "
        "target <= 2 s. queries: statements sent, whatever the number of rooms and members.",
        "claim + mark is one transaction per room, as bot.jobs does; it is not part of the "
        "target (posting 2,000 Matrix messages takes far longer).",
    ]
    return table


async def _measure_morning(storage: Storage, table: Table) -> None:
    rooms = _room_ids()
    teams = await _timed(REPEAT, storage, storage.list_teams)
    with_site = sum(1 for team in teams.result if team.usual_site is not None)
    table.rows.append(
        [
            "list_teams",
            ROOMS,
            1,
            teams.queries,
            teams.median,
            teams.best,
            f"{len(teams.result):,} teams, {with_site:,} with a usual site",
        ]
    )

    async def one_call() -> list[TeamDay]:
        return await storage.team_days(DAY, rooms)

    fetched = await _timed(REPEAT, storage, one_call)
    presences = sum(len(d.presences) for d in fetched.result)
    members = sum(len(d.members) for d in fetched.result)
    table.rows.append(
        [
            "team_days, one call",
            ROOMS,
            1,
            fetched.queries,
            fetched.median,
            fetched.best,
            f"{members:,} members, {presences:,} presences",
        ]
    )

    async def batches() -> list[TeamDay]:
        found: list[TeamDay] = []
        for start in range(0, len(rooms), BATCH):
            found += await storage.team_days(DAY, rooms[start : start + BATCH])
        return found

    batched = await _timed(REPEAT, storage, batches)
    table.rows.append(
        [
            f"team_days, batches of {BATCH}",
            ROOMS,
            ROOMS // BATCH,
            batched.queries,
            batched.median,
            batched.best,
            f"{len(batched.result):,} team days",
        ]
    )

    tr = Translator("fr")

    async def build() -> list[str]:
        return [
            build_digest(
                DigestInput(
                    d.day, [(m.matrix_id, m.display_name) for m in d.members], d.presences
                ),
                tr,
            ).text
            for d in fetched.result
        ]

    built = await _timed(REPEAT, storage, build)
    size = statistics.mean(len(t) for t in built.result)
    table.rows.append(
        [
            "build_digest (fr)",
            ROOMS,
            ROOMS,
            built.queries,
            built.median,
            built.best,
            f"{len(built.result):,} digests, {size:.0f} characters on average",
        ]
    )
    table.rows.append(
        [
            "fetch + build",
            ROOMS,
            "",
            fetched.queries + built.queries,
            fetched.median + built.median,
            fetched.best + built.best,
            "OK (<= 2 s)" if fetched.median + built.median <= 2 else "over the 2 s target",
        ]
    )

    async def claim_and_mark() -> int:
        won = 0
        for room in rooms:
            if await storage.claim_digest(room, DAY, "bench", timedelta(minutes=10)):
                await storage.mark_digest_sent(room, DAY)
                won += 1
        return won

    claimed = await _timed(1, storage, claim_and_mark)  # once: a second run would claim none
    table.rows.append(
        [
            "claim + mark sent, per room",
            ROOMS,
            2 * ROOMS,
            claimed.queries,
            claimed.median,
            claimed.best,
            f"{claimed.result:,} claimed",
        ]
    )


class _Timing:
    def __init__(self, result: Any, seconds: list[float], queries: int) -> None:
        self.result = result
        self.median = statistics.median(seconds)
        self.best = min(seconds)
        self.queries = queries


async def _timed(repeat: int, storage: Storage, step: Callable[[], Awaitable[T]]) -> _Timing:
    """Run `step` `repeat` times; the statements of the last run are counted."""
    seconds: list[float] = []
    result: Any = None
    for _ in range(repeat):
        with count_statements(storage.engine) as statements:
            started = time.perf_counter()
            result = await step()
            seconds.append(time.perf_counter() - started)
    return _Timing(result, seconds, statements.queries)


def _room_ids() -> list[str]:
    return [f"!team{r:04d}:bench.example" for r in range(ROOMS)]


def _site_of_room(room: int) -> int:
    return room % SITES + 1


async def _seed(url: str) -> float:
    """Fill the tables with COPY through a plain asyncpg connection; returns the seconds."""
    started = time.perf_counter()
    now = NOW.astimezone(UTC)
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await copy_sites(conn, SITES, now, departments=True)
            await conn.copy_records_to_table(
                "desks",
                columns=["id", "site_id", "label", "sort_key", "active", "created_at"],
                records=[
                    (_desk_id(s, d), s, f"D-{d:03d}", f"d-{d:010d}", True, now)
                    for s in range(1, SITES + 1)
                    for d in range(DESKS_PER_SITE)
                ],
            )
            await conn.copy_records_to_table(
                "members",
                columns=[
                    "id",
                    "matrix_id",
                    "display_name",
                    "role",
                    "default_site_id",
                    "created_at",
                    "updated_at",
                ],
                records=[
                    (
                        i + 1,
                        _mxid(i),
                        f"Agent {i}",
                        "agent",
                        _site_of_room(i // TEAM_SIZE) if i % 4 else None,
                        now,
                        now,
                    )
                    for i in range(MEMBERS)
                ],
            )
            await conn.copy_records_to_table(
                "teams",
                columns=[
                    "room_id",
                    "digest_time",
                    "timezone",
                    "locale",
                    "lead_id",
                    "created_at",
                    "updated_at",
                ],
                records=[
                    (room, "08:30", "Europe/Paris", "fr", r * TEAM_SIZE + 1, now, now)
                    for r, room in enumerate(_room_ids())
                ],
            )
            await conn.copy_records_to_table(
                "room_members",
                columns=["room_id", "member_id"],
                records=[
                    (room, r * TEAM_SIZE + k + 1)
                    for r, room in enumerate(_room_ids())
                    for k in range(TEAM_SIZE)
                ],
            )
            days = [*_history_days(), DAY]
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
                ],
                records=[row for day in days for row in _bookings(day, now)],
            )
            await conn.copy_records_to_table(
                "presence_statuses",
                columns=["member_id", "day", "half", "kind", "created_at"],
                records=[row for day in days for row in _statuses(day, now)],
            )
            for table in ("sites", "desks", "members", "reservations"):
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return time.perf_counter() - started


def _mxid(i: int) -> str:
    return f"@agent{i:05d}:bench.example"


def _desk_id(site: int, desk: int) -> int:
    return (site - 1) * DESKS_PER_SITE + desk + 1


def _history_days() -> list[date]:
    days: list[date] = []
    day = DAY
    while len(days) < HISTORY_DAYS:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


def _bookings(day: date, now: datetime) -> list[tuple[object, ...]]:
    """Members 0-8 of each room book a desk of their team's site (whole day, am or pm)."""
    rows = []
    for room in range(ROOMS):
        site = _site_of_room(room)
        for k in range(BOOKERS):
            member = room * TEAM_SIZE + k
            slot = SLOTS[member % 3]
            desk = _desk_id(site, room // SITES * BOOKERS + k)
            rows.append(
                (member + 1, site, desk, day, slot, slot != "pm", slot != "am", "active", now)
            )
    return rows


def _statuses(day: date, now: datetime) -> list[tuple[object, ...]]:
    """Members 9-14 of each room: remote, on leave or travelling, for the day or the morning;
    the afternoon bookers (slot am) are remote in the afternoon."""
    rows = []
    for room in range(ROOMS):
        for k in WITH_STATUS:
            member = room * TEAM_SIZE + k
            kind = KINDS[member % 3]
            for half in ("am", "pm") if member % 2 else ("am",):
                rows.append((member + 1, day, half, kind, now))
        for k in range(BOOKERS):
            member = room * TEAM_SIZE + k
            if SLOTS[member % 3] == "am":
                rows.append((member + 1, day, "pm", "remote", now))
    return rows
