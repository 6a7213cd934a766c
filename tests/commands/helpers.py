"""Names, the sites file (the general one, tests/data/sites.yaml) and settings shared by the
conversation tests (imported by test modules and by the conftest; no test module imports
another)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.config import Settings
from tests.helpers import SITES_YAML

ALICE, BOB, CAROL = "@alice:test", "@bob:test", "@carol:test"
ADMIN = "@admin:test"
SITES = SITES_YAML  # the tests' one general sites file (tests/data/sites.yaml)


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
