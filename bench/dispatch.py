"""Commands through the dispatcher and the core: what a user waits for, minus the network.

On SQLite (a temporary file) and on PostgreSQL (a scratch database on TEST_DATABASE_URL's
server), with the example sites: each kind of command is sent REPEAT times by distinct members,
one at a time (latency p50/p99), then the one-day reservation by CONCURRENT senders at once
(commands/s). Every reply is checked to be a real answer, not an error. Target: p99 <= 20 ms for
a one-day reservation on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.common import Table, percentile, scratch_database
from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.messages import Message
from storage import SettableClock, Storage

ROOT = Path(__file__).resolve().parent.parent
SITES_FILE = ROOT / "examples" / "sites.yaml"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))  # a Monday
SITES = ("Metz", "Orléans", "Paris Balard", "Nantes", "Lille")
REPEAT = 400
CONCURRENT = 16
FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

# kind -> sentence for the i-th sender (each kind has its own senders).
COMMANDS: dict[str, Callable[[int], str]] = {
    "reserve one day": lambda i: f"réserve un bureau à {_site(i)} le {_day_text(i)}",
    "my bookings": lambda i: "mes réservations",
    "who is in": lambda i: f"qui est là le {_day_text(i)} à {_site(i)} ?",
    "free desks": lambda i: f"y a-t-il de la place à {_site(i)} le {_day_text(i)} ?",
    "cancel one day": lambda i: f"annule ma réservation du {_day_text(i)}",
    "unknown sentence": lambda i: "quelle est la couleur du cheval blanc d'Henri IV ?",
}
# Reservations, lists and cancellations come from the same agents: they act on real bookings.
AGENT_KINDS = {"reserve one day", "my bookings", "cancel one day"}
ERROR_MARKS = ("erreur interne", "Traceback")


def run() -> list[Table]:
    """Run on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (make bench sets it)."""
    table = Table(
        "dispatch: commands through dispatcher + core",
        ["database", "command", "n", "p50 ms", "p99 ms", "cmds/s"],
    )
    asyncio.run(_backend("SQLite", _sqlite(), table))
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        asyncio.run(_backend("PostgreSQL", scratch_database(url, "dispatch_bench"), table))
    else:
        table.notes.append("PostgreSQL skipped: TEST_DATABASE_URL is not set")
    table.notes += [
        f"{REPEAT} commands of each kind, one at a time, each from its own member; then "
        f"{REPEAT} one-day reservations from {CONCURRENT} concurrent senders ('concurrent').",
        "target: p99 <= 20 ms for 'reserve one day' on PostgreSQL.",
    ]
    return [table]


@asynccontextmanager
async def _sqlite() -> AsyncIterator[str]:
    with tempfile.TemporaryDirectory(prefix="bureau-volant-bench-") as folder:
        yield f"sqlite+aiosqlite:///{folder}/bench.sqlite3"


async def _backend(name: str, database: AbstractAsyncContextManager[str], table: Table) -> None:
    async with database as url:
        clock = SettableClock(NOW)
        async with Storage.open(url, clock=clock, migrate=True) as storage:
            await storage.import_sites(SITES_FILE)
            settings = Settings(database_url=url, rate_limit_count=10**9)
            dispatcher = Dispatcher(storage, settings, clock)
            for kind, sentence in COMMANDS.items():
                latencies = [
                    await _timed(dispatcher, _sender(kind, i), sentence(i)) for i in range(REPEAT)
                ]
                table.rows.append(_row(name, kind, latencies))
            latencies, wall = await _concurrent(dispatcher)
            row = _row(name, "reserve one day, concurrent", latencies)
            row[-1] = f"{len(latencies) / wall:,.0f}"
            table.rows.append(row)


async def _timed(dispatcher: Dispatcher, sender: str, text: str) -> float:
    message = Message(sender=sender, room_id=f"!dm-{sender}", text=text)
    started = time.perf_counter()
    replies = await dispatcher.handle(message)
    elapsed = time.perf_counter() - started
    said = "\n".join(r.text for r in replies)
    if not replies or any(mark in said for mark in ERROR_MARKS):
        raise RuntimeError(f"{text!r} got {said!r}")
    return elapsed


async def _concurrent(dispatcher: Dispatcher) -> tuple[list[float], float]:
    latencies: list[float] = []
    queue = list(range(REPEAT))

    async def sender() -> None:
        while queue:
            i = queue.pop()
            latencies.append(
                await _timed(
                    dispatcher, f"@parallel{i}:bench.test", COMMANDS["reserve one day"](i)
                )
            )

    started = time.perf_counter()
    await asyncio.gather(*(sender() for _ in range(CONCURRENT)))
    return latencies, time.perf_counter() - started


def _row(database: str, kind: str, latencies: list[float]) -> list[object]:
    return [
        database,
        kind,
        len(latencies),
        percentile(latencies, 50) * 1000,
        percentile(latencies, 99) * 1000,
        f"{len(latencies) / sum(latencies):,.0f}",
    ]


def _site(i: int) -> str:
    return SITES[i % len(SITES)]


def _day(i: int) -> date:
    """The i-th of 20 working days from Tuesday 24 November (no holiday among them)."""
    working = [NOW.date() + timedelta(days=d) for d in range(1, 29)]
    working = [d for d in working if d.weekday() < 5][:20]
    return working[i % len(working)]


def _day_text(i: int) -> str:
    day = _day(i)
    return f"{day.day} {FRENCH_MONTHS[day.month - 1]}"


def _sender(kind: str, i: int) -> str:
    return f"@agent{i}:bench.test" if kind in AGENT_KINDS else f"@reader{i}:bench.test"
