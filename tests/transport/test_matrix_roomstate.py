"""The on-disk room state: round trip into nio rooms, the direct index, and bad files."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from nio import MatrixRoom
from nio.events.room_events import DefaultLevels, PowerLevels

from bot.transport.matrix_filter import bot_sync_filter
from bot.transport.matrix_roomstate import (
    ROOMSTATE_FILE,
    DirectIndex,
    RoomSnapshot,
    RoomStateStore,
)

BOT = "@bot:example.org"


def team_room() -> MatrixRoom:
    room = MatrixRoom("!team:example.org", BOT, encrypted=True)
    room.name = "Équipe"
    room.power_levels = PowerLevels(DefaultLevels(users_default=5), {"@lead:example.org": 100})
    room.add_member(BOT, "Bureau", None)
    room.add_member("@lead:example.org", "Lea", None)
    room.add_member("@new:example.org", None, None, invited=True)
    room.members_synced = True
    return room


def test_a_snapshot_restores_members_power_levels_and_encryption() -> None:
    snapshot = RoomSnapshot.of(team_room(), ["@lead:example.org"])
    restored = RoomSnapshot.from_json(snapshot.room_id, snapshot.to_json()).restore(BOT)
    assert restored.encrypted and restored.name == "Équipe" and restored.members_synced
    assert set(restored.users) == {BOT, "@lead:example.org", "@new:example.org"}
    assert restored.users["@lead:example.org"].display_name == "Lea"
    assert restored.users["@new:example.org"].invited
    assert restored.power_levels.get_user_level("@lead:example.org") == 100
    assert restored.power_levels.get_user_level("@someone:example.org") == 5
    assert snapshot.creators == ["@lead:example.org"]
    assert snapshot.direct_with(BOT) is None  # named, and three people


def test_the_direct_index_prefers_encrypted_rooms_and_forgets_left_ones() -> None:
    index = DirectIndex(BOT)
    index.update("!b:x", "@a:x", encrypted=False)
    index.update("!c:x", "@a:x", encrypted=True)
    index.update("!a:x", "@a:x", encrypted=False)
    assert index.get("@a:x") == "!c:x"
    index.forget("!c:x")
    assert index.get("@a:x") is None  # the other candidates come back when their room is saved
    index.update("!a:x", "@a:x", encrypted=False)
    assert index.get("@a:x") == "!a:x"
    index.update("!a:x", None, encrypted=False)  # a third person joined
    assert index.get("@a:x") is None and len(index) == 0


def test_rooms_are_saved_and_loaded(tmp_path: Path) -> None:
    store = RoomStateStore(tmp_path)
    store.open()
    store.save([RoomSnapshot.of(team_room(), [])])
    store.close()
    store.open()
    assert list(store.load()) == ["!team:example.org"]
    store.forget(["!team:example.org"])
    assert store.load() == {}


@pytest.mark.parametrize(
    "damage",
    [b"not a database at all" * 50, b"SQLite format 3\x00" + b"\x00" * 200],
)
def test_an_unusable_file_is_set_aside_and_rebuilt(
    tmp_path: Path, damage: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / ROOMSTATE_FILE).write_bytes(damage)
    store = RoomStateStore(tmp_path)
    with caplog.at_level(logging.ERROR):
        store.open()
        assert store.load() == {}
    assert any("unusable" in r.getMessage() for r in caplog.records)
    assert list(tmp_path.glob(f"{ROOMSTATE_FILE}.corrupt-*"))
    store.save([RoomSnapshot.of(team_room(), [])])  # works again
    store.close()


def test_an_unreadable_row_is_dropped_not_fatal(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = RoomStateStore(tmp_path)
    store.open()
    store.save([RoomSnapshot.of(team_room(), [])])
    store.close()
    with sqlite3.connect(tmp_path / ROOMSTATE_FILE) as db:
        db.execute("INSERT INTO rooms VALUES ('!half:x', '{\"members\": {\"@a:x\": [')")
        db.execute("INSERT INTO rooms VALUES ('!odd:x', '{\"members\": [1, 2]}')")
    store.open()
    with caplog.at_level(logging.WARNING):
        assert list(store.load()) == ["!team:example.org"]
    assert sum("unreadable" in r.getMessage() for r in caplog.records) == 2
    assert list(store.load()) == ["!team:example.org"]  # dropped for good (fetched again)


def test_the_sync_filter_leaves_out_what_the_bot_does_not_read() -> None:
    sync = bot_sync_filter()
    assert sync["presence"] == {"not_types": ["*"]}
    assert sync["room"]["ephemeral"] == {"not_types": ["*"]}  # typing, receipts
    assert sync["room"]["state"]["lazy_load_members"] is True
    assert "m.room.topic" not in sync["room"]["state"]["types"]
    assert sync["room"]["timeline"]["limit"] <= 20
    assert (
        bot_sync_filter(1, lazy_load_members=False)["room"]["state"]["lazy_load_members"] is False
    )
