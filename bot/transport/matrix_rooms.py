"""The transport's knowledge of its rooms, across restarts (`RoomKeeper`).

At start the rooms saved in `rooms.sqlite3` (`matrix_roomstate`) are given back to nio as if a
full-state sync had just delivered them, so the sync resumes from the saved token with no full
state: each room is read from the file when it is first needed (`LazyRooms`), the direct-room
index at once. After each sync batch the rooms it changed are saved. A room the bot knows
nothing about (its state file was lost or damaged, or it joined while lazily loading members)
has its state fetched when a command comes from it (`ensure_known`), and, after a loss, every
such room is fetched in the background in small batches (`backfill`): never inside the sync
loop's guard, never blocking the event loop for long, so /healthz keeps answering.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    JoinedRoomsResponse,
    MatrixRoom,
    RoomEncryptionEvent,
    RoomGetStateResponse,
    RoomMemberEvent,
    SyncResponse,
)
from nio.events.room_events import Event

from bot.transport.matrix_inbound import privileged_creators
from bot.transport.matrix_roomstate import DirectIndex, RoomSnapshot, RoomStateStore

log = logging.getLogger(__name__)

BACKFILL_BATCH = 8  # room state requests in flight at once while rebuilding lost state
STATE_EVENT_TYPES_SAVED = frozenset(
    {
        "m.room.member",
        "m.room.power_levels",
        "m.room.create",
        "m.room.encryption",
        "m.room.name",
        "m.room.canonical_alias",
    }
)


class LazyRooms(dict[str, MatrixRoom]):
    """nio's `client.rooms`, whose saved rooms become `MatrixRoom`s only when first asked for.

    Building every room at start cost ~0.07 ms and ~7 KB a room (3 s and 280 MB at 42,000
    rooms, `bench/rooms_restore.py`), for rooms most of which say nothing for days. Asking for a
    room (`in`, `get`, `[]`) reads it from the room-state file: nio asks for each room a sync
    batch mentions before it applies the batch, the transport for the room of each command and
    each message it sends. Iterating, and `len`, see only the rooms read so far. Rooms nobody
    asked for in an hour go back to the file (`forget_idle`, from `RoomKeeper.forget_idle`).
    """

    def __init__(self, materialize: Callable[[str], MatrixRoom | None]) -> None:
        super().__init__()
        self._materialize = materialize
        self.pending: set[str] = set()  # saved rooms not read yet
        self._used: dict[str, float] = {}  # room → when it was last asked for

    def _take(self, room_id: str) -> MatrixRoom | None:
        if room_id not in self.pending:
            return None
        self.pending.discard(room_id)
        room = self._materialize(room_id)
        if room is not None:
            dict.__setitem__(self, room_id, room)
            self._used[room_id] = time.monotonic()
        return room

    def __contains__(self, room_id: object) -> bool:
        if dict.__contains__(self, room_id):
            self._used[room_id] = time.monotonic()  # type: ignore[index]
            return True
        return isinstance(room_id, str) and self._take(room_id) is not None

    def __getitem__(self, room_id: str) -> MatrixRoom:
        if dict.__contains__(self, room_id):
            self._used[room_id] = time.monotonic()
            return dict.__getitem__(self, room_id)
        room = self._take(room_id)
        if room is None:
            raise KeyError(room_id)
        return room

    def get(self, room_id: str, default: Any = None) -> Any:
        if dict.__contains__(self, room_id):
            self._used[room_id] = time.monotonic()
            return dict.__getitem__(self, room_id)
        room = self._take(room_id)
        return default if room is None else room

    def __setitem__(self, room_id: str, room: MatrixRoom) -> None:
        self.pending.discard(room_id)
        self._used[room_id] = time.monotonic()
        dict.__setitem__(self, room_id, room)

    def forget_idle(
        self, idle_s: float, saved: Callable[[str], bool], now: float | None = None
    ) -> int:
        """Put back on file the rooms nobody asked for in `idle_s` seconds and whose state is
        saved (`saved(room_id)`): read again when next needed. Returns how many."""
        now = time.monotonic() if now is None else now
        idle = [
            room_id
            for room_id in dict.keys(self)
            if now - self._used.get(room_id, 0.0) > idle_s and saved(room_id)
        ]
        for room_id in idle:
            dict.__delitem__(self, room_id)
            self._used.pop(room_id, None)
            self.pending.add(room_id)
        return len(idle)

    def __delitem__(self, room_id: str) -> None:
        self.pending.discard(room_id)
        self._used.pop(room_id, None)
        dict.__delitem__(self, room_id)

    def pop(self, room_id: str, *default: Any) -> Any:
        self.pending.discard(room_id)
        self._used.pop(room_id, None)
        return dict.pop(self, room_id, *default)


class RoomKeeper:
    """Restores, saves and fetches the rooms' state; keeps the direct-room index."""

    def __init__(self, store_path: Path, own_user_id: str) -> None:
        self.store = RoomStateStore(store_path)
        self.own_user_id = own_user_id
        self.direct = DirectIndex(own_user_id)
        # Room → its all-powerful creators (room versions 12+); nio does not keep them.
        self.creators: dict[str, frozenset[str]] = {}
        # Rooms whose state the bot has (restored, fetched, or delivered in full by a sync).
        self.known: set[str] = set()
        self._dirty: set[str] = set()
        self._fetching: dict[str, asyncio.Future[None]] = {}
        self.restored = 0
        self.needs_backfill = False

    # -- start and stop -------------------------------------------------------------------------

    def restore(self, client: AsyncClient, has_token: bool) -> int:
        """Give nio the saved rooms (read one by one when first needed: `LazyRooms`) and the
        direct-room index; returns how many rooms are on file."""
        started = time.perf_counter()
        self.store.open()
        room_ids = self.store.room_ids()
        for room_id, user_id, encrypted in self.store.load_direct(client.user_id):
            if room_id in room_ids:
                self.direct.update(
                    room_id, user_id, encrypted or room_id in client.encrypted_rooms
                )
        rooms = LazyRooms(lambda room_id: self._materialize(client, room_id))
        rooms.update(client.rooms)
        rooms.pending.update(room_ids - set(client.rooms))
        client.rooms = rooms
        self.known.update(room_ids)
        self.restored = len(room_ids)
        # A sync token without the rooms it stands for: their state is fetched again.
        self.needs_backfill = has_token and not room_ids
        log.info(
            "restored %d rooms in %.0f ms (%d direct; each room's state is read when needed)",
            len(room_ids),
            (time.perf_counter() - started) * 1000,
            len(self.direct),
        )
        return len(room_ids)

    def _materialize(self, client: AsyncClient, room_id: str) -> MatrixRoom | None:
        """A saved room as nio's `MatrixRoom` (as a full-state sync would have left it), or None
        when its row cannot be read (the room is then fetched again: `ensure_known`)."""
        snapshot = self.store.read(room_id)
        if snapshot is None:
            self.known.discard(room_id)
            return None
        if snapshot.encrypted or room_id in client.encrypted_rooms:
            snapshot.encrypted = True
            client.encrypted_rooms.add(room_id)
        room = snapshot.restore(client.user_id)
        self.creators[room_id] = frozenset(snapshot.creators)
        self.direct.update(room_id, snapshot.direct_with(client.user_id), snapshot.encrypted)
        if room.encrypted and client.olm is not None:
            client.olm.update_tracked_users(room)
        return room

    def forget_idle(self, client: AsyncClient, idle_s: float) -> int:
        """Rooms unused for `idle_s` leave memory (their state is on file, read when needed);
        not those with changes still to save, nor those being fetched."""
        rooms = client.rooms
        if not isinstance(rooms, LazyRooms):
            return 0

        def saved(room_id: str) -> bool:
            return (
                room_id in self.known
                and room_id not in self._dirty
                and room_id not in self._fetching
            )

        return rooms.forget_idle(idle_s, saved)

    def restore_all(self, client: AsyncClient) -> int:
        """Read every saved room now (diagnostics, benchmarks); returns how many were read."""
        rooms = client.rooms
        pending = list(rooms.pending) if isinstance(rooms, LazyRooms) else []
        return sum(1 for room_id in pending if rooms.get(room_id) is not None)

    def close(self) -> None:
        self.store.close()

    @property
    def seen_db(self) -> sqlite3.Connection | None:
        """The state file's connection (the crypto upkeep keeps its session dates there)."""
        return self.store._db

    # -- after each sync ------------------------------------------------------------------------

    def after_sync(self, client: AsyncClient, response: SyncResponse, full: bool) -> None:
        """Note the rooms this batch changed, then save them (`full`: the batch held the whole
        state of its rooms, as the very first sync does)."""
        for room_id, info in response.rooms.join.items():
            changed = full or room_id not in self.known
            for event in (*info.state, *info.timeline.events):
                source = getattr(event, "source", None)
                if isinstance(source, dict) and "state_key" in source:
                    if source.get("type") in STATE_EVENT_TYPES_SAVED:
                        changed = True
                creators = privileged_creators(event)
                if creators is not None:
                    self.creators[room_id] = creators
            room = client.rooms.get(room_id)
            if room is None:
                continue
            if info.timeline.limited and room.members_synced:
                # Lazy loading: a gap may hide membership changes of people who did not speak.
                room.members_synced = False
                changed = True
            if full:  # the very first sync: every member, not lazily loaded
                room.members_synced = True
                self.known.add(room_id)
            if changed:
                self._dirty.add(room_id)
        olm = client.olm
        if olm is not None:
            # nio looks for changed users in the rooms it holds; rooms not read yet are not
            # there: every tracked user whose devices changed is queried again.
            devices_changed = {*response.device_list.changed, *response.device_list.left}
            olm.add_changed_users(devices_changed & olm.tracked_users)
        left = [room_id for room_id in response.rooms.leave]
        for room_id in left:
            self.direct.forget(room_id)
            self.known.discard(room_id)
            self._dirty.discard(room_id)
            self.creators.pop(room_id, None)
        try:
            self.store.forget(left)
        except sqlite3.Error:
            log.exception("could not forget left rooms in the room state file")
        self.flush(client)

    def mark_changed(self, room_id: str) -> None:
        """A room's state changed outside a sync (members fetched): save it with the next batch."""
        self._dirty.add(room_id)

    def flush(self, client: AsyncClient) -> None:
        """Save the changed rooms (a failure is logged: the state is fetched again if lost)."""
        snapshots = []
        direct: list[tuple[str, str | None, bool]] = []
        for room_id in self._dirty:
            room = client.rooms.get(room_id)
            if room is None:
                continue
            snapshot = RoomSnapshot.of(room, self.creators.get(room_id, frozenset()))
            other = snapshot.direct_with(client.user_id)
            self.direct.update(room_id, other, snapshot.encrypted)
            snapshots.append(snapshot)
            direct.append((room_id, other, snapshot.encrypted))
        self._dirty.clear()
        try:
            self.store.save(snapshots, direct)
        except sqlite3.Error:
            log.exception("could not save the state of %d rooms", len(snapshots))

    # -- rooms the bot does not know -------------------------------------------------------------

    async def ensure_known(self, client: AsyncClient, room_id: str) -> MatrixRoom | None:
        """The room with its full state, fetched first if the bot does not know it."""
        if room_id in self.known and room_id in client.rooms:
            return client.rooms[room_id]
        pending = self._fetching.get(room_id)
        if pending is not None:
            await asyncio.shield(pending)
        else:
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._fetching[room_id] = future
            try:
                await self._fetch_state(client, room_id)
            finally:
                future.set_result(None)
                del self._fetching[room_id]
        return client.rooms.get(room_id)

    async def _fetch_state(self, client: AsyncClient, room_id: str) -> None:
        response = await client.room_get_state(room_id)
        if not isinstance(response, RoomGetStateResponse):
            log.warning("could not fetch the state of %s: %s", room_id, response)
            return
        room = client.rooms.get(room_id)
        if room is None:
            room = MatrixRoom(room_id, client.user_id, room_id in client.encrypted_rooms)
            client.rooms[room_id] = room
        self._apply_state(client, room, response.events)
        self.known.add(room_id)
        self._dirty.add(room_id)
        if room.encrypted and client.olm is not None:
            client.olm.update_tracked_users(room)

    def _apply_state(self, client: AsyncClient, room: MatrixRoom, events: list[Any]) -> None:
        joined_or_invited = set()
        for raw in events:
            if not isinstance(raw, dict):
                continue
            event = Event.parse_event(raw)
            creators = privileged_creators(event)
            if creators is not None:
                self.creators[room.room_id] = creators
            if isinstance(event, RoomMemberEvent):
                if event.membership in ("join", "invite"):
                    joined_or_invited.add(event.state_key)
                room.handle_membership(event)
            else:
                if isinstance(event, RoomEncryptionEvent):
                    client.encrypted_rooms.add(room.room_id)
                room.handle_event(event)
        for user_id in set(room.users) - joined_or_invited:
            room.remove_member(user_id)
        room.summary = None  # the member list is complete: count it
        room.members_synced = True

    async def backfill(self, client: AsyncClient) -> None:
        """Fetch the state of every joined room the bot does not know, a few at a time."""
        response = await client.joined_rooms()
        if not isinstance(response, JoinedRoomsResponse):
            log.warning("could not list the joined rooms to rebuild their state: %s", response)
            return
        missing = [room_id for room_id in response.rooms if room_id not in self.known]
        started = time.perf_counter()
        log.info("fetching the state of %d rooms the bot does not know", len(missing))
        for start in range(0, len(missing), BACKFILL_BATCH):
            batch = missing[start : start + BACKFILL_BATCH]
            await asyncio.gather(*(self.ensure_known(client, r) for r in batch))
            self.flush(client)
            await asyncio.sleep(0)  # let the sync loop, the commands and /healthz run
        self.needs_backfill = False
        log.info(
            "state of %d rooms rebuilt in %.1f s", len(missing), time.perf_counter() - started
        )
