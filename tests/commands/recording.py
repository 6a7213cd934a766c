"""A recording fake transport: the only fake in the conversation tests (the edge, not the core)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.delivery import ReplyCourier, drain
from bot.dispatcher import Dispatcher
from bot.messages import Handler, Message, Reaction, Reply
from storage.domain import RoomId, UserId

if TYPE_CHECKING:
    from storage.core import Storage

DM_ROOM = "!dm:test"


@dataclass
class RecordingTransport:
    """Sends messages to the dispatcher as a Matrix transport would, and records every reply."""

    handler: Handler
    replies: list[tuple[Message, list[Reply]]] = field(default_factory=list)
    sent: list[Reply] = field(default_factory=list)  # what background jobs sent (outbox)
    reactions: dict[tuple[str, str, str], str] = field(default_factory=dict)
    _counter: int = 0

    @property
    def dispatcher(self) -> Dispatcher:
        """The dispatcher behind the transport (what the `bot` fixture wires)."""
        assert isinstance(self.handler, Dispatcher), self.handler
        return self.handler

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
        replies = await self._sent(room, replies)
        self.replies.append((message, replies))
        return replies

    async def react(
        self, sender: str, target_event_id: str, key: str, room: str = DM_ROOM
    ) -> list[Reply]:
        """`sender` reacts with `key` to the bot's message `target_event_id`: the replies."""
        self._counter += 1
        reaction = Reaction(
            sender=UserId(sender),
            room_id=RoomId(room),
            event_id=f"$reaction{self._counter}",
            target_event_id=target_event_id,
            key=key,
            sender_name=display_name(sender),
            is_direct=room == DM_ROOM,
        )
        self.reactions[(room, sender, key)] = reaction.event_id
        return await self._sent(room, await self.handler.handle_reaction(reaction))

    async def unreact(self, sender: str, key: str, room: str = DM_ROOM) -> list[Reply]:
        """`sender` removes their reaction `key` (a redaction of it): the replies."""
        event_id = self.reactions.pop((room, sender, key))
        reaction = Reaction(
            sender=UserId(sender),
            room_id=RoomId(room),
            event_id=event_id,
            target_event_id=None,
            key="",
            removed=True,
            is_direct=room == DM_ROOM,
        )
        return await self._sent(room, await self.handler.handle_reaction(reaction))

    async def _sent(self, room: str, replies: list[Reply]) -> list[Reply]:
        """The replies as sent: each with an event id (remembered with what it is about, as a
        Matrix transport does), then what the outbox delivered."""
        storage = getattr(self.handler, "storage", None)
        out: list[Reply] = []
        for reply in replies:
            if reply.event_id is None and not (reply.to or reply.room_id):
                self._counter += 1
                reply = dataclasses.replace(reply, event_id=f"$reply{self._counter}")
                if reply.about is not None and storage is not None:
                    await storage.checkin.remember_message(reply.event_id, room, reply.about)
            out.append(reply)
        if storage is not None:  # what the command wrote, delivered as a worker would
            out = [*out, *await delivered(storage)]
        return out

    async def send(self, reply: Reply) -> None:
        self.sent.append(reply)


async def delivered(storage: Storage, owner: str = "recording") -> list[Reply]:
    """Deliver the outbox now; the rows as `Reply`s (to=… for a person, room_id=… for a room)."""
    sent: list[Reply] = []

    async def keep(reply: Reply) -> None:
        sent.append(reply)

    await drain(storage, ReplyCourier(keep, DM_ROOM), owner)
    return sent


def display_name(sender: str) -> str:
    return sender[1:].split(":", 1)[0].capitalize()


@dataclass
class FakeDirectory:
    """Room members as a Matrix transport would report them (joined, bot excepted)."""

    rooms: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)

    async def room_members(self, room_id: str) -> list[tuple[str, str | None]] | None:
        return list(self.rooms[room_id]) if room_id in self.rooms else None
