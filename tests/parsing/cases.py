"""Shared fixtures of the parser tests: the two reference moments, the known sites, helpers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.parsing import KnownSite

PARIS = ZoneInfo("Europe/Paris")
SUN = datetime(2026, 11, 22, 10, 0, tzinfo=PARIS)  # a Sunday
WED = datetime(2026, 11, 25, 14, 0, tzinfo=PARIS)  # mid-week

SITES = (
    KnownSite("Metz", ("Metz Lizé",)),
    KnownSite("Nantes"),
    KnownSite("Lille"),
    KnownSite("Orléans"),
    KnownSite("Saint-Étienne"),
    KnownSite("Paris Balard", ("Balard", "Paris-Balard")),
    KnownSite("Paris Bercy"),
    KnownSite("Lyon Part-Dieu", ("Part-Dieu",)),
)


def d(text: str) -> str:
    """ "24/11" -> "2026-11-24"; "8/1/27" -> "2027-01-08"."""
    parts = [int(p) for p in text.split("/")]
    year = 2000 + parts[2] if len(parts) > 2 else 2026
    return date(year, parts[1], parts[0]).isoformat()


def days(first: str, last: str, weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)) -> list[str]:
    """The dates from `first` to `last` (both "dd/mm[/yy]") on the given weekdays."""
    start, end = date.fromisoformat(d(first)), date.fromisoformat(d(last))
    out = []
    while start <= end:
        if start.weekday() in weekdays:
            out.append(start.isoformat())
        start += timedelta(days=1)
    return out


def expect(intent: str, **fields: Any) -> dict[str, Any]:
    """The full JSON of the contract, null/[] where `fields` says nothing.

    `dates` may be given as a list of "dd/mm[/yy]" strings; `error` as a code or as
    (code, [suggestions]).
    """
    result: dict[str, Any] = {
        "intent": intent,
        "site": None,
        "desk": None,
        "dates": [],
        "slot": None,
        "status": None,
        "count": None,
        "action": None,
        "time": None,
        "text": None,
        "error": None,
    }
    for key, value in fields.items():
        if key == "dates":
            value = [v if "-" in v else d(v) for v in value]
        if key == "error" and isinstance(value, str):
            value = (value, [])
        result[key] = value
    return result


def comparable(json: dict[str, Any]) -> dict[str, Any]:
    """The JSON with the error reduced to (code, suggestions): messages are tested apart."""
    out = dict(json)
    out.pop("unknown", None)  # tested in test_parse_closed_world.py
    out.pop("person", None)
    if out["error"] is not None:
        out["error"] = (out["error"]["code"], out["error"]["suggestions"])
    return out


# The keys of the `bureau-volant parse` JSON contract, in order.
CONTRACT_KEYS = [
    "intent",
    "site",
    "desk",
    "dates",
    "slot",
    "status",
    "count",
    "action",
    "time",
    "text",
    "error",
    "unknown",
    "person",
]
