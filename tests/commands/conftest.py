"""Fixtures for conversation tests: the real dispatcher and core, a recording fake transport."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.dispatcher import Dispatcher
from tests.commands.recording import RecordingTransport

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
    values: dict[str, object] = {
        "database_url": "sqlite+aiosqlite://",
        "admins": frozenset({ADMIN}),
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
async def bot(storage, clock) -> AsyncIterator[RecordingTransport]:
    """A transport wired to a fresh dispatcher on the contract-suite storage, sites imported."""
    await storage.import_sites(SITES)
    yield RecordingTransport(Dispatcher(storage, bot_settings(), clock))
