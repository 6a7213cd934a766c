"""Reply latency through a real Synapse: the bot against a bare matrix-nio echo bot.

A user sends N commands ("aide": it reads the database but writes nothing, so this measures the
bot, not a booking) to the real `bureau-volant run` process and the same number to an echo bot
(a separate process: matrix-nio, encryption on, replies with an `m.notice` in reply) on the same
homeserver, alternating between the two, in a plain direct room and then in an encrypted one.
Latency = from the user starting to send to the user's client seeing the reply. The ratio of the
p95s shows what the bot adds on top of Matrix itself; the bot's RSS is read after the run.

Reads TEST_SYNAPSE_URL/SERVER_NAME/SECRET (`make bench` starts Synapse). Run it alone with
`scripts/with-services.sh --synapse -- .venv/bin/python -m bench e2e_latency`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Table, percentile

COMMANDS = int(os.environ.get("BENCH_E2E_COMMANDS", "200"))
WARMUP = 10
# A pause after each reply: what a bot does after answering (read receipt) must not land in the
# next measurement, which is the other bot's. People do not send a command every 50 ms either.
SETTLE_S = 0.05
COMMAND = "aide"
RATIO_TARGET = 1.3
RSS_TARGET_MB = 150.0


def run() -> list[Table]:
    """The latency table (or a table saying why it could not run)."""
    from tests.e2e.homeserver import Homeserver

    server = Homeserver.from_env()
    if server is None:
        table = Table("e2e reply latency", ["status"], [["skipped"]])
        table.notes.append("TEST_SYNAPSE_URL is unset: run it through `make bench`.")
        return [table]
    # The user's client logs each new Olm session; the table is what this benchmark prints.
    logging.getLogger("nio").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp:
        return [asyncio.run(_measure(server, Path(tmp)))]


async def _measure(server: object, workdir: Path) -> Table:
    from tests.e2e.bot_process import BotProcess, prepare_database
    from tests.e2e.homeserver import Homeserver, register, unique_name
    from tests.e2e.matrix_user import MatrixUser

    assert isinstance(server, Homeserver)
    bot_account = await register(server, unique_name("bureau"))
    echo_account = await register(server, unique_name("echo"))
    person = await register(server, unique_name("agent"))
    bot = BotProcess(
        server,
        bot_account,
        prepare_database(workdir / "bot.sqlite3"),
        workdir / "bot",
        # The bot's per-user flood guard would (rightly) stop a person sending 400 commands.
        extra_env={"BOT_RATE_LIMIT_COUNT": "10000", "BOT_RATE_LIMIT_WINDOW": "1"},
    )
    echo = _start_echo_bot(server, echo_account, workdir / "echo")
    try:
        bot.start()
        async with MatrixUser(server.url, person, workdir / "agent") as user:
            rows = []
            for encrypted in (False, True):
                bot_ms, echo_ms = await _alternate(
                    user, bot_account.user_id, echo_account.user_id, encrypted
                )
                bot_p95, echo_p95 = percentile(bot_ms, 95), percentile(echo_ms, 95)
                rows.append(
                    [
                        "encrypted" if encrypted else "plain",
                        percentile(bot_ms, 50),
                        bot_p95,
                        percentile(echo_ms, 50),
                        echo_p95,
                        bot_p95 / echo_p95,
                        "ok" if bot_p95 / echo_p95 <= RATIO_TARGET else "ABOVE",
                    ]
                )
        rss_mb = _rss_mb(bot.process.pid) if bot.process else float("nan")
    finally:
        bot.stop()
        echo.terminate()
        try:
            echo.wait(timeout=10)
        except subprocess.TimeoutExpired:
            echo.kill()
    table = Table(
        f"e2e reply latency: {COMMANDS} commands per bot and room kind (ms)",
        ["room", "bot p50", "bot p95", "echo p50", "echo p95", "p95 bot/echo", "≤ 1.3"],
        rows,
    )
    table.notes += [
        f"command {COMMAND!r} in a direct room (no prefix), bot and echo alternated with "
        f"{SETTLE_S * 1000:.0f} ms after each reply, {WARMUP} warm-up commands each not "
        f"counted; Synapse {server.url}",
        f"bot RSS after the run: {rss_mb:.0f} MB (target ≤ {RSS_TARGET_MB:.0f} MB: "
        f"{'ok' if rss_mb <= RSS_TARGET_MB else 'ABOVE'})",
    ]
    return table


async def _alternate(
    user: object, bot_id: str, echo_id: str, encrypted: bool
) -> tuple[list[float], list[float]]:
    """Latencies (ms) of COMMANDS commands to each bot, sent alternately."""
    from tests.e2e.matrix_user import MatrixUser

    assert isinstance(user, MatrixUser)
    rooms = {}
    for target in (bot_id, echo_id):
        rooms[target] = await user.create_room([target], encrypted=encrypted, direct=True)
        await user.wait_for_join(rooms[target], target, within=60)
    latencies: dict[str, list[float]] = {bot_id: [], echo_id: []}
    for index in range(WARMUP + COMMANDS):
        for target in (bot_id, echo_id):
            started = time.monotonic()
            event_id = await user.send_text(rooms[target], COMMAND)
            reply = await user.wait_for_reply(event_id, within=60)
            if index >= WARMUP:
                latencies[target].append((reply.seen_at - started) * 1000)
            await asyncio.sleep(SETTLE_S)
    return latencies[bot_id], latencies[echo_id]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _start_echo_bot(server: object, account: object, store: Path) -> subprocess.Popen[bytes]:
    from tests.e2e.homeserver import Account, Homeserver

    assert isinstance(server, Homeserver) and isinstance(account, Account)
    store.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "ECHO_HOMESERVER": server.url,
        "ECHO_USER_ID": account.user_id,
        "ECHO_ACCESS_TOKEN": account.access_token,
        "ECHO_DEVICE_ID": account.device_id,
        "ECHO_STORE": str(store),
    }
    log = (store / "echo.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "bench.e2e_latency", "--echo"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=Path(__file__).resolve().parents[1],
    )


async def echo_bot() -> None:
    """The baseline: join every invite, answer every text with the same text as a notice."""
    from nio import (
        AsyncClient,
        AsyncClientConfig,
        InviteMemberEvent,
        MatrixRoom,
        RoomMessageText,
    )

    client = AsyncClient(
        os.environ["ECHO_HOMESERVER"],
        os.environ["ECHO_USER_ID"],
        device_id=os.environ["ECHO_DEVICE_ID"],
        store_path=os.environ["ECHO_STORE"],
        config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=True),
    )
    client.restore_login(
        os.environ["ECHO_USER_ID"], os.environ["ECHO_DEVICE_ID"], os.environ["ECHO_ACCESS_TOKEN"]
    )

    async def on_invite(room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key == client.user_id and event.membership == "invite":
            await client.join(room.room_id)

    async def on_text(room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender == client.user_id:
            return
        content = {
            "msgtype": "m.notice",
            "body": event.body,
            "m.relates_to": {"m.in_reply_to": {"event_id": event.event_id}},
        }
        await client.room_send(
            room.room_id, "m.room.message", content, ignore_unverified_devices=True
        )

    client.add_event_callback(on_invite, InviteMemberEvent)
    client.add_event_callback(on_text, RoomMessageText)
    try:
        await client.sync_forever(timeout=30_000, full_state=True)
    finally:
        await client.close()


if __name__ == "__main__" and sys.argv[1:] == ["--echo"]:
    asyncio.run(echo_bot())
