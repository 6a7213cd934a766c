"""A team room's members as the transport sees them, stored as the team: one refresh for the
digest command and the scheduled digest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storage.domain import RoomId, UserId

if TYPE_CHECKING:
    from bot.messages import RoomDirectory
    from storage.core import Storage

Members = list[tuple[UserId, str | None]]


async def refresh_room_members(
    storage: Storage,
    directory: RoomDirectory | None,
    room: RoomId,
    last: dict[RoomId, Members] | None = None,
) -> int | None:
    """Store the room's current members (from the transport) as the team; returns their count,
    or None when the transport does not know the room (the stored team then stands, never an
    empty one). With `last` (room -> members last stored), an unchanged list is not rewritten."""
    known = await directory.room_members(room) if directory is not None else None
    if known is None:
        return None
    members = sorted(known)
    if last is None or last.get(room) != members:
        await storage.set_room_members(room, members)
        if last is not None:
            last[room] = members
    return len(members)
