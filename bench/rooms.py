"""A bot in many rooms: restart time, memory and reply latency against the number of rooms.

The real `bureau-volant run` process on the real Synapse, in N rooms populated through the client
API (`tests/e2e/populate.py`: half encrypted direct chats each with its own agent, half team
rooms of 5–10 members, nobody talking). Per N the bot starts once (it catches up with the new
rooms), stops, and is measured on its restart: start → /healthz, start → first reply (an agent
sends "aide" every 250 ms from the start until one is answered), then RSS, reply p50/p95 over
COMMANDS commands, and the bot's and the homeserver's CPU per command. A least-squares line over
N gives the cost per room and the extrapolation to 42,000 rooms.

BENCH_ROOMS="50,500,2000" for the issue's table (default "50,200": populating costs Synapse about
a second of CPU per room on a loaded machine). The population is kept in TEST_SYNAPSE_DIR: a
second run on the same Synapse directory reuses it. BENCH_ROOMS_BOT_SOURCE=/path/to/checkout
runs another checkout's bot (e.g. main's, for "before") against the same rooms.
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import time
from pathlib import Path

from bench.common import Table, percentile

SIZES = [int(n) for n in os.environ.get("BENCH_ROOMS", "50,200").split(",") if n.strip()]
COMMANDS = int(os.environ.get("BENCH_ROOMS_COMMANDS", "30"))
EXTRAPOLATE_TO = 42_000
COMMAND = "aide"
TARGET_FIRST_REPLY_S = 3.0
TARGET_GROWTH_MS = 1.0
TARGET_RSS_MB = 115.0
TARGET_P50_RATIO = 1.3


def run() -> list[Table]:
    """The rooms table (or a table saying why it could not run)."""
    from tests.e2e.homeserver import Homeserver

    server = Homeserver.from_env()
    if server is None:
        table = Table("a bot in many rooms", ["status"], [["skipped"]])
        table.notes.append("TEST_SYNAPSE_URL is unset: run it through `make bench`.")
        return [table]
    logging.getLogger("nio").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="bench-rooms-") as tmp:
        return [asyncio.run(_measure(server, Path(tmp)))]


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _synapse_pid(server: object) -> int | None:
    directory = getattr(server, "directory", None)
    try:
        return int((Path(directory) / "pid").read_text()) if directory else None
    except (OSError, ValueError):
        return None


def _fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares slope and intercept (slope 0 with one point)."""
    if len(xs) < 2:
        return 0.0, ys[0]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0
    return slope, my - slope * mx


async def _measure(server: object, workdir: Path) -> Table:
    from tests.e2e.bot_process import BotProcess, prepare_database
    from tests.e2e.homeserver import Homeserver, register, unique_name
    from tests.e2e.matrix_user import MatrixUser
    from tests.e2e.populate import Population, grow, new_device, new_population

    assert isinstance(server, Homeserver)
    keep = server.directory / "bench-rooms" if server.directory else workdir / "keep"
    keep.mkdir(parents=True, exist_ok=True)
    saved = keep / "population.json"
    population = Population.load(saved) or await new_population(server)
    population.save(saved)
    source = os.environ.get("BENCH_ROOMS_BOT_SOURCE")
    extra = {"BOT_RATE_LIMIT_COUNT": "10000", "BOT_RATE_LIMIT_WINDOW": "1", "LOG_LEVEL": "WARNING"}
    if source:
        extra["PYTHONPATH"] = source
    bot_dir = workdir / "bot"
    # The kept account is cross-signed by its first run: a later run's new device needs the
    # recovery key, kept with the population (a population kept without it is reset once).
    saved_key = keep / "recovery-key"
    if saved_key.exists():
        extra["MATRIX_CROSS_SIGNING_KEY"] = saved_key.read_text().strip()
    database = prepare_database(workdir / "bot.sqlite3")
    # A fresh store each run: a new device of the kept bot account (its keys are new).
    bot_account = await new_device(server, population.bot_account)
    person = await register(server, unique_name("mesure"))
    synapse_pid = _synapse_pid(server)
    rows: list[list[object]] = []
    measured: list[dict[str, float]] = []
    async with MatrixUser(server.url, person, workdir / "person") as user:
        room: str | None = None
        for size in sorted(SIZES):
            started = time.monotonic()
            await grow(server, population, size)
            population.save(saved)
            populate_s = time.monotonic() - started
            bot = BotProcess(server, bot_account, database, bot_dir, extra_env=extra)
            if not saved_key.exists():
                _keep_cross_signing(bot, population.bot_account.password, saved_key)
                extra["MATRIX_CROSS_SIGNING_KEY"] = saved_key.read_text().strip()
                bot = BotProcess(server, bot_account, database, bot_dir, extra_env=extra)
            try:
                bot.start(timeout=900)  # catches up with the rooms added since the last size
                if room is None:
                    room = await user.create_room(
                        [population.bot["user_id"]], encrypted=True, direct=True
                    )
                    await user.wait_for_join(room, population.bot["user_id"], within=120)
                await user.wait_for_reply(await user.send_text(room, COMMAND), within=120)
                bot.stop()
                figures = await _restart(bot, user, room, synapse_pid)
            finally:
                bot.stop()
            figures["rooms"] = float(population.rooms)
            measured.append(figures)
            rows.append(
                [
                    population.rooms,
                    figures["rss_mb"],
                    figures["healthz_s"],
                    figures["first_reply_s"],
                    figures["p50_ms"],
                    figures["p95_ms"],
                    figures["bot_cpu_ms"],
                    figures["hs_cpu_ms"],
                    populate_s,
                ]
            )
    table = Table(
        "a bot in many rooms: its restart and its replies",
        [
            "rooms",
            "RSS MB",
            "start→/healthz s",
            "start→1st reply s",
            "p50 ms",
            "p95 ms",
            "bot CPU ms/cmd",
            "HS CPU ms/cmd",
            "populate s",
        ],
        rows,
    )
    xs = [m["rooms"] for m in measured]
    notes = [f"bot from {source or 'this checkout'}; {COMMANDS} commands {COMMAND!r} per size"]
    for key, unit, scale, label in (
        ("first_reply_s", "ms", 1000.0, "start → first reply"),
        ("healthz_s", "ms", 1000.0, "start → /healthz"),
        ("rss_mb", "KB", 1024.0, "RSS after restart"),
        ("p50_ms", "ms", 1.0, "reply p50"),
    ):
        slope, intercept = _fit(xs, [m[key] for m in measured])
        at = intercept + slope * EXTRAPOLATE_TO
        notes.append(
            f"{label}: {slope * scale:+.3f} {unit} per room; at {EXTRAPOLATE_TO:,} rooms "
            f"≈ {at:.1f} {'s' if key.endswith('_s') else 'MB' if key == 'rss_mb' else 'ms'}"
        )
    small, large = measured[0], measured[-1]
    if len(measured) > 1:
        growth = (large["first_reply_s"] - small["first_reply_s"]) / (
            large["rooms"] - small["rooms"]
        )
        ratio = large["p50_ms"] / small["p50_ms"]
        verdict = [
            ("first reply ≤ 3 s", large["first_reply_s"] <= TARGET_FIRST_REPLY_S),
            ("growth ≤ 1 ms/room", growth * 1000 <= TARGET_GROWTH_MS),
            ("RSS ≤ 115 MB", large["rss_mb"] <= TARGET_RSS_MB),
            ("p50 ratio ≤ 1.3", ratio <= TARGET_P50_RATIO),
        ]
        notes.append(
            f"targets at {large['rooms']:.0f} vs {small['rooms']:.0f} rooms: "
            + ", ".join(f"{name}: {'ok' if ok else 'ABOVE'}" for name, ok in verdict)
            + f" (growth {growth * 1000:.2f} ms/room, p50 ratio {ratio:.2f})"
        )
    table.notes += notes
    return table


def _keep_cross_signing(bot: object, password: str, saved_key: Path) -> None:
    """Make sure `saved_key` holds the recovery key of the bot account's cross-signing keys:
    bootstrap them (first run) or, when they exist without a kept key, replace them."""
    import re
    import subprocess
    import sys

    from tests.e2e.bot_process import BotProcess

    assert isinstance(bot, BotProcess)
    if saved_key.exists():
        return
    env = dict(bot.env)  # the new device's token; the password goes to standard input
    env.pop("MATRIX_CROSS_SIGNING_KEY", None)
    for args in (["bootstrap"], ["reset", "--yes", "--password-stdin"]):
        done = subprocess.run(
            [sys.executable, "-m", "bot", "crypto", *args],
            env=env, input=password, capture_output=True, text=True, check=False,
        )  # fmt: skip
        found = re.search(r"MATRIX_CROSS_SIGNING_KEY=(\S+)", done.stdout + done.stderr)
        if found:
            saved_key.write_text(found.group(1) + "\n")
            return
    raise RuntimeError(f"no recovery key for the bot account:\n{done.stdout}{done.stderr}")


async def _restart(
    bot: object, user: object, room: str, synapse_pid: int | None
) -> dict[str, float]:
    """Start the stopped bot and measure its restart and its replies."""
    from tests.e2e.bot_process import BotProcess
    from tests.e2e.matrix_user import MatrixUser

    assert isinstance(bot, BotProcess) and isinstance(user, MatrixUser)
    import subprocess
    import sys

    bot.workdir.mkdir(parents=True, exist_ok=True)
    log = bot.log_path.open("ab")
    started = time.monotonic()
    # Not BotProcess.start(): it waits for /healthz, and the first reply may come first.
    bot.process = subprocess.Popen(  # noqa: ASYNC220 (Popen returns at once)
        [sys.executable, "-m", "bot", "run"],
        cwd=bot.workdir,
        env=bot.env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    healthz_s: float | None = None
    first_reply_s: float | None = None
    sent: list[str] = []
    next_send = started
    while first_reply_s is None or healthz_s is None:
        now = time.monotonic()
        if now - started > 600:
            raise TimeoutError(f"no restart within 600 s:\n{bot.log()}")
        if bot.process.poll() is not None:
            raise RuntimeError(f"the bot exited:\n{bot.log()}")
        if healthz_s is None and (await asyncio.to_thread(bot.health))[0] == 200:
            healthz_s = time.monotonic() - started
        if first_reply_s is None:
            if now >= next_send:
                sent.append(await user.send_text(room, COMMAND))
                next_send = now + 0.25
            answered = [r for e in sent for r in user.replies_to(e)]
            if answered:
                first_reply_s = min(r.seen_at for r in answered) - started
        await asyncio.sleep(0.02)
    for event_id in sent[-3:]:  # the later ones are answered too; let them land
        try:
            await user.wait_for_reply(event_id, within=30)
        except TimeoutError:
            pass
    await asyncio.sleep(1.0)
    rss = _rss_mb(bot.process.pid)
    bot_cpu0 = _cpu_s(bot.process.pid)
    hs_cpu0 = _cpu_s(synapse_pid) if synapse_pid else float("nan")
    latencies = []
    for _ in range(COMMANDS):
        begun = time.monotonic()
        reply = await user.wait_for_reply(await user.send_text(room, COMMAND), within=60)
        latencies.append((reply.seen_at - begun) * 1000)
        await asyncio.sleep(0.05)
    bot_cpu = _cpu_s(bot.process.pid) - bot_cpu0
    hs_cpu = (_cpu_s(synapse_pid) - hs_cpu0) if synapse_pid else float("nan")
    return {
        "rss_mb": rss,
        "healthz_s": healthz_s,
        "first_reply_s": first_reply_s,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "bot_cpu_ms": bot_cpu * 1000 / COMMANDS,
        "hs_cpu_ms": hs_cpu * 1000 / COMMANDS,
    }
