"""What a message of the bot is about, so that a reaction to it can be understood (issue 12).

A booking confirmation or a check-in reminder is about bookings (✅ checks them in); a team's
digest is about a team room and a day (🏢 🏠 🌴 say where its members are). Replies and outbox
envelopes carry a `Subject`; the transport that sends them stores it with the event id.
No dependencies: the chat side and storage both import it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from storage.domain import RoomId, UserId


class SubjectKind(StrEnum):
    """What a bot message is."""

    BOOKING = "booking"  # the confirmation of a booking
    REMINDER = "reminder"  # the morning check-in reminder
    DIGEST = "digest"  # a team's presence digest


@dataclass(frozen=True)
class Subject:
    """A bot message's subject: its bookings (for `member`), or a team room and a day."""

    kind: SubjectKind
    member: UserId | None = None
    booking_ids: tuple[int, ...] = ()
    team_room: RoomId | None = None
    day: date | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": str(self.kind),
                "member": self.member,
                "bookings": list(self.booking_ids),
                "team": self.team_room,
                "day": self.day.isoformat() if self.day else None,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Subject:
        data: dict[str, Any] = json.loads(text)
        return cls(
            SubjectKind(data["kind"]),
            member=data.get("member"),
            booking_ids=tuple(int(b) for b in data.get("bookings") or ()),
            team_room=data.get("team"),
            day=date.fromisoformat(data["day"]) if data.get("day") else None,
        )
