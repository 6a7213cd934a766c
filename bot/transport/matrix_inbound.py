"""Reading what the sync delivers: which timeline events are new, who invited the bot, who
created a room, and which text messages are commands (turned into `Message`s for the handler).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from nio import InviteMemberEvent, MatrixRoom, RoomMemberEvent, RoomMessageText
from nio.responses import InviteInfo

from bot.messages import Message
from bot.transport.matrix_text import (
    command_text,
    is_allowed,
    is_edit,
    replied_event,
    thread_root,
)
from storage.domain import RoomId, UserId

# Room versions 12 and later (Matrix 1.16, MSC4289) give a room's creators unlimited power: they
# are not listed in its m.room.power_levels, and matrix-nio 0.26 reports them at the default
# level (0). This stands for "unlimited": above any level a power_levels event can give.
CREATOR_POWER_LEVEL = 2**53


def creators_privileged(room_version: str) -> bool:
    """Whether a room version makes its creators all-powerful (12 and later)."""
    return (room_version.isdigit() and int(room_version) >= 12) or room_version.startswith(
        "org.matrix.hydra."
    )


def privileged_creators(event: Any) -> frozenset[str] | None:
    """The all-powerful creators named by a room's `m.room.create` event: its sender and its
    `additional_creators` in room versions 12 and later, nobody in older rooms; None when
    `event` is not a create event (any nio event class: the raw source is read)."""
    source = getattr(event, "source", None)
    if not isinstance(source, dict) or source.get("type") != "m.room.create":
        return None
    if source.get("state_key", "") != "":
        return None
    content = source.get("content")
    content = content if isinstance(content, dict) else {}
    if not creators_privileged(str(content.get("room_version", "1"))):
        return frozenset()
    extra = content.get("additional_creators")
    extras = [user for user in extra if isinstance(user, str)] if isinstance(extra, list) else []
    sender = source.get("sender")
    return frozenset([sender, *extras] if isinstance(sender, str) else extras)


def power_level(room: MatrixRoom, user_id: str, creators: Collection[str] = ()) -> int:
    """A member's power level in a room, creators of version 12+ rooms included."""
    if user_id in creators:
        return CREATOR_POWER_LEVEL
    return int(room.power_levels.get_user_level(user_id))


def first_new_event(events: Sequence[Any], own_user_id: str) -> int:
    """Index of the first timeline event after the bot joined, when the batch holds its join.

    Joining a room delivers its recent history: commands sent before the bot was there are not
    for it.
    """
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if (
            isinstance(event, RoomMemberEvent)
            and event.state_key == own_user_id
            and event.membership == "join"
            and event.prev_membership != "join"
        ):
            return index + 1
    return 0


def inviter_of(invite: InviteInfo, own_user_id: str) -> str | None:
    """Who invited the bot to a room (from the invite's stripped state)."""
    return next(
        (
            event.sender
            for event in invite.invite_state
            if isinstance(event, InviteMemberEvent)
            and event.state_key == own_user_id
            and event.membership == "invite"
        ),
        None,
    )


def command_message(
    room: MatrixRoom,
    event: Any,
    *,
    own_user_id: str,
    prefix: str,
    allowed_servers: Iterable[str],
    creators: Collection[str] = (),
) -> Message | None:
    """The command in a timeline event, or None when the event is not a command for the bot.

    Only `m.text` from people of allowed servers counts (never notices: bots answer with those,
    and two bots must not talk forever), never the bot's own messages nor edits. `creators` are
    the room's all-powerful creators (`privileged_creators`) for the sender's power level.
    """
    if not isinstance(event, RoomMessageText) or event.sender == own_user_id:
        return None
    if not is_allowed(event.sender, allowed_servers):
        return None
    content = event.source.get("content", {})
    if is_edit(content):
        return None
    is_direct = room.member_count <= 2
    own = room.users.get(own_user_id)
    localpart = own_user_id[1:].split(":", 1)[0]
    text = command_text(
        content,
        bot_user_id=own_user_id,
        bot_names=[name for name in (own.display_name if own else None, localpart) if name],
        prefix=prefix,
        is_direct=is_direct,
    )
    if text is None:
        return None
    sender = room.users.get(event.sender)
    return Message(
        sender=UserId(event.sender),
        room_id=RoomId(room.room_id),
        text=text,
        sender_name=sender.display_name if sender else None,
        event_id=event.event_id,
        thread_id=thread_root(content),
        reply_to=replied_event(content),
        is_direct=is_direct,
        received_at=datetime.fromtimestamp(event.server_timestamp / 1000, UTC),
        power_level=power_level(room, event.sender, creators),
    )
