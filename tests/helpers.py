"""Helpers shared by the test suites (imported, never a conftest): the test clock's start,
the one general sites file (tests/data/sites.yaml), and a migrated storage on SQLite or on the
test PostgreSQL.

- `open_test_storage(url, clock)`: a migrated, empty Storage, for suites that build their own
  (hypothesis state machines, benchmarks, subprocess tests).
- `backend_url(backend, tmp_path)`: the database URL of `sqlite` or `postgres` for one test.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from sqlalchemy import text

from storage import SettableClock, Storage
from storage.engine import create_engine
from storage.models import metadata
from storage.schema import upgrade

PARIS = ZoneInfo("Europe/Paris")
MONDAY_9AM = datetime(2026, 11, 23, 9, 0, tzinfo=PARIS)

SITES_FILE = Path(__file__).parent / "data" / "sites.yaml"
SITES_YAML = SITES_FILE.read_text(encoding="utf-8")
"""The tests' one general sites file: Metz (3 desks, a manager), Orléans (2), Nantes (1),
Rambouillet (1, closed on Wednesdays)."""
METZ_MANAGER = "@chef.metz:test"  # the manager of Metz in SITES_YAML

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

_sqlite_template: Path | None = None
_migrated_postgres: set[str] = set()


def postgres_url() -> str | None:
    """TEST_DATABASE_URL, the PostgreSQL that `make test` starts (None when unset).

    Under pytest-xdist each worker gets a database of its own on that server ("..._gw0"),
    created on first use: the storage tests empty theirs before each test.
    """
    url = os.environ.get("TEST_DATABASE_URL") or None
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if url is None or not worker:
        return url
    return f"{url}_{worker}"


async def _ensure_database(url: str) -> None:
    """Create the worker's database on the test server if it does not exist yet."""
    base = os.environ.get("TEST_DATABASE_URL") or url
    if base == url:
        return
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(base.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def _template() -> Path:
    """A SQLite file migrated to head once per process; each test copies it."""
    global _sqlite_template
    if _sqlite_template is None:
        folder = tempfile.mkdtemp(prefix="bureau-volant-template-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = Path(folder) / "template.sqlite3"
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        try:
            await upgrade(engine)
        finally:
            # Closing the last connection folds the WAL into the file, which is then complete.
            await engine.dispose()
        _sqlite_template = path
    return _sqlite_template


async def _prepare_postgres(url: str) -> None:
    """Migrate once per process (from a clean schema), then empty every table."""
    if url not in _migrated_postgres:
        await _ensure_database(url)
    engine = create_engine(url, pool_size=1)
    try:
        if url not in _migrated_postgres:
            async with engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
            await upgrade(engine)
            _migrated_postgres.add(url)
        tables = ", ".join(table.name for table in metadata.sorted_tables)
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


@asynccontextmanager
async def open_test_storage(
    url: str, clock: SettableClock, **options: Any
) -> AsyncIterator[Storage]:
    """A migrated, empty Storage on `url` (a SQLite file that does not exist yet, or the test
    PostgreSQL, which is emptied first)."""
    if url.startswith("sqlite"):
        _copy_if_missing(await _template(), Path(url.split("///", 1)[1]))
    else:
        await _prepare_postgres(url)
    async with Storage.open(url, clock=clock, **options) as storage:
        yield storage


def _copy_if_missing(template: Path, path: Path) -> None:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, path)


def backend_url(backend: str, tmp_path: Path) -> str:
    """The database URL of a backend for one test (skips PostgreSQL when it is not set)."""
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'bureau-volant.sqlite3'}"
    url = postgres_url()
    if url is None:
        pytest.skip("TEST_DATABASE_URL is not set (make test sets it)")
    return url
