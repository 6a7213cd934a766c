"""What the bot knows of each room, kept on disk so that a restart needs no full-state sync.

Per room: its members (with display names; invited ones flagged), power levels, creators (room
versions 12+), encryption, name/alias, the member counts of the sync summary, whether the member
list is complete, and — for a two-person unnamed room — the person it is a direct chat with.

Where: `rooms.sqlite3` in MATRIX_STORE_PATH, next to nio's crypto store and the sync token, and
not in the bot's database: this state is only true *at* that sync token, for that device; it must
live and die with them (delete the store directory and both go, restore a database backup and
they still agree). One row per room, a JSON document, written in one transaction per sync batch
(only the rooms the batch changed). A row that cannot be read is dropped (that room is fetched
again); a file that cannot be opened is moved aside, logged, and rebuilt — never a crash loop.

`DirectIndex` maps a person to their direct room in constant time (it replaces a scan of every
room under a lock); it is kept in its own table too, so that a start reads it without reading
every room (rooms are read one by one, when first needed: `matrix_rooms.LazyRooms`).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from nio import MatrixRoom
from nio.events.room_events import DefaultLevels, PowerLevels
from nio.responses import RoomSummary

log = logging.getLogger(__name__)

ROOMSTATE_FILE = "rooms.sqlite3"
FORMAT_VERSION = 1


@dataclass
class RoomSnapshot:
    """What is kept of one room (JSON-serialisable)."""

    room_id: str
    encrypted: bool = False
    name: str | None = None
    canonical_alias: str | None = None
    room_version: str = "1"
    creators: list[str] = field(default_factory=list)
    # user id → [display name, invited]
    members: dict[str, list[Any]] = field(default_factory=dict)
    members_synced: bool = False
    joined_count: int | None = None
    invited_count: int | None = None
    power_users: dict[str, int] = field(default_factory=dict)
    power_events: dict[str, int] = field(default_factory=dict)
    power_defaults: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, room: MatrixRoom, creators: Iterable[str]) -> RoomSnapshot:
        """The snapshot of a nio room."""
        summary = room.summary
        return cls(
            room_id=room.room_id,
            encrypted=bool(room.encrypted),
            name=room.name,
            canonical_alias=room.canonical_alias,
            room_version=str(room.room_version),
            creators=sorted(creators),
            members={
                user_id: [user.display_name, bool(user.invited)]
                for user_id, user in room.users.items()
            },
            members_synced=bool(room.members_synced),
            joined_count=summary.joined_member_count if summary else None,
            invited_count=summary.invited_member_count if summary else None,
            power_users={k: int(v) for k, v in room.power_levels.users.items()},
            power_events={k: int(v) for k, v in room.power_levels.events.items()},
            power_defaults=asdict(room.power_levels.defaults),
        )

    @classmethod
    def from_json(cls, room_id: str, text: str) -> RoomSnapshot:
        """Parse a stored row; raises ValueError/TypeError/KeyError when it is not one."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        known = {f.name for f in fields(cls)}
        snapshot = cls(
            **{k: v for k, v in data.items() if k in known and k != "room_id"}, room_id=room_id
        )
        if not isinstance(snapshot.members, dict) or not all(
            isinstance(v, list) and len(v) == 2 for v in snapshot.members.values()
        ):
            raise ValueError("bad members")
        if not isinstance(snapshot.power_users, dict) or not isinstance(
            snapshot.power_defaults, dict
        ):
            raise ValueError("bad power levels")
        return snapshot

    def to_json(self) -> str:
        data = asdict(self)
        del data["room_id"]
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    def restore(self, own_user_id: str) -> MatrixRoom:
        """A nio room holding this state (as a full-state sync would have left it)."""
        room = MatrixRoom(self.room_id, own_user_id, self.encrypted)
        room.name = self.name
        room.canonical_alias = self.canonical_alias
        room.room_version = self.room_version
        defaults = DefaultLevels()
        for key, value in self.power_defaults.items():
            if hasattr(defaults, key):
                setattr(defaults, key, value)
        room.power_levels = PowerLevels(
            defaults=defaults, users=dict(self.power_users), events=dict(self.power_events)
        )
        for user_id, (display_name, invited) in self.members.items():
            room.add_member(user_id, display_name, None, invited=bool(invited))
        if self.joined_count is not None or self.invited_count is not None:
            room.summary = RoomSummary(self.invited_count, self.joined_count, [])
        room.members_synced = self.members_synced
        return room

    def direct_with(self, own_user_id: str) -> str | None:
        """The other person, when this is an unnamed room of exactly two (the bot and them)."""
        if self.name or self.canonical_alias:
            return None
        others = [u for u in self.members if u != own_user_id]
        if len(others) != 1 or own_user_id not in self.members:
            return None
        return others[0]


class DirectIndex:
    """Person → their direct room with the bot (encrypted rooms preferred), in constant time."""

    def __init__(self, own_user_id: str) -> None:
        self.own_user_id = own_user_id
        self._by_user: dict[str, tuple[bool, str]] = {}  # user → (encrypted, room id)
        self._by_room: dict[str, str] = {}  # room id → user

    def __len__(self) -> int:
        return len(self._by_user)

    def get(self, user_id: str) -> str | None:
        """The direct room with `user_id`, or None."""
        entry = self._by_user.get(user_id)
        return entry[1] if entry else None

    def update(self, room_id: str, user_id: str | None, encrypted: bool) -> None:
        """Record what a room now is: a direct room with `user_id`, or (None) not one."""
        previous = self._by_room.pop(room_id, None)
        if previous is not None and self._by_user.get(previous, (False, ""))[1] == room_id:
            del self._by_user[previous]
        if user_id is None:
            return
        self._by_room[room_id] = user_id
        current = self._by_user.get(user_id)
        # Tchap: direct chats are encrypted; prefer those, then the smallest id (stable).
        candidate = (encrypted, room_id)
        if current is None or (not candidate[0], candidate[1]) < (not current[0], current[1]):
            self._by_user[user_id] = candidate

    def forget(self, room_id: str) -> None:
        """The bot left the room."""
        self.update(room_id, None, False)


class RoomStateStore:
    """The `rooms.sqlite3` file: load everything at start, save changed rooms after each sync."""

    def __init__(self, store_path: Path) -> None:
        self.path = store_path / ROOMSTATE_FILE
        self._db: sqlite3.Connection | None = None

    def open(self) -> None:
        """Open (or create) the file; an unusable one is moved aside and started afresh."""
        try:
            self._db = self._connect()
        except sqlite3.DatabaseError as error:
            self._set_aside(error)
            self._db = self._connect()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS rooms (room_id TEXT PRIMARY KEY, state TEXT)")
            # The direct-room index, read at start without reading the rooms (added later:
            # a file without it is indexed once, from its rows).
            db.execute(
                "CREATE TABLE IF NOT EXISTS direct "
                "(room_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, encrypted INTEGER NOT NULL)"
            )
            row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta VALUES ('format', ?)", (str(FORMAT_VERSION),))
            elif row[0] != str(FORMAT_VERSION):
                raise sqlite3.DatabaseError(f"format {row[0]}, expected {FORMAT_VERSION}")
            check = db.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError(f"quick_check: {check}")
        except BaseException:
            db.close()
            raise
        return db

    def _set_aside(self, error: Exception) -> None:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
        log.error(
            "the room state file %s is unusable (%s): moved to %s; the rooms' state is fetched "
            "again from the homeserver",
            self.path,
            error,
            aside.name,
        )
        for suffix in ("", "-wal", "-shm"):
            source = self.path.with_name(self.path.name + suffix)
            if source.exists():
                source.replace(aside.with_name(aside.name + suffix))

    def load(self) -> dict[str, RoomSnapshot]:
        """Every readable room; unreadable rows are logged and dropped (fetched again)."""
        snapshots: dict[str, RoomSnapshot] = {}
        bad: list[str] = []
        try:
            rows: Iterator[tuple[Any, Any]] = iter(
                self._require().execute("SELECT room_id, state FROM rooms").fetchall()
            )
        except sqlite3.DatabaseError as error:
            self.close()
            self._set_aside(error)
            self.open()
            return {}
        for room_id, text in rows:
            try:
                snapshots[str(room_id)] = RoomSnapshot.from_json(str(room_id), str(text))
            except (ValueError, TypeError, KeyError) as error:
                log.warning("dropping the unreadable stored state of %s: %s", room_id, error)
                bad.append(str(room_id))
        if bad:
            self.forget(bad)
        return snapshots

    def room_ids(self) -> set[str]:
        """The rooms on file (their state is read when a room is first needed: `read`)."""
        try:
            return {str(r) for (r,) in self._require().execute("SELECT room_id FROM rooms")}
        except sqlite3.DatabaseError as error:
            self.close()
            self._set_aside(error)
            self.open()
            return set()

    def read(self, room_id: str) -> RoomSnapshot | None:
        """One room's stored state; None when it is not on file or cannot be read (dropped)."""
        try:
            row = (
                self._require()
                .execute("SELECT state FROM rooms WHERE room_id = ?", (room_id,))
                .fetchone()
            )
        except sqlite3.DatabaseError as error:
            log.warning("could not read the stored state of %s: %s", room_id, error)
            return None
        if row is None:
            return None
        try:
            return RoomSnapshot.from_json(room_id, str(row[0]))
        except (ValueError, TypeError, KeyError) as error:
            log.warning("dropping the unreadable stored state of %s: %s", room_id, error)
            self.forget([room_id])
            return None

    def load_direct(self, own_user_id: str) -> list[tuple[str, str, bool]]:
        """The direct rooms on file: (room id, the person, encrypted). A file written before the
        index existed is indexed once, from its rows."""
        db = self._require()
        try:
            indexed = db.execute("SELECT value FROM meta WHERE key = 'direct'").fetchone()
            if indexed is None:
                rows = [
                    (s.room_id, other, s.encrypted)
                    for s in self.load().values()
                    if (other := s.direct_with(own_user_id)) is not None
                ]
                db.execute("BEGIN")
                db.executemany("INSERT OR REPLACE INTO direct VALUES (?, ?, ?)", rows)
                db.execute("INSERT OR REPLACE INTO meta VALUES ('direct', '1')")
                db.execute("COMMIT")
                return rows
            return [
                (str(r), str(u), bool(e))
                for r, u, e in db.execute("SELECT room_id, user_id, encrypted FROM direct")
            ]
        except sqlite3.DatabaseError as error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            log.warning("could not read the direct-room index: %s", error)
            return []

    def save(
        self,
        snapshots: Iterable[RoomSnapshot],
        direct: Iterable[tuple[str, str | None, bool]] = (),
    ) -> None:
        """Write these rooms and what they are now (`direct`: room id, the person it is a direct
        chat with or None, encrypted), in one transaction."""
        rows = [(s.room_id, s.to_json()) for s in snapshots]
        entries = list(direct)
        if not rows and not entries:
            return
        db = self._require()
        db.execute("BEGIN")
        try:
            db.executemany("INSERT OR REPLACE INTO rooms VALUES (?, ?)", rows)
            db.executemany(
                "INSERT OR REPLACE INTO direct VALUES (?, ?, ?)",
                [(r, u, int(e)) for r, u, e in entries if u is not None],
            )
            db.executemany(
                "DELETE FROM direct WHERE room_id = ?", [(r,) for r, u, _ in entries if u is None]
            )
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def forget(self, room_ids: Iterable[str]) -> None:
        """Drop these rooms (left, or unreadable)."""
        ids = [(r,) for r in room_ids]
        if ids:
            db = self._require()
            db.executemany("DELETE FROM rooms WHERE room_id = ?", ids)
            db.executemany("DELETE FROM direct WHERE room_id = ?", ids)

    def _require(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("RoomStateStore is not open")
        return self._db
