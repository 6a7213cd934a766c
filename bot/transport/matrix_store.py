"""nio's crypto store, made linear for a bot that knows tens of thousands of devices.

matrix-nio's `DefaultStore` keeps the trust state of devices (verified, blacklisted, ignored) in
three text files, each read into a *list* that every check scans (`key in list`), and it loads
device keys with one query per device. The bot encrypts for unverified devices, so nio records
every device it ever encrypted for as "ignored": at start each device was looked up in that list
(quadratic: 4.9 s at 2,000 rooms, about half an hour extrapolated to 42,000), every encrypted
reply scanned it once per device of the room, and every new device rewrote all three files.

`BotStore` is the same store on the same files and tables (a store written by one opens with
the other), with:
- the trust files indexed by (user, device): constant-time checks; a newly ignored device is
  appended to its file instead of rewriting it (a torn last line, from a crash mid-write, is
  dropped when the file is read: that device is simply ignored again at the next message);
  verified and blacklisted devices are rare and their files still rewritten atomically;
- the in-memory device store's `in` a look-up, not a comparison with every device (nio's
  `DeviceStore.add` asks it for each device: quadratic again), and the store filled per user
  when needed (`LazyDeviceStore`, ~1 KB a device) instead of with every device at start;
- device keys loaded in two queries, and the forwarding chains of Megolm sessions in one (nio
  asked once per session);
- inbound Megolm sessions read per room when needed, dropped from memory when idle
  (`LazyGroupSessionStore`; those older than the retention are deleted: `matrix_crypto`);
- Olm sessions (one or more per device the bot ever encrypted for, ~5 KB each in memory) read
  per device when first needed and dropped from memory when idle (`LazySessionStore`), instead
  of all of them at start and for ever;
- the database in WAL mode: nio writes an Olm session after every message it encrypts, and each
  write to a rollback journal cost several fsyncs.
Measured by `bench/rooms_restore.py`.
"""

from __future__ import annotations

import logging
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from nio.crypto import (
    DeviceStore,
    GroupSessionStore,
    InboundGroupSession,
    OlmDevice,
    Session,
    SessionStore,
    TrustState,
)
from nio.exceptions import OlmTrustError
from nio.store import DefaultStore, MatrixStore
from nio.store.database import SqliteDatabase
from nio.store.file_trustdb import Ed25519Key, Key, KeyStore
from nio.store.models import (
    DeviceKeys,
    EncryptedRooms,
    ForwardedChains,
    Keys,
    MegolmInboundSessions,
    OlmSessions,
)

log = logging.getLogger(__name__)


class IndexedKeyStore(KeyStore):  # type: ignore[misc]
    """One of nio's trust files (same format), held in a dict keyed by (user, device)."""

    def __init__(self, filename: str, append: bool = False) -> None:
        self._index: dict[tuple[str, str], Key] = {}
        # Append new entries (the ignored devices: one per device ever encrypted for), or
        # rewrite the file atomically each time (verified, blacklisted: rare, and a torn line
        # there must not un-blacklist a device).
        self._append_only = append
        super().__init__(filename)

    def _load(self, filename: str) -> None:
        try:
            with open(filename, encoding="utf-8") as f:
                text = f.read()
        except FileNotFoundError:
            return
        lines = text.split("\n")
        if lines and lines[-1]:
            log.warning("%s: dropping a torn last line (the write was interrupted)", filename)
        for line in lines[:-1]:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split(" ")  # as `Key.from_line`, without its detours
            if len(fields) < 4 or fields[2] != "matrix-ed25519":
                continue
            entry = Ed25519Key(fields[0].strip(), fields[1].strip(), fields[3].strip())
            self._index.setdefault((entry.user_id, entry.device_id), entry)

    def __iter__(self) -> Iterator[Key]:
        yield from self._index.values()

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, Key):
            return False
        entry = self._index.get((key.user_id, key.device_id))
        return entry is not None and entry == key

    def get_key(self, user_id: str, device_id: str) -> Key | None:
        return self._index.get((user_id, device_id))

    def check(self, key: Key) -> bool:
        return key in self

    def _add_without_save(self, key: Key) -> bool:
        existing = self._index.get((key.user_id, key.device_id))
        if existing is not None and type(existing) is type(key):
            if existing.key != key.key:
                message = (
                    f"Error: adding existing device to trust store with mismatching "
                    f"fingerprint {key.key} {existing.key}"
                )
                log.error(message)
                raise OlmTrustError(message)
            return True
        self._index[(key.user_id, key.device_id)] = key
        self._append([key])
        return True

    def add(self, key: Key) -> bool:
        return self._add_without_save(key)

    def add_many(self, keys: list[Key]) -> None:
        new = []
        for key in keys:
            existing = self._index.get((key.user_id, key.device_id))
            if existing is not None and type(existing) is type(key):
                if existing.key != key.key:
                    self._add_without_save(key)  # raises, as nio does
                continue
            self._index[(key.user_id, key.device_id)] = key
            new.append(key)
        self._append(new)

    def remove(self, key: Key) -> bool:
        if key not in self:
            return False
        del self._index[(key.user_id, key.device_id)]
        self._save()
        return True

    def remove_many(self, keys: list[Key]) -> None:
        removed = False
        for key in keys:
            if key in self:
                del self._index[(key.user_id, key.device_id)]
                removed = True
        if removed:
            self._save()

    def _append(self, keys: Iterable[Key]) -> None:
        text = "".join(key.to_line() for key in keys)
        if not text:
            return
        if not self._append_only:
            self._save()
            return
        with open(self._filename, "a", encoding="utf-8") as f:
            f.write(text)

    def _save(self) -> None:
        """Rewrite the file (atomically: a new file renamed over the old one)."""
        partial = f"{self._filename}.partial"
        with open(partial, "w", encoding="utf-8") as f:
            f.write("".join(entry.to_line() for entry in self._index.values()))
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, self._filename)


class IndexedDeviceStore(DeviceStore):  # type: ignore[misc]
    """nio's in-memory device store, whose `in` (asked before every device added, at start and
    after each key query) looks the device up instead of comparing it with every other one."""

    def __contains__(self, device: object) -> bool:
        if not isinstance(device, OlmDevice):
            return False
        user_devices = self._entries.get(device.user_id)
        return user_devices is not None and user_devices.get(device.id) == device


class _DevicesByUser(dict[str, dict[str, OlmDevice]]):
    """User → their devices (by id), read from the store the first time a user is asked for."""

    def __init__(self, load: Callable[[str], dict[str, OlmDevice]]) -> None:
        super().__init__()
        self._load = load
        self.loaded_at: dict[str, float] = {}

    def __missing__(self, user_id: str) -> dict[str, OlmDevice]:
        devices = self._load(user_id)
        self[user_id] = devices
        self.loaded_at[user_id] = time.monotonic()
        return devices


class LazyDeviceStore(IndexedDeviceStore):
    """nio's device store, filled per user on demand: nio only ever asks for one user's devices
    (to encrypt for them, to check who sent a message, to apply a key query), and saves every
    change it makes to them, so the copy in memory is a cache. Iterating it (and `users`) sees
    the users read so far."""

    def __init__(self, load: Callable[[str], dict[str, OlmDevice]]) -> None:
        self._entries = _DevicesByUser(load)

    def __contains__(self, device: object) -> bool:
        if not isinstance(device, OlmDevice):
            return False
        return bool(self._entries[device.user_id].get(device.id) == device)

    def forget_idle(self, idle_s: float, keep: set[str], now: float | None = None) -> int:
        """Drop from memory the devices of users read more than `idle_s` seconds ago, except
        those of `keep` (nio holds some of their device objects); returns how many users."""
        entries = self._entries
        assert isinstance(entries, _DevicesByUser)
        now_mono = time.monotonic() if now is None else now
        idle = [
            user
            for user in entries
            if user not in keep and now_mono - entries.loaded_at.get(user, 0.0) > idle_s
        ]
        for user in idle:
            del entries[user]
            entries.loaded_at.pop(user, None)
        return len(idle)


class _SessionsByKey(dict[str, list[Session]]):
    """Sender key → its Olm sessions, read from the store the first time a key is asked for."""

    def __init__(self, load: Callable[[str], list[Session]]) -> None:
        super().__init__()
        self._load = load
        self.loaded_at: dict[str, float] = {}

    def __missing__(self, sender_key: str) -> list[Session]:
        sessions = self._load(sender_key)
        sessions.sort(key=lambda s: s.use_time, reverse=True)  # as nio's SessionStore.add
        self[sender_key] = sessions
        self.loaded_at[sender_key] = time.monotonic()
        return sessions


class LazySessionStore(SessionStore):  # type: ignore[misc]
    """nio's Olm session store, filled on demand: a device's sessions are read when the bot first
    encrypts for it or hears from it, and dropped again after `forget_idle` finds them unused.

    nio saves a session after every use (encrypting, decrypting, creating), so the copy in memory
    is only a cache of the store. Iterating the store (`values`, `items`, `iter`) sees the
    sessions in memory only; nio itself only asks by sender key.
    """

    def __init__(self, load: Callable[[str], list[Session]]) -> None:
        self._entries = _SessionsByKey(load)

    def get(self, sender_key: str) -> Session | None:
        sessions = self._entries[sender_key]
        return sessions[0] if sessions else None

    def forget_idle(self, idle_s: float, now: float | None = None) -> int:
        """Drop from memory the sessions of devices unused (and not read) for `idle_s` seconds;
        returns how many sender keys were dropped."""
        entries = self._entries
        assert isinstance(entries, _SessionsByKey)
        now_mono = time.monotonic() if now is None else now
        cutoff = datetime.now() - timedelta(seconds=idle_s)
        idle = [
            key
            for key, sessions in entries.items()
            if now_mono - entries.loaded_at.get(key, 0.0) > idle_s
            and all(s.use_time < cutoff for s in sessions)
        ]
        for key in idle:
            del entries[key]
            entries.loaded_at.pop(key, None)
        return len(idle)


RoomSessions = defaultdict[str, dict[str, InboundGroupSession]]  # sender key → id → session


class _GroupSessionsByRoom(dict[str, RoomSessions]):
    """Room → its inbound Megolm sessions, read from the store the first time a room is asked."""

    def __init__(self, load: Callable[[str], list[InboundGroupSession]]) -> None:
        super().__init__()
        self._load = load
        self.loaded_at: dict[str, float] = {}

    def __missing__(self, room_id: str) -> RoomSessions:
        by_sender: RoomSessions = defaultdict(dict)
        for session in self._load(room_id):
            by_sender[session.sender_key][session.id] = session
        self[room_id] = by_sender
        self.loaded_at[room_id] = time.monotonic()
        return by_sender


class LazyGroupSessionStore(GroupSessionStore):  # type: ignore[misc]
    """nio's inbound Megolm session store, filled per room on demand (when an encrypted event of
    that room is decrypted, or a key for it arrives) and emptied of rooms idle for a while.

    nio saves an inbound session when it adds it and never changes it afterwards: the copy in
    memory is a cache. Iterating the store (nio's key export) reads every session of the store.
    """

    def __init__(
        self,
        load_room: Callable[[str], list[InboundGroupSession]],
        load_all: Callable[[], Iterator[InboundGroupSession]],
    ) -> None:
        self._entries = _GroupSessionsByRoom(load_room)
        self._load_all = load_all

    def __iter__(self) -> Iterator[InboundGroupSession]:
        in_memory = dict(self._entries)
        for by_sender in in_memory.values():
            for sessions in by_sender.values():
                yield from sessions.values()
        for session in self._load_all():
            if session.room_id not in in_memory:
                yield session

    def in_memory(self) -> int:
        """How many sessions are in memory."""
        return sum(len(s) for by in dict(self._entries).values() for s in by.values())

    def forget_idle(self, idle_s: float, now: float | None = None) -> int:
        """Drop from memory the sessions of rooms read more than `idle_s` seconds ago (they are
        read again when needed); returns how many rooms were dropped."""
        entries = self._entries
        assert isinstance(entries, _GroupSessionsByRoom)
        now_mono = time.monotonic() if now is None else now
        idle = [r for r in entries if now_mono - entries.loaded_at.get(r, 0.0) > idle_s]
        for room_id in idle:
            del entries[room_id]
            entries.loaded_at.pop(room_id, None)
        return len(idle)


class BotStore(DefaultStore):  # type: ignore[misc]
    """nio's default store (same files and tables), with indexed trust files and batched loads."""

    def _create_database(self) -> SqliteDatabase:
        return SqliteDatabase(
            self.database_path,
            pragmas={"foreign_keys": 1, "secure_delete": 1, "journal_mode": "wal"},
        )

    def __post_init__(self) -> None:
        MatrixStore.__post_init__(self)
        prefix = f"{self.user_id}_{self.device_id}"
        self.trust_db = IndexedKeyStore(os.path.join(self.store_path, f"{prefix}.trusted_devices"))
        self.blacklist_db = IndexedKeyStore(
            os.path.join(self.store_path, f"{prefix}.blacklisted_devices")
        )
        self.ignore_db = IndexedKeyStore(
            os.path.join(self.store_path, f"{prefix}.ignored_devices"), append=True
        )

    def load_encrypted_rooms(self) -> set[str]:
        """The encrypted rooms' ids (one query for ids: nio built a model object per room)."""
        with self.database.bind_ctx(self.models):
            account = self._get_account()
            if not account:
                return set()
            meta = EncryptedRooms._meta
            cursor = self.database.execute_sql(
                f"SELECT {EncryptedRooms.room_id.column_name} FROM {meta.table_name} "
                f"WHERE {EncryptedRooms.account.column_name} = ?",
                (account.id,),
            )
            return {str(room_id) for (room_id,) in cursor}

    def load_sessions(self) -> SessionStore:
        """Olm sessions are read per device when needed (`LazySessionStore`), not all at start."""
        return LazySessionStore(self._load_sessions_of)

    def _load_sessions_of(self, sender_key: str) -> list[Session]:
        with self.database.bind_ctx(self.models):
            return self._read_sessions_of(sender_key)

    def _read_sessions_of(self, sender_key: str) -> list[Session]:
        account = self._get_account()
        if not account:
            return []
        sessions = []
        rows = (
            OlmSessions.select(OlmSessions.session, OlmSessions.creation_time)
            .where((OlmSessions.account == account) & (OlmSessions.sender_key == sender_key))
            .tuples()
        )
        for pickle, creation_time in rows:
            session = Session.from_pickle(pickle, creation_time, self.pickle_key)
            if session.upgrade_pickle:  # as nio does: libolm pickles become vodozemac ones
                session.upgrade_pickle = False
                self.save_session(sender_key, session)
            sessions.append(session)
        return sessions

    def load_device_keys(self) -> DeviceStore:
        """Devices are read per user when needed (`LazyDeviceStore`), not all at start."""
        return LazyDeviceStore(self._load_devices_of)

    def _load_devices_of(self, user_id: str) -> dict[str, OlmDevice]:
        with self.database.bind_ctx(self.models):
            return self._read_devices(DeviceKeys.user_id == user_id)

    def load_all_device_keys(self) -> DeviceStore:
        """Every device of the account, read now (two queries)."""
        store = IndexedDeviceStore()
        with self.database.bind_ctx(self.models):
            for device in self._read_devices(None).values():
                store.add(device)
        return store

    def _read_devices(self, where: Any) -> dict[str, OlmDevice]:
        """Devices with their keys and trust state (`where`: a condition on the rows), keyed by
        device id when one user's are read (by user and device id otherwise)."""
        account = self._get_account()
        if not account:
            return {}
        condition = DeviceKeys.account == account
        if where is not None:
            condition = condition & where
        keys: defaultdict[int, dict[str, str]] = defaultdict(dict)
        query = (
            Keys.select(Keys.device, Keys.key_type, Keys.key)
            .join(DeviceKeys)
            .where(condition)
            .tuples()
        )
        for device_row, key_type, key in query:
            keys[device_row][key_type] = key
        rows = (
            DeviceKeys.select(
                DeviceKeys.id,
                DeviceKeys.user_id,
                DeviceKeys.device_id,
                DeviceKeys.display_name,
                DeviceKeys.deleted,
            )
            .where(condition)
            .tuples()
        )
        devices: dict[str, OlmDevice] = {}
        for row_id, user_id, device_id, display_name, deleted in rows:
            device = OlmDevice(
                user_id,
                device_id,
                keys.get(row_id, {}),
                display_name=display_name,
                deleted=deleted,
            )
            key = Key.from_olmdevice(device)
            if key in self.trust_db:
                device.trust_state = TrustState.verified
            elif key in self.blacklist_db:
                device.trust_state = TrustState.blacklisted
            elif key in self.ignore_db:
                device.trust_state = TrustState.ignored
            else:
                device.trust_state = TrustState.unset
            devices[device_id if where is not None else f"{user_id}\n{device_id}"] = device
        return devices

    def load_inbound_group_sessions(self) -> GroupSessionStore:
        """Inbound Megolm sessions are read per room when needed (`LazyGroupSessionStore`)."""
        return LazyGroupSessionStore(self._load_group_sessions_of, self._load_all_group_sessions)

    def _load_group_sessions_of(self, room_id: str) -> list[InboundGroupSession]:
        return list(self._group_sessions(MegolmInboundSessions.room_id == room_id))

    def _load_all_group_sessions(self) -> Iterator[InboundGroupSession]:
        return iter(self._group_sessions(None))

    def _group_sessions(self, where: Any) -> list[InboundGroupSession]:
        """Inbound Megolm sessions (`where`: a condition on the rows), with their forwarding
        chains read in one query (nio asked once per session)."""
        with self.database.bind_ctx(self.models):
            return self._read_group_sessions(where)

    def _read_group_sessions(self, where: Any) -> list[InboundGroupSession]:
        account = self._get_account()
        if not account:
            return []
        condition = MegolmInboundSessions.account == account
        if where is not None:
            condition = condition & where
        chains: defaultdict[str, list[str]] = defaultdict(list)
        query = (
            ForwardedChains.select(ForwardedChains.session, ForwardedChains.sender_key)
            .join(MegolmInboundSessions)
            .where(condition)
            .tuples()
        )
        for session_id, sender_key in query:
            chains[session_id].append(sender_key)
        rows = (
            MegolmInboundSessions.select(
                MegolmInboundSessions.session_id,
                MegolmInboundSessions.session,
                MegolmInboundSessions.fp_key,
                MegolmInboundSessions.sender_key,
                MegolmInboundSessions.room_id,
            )
            .where(condition)
            .tuples()
        )
        sessions = []
        for session_id, pickle, fp_key, sender_key, room_id in rows:
            session = InboundGroupSession.from_pickle(
                pickle, fp_key, sender_key, room_id, self.pickle_key, chains.get(session_id, [])
            )
            if session.upgrade_pickle:  # as nio does: libolm pickles become vodozemac ones
                session.upgrade_pickle = False
                self.save_inbound_group_session(session)
            sessions.append(session)
        return sessions
