"""A recording fake transport: the only fake in the conversation tests (the edge, not the core)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.delivery import ReplyCourier, drain
from bot.messages import Handler, Message, Reply

if TYPE_CHECKING:
    from storage.core import Storage

DM_ROOM = "!dm:test"


@dataclass
class RecordingTransport:
    """Sends messages to the dispatcher as a Matrix transport would, and records every reply."""

    handler: Handler
    replies: list[tuple[Message, list[Reply]]] = field(default_factory=list)
    sent: list[Reply] = field(default_factory=list)  # what background jobs sent (outbox)
    _counter: int = 0

    async def say(
        self,
        sender: str,
        text: str,
        room: str = DM_ROOM,
        *,
        is_direct: bool = True,
        power_level: int | None = None,
    ) -> list[Reply]:
        self._counter += 1
        message = Message(
            sender=sender,
            room_id=room,
            text=text,
            sender_name=display_name(sender),
            event_id=f"$event{self._counter}",
            is_direct=is_direct,
            power_level=power_level,
        )
        replies = await self.handler.handle(message)
        # What the command wrote to the outbox, delivered as a transport's worker would.
        storage = getattr(self.handler, "storage", None)
        if storage is not None:
            replies = [*replies, *await delivered(storage)]
        self.replies.append((message, replies))
        return replies

    async def send(self, reply: Reply) -> None:
        self.sent.append(reply)


async def delivered(storage: Storage, owner: str = "recording") -> list[Reply]:
    """Deliver the outbox now; the rows as `Reply`s (to=… for a person, room_id=… for a room)."""
    sent: list[Reply] = []

    async def keep(reply: Reply) -> None:
        sent.append(reply)

    await drain(storage, ReplyCourier(keep), owner)
    return sent


def display_name(sender: str) -> str:
    return sender[1:].split(":", 1)[0].capitalize()


@dataclass
class FakeDirectory:
    """Room members as a Matrix transport would report them (joined, bot excepted)."""

    rooms: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)

    async def room_members(self, room_id: str) -> list[tuple[str, str | None]] | None:
        return list(self.rooms[room_id]) if room_id in self.rooms else None
