"""The sync filter of a bot: only what the bot reads, so that a sync wake-up costs little per room.

Measured by `bench/rooms.py`. What each part saves:
- `presence` off: no presence wake-ups (Tchap turns presence off anyway; cheap insurance).
- `ephemeral` off (typing notices and read receipts): the bot reads neither, and each one in a
  room woke the bot's long-poll and cost the homeserver a per-room pass in every room it is in.
- `account_data` off: the bot keeps its direct rooms itself (`matrix_roomstate`), not in
  `m.direct`.
- state only of the types the bot reads, and members lazily loaded (`lazy_load_members`): a
  restart no longer downloads every member of every room; members are fetched per room, when a
  room needs them (`/joined_members`, which nio also does before encrypting).
- a small timeline limit: commands are short and rare; a longer gap is a "limited" timeline, and
  the bot then refreshes that room's members on demand.
"""

from __future__ import annotations

from typing import Any

# The state the bot reads: members (names, who is direct), power levels (permissions), create
# (creators of v12 rooms), encryption, and name/alias (a named room is not a direct chat).
STATE_TYPES = [
    "m.room.member",
    "m.room.power_levels",
    "m.room.create",
    "m.room.encryption",
    "m.room.name",
    "m.room.canonical_alias",
]
TIMELINE_LIMIT = 10


def bot_sync_filter(
    timeline_limit: int = TIMELINE_LIMIT, lazy_load_members: bool = True
) -> dict[str, Any]:
    """The filter of the bot's syncs. The very first one (no token yet) takes every member, once,
    with a timeline of 1: the rooms' state is then kept on disk and never asked for again."""
    return {
        "presence": {"not_types": ["*"]},
        "account_data": {"not_types": ["*"]},
        "room": {
            "state": {"types": STATE_TYPES, "lazy_load_members": lazy_load_members},
            "timeline": {"limit": timeline_limit, "lazy_load_members": lazy_load_members},
            "ephemeral": {"not_types": ["*"]},
            "account_data": {"not_types": ["*"]},
        },
    }
