"""The one source of "now" for the core: real time, or a settable time for tests and the console.

Every "today" in the core is derived from `Clock.now()` in the relevant site's time zone, so moving
a `SettableClock` (the console's `/now` command, the test fixtures) moves every rule with it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


class Clock:
    """Real time, always as an aware UTC datetime."""

    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        return datetime.now(UTC)

    def today(self, timezone: str | ZoneInfo) -> date:
        """The calendar date now in `timezone` (a site's day turns at its own midnight)."""
        tz = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
        return self.now().astimezone(tz).date()


class SettableClock(Clock):
    """A clock that stays at the instant it was set to; unset, it follows real time."""

    def __init__(self, start: datetime | None = None) -> None:
        self._fixed: datetime | None = None
        if start is not None:
            self.set(start)

    def set(self, dt: datetime | None) -> None:
        """Freeze the clock at `dt` (aware); `None` goes back to real time."""
        if dt is not None and dt.tzinfo is None:
            raise ValueError("SettableClock.set needs an aware datetime")
        self._fixed = dt.astimezone(UTC) if dt is not None else None

    def advance(self, delta: timedelta) -> None:
        """Move a set clock forward (or back, with a negative delta)."""
        self._fixed = (self._fixed or super().now()) + delta

    @property
    def is_set(self) -> bool:
        """True while the clock is frozen at a chosen instant."""
        return self._fixed is not None

    def now(self) -> datetime:
        return self._fixed if self._fixed is not None else super().now()
