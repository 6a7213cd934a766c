"""Reactions from the sync (issue 12): `m.reaction` annotations, plain or decrypted, and the
redactions that may remove them, as transport-neutral `Reaction`s.

matrix-nio 0.26 parses a plain `m.reaction` as a `ReactionEvent`; a decrypted one goes through
`Event.parse_event` too, but older versions handed it over as an `UnknownEvent` of type
`m.reaction`, so both are read (from the raw source for the latter). A redaction names only the
event it removes: whether that was a reaction the bot acted on is for the handler to find.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nio import MatrixRoom, ReactionEvent, RedactionEvent, UnknownEvent

from bot.messages import Reaction
from bot.transport.matrix_text import is_allowed
from storage.domain import RoomId, UserId


def reaction_of(
    room: MatrixRoom, event: Any, *, own_user_id: str, allowed_servers: Iterable[str]
) -> tuple[str, Reaction] | None:
    """(the event id to claim, the reaction) for a reaction or a redaction from someone of an
    allowed server, else None."""
    sender = getattr(event, "sender", None)
    event_id = getattr(event, "event_id", None)
    if not isinstance(sender, str) or not isinstance(event_id, str) or sender == own_user_id:
        return None
    if not is_allowed(sender, allowed_servers):
        return None
    if isinstance(event, RedactionEvent):
        return event_id, _reaction(room, UserId(sender), event_id=event.redacts, target=None,
                                   key="", removed=True)  # fmt: skip
    if isinstance(event, ReactionEvent):
        target, key = event.reacts_to, event.key
    elif isinstance(event, UnknownEvent) and event.type == "m.reaction":
        relates = (event.source.get("content") or {}).get("m.relates_to") or {}
        target, key = relates.get("event_id"), relates.get("key")
        if relates.get("rel_type") != "m.annotation":
            return None
    else:
        return None
    if not isinstance(target, str) or not isinstance(key, str) or not key:
        return None
    return event_id, _reaction(room, UserId(sender), event_id=event_id, target=target, key=key)


def _reaction(
    room: MatrixRoom,
    sender: UserId,
    *,
    event_id: str,
    target: str | None,
    key: str,
    removed: bool = False,
) -> Reaction:
    user = room.users.get(sender)
    return Reaction(
        sender=UserId(sender),
        room_id=RoomId(room.room_id),
        event_id=event_id,
        target_event_id=target,
        key=key,
        removed=removed,
        sender_name=user.display_name if user else None,
        is_direct=room.member_count <= 2,
    )
