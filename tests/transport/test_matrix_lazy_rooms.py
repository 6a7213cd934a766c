"""Rooms read from the room-state file when first needed (`LazyRooms`), on a real nio client with
its crypto store and a real state file (no server): what nio and the transport ask of them."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from nio import AsyncClient, AsyncClientConfig, SyncResponse

from bot.transport.matrix_rooms import LazyRooms, RoomKeeper
from bot.transport.matrix_roomstate import ROOMSTATE_FILE, RoomSnapshot, RoomStateStore
from bot.transport.matrix_sender import Sender
from bot.transport.matrix_store import BotStore

BOT = "@bot:example.org"
AGENT = "@agent:example.org"
LEAD = "@lead:example.org"
DM = "!dm:example.org"
TEAM = "!team:example.org"


def new_client(path: Path) -> AsyncClient:
    client = AsyncClient(
        "http://127.0.0.1:9",
        BOT,
        device_id="BOTDEVICE",
        store_path=str(path),
        config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False, store=BotStore),
    )
    client.restore_login(BOT, "BOTDEVICE", "token")
    return client


def save_rooms(path: Path, with_index: bool = True) -> None:
    store = RoomStateStore(path)
    store.open()
    store.save(
        [
            RoomSnapshot(
                DM,
                encrypted=True,
                members={BOT: [None, False], AGENT: ["Agent", False]},
                members_synced=True,
                power_users={BOT: 100, AGENT: 100},
            ),
            RoomSnapshot(
                TEAM,
                name="Équipe",
                members={BOT: [None, False], LEAD: ["Lea", False], AGENT: ["Agent", False]},
                members_synced=True,
                power_users={LEAD: 100},
                creators=[LEAD],
                room_version="12",
            ),
        ]
    )
    if with_index:
        store.load_direct(BOT)
    store.close()


def restored(path: Path) -> tuple[AsyncClient, RoomKeeper]:
    client = new_client(path)
    keeper = RoomKeeper(path, BOT)
    assert keeper.restore(client, has_token=True) == 2
    return client, keeper


def sync(data: dict[str, Any]) -> SyncResponse:
    response = SyncResponse.from_dict({"next_batch": "s2", "rooms": {}, **data})
    assert isinstance(response, SyncResponse), response
    return response


async def test_rooms_are_read_when_first_asked_for(tmp_path: Path) -> None:
    save_rooms(tmp_path)
    client, keeper = restored(tmp_path)
    rooms = client.rooms
    assert isinstance(rooms, LazyRooms)
    assert len(rooms) == 0 and rooms.pending == {DM, TEAM}  # nothing built at start
    assert keeper.known == {DM, TEAM}
    assert keeper.direct.get(AGENT) == DM  # the index, without reading the room
    assert len(rooms) == 0
    assert TEAM in rooms
    assert set(rooms[TEAM].users) == {BOT, LEAD, AGENT}
    assert rooms[TEAM].power_levels.get_user_level(LEAD) == 100
    assert keeper.creators[TEAM] == frozenset({LEAD})
    assert list(rooms) == [TEAM]  # iterating sees the rooms read so far
    sender = Sender(client, lambda coro, name: coro.close(), direct_index=keeper.direct)
    assert sender.find_direct_room(AGENT) == DM
    assert rooms[DM].encrypted and DM in client.encrypted_rooms
    assert "!unknown:example.org" not in rooms
    assert rooms.get("!unknown:example.org") is None
    with pytest.raises(KeyError):
        rooms["!unknown:example.org"]
    assert rooms.pop(DM) is not None and DM not in rooms  # nio, when the bot leaves
    await client.close()


async def test_a_sync_batch_lands_on_the_room_read_from_the_file(tmp_path: Path) -> None:
    save_rooms(tmp_path)
    client, keeper = restored(tmp_path)
    joined = {
        "timeline": {
            "events": [
                {
                    "type": "m.room.member",
                    "state_key": "@new:example.org",
                    "sender": LEAD,
                    "event_id": "$join",
                    "origin_server_ts": 1,
                    "content": {"membership": "join", "displayname": "Nouveau"},
                }
            ],
            "limited": False,
        },
        "state": {"events": []},
    }
    response = sync({"rooms": {"join": {TEAM: joined}}})
    await client.receive_response(response)
    keeper.after_sync(client, response, full=False)
    assert set(client.rooms[TEAM].users) == {BOT, LEAD, AGENT, "@new:example.org"}
    assert len(client.rooms) == 1  # only the room the batch spoke of was read
    keeper.close()
    # Saved with the batch: the next start knows the newcomer.
    client2, _ = restored(tmp_path)
    assert "@new:example.org" in client2.rooms[TEAM].users
    await client.close()
    await client2.close()


async def test_a_tracked_user_s_new_device_is_queried_even_if_no_room_was_read(
    tmp_path: Path,
) -> None:
    save_rooms(tmp_path)
    client, keeper = restored(tmp_path)
    assert client.olm is not None
    client.olm.tracked_users.update({AGENT, LEAD})
    client.olm.users_for_key_query.clear()
    response = sync({"device_lists": {"changed": [AGENT, "@stranger:example.org"], "left": []}})
    await client.receive_response(response)
    keeper.after_sync(client, response, full=False)
    assert client.olm.users_for_key_query == {AGENT}
    await client.close()


async def test_an_unreadable_room_is_unknown_and_fetched_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    save_rooms(tmp_path)
    with sqlite3.connect(tmp_path / ROOMSTATE_FILE) as db:
        db.execute("UPDATE rooms SET state = '{\"members\": [1' WHERE room_id = ?", (TEAM,))
    client, keeper = restored(tmp_path)
    with caplog.at_level(logging.WARNING):
        assert TEAM not in client.rooms
    assert "unreadable" in caplog.text
    assert TEAM not in keeper.known  # a command from it fetches its state (`ensure_known`)
    assert DM in client.rooms
    assert keeper.store.read(TEAM) is None
    await client.close()


def test_a_file_from_before_the_index_is_indexed_once(tmp_path: Path) -> None:
    save_rooms(tmp_path, with_index=False)
    store = RoomStateStore(tmp_path)
    store.open()
    assert store.load_direct(BOT) == [(DM, AGENT, True)]
    assert store.load_direct(BOT) == [(DM, AGENT, True)]  # now from the index
    store.save([], [(DM, None, True)])  # no longer a direct chat (a third person came)
    assert store.load_direct(BOT) == []
    store.save([], [(DM, AGENT, True)])
    store.forget([DM])
    assert store.load_direct(BOT) == [] and store.room_ids() == {TEAM}
    store.close()


async def test_rooms_unused_for_an_hour_go_back_to_the_file(tmp_path: Path) -> None:
    save_rooms(tmp_path)
    client, keeper = restored(tmp_path)
    rooms = client.rooms
    assert isinstance(rooms, LazyRooms)
    assert TEAM in rooms and DM in rooms
    assert keeper.forget_idle(client, idle_s=3600) == 0  # just used
    rooms._used[TEAM] -= 7200
    rooms._used[DM] -= 7200
    keeper.mark_changed(DM)  # a change not saved yet: stays
    assert keeper.forget_idle(client, idle_s=3600) == 1
    assert list(rooms) == [DM] and rooms.pending == {TEAM}
    assert set(rooms[TEAM].users) == {BOT, LEAD, AGENT}  # read again
    await client.close()
