"""Clocks the bot can run on besides real time (the core's `Clock` protocol)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from storage.clock import Clock


class ShiftedClock(Clock):
    """Starts at a chosen instant and then runs at the speed of real time.

    For rehearsals and end-to-end tests of scheduled work ("the digest at 08:30 on a Tuesday")
    against a live homeserver, whatever the real day is.
    """

    def __init__(self, start: datetime) -> None:
        self._start = start.astimezone(UTC)
        self._origin = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._origin)
