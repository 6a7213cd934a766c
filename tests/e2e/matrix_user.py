"""A person on Matrix, played by a matrix-nio client with end-to-end encryption.

It syncs in the background, records every room message it sees (decrypted when encrypted), and
offers bounded waits: every wait has a timeout, so a broken bot fails a test instead of hanging it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    MatrixRoom,
    MegolmEvent,
    ReceiptEvent,
    RoomCreateResponse,
    RoomMessage,
    RoomSendResponse,
    TypingNoticeEvent,
)
from nio.api import Api, RoomPreset

from tests.e2e.homeserver import Account

ENCRYPTION_STATE = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}


@dataclass(frozen=True)
class Seen:
    """A room message as the user saw it."""

    room_id: str
    event_id: str
    sender: str
    msgtype: str
    body: str
    content: dict[str, Any]
    decrypted: bool
    seen_at: float

    @property
    def in_reply_to(self) -> str | None:
        relates = self.content.get("m.relates_to") or {}
        return (relates.get("m.in_reply_to") or {}).get("event_id")

    @property
    def thread_root(self) -> str | None:
        relates = self.content.get("m.relates_to") or {}
        return relates.get("event_id") if relates.get("rel_type") == "m.thread" else None


class MatrixUser:
    """`async with MatrixUser(url, account, store) as alice:` — syncing until the block ends."""

    def __init__(self, url: str, account: Account, store_dir: Path) -> None:
        store_dir.mkdir(parents=True, exist_ok=True)
        self.account = account
        self.client = AsyncClient(
            url,
            account.user_id,
            device_id=account.device_id,
            store_path=str(store_dir),
            config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False),
        )
        self.client.restore_login(account.user_id, account.device_id, account.access_token)
        self.seen: list[Seen] = []
        self.undecryptable: list[MegolmEvent] = []
        self.typing: set[tuple[str, str]] = set()  # (room, user) ever seen typing
        self.receipts: set[tuple[str, str, str]] = set()  # (room, event, user) read receipts
        self.invites: dict[str, InviteMemberEvent] = {}  # room → the event that invited us
        self._changed = asyncio.Event()
        self._sync: asyncio.Task[None] | None = None
        self.client.add_event_callback(self._on_message, (RoomMessage, MegolmEvent))
        self.client.add_event_callback(self._on_invite, InviteMemberEvent)
        self.client.add_ephemeral_callback(self._on_ephemeral, (TypingNoticeEvent, ReceiptEvent))

    @property
    def user_id(self) -> str:
        return self.account.user_id

    async def __aenter__(self) -> MatrixUser:
        if self.client.should_upload_keys:
            await self.client.keys_upload()
        await self.client.sync(timeout=0, full_state=True)
        self._sync = asyncio.create_task(self._sync_forever())
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._sync is not None:
            self._sync.cancel()
            await asyncio.gather(self._sync, return_exceptions=True)
        await self.client.close()

    async def _sync_forever(self) -> None:
        while True:
            try:
                await self.client.sync_forever(timeout=5000, full_state=False)
            except asyncio.CancelledError:
                raise
            except Exception:  # the homeserver may be restarted by a test: keep trying
                await asyncio.sleep(0.5)

    def _on_message(self, room: MatrixRoom, event: Any) -> None:
        if isinstance(event, MegolmEvent):
            self.undecryptable.append(event)
        else:
            content = event.source.get("content", {})
            self.seen.append(
                Seen(
                    room.room_id,
                    event.event_id,
                    event.sender,
                    content.get("msgtype", ""),
                    content.get("body", ""),
                    content,
                    bool(getattr(event, "decrypted", False)),
                    time.monotonic(),
                )
            )
        self._changed.set()

    def _on_invite(self, room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key == self.user_id and event.membership == "invite":
            self.invites.setdefault(room.room_id, event)
            self._changed.set()

    def _on_ephemeral(self, room: MatrixRoom, event: Any) -> None:
        if isinstance(event, TypingNoticeEvent):
            self.typing.update((room.room_id, user) for user in event.users)
        else:
            self.receipts.update((room.room_id, r.event_id, r.user_id) for r in event.receipts)
        self._changed.set()

    async def wait_until(self, condition: Callable[[], bool], within: float, what: str) -> None:
        """Wait (bounded) until `condition()` holds, re-checking after every sync."""
        deadline = time.monotonic() + within
        while not condition():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{self.user_id}: {what} within {within:.0f} s")
            self._changed.clear()
            waiter = asyncio.ensure_future(self._changed.wait())
            await asyncio.wait({waiter}, timeout=min(remaining, 0.2))
            waiter.cancel()

    def notices_from(self, sender: str, room_id: str, *, replies: bool = False) -> list[Seen]:
        """The notices `sender` posted in a room: on its own initiative (the default), or those
        that reply to a command (`replies=True`)."""
        return [
            s
            for s in self.seen
            if s.sender == sender
            and s.room_id == room_id
            and s.msgtype == "m.notice"
            and (s.in_reply_to is not None) == replies
        ]

    def replies_to(self, event_id: str) -> list[Seen]:
        """The messages seen so far that reply to `event_id`."""
        return [s for s in self.seen if s.in_reply_to == event_id]

    async def wait_for_reply(self, event_id: str, within: float = 30.0) -> Seen:
        """The first message that replies to `event_id` (bounded wait)."""
        await self.wait_until(
            lambda: bool(self.replies_to(event_id)), within, f"a reply to {event_id}"
        )
        return self.replies_to(event_id)[0]

    async def create_room(
        self,
        invite: list[str],
        *,
        encrypted: bool = False,
        direct: bool = False,
        name: str | None = None,
        room_version: str | None = None,
    ) -> str:
        response = await self.client.room_create(
            name=name,
            invite=invite,
            is_direct=direct,
            preset=RoomPreset.trusted_private_chat if direct else RoomPreset.private_chat,
            initial_state=[ENCRYPTION_STATE] if encrypted else [],
            room_version=room_version,
        )
        assert isinstance(response, RoomCreateResponse), response
        await self.wait_until(
            lambda: response.room_id in self.client.rooms, 10, f"room {response.room_id} synced"
        )
        return response.room_id

    async def invite(self, room_id: str, user_id: str) -> None:
        response = await self.client.room_invite(room_id, user_id)
        assert not hasattr(response, "status_code"), response

    def is_joined(self, room_id: str, user_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        return room is not None and user_id in room.users and not room.users[user_id].invited

    async def wait_for_join(self, room_id: str, user_id: str, within: float = 30.0) -> None:
        await self.wait_until(
            lambda: self.is_joined(room_id, user_id), within, f"{user_id} joined {room_id}"
        )
        if self.client.rooms[room_id].encrypted:
            await self.wait_for_devices(user_id, within)

    async def wait_for_devices(self, user_id: str, within: float = 30.0) -> None:
        """Encrypting for someone needs their device keys: wait until we have them."""

        def known() -> bool:
            return any(True for _ in self.client.device_store.active_user_devices(user_id))

        deadline = time.monotonic() + within
        while not known():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.user_id}: no device keys for {user_id}")
            if self.client.should_query_keys:
                try:
                    await self.client.keys_query()
                except Exception:
                    pass
            await asyncio.sleep(0.1)

    async def send_text(
        self,
        room_id: str,
        body: str,
        *,
        thread_root: str | None = None,
        msgtype: str = "m.text",
        extra: dict[str, Any] | None = None,
    ) -> str:
        content: dict[str, Any] = {"msgtype": msgtype, "body": body}
        if thread_root is not None:
            content["m.relates_to"] = {
                "rel_type": "m.thread",
                "event_id": thread_root,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": thread_root},
            }
        content.update(extra or {})
        response = await self.client.room_send(
            room_id, "m.room.message", content, ignore_unverified_devices=True
        )
        assert isinstance(response, RoomSendResponse), response
        return response.event_id

    async def send_text_holding_the_key(
        self, room_id: str, body: str
    ) -> tuple[str, Callable[[], Awaitable[None]]]:
        """Send an encrypted text whose room key is held back; returns (event id, release).

        The key is made and encrypted for the room's devices by nio as usual, then kept instead of
        sent; `release()` sends it. Meanwhile the message cannot be decrypted: what a recipient
        sees when a key arrives late.
        """
        client = self.client
        assert client.olm is not None and client.rooms[room_id].encrypted
        missing = client.get_missing_sessions(room_id)
        if missing:
            await client.keys_claim(missing)
        held = [
            to_device
            for _, to_device in client.olm.share_group_session_parallel(
                room_id, list(client.rooms[room_id].users), ignore_unverified_devices=True
            )
        ]
        assert held, "no device to hold a key for"
        client.olm.outbound_group_sessions[room_id].shared = True  # room_send will not share it
        event_id = await self.send_text(room_id, body)

        async def release() -> None:
            method, path, data = Api.to_device(
                client.access_token, "m.room.encrypted", held[0], uuid4()
            )
            response = await client.send(method, path, data)
            assert response.status == 200, await response.text()

        return event_id, release

    async def accept_invite(self, within: float = 30.0) -> str:
        """Join the first room we are invited to; returns its id."""
        await self.wait_until(lambda: bool(self.client.invited_rooms), within, "an invite")
        room_id = next(iter(self.client.invited_rooms))
        await self.client.join(room_id)
        await self.wait_until(lambda: room_id in self.client.rooms, within, f"joined {room_id}")
        return room_id


NewUser = Callable[..., Awaitable[MatrixUser]]
"""The `new_user` fixture: `await new_user(homeserver, "alice")` registers and logs in a user."""
