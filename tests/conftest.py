"""Shared fixtures: a settable clock and a migrated `storage` on SQLite and on PostgreSQL.

- `clock`: a SettableClock at Monday 23 November 2026, 09:00 Paris time.
- `storage`: parametrized over `sqlite` (a fresh file copied from a template migrated once per
  session) and `postgres` (TEST_DATABASE_URL, migrated once per session, emptied before each
  test; skipped only when TEST_DATABASE_URL is unset). PostgreSQL runs carry the `postgres` mark.
- `sites_yaml`: `await sites_yaml(storage)` imports SITES_YAML (or the text given).
The helpers behind them (`open_test_storage`, `backend_url`, the sites file) are in
`tests/helpers.py`, which test modules import (never this conftest).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from storage import ImportReport, SettableClock, Storage
from tests.helpers import (
    BACKENDS,
    MONDAY_9AM,
    SITES_YAML,
    backend_url,
    open_test_storage,
)


@pytest.fixture
def clock() -> SettableClock:
    """Monday 23 November 2026, 09:00 in Paris; tests move it with `clock.set(...)`."""
    return SettableClock(MONDAY_9AM)


@pytest.fixture(params=BACKENDS)
async def storage(
    request: pytest.FixtureRequest, clock: SettableClock, tmp_path: Path
) -> AsyncIterator[Storage]:
    """An empty, migrated Storage on SQLite or PostgreSQL, using the `clock` fixture."""
    async with open_test_storage(backend_url(request.param, tmp_path), clock) as opened:
        yield opened


@pytest.fixture
def sites_yaml() -> Callable[..., Awaitable[ImportReport]]:
    """`await sites_yaml(storage)` imports SITES_YAML; pass `text` for another file."""

    async def load(storage: Storage, text: str = SITES_YAML) -> ImportReport:
        return await storage.import_sites(text)

    return load
