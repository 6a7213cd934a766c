"""The Matrix courier of the outbox: one row → one `m.room.message`, with the row's own
transaction id, so that a resend after a crash (same device, same id) is the same event.

A row to a person goes to their direct room: the one remembered for that row or for that person
(storage.outbox), else one the sync shows, else a new encrypted one (`Sender.direct_room`).
Outcomes are classified for the worker (bot.delivery): rate limits and server or network
trouble are tried again; a room the bot is not in, a refused request, or a person who cannot be
invited fail the row at once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from nio import (
    AsyncClient,
    ErrorResponse,
    LocalProtocolError,
    RoomSendResponse,
    SendRetryError,
)

from bot.delivery import Delivered, Outcome, TryLater, Undeliverable
from bot.transport.matrix_client import CONNECTION_ERRORS, http_status
from bot.transport.matrix_retry import LIMIT_EXCEEDED
from bot.transport.matrix_sender import DeliveryError, Sender
from bot.transport.matrix_text import notice_content
from storage.domain import RoomId, UserId

if TYPE_CHECKING:
    from storage.outbox import OutboxItem, OutboxStore

log = logging.getLogger(__name__)


def classify(response: ErrorResponse, what: str) -> Outcome:
    """A refusal from the homeserver as the worker sees it."""
    status = http_status(response)
    if response.status_code == LIMIT_EXCEEDED or status == 429:
        after = response.retry_after_ms / 1000 if response.retry_after_ms else None
        return TryLater(f"{what}: rate limited", after_s=after, rate_limited=True)
    if status is None or status >= 500:
        return TryLater(f"{what}: {response}")
    return Undeliverable(f"{what} refused: {response}")


class MatrixCourier:
    """Delivers outbox rows through the transport's client and sender."""

    def __init__(self, client: AsyncClient, sender: Sender, store: OutboxStore) -> None:
        self.client = client
        self.sender = sender
        self.store = store

    def _usable_direct(self, room_id: RoomId | None, user_id: UserId) -> bool:
        if room_id is None:
            return False
        room = self.client.rooms.get(room_id)
        return room is not None and user_id in room.users

    async def _direct_room(self, item: OutboxItem) -> RoomId | Outcome:
        user_id = item.recipient
        assert user_id is not None
        if item.room_id is not None and self._usable_direct(item.room_id, user_id):
            return item.room_id
        remembered = await self.store.known_direct_room(user_id)
        if self._usable_direct(remembered, user_id):
            room_id = remembered
        else:
            try:
                room_id = await self.sender.direct_room(user_id)
            except DeliveryError as error:
                if error.response is not None:
                    return classify(error.response, f"direct room with {user_id}")
                return TryLater(str(error))
            except CONNECTION_ERRORS as error:
                return TryLater(f"direct room with {user_id}: {error or type(error).__name__}")
        assert room_id is not None
        if room_id != item.room_id:
            await self.store.remember_room(item.id, room_id)
        return room_id

    async def deliver(self, item: OutboxItem) -> Outcome:
        if item.recipient is not None:
            found = await self._direct_room(item)
            if not isinstance(found, str):
                return found
            room_id = found
        else:
            assert item.room_id is not None
            room_id = item.room_id
        if room_id not in self.client.rooms:
            return Undeliverable(f"the bot is not in room {room_id}")
        content = notice_content(item.text, item.html, mentions=item.mentions)
        try:
            response = await self.client.room_send(
                room_id,
                "m.room.message",
                content,
                tx_id=item.tx_id,
                ignore_unverified_devices=True,
            )
        except CONNECTION_ERRORS as error:
            return TryLater(f"network: {error or type(error).__name__}")
        except (LocalProtocolError, SendRetryError) as error:
            return TryLater(f"not ready: {error}")
        if isinstance(response, RoomSendResponse):
            return Delivered(response.event_id, room_id)
        assert isinstance(response, ErrorResponse)
        return classify(response, f"message to {room_id}")
