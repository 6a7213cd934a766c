"""The outbox: delivery throughput against plain matrix-nio, and the batched digest claims.

1. Delivery: the bot's account is in ROOMS distinct encrypted rooms (with one person each) on a
   real Synapse; after one warm-up message per room (the Megolm sessions are shared once, for
   both sides), the same client sends one message to every room with plain `room_send`, then the
   outbox worker (pacing off) delivers ROOMS rows through the same client, alternately, ROUNDS
   times. Throughput ratio = outbox messages/s ÷ room_send messages/s (target ≥ 0.8).
2. Digest claims: claiming the digests of CLAIM_ROOMS rooms for one day, one statement per 500
   rooms (`claim_digests`), against one transaction per room as before (target ≤ 1 s).

Reads TEST_SYNAPSE_URL and TEST_DATABASE_URL (`make bench` starts both). Alone:
`scripts/with-services.sh --synapse -- .venv/bin/python -m bench outbox`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from bench.common import Table, scratch_database
from storage.domain import RoomId

ROOMS = int(os.environ.get("BENCH_OUTBOX_ROOMS", "200"))
ROUNDS = 2
CLAIM_ROOMS = 2000
RATIO_TARGET = 0.8
CLAIM_TARGET_S = 1.0


def run() -> list[Table]:
    logging.getLogger("nio").setLevel(logging.ERROR)
    tables = []
    database = os.environ.get("TEST_DATABASE_URL")
    tables.append(asyncio.run(_claims(database)))
    from tests.e2e.homeserver import Homeserver

    server = Homeserver.from_env()
    if server is None:
        table = Table("outbox delivery", ["status"], [["skipped"]])
        table.notes.append("TEST_SYNAPSE_URL is unset: run it through `make bench`.")
        return [*tables, table]
    with tempfile.TemporaryDirectory(prefix="bench-outbox-") as tmp:
        tables.append(asyncio.run(_delivery(server, Path(tmp))))
    return tables


async def _claims(database: str | None) -> Table:
    table = Table(
        f"digest claims for {CLAIM_ROOMS:,} rooms", ["database", "method", "seconds", "target"]
    )
    urls: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-claims-") as tmp:
        urls.append(("sqlite", f"sqlite+aiosqlite:///{Path(tmp) / 'claims.sqlite3'}"))
        if database:
            async with scratch_database(database, "outbox_bench") as url:
                await _claim_rows(table, "postgresql", url)
        await _claim_rows(table, "sqlite", urls[0][1])
    if not database:
        table.notes.append("PostgreSQL skipped: TEST_DATABASE_URL is not set")
    return table


async def _claim_rows(table: Table, name: str, url: str) -> None:
    from storage.clock import SettableClock
    from tests.helpers import open_test_storage

    rooms = [RoomId(f"!room{n}:bench") for n in range(CLAIM_ROOMS)]
    lease = timedelta(minutes=10)
    async with open_test_storage(url, SettableClock()) as storage:
        started = time.perf_counter()
        won = await storage.claim_digests(rooms, date(2026, 11, 24), "bench", lease)
        batched = time.perf_counter() - started
        assert len(won) == CLAIM_ROOMS
        started = time.perf_counter()
        for room in rooms:
            await storage.claim_digest(room, date(2026, 11, 25), "bench", lease)
        one_by_one = time.perf_counter() - started
    ok = "ok" if batched <= CLAIM_TARGET_S else "MISSED"
    table.rows.append([name, "batched (claim_digests)", batched, f"≤ {CLAIM_TARGET_S} s {ok}"])
    table.rows.append([name, "one transaction per room", one_by_one, "(before)"])


async def _delivery(server: object, workdir: Path) -> Table:
    from nio import RoomSendResponse

    from bot.config import load_settings
    from bot.delivery import DeliveryWorker
    from bot.transport.matrix import MatrixTransport
    from storage.clock import SettableClock
    from storage.outbox import Envelope
    from tests.e2e.homeserver import Homeserver, register, unique_name
    from tests.e2e.matrix_user import ENCRYPTION_STATE
    from tests.helpers import open_test_storage

    assert isinstance(server, Homeserver)
    bot_account = await register(server, unique_name("bureau"))
    person = await register(server, unique_name("agent"))
    settings = load_settings(
        {
            "MATRIX_HOMESERVER": server.url,
            "MATRIX_USER_ID": bot_account.user_id,
            "MATRIX_ACCESS_TOKEN": bot_account.access_token,
            "MATRIX_DEVICE_ID": bot_account.device_id,
            "MATRIX_STORE_PATH": str(workdir / "store"),
            "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'bot.sqlite3'}",
        }
    )
    table = Table(
        f"outbox delivery to {ROOMS} encrypted rooms (pacing off)",
        ["round", "room_send msg/s", "outbox msg/s", "ratio"],
    )
    async with open_test_storage(settings.database_url, SettableClock()) as storage:
        transport = MatrixTransport(settings, _NoHandler(), storage, owner="bench")
        async with transport:
            sync = asyncio.create_task(transport.run())
            client = transport.client
            rooms = []
            for n in range(ROOMS):
                response = await client.room_create(
                    name=f"bench {n}", invite=[person.user_id], initial_state=[ENCRYPTION_STATE]
                )
                rooms.append(response.room_id)
            await _until(lambda: all(room in client.rooms for room in rooms))
            for room in rooms:  # warm-up: Megolm sessions shared once
                await client.room_send(
                    room,
                    "m.room.message",
                    {"msgtype": "m.notice", "body": "warm-up"},
                    ignore_unverified_devices=True,
                )
            await _until(lambda: transport.courier is not None)
            courier = transport.courier
            worker = DeliveryWorker(storage, lambda: courier, "bench", rate=0)
            ratios = []
            for round_ in range(1, ROUNDS + 1):
                started = time.perf_counter()
                for room in rooms:
                    response = await client.room_send(
                        room,
                        "m.room.message",
                        {"msgtype": "m.notice", "body": "plain"},
                        ignore_unverified_devices=True,
                    )
                    assert isinstance(response, RoomSendResponse), response
                plain = ROOMS / (time.perf_counter() - started)
                await storage.outbox.enqueue(
                    [Envelope("bench", "outbox", "outbox", room_id=room) for room in rooms]
                )
                started = time.perf_counter()
                delivered = 0
                while delivered < ROOMS:
                    delivered += await worker.run_once()
                outbox = ROOMS / (time.perf_counter() - started)
                assert (await storage.outbox.counts())["pending"] == 0
                ratios.append(outbox / plain)
                table.rows.append([round_, plain, outbox, outbox / plain])
            sync.cancel()
            await asyncio.gather(sync, return_exceptions=True)
    best = max(ratios)
    table.notes.append(
        f"target ratio ≥ {RATIO_TARGET}: {'ok' if best >= RATIO_TARGET else 'MISSED'} "
        f"(best {best:.2f}); the outbox adds a claim per batch and a commit per message"
    )
    return table


async def _until(condition: Callable[[], bool], within: float = 300.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the sync never showed the benchmark's rooms")
        await asyncio.sleep(0.2)


class _NoHandler:
    async def handle(self, message: object) -> list[object]:
        return []
