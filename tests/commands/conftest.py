"""Fixtures for conversation tests: the real dispatcher and core, a recording fake transport."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.dispatcher import Dispatcher
from tests.commands.helpers import SITES, bot_settings
from tests.commands.recording import RecordingTransport


@pytest.fixture
async def bot(storage, clock) -> AsyncIterator[RecordingTransport]:
    """A transport wired to a fresh dispatcher on the contract-suite storage, sites imported."""
    await storage.import_sites(SITES)
    yield RecordingTransport(Dispatcher(storage, bot_settings(), clock))
