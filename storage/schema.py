"""Alembic, driven from code: upgrade to head, read the current revision, refuse a wrong schema.

The migration scripts live in `storage/migrations/` next to this file, so this works the same from
a checkout and from an installed package.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.errors import SchemaOutOfDate, SchemaTooNew

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """A programmatic Alembic configuration pointing at the package's migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        # ConfigParser interpolation: a literal % in a password must be doubled.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest revision this code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "storage/migrations has no revision"
    return head


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Migrate the database to `revision` (head by default), in one transaction."""
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade, revision)


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    # env.py runs the migrations on this connection instead of opening its own engine.
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision stored in the database (None when it was never migrated)."""
    async with engine.connect() as conn:
        heads = await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_heads())
    return heads[0] if heads else None


async def check_schema(engine: AsyncEngine) -> str:
    """Return the database's revision if it is the code's head; raise otherwise.

    `SchemaTooNew` when a newer Bureau Volant migrated it (never run old code on it);
    `SchemaOutOfDate` when it is empty or behind (run `bureau-volant db upgrade`).
    """
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    current = await current_revision(engine)
    if current is None:
        raise SchemaOutOfDate(None, head)
    try:
        known = script.get_revision(current)
    except CommandError:
        known = None
    if known is None:
        raise SchemaTooNew(current)
    if current != head:
        raise SchemaOutOfDate(current, head)
    return current
