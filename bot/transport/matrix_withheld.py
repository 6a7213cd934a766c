"""Room keys a sender's client withheld from the bot (`m.room_key.withheld`), and what to say.

A client that excludes unverified or unsigned devices does not share the room key of a message
with the bot; it tells so with a to-device `m.room_key.withheld` (matrix-nio does not know this
type: it arrives as an `UnknownToDeviceEvent`). Without it the bot would wait for a key that never
comes, silently. After the key-request wait the transport answers once in the room, in plain words
and at most once an hour per room, that it could not read the message and why.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from bot import metrics
from bot.i18n import N_

log = logging.getLogger(__name__)

WITHHELD_TYPE = "m.room_key.withheld"
NOTICE_INTERVAL_S = 3600.0  # at most one "could not read" notice per room and hour
KNOWN_CODES = frozenset(
    {"m.unverified", "m.blacklisted", "m.unauthorised", "m.unavailable", "m.no_olm"}
)

UNVERIFIED_TEXT = N_(
    "🔒 I could not read your message: your app did not share its encryption key with me, "
    "because it only sends messages to verified devices. Verify my identity in your app (the "
    "team that runs me can give you my key), then write to me again."
)
OTHER_TEXT = N_(
    "🔒 I could not read your message: your app did not share its encryption key with me "
    "({code}). Send it again in a moment; if this goes on, sign out of your app and back in."
)


@dataclass(frozen=True)
class Withheld:
    """Why a sender's device withheld one Megolm session from the bot."""

    session_id: str
    room_id: str | None
    sender: str
    code: str
    reason: str | None

    @property
    def label(self) -> str:
        """The code as a metric label (unknown codes are lumped together)."""
        return self.code if self.code in KNOWN_CODES else "other"


def parse_withheld(event_type: str, sender: str, content: dict[str, Any]) -> Withheld | None:
    """The withheld notice in a to-device event, or None when it is something else."""
    if event_type != WITHHELD_TYPE:
        return None
    code = content.get("code")
    session_id = content.get("session_id")
    if not isinstance(code, str):
        return None
    return Withheld(
        session_id=session_id if isinstance(session_id, str) else "",
        room_id=content.get("room_id") if isinstance(content.get("room_id"), str) else None,
        sender=sender,
        code=code,
        reason=content.get("reason") if isinstance(content.get("reason"), str) else None,
    )


def notice_text(code: str) -> str:
    """The msgid of what the bot says for a withheld code (translated by the caller)."""
    return UNVERIFIED_TEXT if code in ("m.unverified", "m.blacklisted") else OTHER_TEXT


class WithheldSessions:
    """The withheld sessions heard of (bounded), and when each room was last told about one."""

    def __init__(self, capacity: int = 1000, interval_s: float = NOTICE_INTERVAL_S) -> None:
        self.capacity = capacity
        self.interval_s = interval_s
        self._sessions: OrderedDict[str, Withheld] = OrderedDict()
        self._told: dict[str, float] = {}

    def record(self, withheld: Withheld) -> None:
        metrics.WITHHELD_KEYS.labels(withheld.label).inc()
        log.warning(
            "%s withheld the room key of session %s in %s from the bot: %s (%s)",
            withheld.sender,
            withheld.session_id or "?",
            withheld.room_id or "?",
            withheld.code,
            withheld.reason or "no reason given",
        )
        if not withheld.session_id:
            return
        self._sessions[withheld.session_id] = withheld
        self._sessions.move_to_end(withheld.session_id)
        while len(self._sessions) > self.capacity:
            self._sessions.popitem(last=False)

    def get(self, session_id: str) -> Withheld | None:
        return self._sessions.get(session_id)

    def may_tell(self, room_id: str, now: float) -> bool:
        """Whether the room may get a notice now (and count it as told if so)."""
        last = self._told.get(room_id)
        if last is not None and now - last < self.interval_s:
            return False
        self._told[room_id] = now
        return True
