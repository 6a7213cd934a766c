"""Encryption bookkeeping at scale, on top of matrix-nio's crypto store.

- Tracked users: nio remembers the devices it queried (`DeviceKeys`) but not *whose* device lists
  it tracks: its `TrackedUsers` table exists and is never used, so after every restart each member
  of each encrypted room looked untracked and nio queried all of their keys in one request. Here
  the tracked users are saved in that table after each key query and given back to nio at start;
  the sync's `device_lists.changed` (since the saved token) still tells which ones changed.
- Key queries go in batches of `KEY_QUERY_BATCH` users, not one request for everybody.
- Inbound Megolm sessions older than the retention are deleted from the store and from memory
  (nio keeps every session ever received, in memory, for ever). Their age is counted from when
  the bot first saw them (nio keeps no date); the bot never needs to read old messages again.
- With the bot's store (`matrix_store`) devices, Olm and Megolm sessions are read on demand;
  those idle for an hour leave memory again (`forget_idle_sessions`).
"""

from __future__ import annotations

import logging
import math
import sqlite3
import time
from typing import Any

from nio import AsyncClient, KeysQueryResponse
from nio.api import Api
from nio.store.models import MegolmInboundSessions, TrackedUsers

log = logging.getLogger(__name__)

KEY_QUERY_BATCH = 200
SESSION_TABLE = "CREATE TABLE IF NOT EXISTS megolm_seen (session_id TEXT PRIMARY KEY, seen REAL)"


def _store(client: AsyncClient) -> Any:
    store = client.store
    if store is None or not hasattr(store, "database"):
        return None
    return store


def restore_tracked_users(client: AsyncClient) -> set[str]:
    """Give nio back the users whose device lists it tracked before the restart."""
    store = _store(client)
    if store is None or client.olm is None:
        return set()
    account = store._get_account()
    if account is None:
        return set()
    with store.database.bind_ctx([TrackedUsers]):
        store.database.create_tables([TrackedUsers], safe=True)
        users = {
            row.user_id
            for row in TrackedUsers.select(TrackedUsers.user_id).where(
                TrackedUsers.account == account.id
            )
        }
    client.olm.tracked_users.update(users)
    client.olm.users_for_key_query.difference_update(users)
    return users


def save_tracked_users(client: AsyncClient, users: set[str]) -> None:
    """Remember that these users' device lists are tracked (after a key query answered)."""
    store = _store(client)
    if store is None or not users:
        return
    account = store._get_account()
    if account is None:
        return
    rows = [{"user_id": u, "account": account.id} for u in sorted(users)]
    with store.database.bind_ctx([TrackedUsers]), store.database.atomic():
        store.database.create_tables([TrackedUsers], safe=True)
        for start in range(0, len(rows), 500):
            TrackedUsers.insert_many(rows[start : start + 500]).on_conflict_ignore().execute()


def save_new_tracked_users(client: AsyncClient, saved: set[str]) -> int:
    """Save the users nio started tracking since the last call (`saved`: those already saved,
    updated); nio's own key queries (before encrypting) are covered too."""
    if client.olm is None:
        return 0
    new = client.olm.tracked_users - saved
    if new:
        save_tracked_users(client, new)
        saved.update(new)
    return len(new)


async def query_keys_in_batches(client: AsyncClient, batch: int = KEY_QUERY_BATCH) -> int:
    """Query the device keys nio wants, `batch` users per request; returns the users queried."""
    olm = client.olm
    if olm is None:
        return 0
    queried = 0
    while olm.users_for_key_query:
        users = set(sorted(olm.users_for_key_query)[:batch])
        method, path, data = Api.keys_query(client.access_token, users)
        response = await client._send(KeysQueryResponse, method, path, data)
        if not isinstance(response, KeysQueryResponse):
            log.warning("key query for %d users failed: %s", len(users), response)
            return queried
        # Users the homeserver did not answer for (remote failures) are asked again later,
        # on their next device-list change, not in a loop now.
        olm.users_for_key_query.difference_update(users)
        answered = set(response.device_keys) & users
        olm.tracked_users.update(answered)
        queried += len(users)
    return queried


def prune_megolm_sessions(
    client: AsyncClient, seen_db: sqlite3.Connection, max_age_s: float
) -> int:
    """Note when inbound Megolm sessions were first seen; delete those older than `max_age_s`
    (from nio's store and from memory). Returns how many were deleted."""
    olm = client.olm
    store = _store(client)
    if olm is None or store is None:
        return 0
    now = time.time()
    seen_db.execute(SESSION_TABLE)
    entries = olm.inbound_group_store._entries
    in_memory = {
        session_id: (room_id, sender_key)
        for room_id, by_sender in list(entries.items())
        for sender_key, sessions in by_sender.items()
        for session_id in sessions
    }
    # Sessions are read per room when needed (`matrix_store`): those only on disk count too.
    with store.database.bind_ctx([MegolmInboundSessions]):
        on_disk = [
            row[0]
            for row in MegolmInboundSessions.select(MegolmInboundSessions.session_id).tuples()
        ]
    seen_db.executemany(
        "INSERT OR IGNORE INTO megolm_seen VALUES (?, ?)",
        [(s, now) for s in {*in_memory, *on_disk}],
    )
    old = [
        row[0]
        for row in seen_db.execute(
            "SELECT session_id FROM megolm_seen WHERE seen < ?", (now - max_age_s,)
        )
    ]
    if not old:
        return 0
    for session_id in old:
        where = in_memory.get(session_id)
        if where is not None:
            entries[where[0]][where[1]].pop(session_id, None)
    with store.database.bind_ctx([MegolmInboundSessions]), store.database.atomic():
        for start in range(0, len(old), 500):
            chunk = old[start : start + 500]
            MegolmInboundSessions.delete().where(
                MegolmInboundSessions.session_id.in_(chunk)
            ).execute()
    seen_db.executemany("DELETE FROM megolm_seen WHERE session_id = ?", [(s,) for s in old])
    log.info("deleted %d inbound Megolm sessions older than the retention", len(old))
    return len(old)


def forget_idle_sessions(client: AsyncClient, idle_s: float) -> tuple[int, int, int]:
    """Drop from memory the Olm sessions of devices, the Megolm sessions of rooms and the
    devices of users unused for `idle_s` (they stay in the store and are read again when
    needed: `matrix_store`); returns how many (sender keys, rooms, users) were dropped."""
    olm = client.olm
    if olm is None:
        return 0, 0, 0
    forget_olm = getattr(olm.session_store, "forget_idle", None)
    forget_megolm = getattr(olm.inbound_group_store, "forget_idle", None)
    forget_devices = getattr(olm.device_store, "forget_idle", None)
    sessions = forget_olm(idle_s) if forget_olm is not None else 0
    rooms = forget_megolm(idle_s) if forget_megolm is not None else 0
    users = 0
    if forget_devices is not None:
        # nio holds these device objects for later: their users stay.
        keep = {d.user_id for d in olm.wedged_devices}
        keep |= {d.user_id for d in olm.key_request_devices_no_session}
        keep |= {
            sas.other_olm_device.user_id
            for sas in olm.key_verifications.values()
            if getattr(sas, "other_olm_device", None) is not None
        }
        users = forget_devices(idle_s, keep)
    if sessions or rooms or users:
        log.debug(
            "idle crypto state dropped from memory: %d devices' sessions, %d rooms' sessions, "
            "%d users' devices",
            sessions,
            rooms,
            users,
        )
    return int(sessions), int(rooms), int(users)


def forget_idle_outbound(client: AsyncClient, last_sent: dict[str, float], idle_s: float) -> int:
    """Drop the outgoing Megolm sessions of rooms the bot has not written to for `idle_s` (nio
    keeps one per room it ever wrote to, in memory only, for ever); the next message there
    starts a new one, as after a restart. `last_sent`: room → when the bot last sent there
    (`Sender.last_sent`), pruned too. Returns how many were dropped."""
    olm = client.olm
    if olm is None:
        return 0
    now = time.monotonic()
    # A room never written to by this process is idle (not "written to at monotonic 0": the
    # monotonic clock starts at boot, so that would keep it for the first `idle_s` of uptime).
    idle = [
        room_id
        for room_id in olm.outbound_group_sessions
        if now - last_sent.get(room_id, -math.inf) > idle_s
    ]
    for room_id in idle:
        del olm.outbound_group_sessions[room_id]
    for room_id in [r for r, at in last_sent.items() if now - at > idle_s]:
        del last_sent[room_id]
    return len(idle)


def crypto_memory(client: AsyncClient) -> dict[str, int]:
    """What nio holds in memory (devices, Olm sessions, inbound Megolm sessions, tracked users)."""
    olm = client.olm
    if olm is None:
        return {}
    devices = sum(
        len(list(olm.device_store.active_user_devices(u))) for u in olm.device_store.users
    )
    olm_sessions = sum(len(s) for s in olm.session_store._entries.values())
    group_store = olm.inbound_group_store
    in_memory = getattr(group_store, "in_memory", None)  # lazy store: do not read them all
    megolm = in_memory() if in_memory is not None else sum(1 for _ in group_store)
    return {
        "devices": devices,
        "olm_sessions": olm_sessions,
        "megolm_sessions": megolm,
        "tracked_users": len(olm.tracked_users),
        "outbound_sessions": len(olm.outbound_group_sessions),
    }
