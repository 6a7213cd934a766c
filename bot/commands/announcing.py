"""Posting to the rooms that follow a site, and telling people directly: shared by managers'
commands (openings, closures, announcements)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.i18n import Translator
from bot.replies import ReplyBuilder
from storage.domain import RoomId, UserId
from storage.outbox import Envelope

if TYPE_CHECKING:
    from bot.commands.base import Context


def room_language(ctx: Context) -> Translator:
    """Rooms are written to in the bot's default language (a room has many readers)."""
    return Translator(ctx.settings.locale)


async def announce_to_followers(ctx: Context, sites: Iterable[str], builder: ReplyBuilder) -> int:
    """Queue `builder` for every room following any of `sites` (once per room); returns the count.

    The room the command came from is skipped: the sender's own answer already says it there.
    """
    rooms: set[RoomId] = set()
    for site in sites:
        rooms.update(await ctx.storage.rooms_following(site))
    rooms.discard(ctx.message.room_id)
    for room in sorted(rooms):
        ctx.extra_replies.append(builder.build(room_id=room))
    return len(rooms)


async def follower_rooms(ctx: Context, sites: Iterable[str]) -> list[RoomId]:
    """The rooms following any of `sites`, the command's own room excepted, sorted."""
    rooms: set[RoomId] = set()
    for site in sites:
        rooms.update(await ctx.storage.rooms_following(site))
    rooms.discard(ctx.message.room_id)
    return sorted(rooms)


def envelopes(kind: str, rooms: Iterable[RoomId], builder: ReplyBuilder) -> list[Envelope]:
    """The outbox rows posting `builder` in each of `rooms`."""
    reply = builder.build()
    return [Envelope(kind, reply.text, reply.html, room_id=room) for room in rooms]


def envelope_to(kind: str, user_id: UserId, builder: ReplyBuilder) -> Envelope:
    """The outbox row telling `user_id` directly."""
    reply = builder.build()
    return Envelope(kind, reply.text, reply.html, to=user_id, mentions=reply.mentions)
