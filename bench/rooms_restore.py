"""A bot in 42,000 rooms, at start, without a homeserver: what restoring its stores costs.

`bench/rooms.py` measures the real bot on the real Synapse, but populating Synapse costs about a
second per room, so it stops at a few thousand rooms and can only fit a line. This benchmark
builds, for N rooms, the two stores a bot of that size has on disk and measures, in a fresh
process each time (for an honest RSS), what `bureau-volant run` does with them at start:

- the rooms' state file (`rooms.sqlite3`): half encrypted direct chats, each with its own agent,
  half team rooms of 5–10 members drawn from those agents (as `tests/e2e/populate.py` builds);
- nio's crypto store, as the bot leaves it after answering everyone once: each agent has 1–2
  devices (keys in nio's device table, and in its "ignored devices" trust file, since the bot
  encrypts for unverified devices), one Olm session per device, one inbound Megolm session per
  room, and every agent's device list tracked.

Measured: nio's `load_store` (account, Olm and Megolm sessions, device keys and trust files),
the rooms' restore (`RoomKeeper.restore`), RSS after each, a direct room's look-up, the cost of
encrypting for one direct chat (nio's trust checks are made per device of the room), and, for
comparison, what building every room at once costs (the start did it before) and the scan of
every room the direct-room index replaced.

BENCH_RESTORE_ROOMS="2000,10000,42000" (default); BENCH_RESTORE_STORE=nio measures nio's own
store class instead of the bot's (the "before" of the crypto store).
"""

from __future__ import annotations

import base64
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import Table

SIZES = [
    int(n)
    for n in os.environ.get("BENCH_RESTORE_ROOMS", "2000,10000,42000").split(",")
    if n.strip()
]
EXTRAPOLATE_TO = 42_000
BOT = "@bureau-volant:bench.test"
DEVICE = "BENCHBOT"
HOMESERVER = "http://127.0.0.1:9"  # never contacted
DISTINCT_SESSIONS = 64  # real Olm/Megolm pickles, reused across rows (loading costs the same)


def run() -> list[Table]:
    """The restore table: one fresh process per size."""
    rows: list[list[object]] = []
    measured: list[dict[str, float]] = []
    store_kind = os.environ.get("BENCH_RESTORE_STORE", "bot")
    for size in SIZES:
        with tempfile.TemporaryDirectory(prefix="bench-restore-") as tmp:
            started = time.perf_counter()
            built = build(Path(tmp), size)
            build_s = time.perf_counter() - started
            output = subprocess.run(
                [sys.executable, "-m", "bench.rooms_restore", "--measure", tmp, store_kind],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            figures = json.loads(output.strip().splitlines()[-1])
        figures.update(built)  # the totals on disk (the child counts what is in memory)
        measured.append(figures)
        rows.append(
            [
                size,
                int(figures["devices_total"]),
                int(figures["olm_total"] + figures["megolm_total"]),
                figures["nio_load_s"],
                figures["devices_load_s"],
                figures["rooms_start_s"],
                figures["rss_crypto_mb"],
                figures["rss_rooms_mb"],
                figures["rss_total_mb"],
                figures["dm_first_us"],
                figures["dm_index_us"],
                figures["encrypt_dm_ms"],
                figures["all_rooms_s"],
                figures["rss_all_rooms_mb"],
                figures["dm_scan_ms"],
                build_s,
            ]
        )
    table = Table(
        f"a bot in many rooms: restoring its stores at start ({store_kind}'s crypto store)",
        [
            "rooms",
            "devices",
            "sessions",
            "nio load s",
            "of which devices s",
            "rooms start s",
            "RSS crypto MB",
            "RSS rooms MB",
            "RSS total MB",
            "DM 1st µs",
            "DM µs",
            "encrypt DM ms",
            "every room s",
            "every room MB",
            "DM scan ms",
            "build s",
        ],
        rows,
    )
    table.notes.append(
        "half encrypted direct chats, half team rooms of 5–10 members; each agent 1–2 devices, "
        "one Olm session per device, one inbound Megolm session per room, all devices ignored "
        "(the bot encrypts for unverified devices)"
    )
    table.notes.append(
        "nio load: nio's load_store (account, sessions, devices, trust files); rooms start: the "
        "rooms' restore (ids and direct index; each room is read when first needed); RSS "
        "crypto/rooms: growth over the process after imports, after each; RSS total: the "
        "process after both"
    )
    table.notes.append(
        "DM 1st / DM: the bot's direct-room look-up, the first time (the room is read from the "
        "file) and after; encrypt DM: a new Megolm session shared in one direct chat (nio's "
        "trust checks, an Olm session read and written); every room s / MB: building every "
        "room at once, as the start did before (and the RSS it adds); DM scan: the scan of "
        "every room the index replaced"
    )
    xs = [m["rooms"] for m in measured]
    for key, unit, scale, label in (
        ("nio_load_s", "ms", 1000.0, "nio load_store"),
        ("rooms_start_s", "ms", 1000.0, "rooms start"),
        ("all_rooms_s", "ms", 1000.0, "every room read at once"),
        ("rss_total_mb", "KB", 1024.0, "RSS after start"),
    ):
        if len(xs) < 2:
            break
        ys = [m[key] for m in measured]
        slope = (ys[-1] - ys[0]) / (xs[-1] - xs[0])
        at = ys[-1] + slope * (EXTRAPOLATE_TO - xs[-1])
        table.notes.append(
            f"{label}: {slope * scale:+.3f} {unit} per room between {xs[0]:,.0f} and "
            f"{xs[-1]:,.0f} rooms; at {EXTRAPOLATE_TO:,} ≈ {at:.1f} "
            f"{'MB' if key.startswith('rss') else 's'}"
        )
    return [table]


# -- building the stores -------------------------------------------------------------------------


def _key(rng: random.Random) -> str:
    return base64.b64encode(rng.randbytes(32)).decode().rstrip("=")


def build(directory: Path, rooms: int, seed: int = 15) -> dict[str, float]:
    """Write a room-state file and a nio crypto store for `rooms` rooms into `directory`."""
    import vodozemac
    from nio import AsyncClient, AsyncClientConfig
    from nio.crypto.sessions import InboundGroupSession, Session
    from nio.store.models import (
        DeviceKeys,
        EncryptedRooms,
        Keys,
        MegolmInboundSessions,
        OlmSessions,
        TrackedUsers,
    )

    from bot.transport.matrix_roomstate import RoomSnapshot, RoomStateStore

    rng = random.Random(seed)
    client = AsyncClient(
        HOMESERVER,
        BOT,
        device_id=DEVICE,
        store_path=str(directory),
        config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False),
    )
    client.user_id = BOT
    client.load_store()
    store = client.store
    assert store is not None and client.olm is not None
    account = store._get_account()
    pickle_key = store.pickle_key

    # A few real sessions, their pickles reused: loading one costs the same whatever its keys.
    remote = vodozemac.Account()
    remote.generate_one_time_keys(DISTINCT_SESSIONS)
    olm_pickles = [
        Session(
            client.olm.account._account.create_outbound_session(remote.curve25519_key, otk)
        ).pickle(pickle_key)
        for otk in remote.one_time_keys.values()
    ]
    megolm_pickles = []
    for _ in range(DISTINCT_SESSIONS):
        outbound = vodozemac.GroupSession()
        inbound = InboundGroupSession(
            outbound.session_key.to_base64(), _key(rng), _key(rng), "!x:bench.test"
        )
        megolm_pickles.append(inbound.pickle(pickle_key))

    agents = [f"@agent{i:05d}:bench.test" for i in range(rooms // 2)]
    devices: dict[str, list[tuple[str, str, str]]] = {}  # agent → [(device, ed25519, curve)]
    for agent in agents:
        devices[agent] = [
            (f"DEV{n}{rng.randrange(10**8):08d}", _key(rng), _key(rng))
            for n in range(1 if rng.random() < 0.5 else 2)
        ]
    direct = {agent: f"!dm{i:05d}:bench.test" for i, agent in enumerate(agents)}
    teams: dict[str, list[str]] = {}
    for j in range(rooms - len(agents)):
        teams[f"!team{j:05d}:bench.test"] = rng.sample(
            agents, min(len(agents), rng.randint(5, 10))
        )

    now = datetime.now()
    db = store.database
    with db.bind_ctx([*store.models, TrackedUsers]), db.atomic():
        db.create_tables([TrackedUsers], safe=True)
        rows: list[dict[str, Any]] = [
            {
                "account": account.id,
                "user_id": a,
                "device_id": d,
                "display_name": "Element",
                "deleted": False,
            }
            for a in agents
            for d, _, _ in devices[a]
        ]
        for start in range(0, len(rows), 500):
            DeviceKeys.insert_many(rows[start : start + 500]).execute()
        ids = {
            (row.user_id, row.device_id): row.id
            for row in DeviceKeys.select(DeviceKeys.id, DeviceKeys.user_id, DeviceKeys.device_id)
        }
        keys = [
            {"key_type": kind, "key": key, "device": ids[(a, d)]}
            for a in agents
            for d, ed, curve in devices[a]
            for kind, key in (("ed25519", ed), ("curve25519", curve))
        ]
        for start in range(0, len(keys), 500):
            Keys.insert_many(keys[start : start + 500]).execute()
        olm = [
            {
                "session_id": f"olm{n}",
                "creation_time": now - timedelta(days=3),
                "last_usage_date": now,
                "sender_key": curve,
                "account": account.id,
                "session": olm_pickles[n % DISTINCT_SESSIONS],
            }
            for n, (_, _, curve) in enumerate(x for a in agents for x in devices[a])
        ]
        for start in range(0, len(olm), 500):
            OlmSessions.insert_many(olm[start : start + 500]).execute()
        megolm = []
        for n, (room_id, sender) in enumerate(
            [(direct[a], a) for a in agents] + [(r, m[0]) for r, m in teams.items()]
        ):
            _, ed, curve = devices[sender][0]
            megolm.append(
                {
                    "session_id": f"megolm{n}",
                    "sender_key": curve,
                    "account": account.id,
                    "fp_key": ed,
                    "room_id": room_id,
                    "session": megolm_pickles[n % DISTINCT_SESSIONS],
                }
            )
        for start in range(0, len(megolm), 500):
            MegolmInboundSessions.insert_many(megolm[start : start + 500]).execute()
        encrypted = [{"room_id": r, "account": account.id} for r in direct.values()]
        for start in range(0, len(encrypted), 500):
            EncryptedRooms.insert_many(encrypted[start : start + 500]).execute()
        tracked = [{"user_id": a, "account": account.id} for a in agents]
        for start in range(0, len(tracked), 500):
            TrackedUsers.insert_many(tracked[start : start + 500]).execute()
    # nio's trust file of ignored devices: every device the bot encrypted for, unverified.
    ignored = directory / f"{BOT}_{DEVICE}.ignored_devices"
    ignored.write_text(
        "".join(f"{a} {d} matrix-ed25519 {ed}\n" for a in agents for d, ed, _ in devices[a])
    )
    store.save_sync_token("s_bench_1")
    store.database.close()

    state = RoomStateStore(directory)
    state.open()
    bot_member = [None, False]
    snapshots = [
        RoomSnapshot(
            room_id=room_id,
            encrypted=True,
            room_version="10",
            members={BOT: bot_member, agent: [f"Agent {agent[6:11]}", False]},
            members_synced=True,
            joined_count=2,
            invited_count=0,
            power_users={BOT: 100, agent: 100},
        )
        for agent, room_id in direct.items()
    ]
    snapshots += [
        RoomSnapshot(
            room_id=room_id,
            name=f"Équipe {room_id[5:10]}",
            room_version="10",
            members={BOT: bot_member, **{m: [f"Agent {m[6:11]}", False] for m in members}},
            members_synced=True,
            joined_count=len(members) + 1,
            invited_count=0,
            power_users={members[0]: 100, BOT: 50},
        )
        for room_id, members in teams.items()
    ]
    state.save(snapshots)
    state.load_direct(BOT)  # the direct-room index, as the bot keeps it
    state.close()
    return {
        "rooms": float(rooms),
        "agents": float(len(agents)),
        "devices_total": float(len(rows)),
        "olm_total": float(len(olm)),
        "megolm_total": float(len(megolm)),
    }


# -- measuring, in a fresh process ----------------------------------------------------------------


def _rss_mb() -> float:
    gc.collect()
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _timed(owner: type, name: str, times: dict[str, float]) -> None:
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            times[name] = times.get(name, 0.0) + time.perf_counter() - started

    setattr(owner, name, wrapper)


def measure(directory: Path, store_kind: str) -> dict[str, float]:
    """What the bot does at start with the stores in `directory`."""
    from nio import AsyncClient
    from nio.store import DefaultStore

    from bot.transport import matrix_client
    from bot.transport.matrix_crypto import crypto_memory, restore_tracked_users
    from bot.transport.matrix_rooms import RoomKeeper
    from bot.transport.matrix_sender import Sender
    from bot.transport.matrix_session import Credentials

    rss_start = _rss_mb()
    client: AsyncClient = matrix_client._new_client(
        HOMESERVER, BOT, directory, Credentials(HOMESERVER, BOT, DEVICE, "token")
    )
    if store_kind == "nio":
        client.config.store = DefaultStore
    store_class = client.config.store
    assert store_class is not None
    times: dict[str, float] = {}
    for name in (
        "load_account",
        "load_sessions",
        "load_inbound_group_sessions",
        "load_device_keys",
    ):
        _timed(store_class, name, times)
    started = time.perf_counter()
    client.restore_login(BOT, DEVICE, "token")
    nio_load_s = time.perf_counter() - started
    restore_tracked_users(client)
    rss_crypto = _rss_mb()

    keeper = RoomKeeper(directory, BOT)
    started = time.perf_counter()
    keeper.restore(client, has_token=True)
    rooms_s = time.perf_counter() - started
    rss_rooms = _rss_mb()

    def spawn(coro: Any, name: str) -> Any:
        coro.close()

    agents = sorted(u for u in keeper.direct._by_user)
    rng = random.Random(1)
    picks = [rng.choice(agents) for _ in range(2_000)]
    sender = Sender(client, spawn, direct_index=keeper.direct)
    started = time.perf_counter()
    for agent in picks:  # the first look-up of a room reads it from the file
        assert sender.find_direct_room(agent) is not None
    dm_first_us = (time.perf_counter() - started) / len(picks) * 1e6
    started = time.perf_counter()
    for agent in picks:
        sender.find_direct_room(agent)
    dm_index_us = (time.perf_counter() - started) / len(picks) * 1e6

    olm = client.olm
    assert olm is not None
    started = time.perf_counter()
    for agent in picks[:20]:
        room_id = keeper.direct.get(agent)
        assert room_id is not None
        olm.share_group_session(room_id, [agent, BOT], ignore_unverified_devices=True)
    encrypt_dm_ms = (time.perf_counter() - started) / 20 * 1000
    memory = crypto_memory(client)
    rss_before_all = _rss_mb()

    # What the start did before rooms were read when needed: every room built at once.
    started = time.perf_counter()
    keeper.restore_all(client)
    all_rooms_s = time.perf_counter() - started
    rss_all_rooms = _rss_mb() - rss_before_all
    scanner = Sender(client, spawn)
    started = time.perf_counter()
    for agent in picks[:20]:
        scanner.find_direct_room(agent)
    dm_scan_ms = (time.perf_counter() - started) / 20 * 1000

    return {
        "nio_load_s": nio_load_s,
        "devices_load_s": times.get("load_device_keys", 0.0),
        "sessions_load_s": times.get("load_sessions", 0.0)
        + times.get("load_inbound_group_sessions", 0.0),
        "rooms_start_s": rooms_s,
        "all_rooms_s": all_rooms_s,
        "rss_all_rooms_mb": rss_all_rooms,
        "dm_first_us": dm_first_us,
        "rss_start_mb": rss_start,
        "rss_crypto_mb": rss_crypto - rss_start,
        "rss_rooms_mb": rss_rooms - rss_crypto,
        "rss_total_mb": rss_rooms,
        "dm_index_us": dm_index_us,
        "dm_scan_ms": dm_scan_ms,
        "encrypt_dm_ms": encrypt_dm_ms,
        "devices": float(memory.get("devices", 0)),
        "olm_sessions": float(memory.get("olm_sessions", 0)),
        "megolm_sessions": float(memory.get("megolm_sessions", 0)),
        "nio_rooms": float(len(client.rooms)),
    }


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        import logging

        logging.basicConfig(level=logging.ERROR)
        print(json.dumps(measure(Path(sys.argv[2]), sys.argv[3])))
    else:
        for table in run():
            print(table.render())
