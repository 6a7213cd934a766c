"""The domain's vocabulary, defined once: what parsing, commands and storage all speak.

No dependencies (the standard library only), so that the parser can import it without any of
storage's machinery (`storage/__init__.py` loads the rest lazily). Enums are `StrEnum`s: their
values are what the database, the JSON contract and the question payloads hold.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NewType

UserId = NewType("UserId", str)
"""A Matrix user id, "@jeanne.martin:agent.interieur.tchap.gouv.fr"."""
RoomId = NewType("RoomId", str)
"""A Matrix room id, "!abc:agent.interieur.tchap.gouv.fr"."""


class Slot(StrEnum):
    """A whole day, or one half of it."""

    DAY = "day"
    AM = "am"
    PM = "pm"

    @property
    def covers_am(self) -> bool:
        return self is not Slot.PM

    @property
    def covers_pm(self) -> bool:
        return self is not Slot.AM

    def overlaps(self, other: Slot) -> bool:
        """True when both slots share a half-day ("day" overlaps everything)."""
        return (self.covers_am and other.covers_am) or (self.covers_pm and other.covers_pm)

    @property
    def other_half(self) -> Slot | None:
        """pm for am, am for pm, None for a whole day."""
        return {Slot.AM: Slot.PM, Slot.PM: Slot.AM}.get(self)

    @classmethod
    def from_halves(cls, am: bool, pm: bool) -> Slot:
        """The slot covering exactly these halves (at least one must be covered)."""
        if am and pm:
            return cls.DAY
        if am:
            return cls.AM
        if pm:
            return cls.PM
        raise ValueError("a slot covers at least one half-day")


class StatusKind(StrEnum):
    """What a member declares instead of coming on site."""

    REMOTE = "remote"
    LEAVE = "leave"
    TRAVEL = "travel"


class PresenceKind(StrEnum):
    """Where a member is on a half-day: on site (a booking) or one of the statuses."""

    ONSITE = "onsite"
    REMOTE = "remote"
    LEAVE = "leave"
    TRAVEL = "travel"


class Role(StrEnum):
    """What a member is, ordered (`role >= Role.MANAGER`); managers of a site are listed on the
    site itself. Rights are scoped to rooms and sites: see `bot.commands.permissions`."""

    AGENT = "agent"
    LEAD = "lead"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """0 for agent up to 3 for admin."""
        return list(Role).index(self)

    def _other_rank(self, other: object) -> int:
        if not isinstance(other, Role):
            raise TypeError(f"cannot compare a Role with {type(other).__name__}")
        return other.rank

    def __lt__(self, other: object) -> bool:
        return self.rank < self._other_rank(other)

    def __le__(self, other: object) -> bool:
        return self.rank <= self._other_rank(other)

    def __gt__(self, other: object) -> bool:
        return self.rank > self._other_rank(other)

    def __ge__(self, other: object) -> bool:
        return self.rank >= self._other_rank(other)


class Outcome(StrEnum):
    """The result of reserving one day."""

    BOOKED = "booked"
    ALREADY_BOOKED = "already_booked"
    FULL = "full"
    DESK_TAKEN = "desk_taken"
    UNKNOWN_DESK = "unknown_desk"
    CLOSED = "closed"
    HOLIDAY = "holiday"
    WEEKEND = "weekend"
    PAST = "past"
    BEYOND_HORIZON = "beyond_horizon"


class DigestAction(StrEnum):
    """What a digest command asks: to subscribe the room, to stop, or to see it now."""

    SUBSCRIBE = "subscribe"
    UNSUBSCRIBE = "unsubscribe"
    PREVIEW = "preview"


class Intent(StrEnum):
    """What the user asks for."""

    RESERVE = "reserve"
    CANCEL = "cancel"
    LIST = "list"
    WHO = "who"
    FREE = "free"
    STATUS = "status"
    OPEN = "open"
    CLOSE = "close"
    ANNOUNCE = "announce"
    DIGEST = "digest"
    HELP = "help"
    SET_SITE = "set_site"
    SET_LOCALE = "set_locale"
    CONFIRM = "confirm"
    DENY = "deny"
    FOLLOW = "follow"
    UNFOLLOW = "unfollow"
    APPOINT = "appoint"
    UNDO = "undo"  # take back the change just made ("annule ça", "oups")
    MOVE = "move"  # move a booking: `dates` the old day, `to_dates` the new one
    ASSIGN_DESK = "assign_desk"  # "attribue le bureau B-12 à @jean…" (a manager)
    UNASSIGN_DESK = "unassign_desk"  # "B-12 n'est plus attribué"
    LEND_DESK = "lend_desk"  # "je prête mon bureau du 7 au 11 décembre" (its owner)
    RECLAIM_DESK = "reclaim_desk"  # "je reprends mon bureau vendredi"
    WHO_HAS_DESK = "who_has_desk"  # "qui a mon bureau mardi ?"
    MY_DATA = "my_data"
    ERASE_DATA = "erase_data"
    WAITLIST_JOIN = "waitlist_join"  # wait for a desk at a site on a day (issue 12)
    WAITLIST_SHOW = "waitlist_show"
    WAITLIST_LEAVE = "waitlist_leave"
    CHECK_IN = "check_in"  # "je suis arrivé", "I'm here" (issue 12)
    UNKNOWN = "unknown"
