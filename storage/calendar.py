"""When a site can be booked: weekends, French public holidays, open weekdays, horizon, past.

These facts are static per site (until the next import), so `SiteCalendar` is built once and
cached by the core; closures are data and are checked in the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from storage.types import Outcome

# Alsace-Moselle (local law): Moselle has its own subdivision in `holidays`; Bas-Rhin and
# Haut-Rhin share "6AE" (Alsace). Both add Good Friday and 26 December.
# holidays defines its countries at import time, which its type information cannot show.
_FRANCE: Any = getattr(holidays, "France")  # noqa: B009
_DEPARTMENT_TO_SUBDIVISION = {"67": "6AE", "68": "6AE"}


def holiday_subdivision(department: str | None) -> str | None:
    """The `holidays.France` subdivision for a département code, when the package knows it."""
    if not department:
        return None
    code = _DEPARTMENT_TO_SUBDIVISION.get(department, department)
    return code if code in _FRANCE.subdivisions else None


@cache
def french_holidays(subdivision: str | None) -> holidays.HolidayBase:
    """Public holidays (French names) for metropolitan France or one subdivision; lazy by year."""
    found: holidays.HolidayBase = _FRANCE(subdiv=subdivision, language="fr")
    return found


def is_working_day(day: date, department: str | None) -> str | None:
    """None on a working day (Monday to Friday, not a public holiday in that département), else
    why not: "weekend" or the holiday's French name. Used by the scheduler (morning digests)."""
    if day.weekday() >= 5:
        return "weekend"
    return french_holidays(holiday_subdivision(department)).get(day)


@dataclass(frozen=True)
class SiteCalendar:
    """The static booking rules of one site."""

    site_id: int
    name: str
    timezone: str
    department: str | None
    open_weekdays: frozenset[int]
    tz: ZoneInfo = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tz", ZoneInfo(self.timezone))

    def holiday(self, day: date) -> str | None:
        """The holiday's French name, or None on an ordinary day."""
        return french_holidays(holiday_subdivision(self.department)).get(day)

    def block(
        self, day: date, today: date, horizon_days: int
    ) -> tuple[Outcome, str | None] | None:
        """Why `day` cannot be booked at this site (outcome and reason), or None if it can.

        Closures are not checked here: they are rows in the database.
        """
        if day < today:
            return Outcome.PAST, None
        if day > today + timedelta(days=horizon_days):
            return Outcome.BEYOND_HORIZON, None
        weekday = day.weekday()
        if weekday >= 5 and weekday not in self.open_weekdays:
            return Outcome.WEEKEND, None
        name = self.holiday(day)
        if name:
            return Outcome.HOLIDAY, name
        if weekday not in self.open_weekdays:
            return Outcome.CLOSED, None
        return None


def weekdays_from_mask(mask: int) -> frozenset[int]:
    """{0, 1, 2, 3, 4} for 0b11111."""
    return frozenset(d for d in range(7) if mask >> d & 1)


def mask_from_weekdays(weekdays: frozenset[int] | set[int] | tuple[int, ...]) -> int:
    """0b11111 for Monday to Friday."""
    return sum(1 << d for d in set(weekdays))
