"""Names, the sites file and settings shared by the conversation tests (imported by test
modules and by the conftest; no test module imports another)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.config import Settings

ALICE, BOB, CAROL = "@alice:test", "@bob:test", "@carol:test"
ADMIN = "@admin:test"
SITES = """
sites:
  - name: Metz
    aliases: ["Metz Lizé"]
    department: "57"
    managers: ["@chef.metz:test"]
    desks: ["B-101", "B-102", {label: "B-204", zone: "2e étage", features: ["double écran"]}]
  - name: Orléans
    department: "45"
    desks: ["O-1", "O-2"]
  - name: Nantes
    department: "44"
    desks: ["N-1"]
"""


def bot_settings(**overrides: object) -> Settings:
    values: dict[str, Any] = {
        "database_url": "sqlite+aiosqlite://",
        "admins": frozenset({ADMIN}),
    }
    values.update(overrides)
    return Settings(**values)


async def active_bookings(storage, member: str) -> set[tuple[str, str, str]]:
    """The member's active bookings as (day, site, slot)."""
    if await storage.get_member(member) is None:
        return set()  # never met the bot (e.g. its only message was refused before any lookup)
    bookings = await storage.list_bookings(member, date(2026, 1, 1), date(2027, 12, 31))
    return {(b.day.isoformat(), b.site, str(b.slot)) for b in bookings}
