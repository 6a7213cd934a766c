"""Everything the bot sends to the homeserver: messages (with retries), joins, direct rooms,
typing notices, read receipts and room key requests.

A message keeps one transaction id across its retries, so the homeserver stores it once even
when an answer was lost; rate limits (`M_LIMIT_EXCEEDED`) are waited out as the server asks.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any
from uuid import uuid4

from nio import (
    AsyncClient,
    ErrorResponse,
    JoinResponse,
    LocalProtocolError,
    MegolmEvent,
    RoomCreateResponse,
    RoomSendResponse,
    SendRetryError,
)
from nio.api import ReceiptType, RoomPreset

from bot.transport.matrix_client import CONNECTION_ERRORS, http_status
from bot.transport.matrix_retry import Backoff, is_retryable, retry_delay
from bot.transport.matrix_roomstate import DirectIndex
from storage.domain import RoomId

log = logging.getLogger(__name__)

SEND_ATTEMPTS = 10  # with the 60 s cap: several minutes before a reply is given up
JOIN_ATTEMPTS = 6
ROOM_WAIT_S = 30.0  # how long a new direct room may take to show up in the sync
ENCRYPTION_STATE = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}

Spawn = Callable[[Coroutine[Any, Any, None], str], "asyncio.Task[None]"]


class DeliveryError(Exception):
    """A message could not be delivered (refused, or the homeserver stayed unreachable);
    `response` is the homeserver's refusal when there was one."""

    def __init__(self, message: str, response: ErrorResponse | None = None) -> None:
        super().__init__(message)
        self.response = response


class Sender:
    """Sends on behalf of the transport; `spawn` runs fire-and-forget requests as tracked tasks."""

    def __init__(
        self,
        client: AsyncClient,
        spawn: Spawn,
        direct_index: DirectIndex | None = None,
        members_fetched: Callable[[str], None] | None = None,
    ) -> None:
        self.client = client
        self._spawn = spawn
        self._direct_index = direct_index
        # nio fetches a room's members before its first encrypted message: the room state
        # saved on disk must learn it, or the next start fetches them again.
        self._members_fetched = members_fetched
        self._direct_lock = asyncio.Lock()
        self._typing: set[str] = set()
        # Room → when a message was last sent there (idle rooms' Megolm sessions are dropped).
        self.last_sent: dict[str, float] = {}

    async def send(self, room_id: str, content: dict[str, Any]) -> str:
        """Send an `m.room.message` (encrypted in encrypted rooms); returns its event id."""
        if not await self._room_known(room_id):
            raise DeliveryError(f"the bot is not in room {room_id}")
        tx_id = str(uuid4())
        backoff = Backoff(initial=0.5, cap=60.0)
        problem = "not attempted"
        for attempt in range(1, SEND_ATTEMPTS + 1):
            delay = backoff.next_delay()
            room = self.client.rooms.get(room_id)
            had_members = room is None or room.members_synced
            self.last_sent[room_id] = time.monotonic()
            try:
                response = await self.client.room_send(
                    room_id,
                    "m.room.message",
                    content,
                    tx_id=tx_id,
                    ignore_unverified_devices=True,
                )
            except CONNECTION_ERRORS as error:
                problem = str(error) or type(error).__name__
            except (LocalProtocolError, SendRetryError) as error:
                # Usually a room the sync has not shown yet, or members still loading.
                problem = str(error)
            else:
                if not had_members and self._members_fetched and room and room.members_synced:
                    self._members_fetched(room_id)
                if isinstance(response, RoomSendResponse):
                    return str(response.event_id)
                assert isinstance(response, ErrorResponse)
                problem = str(response)
                if not is_retryable(response.status_code, http_status(response)):
                    raise DeliveryError(f"message to {room_id} refused: {problem}")
                delay = retry_delay(response.retry_after_ms, backoff)
            if attempt < SEND_ATTEMPTS:
                log.warning(
                    "sending to %s failed (%s): retry %d in %.1f s",
                    room_id,
                    problem,
                    attempt,
                    delay,
                )
                await asyncio.sleep(delay)
        raise DeliveryError(f"message to {room_id} not delivered: {problem}")

    async def join(self, room_id: str, inviter: str) -> bool:
        """Accept an invite, retrying while the homeserver is busy or unreachable."""
        backoff = Backoff(initial=1.0, cap=30.0)
        problem = "not attempted"
        for attempt in range(1, JOIN_ATTEMPTS + 1):
            delay = backoff.next_delay()
            try:
                response = await self.client.join(room_id)
            except CONNECTION_ERRORS as error:
                problem = str(error) or type(error).__name__
            else:
                if isinstance(response, JoinResponse):
                    log.info("joined %s (invited by %s)", room_id, inviter)
                    return True
                problem = str(response)
                if not is_retryable(response.status_code, http_status(response)):
                    break
                delay = retry_delay(response.retry_after_ms, backoff)
            if attempt < JOIN_ATTEMPTS:
                log.warning("could not join %s (%s): retrying in %.0f s", room_id, problem, delay)
                await asyncio.sleep(delay)
        log.error("gave up joining %s (invited by %s): %s", room_id, inviter, problem)
        return False

    async def direct_room(self, user_id: str) -> RoomId:
        """The two-person room with `user_id`, created (encrypted, as a direct chat) if needed."""
        async with self._direct_lock:
            existing = self.find_direct_room(user_id)
            if existing is not None:
                return RoomId(existing)
            response = await self.client.room_create(
                is_direct=True,
                invite=[user_id],
                preset=RoomPreset.trusted_private_chat,
                initial_state=[ENCRYPTION_STATE],
            )
            if not isinstance(response, RoomCreateResponse):
                raise DeliveryError(
                    f"could not open a direct room with {user_id}: {response}",
                    response if isinstance(response, ErrorResponse) else None,
                )
            log.info("opened direct room %s with %s", response.room_id, user_id)
            if self._direct_index is not None:
                self._direct_index.update(response.room_id, user_id, encrypted=True)
            await self._wait_for_room(response.room_id, user_id)
            return RoomId(response.room_id)

    def find_direct_room(self, user_id: str) -> str | None:
        """A room whose only members (joined or invited) are the bot and `user_id`.

        With the transport's on-disk index (`DirectIndex`) this is a dictionary look-up; without
        one (tests of the sender alone), a scan of every room.
        """
        wanted = {self.client.user_id, user_id}
        if self._direct_index is not None:
            room_id = self._direct_index.get(user_id)
            room = self.client.rooms.get(room_id) if room_id else None
            if room is not None and set(room.users) == wanted and not room.is_named:
                return room_id
            return None if room is None else self._scan_direct(wanted)
        return self._scan_direct(wanted)

    def _scan_direct(self, wanted: set[str]) -> str | None:
        candidates = [
            room
            for room in self.client.rooms.values()
            if set(room.users) == wanted and not room.is_named
        ]
        # Tchap: direct chats are encrypted; prefer those.
        candidates.sort(key=lambda room: (not room.encrypted, room.room_id))
        return candidates[0].room_id if candidates else None

    async def _room_known(self, room_id: str) -> bool:
        """Whether the sync has shown the room (waiting a little for one just joined)."""
        deadline = time.monotonic() + ROOM_WAIT_S
        while room_id not in self.client.rooms:
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.1)
        return True

    async def _wait_for_room(self, room_id: str, user_id: str) -> None:
        """Wait until the sync has shown the new room and its invitee (encryption needs them)."""
        deadline = time.monotonic() + ROOM_WAIT_S
        while time.monotonic() < deadline:
            room = self.client.rooms.get(room_id)
            if room is not None and user_id in room.users:
                return
            await asyncio.sleep(0.1)
        log.warning("new room %s not seen in the sync after %.0f s", room_id, ROOM_WAIT_S)

    def mark_read(self, room_id: str, event_id: str, thread_id: str | None) -> None:
        """Send a read receipt for a command, without waiting for it."""
        self._spawn(self._receipt(room_id, event_id, thread_id), f"receipt {event_id}")

    async def _receipt(self, room_id: str, event_id: str, thread_id: str | None) -> None:
        try:
            await self.client.update_receipt_marker(
                room_id, event_id, ReceiptType.read, thread_id or "main"
            )
        except CONNECTION_ERRORS as error:
            log.debug("read receipt for %s not sent: %s", event_id, error)

    def typing_after(self, room_id: str, delay: float, timeout_ms: int) -> asyncio.Task[None]:
        """Show 'typing…' in the room if the answer takes longer than `delay` seconds.

        Cancel the returned task when the answer is ready.
        """
        return self._spawn(self._typing_later(room_id, delay, timeout_ms), f"typing {room_id}")

    async def _typing_later(self, room_id: str, delay: float, timeout_ms: int) -> None:
        await asyncio.sleep(delay)
        self._typing.add(room_id)
        try:
            await self.client.room_typing(room_id, True, timeout=timeout_ms)
        except CONNECTION_ERRORS as error:
            log.debug("typing notice not sent to %s: %s", room_id, error)

    async def stop_typing(self, room_id: str) -> None:
        """Clear the typing notice, if one was shown."""
        if room_id not in self._typing:
            return
        self._typing.discard(room_id)
        try:
            await self.client.room_typing(room_id, False)
        except CONNECTION_ERRORS as error:
            log.debug("typing notice not cleared in %s: %s", room_id, error)

    async def request_key(self, event: MegolmEvent) -> None:
        """Ask the sender's devices (and ours) for the key of an undecryptable event."""
        try:
            await self.client.request_room_key(event)
        except LocalProtocolError:
            pass  # already asked for this session
        except CONNECTION_ERRORS as error:
            log.warning("room key request for %s not sent: %s", event.event_id, error)
