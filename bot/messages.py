"""What crosses the transport boundary: an incoming `Message` and the `Reply` objects sent back.

Transports (console, Matrix) build `Message`s and deliver `Reply`s; nothing else in the bot knows
which transport is in use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from storage.domain import RoomId, UserId
from storage.subjects import Subject


@dataclass(frozen=True)
class Message:
    """A command text received from a user, already stripped of any command prefix/mention."""

    sender: UserId  # e.g. "@jeanne.martin:agent.interieur.tchap.gouv.fr"
    room_id: RoomId
    text: str
    sender_name: str | None = None
    event_id: str | None = None
    thread_id: str | None = None  # root event of the thread the command came from
    reply_to: str | None = None  # event the command itself replied to
    is_direct: bool = True  # a two-person room: plain text is a command
    received_at: datetime | None = None
    # Matrix power level of the sender in the room (moderator >= 50); None when unknown.
    power_level: int | None = None


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply: `kind` "image" is an m.image (a chart), anything else an m.file.

    In encrypted rooms the Matrix transport uploads it as an encrypted attachment; the console
    writes it under var/exports/ and prints its path.
    """

    filename: str
    mimetype: str
    data: bytes
    kind: str = "file"
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Reply:
    """Something the bot says: plain text for every client, HTML for those that render it.

    `room_id` None means "in the room of the command, as a reply to it"; `to` set means a direct
    message to that user (the transport finds or creates the direct room).
    """

    text: str
    html: str
    mentions: tuple[UserId, ...] = ()
    room_id: RoomId | None = None
    to: UserId | None = None
    attachments: tuple[Attachment, ...] = ()  # sent after the text, in the same room
    # What the message is about (a booking confirmation...): stored with its event id once
    # sent, so that a reaction to it can be understood (issue 12).
    about: Subject | None = None
    # The event id it was sent as, set by transports without a homeserver (console, tests).
    event_id: str | None = None


@dataclass(frozen=True)
class Reaction:
    """A reaction (`m.reaction`, an annotation) of a user to an event, or its removal.

    `event_id` is the reaction's own event; `target_event_id` the event it annotates and `key`
    its emoji. `removed` is a redaction of a reaction: then only `event_id` (the redacted
    reaction) is known for sure; the handler finds what that reaction did.
    """

    sender: UserId
    room_id: RoomId
    event_id: str
    target_event_id: str | None
    key: str
    removed: bool = False
    sender_name: str | None = None
    is_direct: bool = True


class Handler(Protocol):
    """What a transport calls for each command message (the dispatcher implements it)."""

    async def handle(self, message: Message) -> list[Reply]: ...

    async def handle_reaction(self, reaction: Reaction) -> list[Reply]:
        """A reaction, or its removal: the replies go to the reaction's room (`room_id` None)
        or elsewhere (`to`, `room_id`), as for commands."""
        ...


class Outbox(Protocol):
    """How background jobs speak first (digests, closure notices); transports implement it."""

    async def send(self, reply: Reply) -> None: ...


class RoomDirectory(Protocol):
    """Who is in a room, as the transport knows it (joined members, the bot itself excepted).

    None means the transport does not know the room (the bot is not in it, or the console has
    not seen it this session): callers then keep the members stored before, never an empty team.
    """

    async def room_members(self, room_id: RoomId) -> list[tuple[UserId, str | None]] | None: ...
