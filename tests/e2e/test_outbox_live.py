"""Issue 11 on a real Synapse: deliveries never lost, two bots on one PostgreSQL, a PostgreSQL
that goes away and comes back. The real `bureau-volant run` processes, matrix-nio users.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import aiohttp
import asyncpg
import pytest

from storage.clock import SettableClock
from storage.core import Storage
from storage.types import Slot
from tests.e2e import bot_process
from tests.e2e.bot_process import ROOT, BotProcess, cli
from tests.e2e.homeserver import Account, Homeserver, register, unique_name
from tests.e2e.matrix_user import MatrixUser, NewUser

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(Homeserver.from_env() is None, reason="TEST_SYNAPSE_URL is unset"),
]

CLOCK_START = "2026-11-23T10:00:00"  # a Monday, Europe/Paris
THURSDAY = date(2026, 11, 26)
AGENTS = 60
POSTGRES = ROOT / "scripts" / "postgres.sh"


def write_sites(path: Path, manager: str, desks: int) -> Path:
    """Metz with `desks` desks and a registered user as its manager (sized for the test,
    hence not tests/data/sites.yaml)."""
    labels = ", ".join(f"M-{n:02d}" for n in range(1, desks + 1))
    path.write_text(
        "sites:\n"
        "  - name: Metz\n"
        '    department: "57"\n'
        f'    managers: ["{manager}"]\n'
        f"    desks: [{labels}]\n",
        encoding="utf-8",
    )
    return path


def database_with_sites(url: str, sites: Path) -> str:
    env = {**os.environ, "DATABASE_URL": url}
    cli("db", "upgrade", env=env)
    cli("sites", "import", str(sites), env=env)
    return url


def start(
    processes: list[BotProcess],
    server: Homeserver,
    account: Account,
    url: str,
    workdir: Path,
    **env: str,
) -> BotProcess:
    return bot_process.start_bot(
        processes,
        server,
        account,
        url,
        workdir,
        clock_start=CLOCK_START,
        extra_env={"BOT_SCHEDULER_TICK": "1", **env},
    )


async def say(user: MatrixUser, room: str, text: str, within: float = 60.0) -> str:
    event_id = await user.send_text(room, text)
    return (await user.wait_for_reply(event_id, within)).body


def outbox_counts(path: Path) -> Counter[str]:
    with sqlite3.connect(path) as db:
        return Counter(dict(db.execute("SELECT status, count(*) FROM outbox GROUP BY status")))


async def bot_messages_per_agent(
    server: Homeserver, bot: Account, agents: set[str]
) -> Counter[str]:
    """For each agent, how many messages the bot sent in rooms shared with them (its view)."""
    headers = {"Authorization": f"Bearer {bot.access_token}"}
    base = f"{server.url}/_matrix/client/v3"
    counts: Counter[str] = Counter()
    async with aiohttp.ClientSession(headers=headers) as http:
        async with http.get(f"{base}/joined_rooms") as response:
            rooms = (await response.json())["joined_rooms"]
        for room in rooms:
            async with http.get(f"{base}/rooms/{quote(room)}/members") as response:
                members = {e["state_key"] for e in (await response.json())["chunk"]}
            people = members & agents
            if not people:
                continue
            async with http.get(
                f"{base}/rooms/{quote(room)}/messages", params={"dir": "b", "limit": "100"}
            ) as response:
                events = (await response.json())["chunk"]
            sent = sum(
                1
                for e in events
                if e["sender"] == bot.user_id
                and e["type"] in ("m.room.encrypted", "m.room.message")
            )
            for person in people:
                counts[person] += sent
    return counts


async def test_a_closure_for_60_agents_survives_a_sigkill_with_one_notice_each(
    homeserver: Homeserver,
    new_user: NewUser,
    bot_account: Account,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    manager = await new_user(homeserver, "chef")
    gate = asyncio.Semaphore(4)  # registering hashes a password: not 60 at once

    async def agent(n: int) -> Account:
        async with gate:
            return await register(homeserver, unique_name(f"agent{n}"))

    agents = await asyncio.gather(*(agent(n) for n in range(AGENTS)))
    path = tmp_path / "bot.sqlite3"
    url = database_with_sites(
        f"sqlite+aiosqlite:///{path}",
        write_sites(tmp_path / "sites.yaml", manager.user_id, AGENTS + 5),
    )
    monday = datetime.fromisoformat(CLOCK_START).replace(tzinfo=ZoneInfo("Europe/Paris"))
    async with Storage.open(url, clock=SettableClock(monday)) as storage:
        for agent in agents:
            await storage.ensure_member(agent.user_id, agent.user_id[1:8])
            booked = await storage.reserve(agent.user_id, "Metz", [THURSDAY], Slot.DAY)
            assert booked[0].booking is not None, booked
    pace = {"BOT_SEND_RATE": "4", "BOT_SEND_BURST": "1"}
    bot = start(bot_processes, homeserver, bot_account, url, tmp_path / "bot", **pace)
    direct = await manager.create_room([bot_account.user_id], encrypted=True, direct=True)
    await manager.wait_for_join(direct, bot_account.user_id)
    asked = await say(manager, direct, "ferme le site de Metz le 26 novembre")
    assert f"{AGENTS} réservations" in asked, asked
    done = await say(manager, direct, "oui")
    assert done.startswith("🚫 Metz fermé"), done

    deadline = time.monotonic() + 120
    while outbox_counts(path)["sent"] < AGENTS // 3:
        assert time.monotonic() < deadline, bot.log()
        await asyncio.sleep(0.05)
    assert bot.process is not None
    bot.process.send_signal(signal.SIGKILL)
    bot.process.wait(timeout=10)
    sent_before = outbox_counts(path)["sent"]
    assert sent_before < AGENTS, "killed too late to prove anything"

    bot.start()
    # Each new direct room costs a room creation and a sync (seconds on a busy machine).
    deadline = time.monotonic() + 480
    while outbox_counts(path)["sent"] < AGENTS or outbox_counts(path)["pending"]:
        assert time.monotonic() < deadline, (outbox_counts(path), bot.log())
        await asyncio.sleep(0.5)
    assert outbox_counts(path) == Counter({"sent": AGENTS}), outbox_counts(path)
    counts = await bot_messages_per_agent(homeserver, bot_account, {a.user_id for a in agents})
    assert set(counts) == {a.user_id for a in agents}
    assert set(counts.values()) == {1}, counts
    assert "outbox_sent" in bot.metrics() or "bureau_volant_outbox_sent_total" in bot.metrics()


@pytest.fixture
async def postgres_database() -> str:
    """A database of the test's own on the test PostgreSQL (the storage tests empty theirs)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("needs TEST_DATABASE_URL (make test)")
    name = f"bv_{unique_name('e2e').replace('-', '_')}"
    dsn = base.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return base.rsplit("/", 1)[0] + "/" + name


async def test_two_bot_processes_answer_each_command_once_and_one_survives_the_other(
    homeserver: Homeserver,
    new_user: NewUser,
    bot_account: Account,
    bot_processes: list[BotProcess],
    postgres_database: str,
    tmp_path: Path,
) -> None:
    user = await new_user(homeserver, "agent")
    url = database_with_sites(
        postgres_database, write_sites(tmp_path / "sites.yaml", user.user_id, 5)
    )
    # One person sends 50 commands: the per-sender flood guard would rightly stop them.
    unlimited = {"BOT_RATE_LIMIT_COUNT": "10000", "BOT_RATE_LIMIT_WINDOW": "1"}
    first = start(bot_processes, homeserver, bot_account, url, tmp_path / "bot1", **unlimited)
    # The second instance is given the recovery key the first one printed, as an operator does
    # (docs/tchap.md): without it, a new device of a cross-signed bot refuses to start.
    recovery_key = (tmp_path / "bot1" / "matrix" / "cross_signing_key").read_text().strip()
    second = bot_process.BotProcess(
        homeserver,
        bot_account,
        url,
        tmp_path / "bot2",
        use_password=True,  # a second device of the same account, its own crypto store
        extra_env={
            "BOT_CLOCK_START": CLOCK_START,
            "BOT_SCHEDULER_TICK": "1",
            "MATRIX_CROSS_SIGNING_KEY": recovery_key,
            **unlimited,
        },
    )
    bot_processes.append(second)
    second.start()
    rooms = []
    for n in range(5):
        room = await user.create_room([bot_account.user_id], encrypted=True, name=f"Salle {n}")
        await user.wait_for_join(room, bot_account.user_id)
        rooms.append(room)
    if user.client.should_query_keys:  # its sync may have asked already
        await user.client.keys_query()

    async def burst(count: int) -> list[str]:
        events = []
        for i in range(count):
            events.append(await user.send_text(rooms[i % 5], "!bureau aide"))
        return events

    events = await burst(25)
    for event_id in events:
        await user.wait_for_reply(event_id, 90)
    assert first.process is not None
    first.process.send_signal(signal.SIGKILL)
    first.process.wait(timeout=10)
    events += await burst(25)
    for event_id in events:
        await user.wait_for_reply(event_id, 90)
    await asyncio.sleep(3)  # room for a duplicate answer to arrive
    answers = Counter(event_id for event_id in events for _ in user.replies_to(event_id))
    assert answers == Counter({event_id: 1 for event_id in events}), answers


def postgres(action: str, directory: Path) -> None:
    subprocess.run([str(POSTGRES), action, str(directory)], check=True, capture_output=True)


@pytest.fixture
def own_postgres() -> Iterator[tuple[Path, str]]:
    """A PostgreSQL cluster of the test's own, which it may stop and start again."""
    # Under /tmp itself: the postgres user must reach the cluster (pytest's folders are 0700).
    directory = Path(tempfile.mkdtemp(prefix="bureau-volant-pg-")) / "cluster"
    done = subprocess.run(
        [str(POSTGRES), "start", str(directory)], capture_output=True, text=True, check=True
    )
    try:
        yield directory, done.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([str(POSTGRES), "stop", str(directory)], capture_output=True, check=False)
        shutil.rmtree(directory.parent, ignore_errors=True)


async def test_postgresql_away_for_30_s_commands_answered_once_when_back(
    homeserver: Homeserver,
    new_user: NewUser,
    bot_account: Account,
    bot_processes: list[BotProcess],
    own_postgres: tuple[Path, str],
    tmp_path: Path,
) -> None:
    directory, base_url = own_postgres
    user = await new_user(homeserver, "agent")
    url = database_with_sites(base_url, write_sites(tmp_path / "sites.yaml", user.user_id, 5))
    bot = start(bot_processes, homeserver, bot_account, url, tmp_path / "bot")
    direct = await user.create_room([bot_account.user_id], encrypted=True, direct=True)
    await user.wait_for_join(direct, bot_account.user_id)
    assert "Metz" in await say(user, direct, "réserve un bureau à Metz mardi")

    await asyncio.to_thread(postgres, "pause", directory)
    started = time.monotonic()
    sent = []
    for text in ("mes réservations", "réserve un bureau à Metz jeudi", "aide"):
        event_id = await user.send_text(direct, text)
        first = await user.wait_for_reply(event_id, 30)
        assert "momentanément indisponible" in first.body, first.body
        sent.append(event_id)
    status, body = bot.health()
    assert status == 503 and body is not None, (status, body)
    await asyncio.sleep(max(0.0, 30 - (time.monotonic() - started)))
    await asyncio.to_thread(postgres, "resume", directory)

    async def answered() -> None:
        await user.wait_until(
            lambda: all(len(user.replies_to(e)) >= 2 for e in sent), 60, "the answers"
        )

    await answered()
    await asyncio.sleep(2)
    bodies = [[r.body for r in user.replies_to(e)] for e in sent]
    assert all(len(b) == 2 for b in bodies), bodies
    assert "jeudi" in bodies[1][1] or "Metz" in bodies[1][1], bodies
    assert not any("référence" in b[1] for b in bodies), bodies
    log = bot.log()
    assert log.count("the database is unavailable") == 1, log
    assert "Traceback" not in log, log
    async with Storage.open(url) as storage:
        booked = await storage.list_bookings(user.user_id, THURSDAY, THURSDAY)
    assert len(booked) == 1
