"""What the core returns: frozen dataclasses and string enums, never ORM rows.

Members are named by their Matrix id, sites by their canonical name, desks by their label.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

# The domain's enums are defined once, in a module without dependencies; re-exported here.
from storage.domain import Outcome, PresenceKind, Role, RoomId, Slot, StatusKind, UserId

__all__ = [
    "Availability",
    "Booking",
    "CheckInRule",
    "DayOutcome",
    "ImportReport",
    "MemberInfo",
    "Outcome",
    "PendingQuestion",
    "Presence",
    "PresenceKind",
    "Role",
    "SiteInfo",
    "Slot",
    "StatusChange",
    "StatusKind",
    "Team",
    "TeamDay",
    "TeamMember",
]


@dataclass(frozen=True)
class CheckInRule:
    """A site's check-in deadlines, in its time zone (issue 12): a booking covering the morning
    (morning or whole day) must be checked in by `morning`, an afternoon booking by `afternoon`;
    a deadline left out means no check-in for those bookings. `remind`: a DM each morning."""

    morning: time | None
    afternoon: time | None
    remind: bool = False

    def deadline(self, slot: Slot) -> time | None:
        """The deadline of a booking of this slot, or None when it needs no check-in."""
        return self.afternoon if slot is Slot.PM else self.morning


@dataclass(frozen=True)
class SiteInfo:
    """A site as the chat side sees it; `open_weekdays` uses 0 = Monday."""

    name: str
    aliases: tuple[str, ...]
    department: str | None
    timezone: str
    managers: tuple[UserId, ...]
    open_weekdays: tuple[int, ...]
    desk_count: int
    check_in: CheckInRule | None = None  # None: bookings there are never released


@dataclass(frozen=True)
class MemberInfo:
    """A member; `default_site` is the one they set, else the site of their last booking."""

    matrix_id: UserId
    display_name: str | None
    role: Role
    default_site: str | None
    locale: str | None


@dataclass(frozen=True)
class Booking:
    """An active (or just cancelled) reservation of one desk for one day or half-day."""

    id: int
    member: UserId
    display_name: str | None
    site: str
    desk: str
    day: date
    slot: Slot
    created_at: datetime


@dataclass(frozen=True)
class DayOutcome:
    """What happened to one day of a `reserve` call.

    `booking` is the new booking, or the existing one for already_booked; `alternative_slot` is
    offered with full (the other half-day, when a desk is free there); `alternative_desk` with
    desk_taken; `reason` is the closure reason or the holiday's name; `replaced_status` is the
    status (télétravail, congé...) the new booking replaced on that day, if any.
    """

    day: date
    slot: Slot
    outcome: Outcome
    booking: Booking | None = None
    alternative_slot: Slot | None = None
    alternative_desk: str | None = None
    reason: str | None = None
    replaced_status: StatusKind | None = None


@dataclass(frozen=True)
class Availability:
    """Free desks of a site for one slot; `blocked` says why nothing is bookable that day."""

    site: str
    day: date
    slot: Slot
    free: tuple[str, ...]
    free_count: int
    total: int
    blocked: Outcome | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Presence:
    """Where one member is on a day: on site (with site and desk) or remote/leave/travel."""

    member: UserId
    display_name: str | None
    kind: PresenceKind
    site: str | None
    desk: str | None
    slot: Slot


@dataclass(frozen=True)
class StatusChange:
    """A status set on one day; `replaced` is the booking (or released half) it cancelled."""

    day: date
    slot: Slot
    kind: StatusKind
    replaced: Booking | None = None


@dataclass(frozen=True)
class ImportReport:
    """What `import_sites` changed (all zero when the file was already imported)."""

    sites_created: int = 0
    sites_updated: int = 0
    desks_created: int = 0
    desks_deactivated: int = 0
    desks_reactivated: int = 0


@dataclass(frozen=True)
class PendingQuestion:
    """A question the bot asked and is waiting on (one per member and room)."""

    member: UserId
    room: RoomId
    kind: str
    payload: dict[str, Any]
    expires_at: datetime


@dataclass(frozen=True)
class Team:
    """A room subscribed to the morning digest.

    `digest_time` is "HH:MM" in `timezone`; `locale` is the digest's language. `usual_site` is
    the site most of the room's members have as default site (explicit or last booked), computed
    when read; `department` is that site's, for the regional public holidays.
    """

    room_id: RoomId
    digest_time: str
    timezone: str
    locale: str
    lead: UserId | None
    usual_site: str | None
    department: str | None


@dataclass(frozen=True)
class TeamMember:
    """A joined member of a team's room."""

    matrix_id: UserId
    display_name: str | None


@dataclass(frozen=True)
class TeamDay:
    """What one team's digest of one day needs: its members and their presences that day."""

    team: Team
    day: date
    members: tuple[TeamMember, ...]
    presences: tuple[Presence, ...]
