"""The schema's revision: read it, refuse a wrong one at start, upgrade it with Alembic.

The migration scripts live in `storage/migrations/` next to this file, so this works the same from
a checkout and from an installed package.

The start-up check does not import Alembic: importing it (and Mako, Pygments) costs every start
about 10 MB of memory and 0.1 s, for one comparison. The check reads the revision ids from the
headers of the migration scripts (`revision = ...`, `down_revision = ...`) and the database's
`alembic_version` table with a plain query; a test holds the result equal to Alembic's own reading
of the scripts. Alembic is imported when the schema is upgraded.
"""

from __future__ import annotations

import ast
import functools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.errors import SchemaOutOfDate, SchemaTooNew

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSIONS_DIR = MIGRATIONS_DIR / "versions"
VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps
# A script's header line: `revision: str = "0013"`, `down_revision: ... = "0012"` (or None, or a
# tuple for a merge).
_HEADER = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Revisions:
    """The revisions this code knows, and the newest one."""

    head: str
    known: frozenset[str]


def read_revisions(scripts: Iterable[Path]) -> Revisions:
    """The revision graph of migration scripts, read from their headers (no Alembic import).

    Raises ValueError for a script without a revision id, or a graph without exactly one head
    (Alembic would refuse to upgrade such a graph too).
    """
    parents: dict[str, tuple[str, ...]] = {}
    for script in scripts:
        header = dict(_HEADER.findall(script.read_text(encoding="utf-8")))
        if "revision" not in header:
            raise ValueError(f"{script.name}: no `revision = ...` line")
        down = ast.literal_eval(header.get("down_revision", "None"))
        parents[ast.literal_eval(header["revision"])] = (
            () if down is None else (down,) if isinstance(down, str) else tuple(down)
        )
    below = {parent for ups in parents.values() for parent in ups}
    heads = sorted(set(parents) - below)
    if len(heads) != 1:
        raise ValueError(f"the migrations have {len(heads)} heads: {heads}")
    return Revisions(heads[0], frozenset(parents))


@functools.cache
def code_revisions() -> Revisions:
    """The revisions of the package's migration scripts (read once)."""
    return read_revisions(sorted(VERSIONS_DIR.glob("*.py")))


def head_revision() -> str:
    """The newest revision this code knows."""
    return code_revisions().head


def is_known(revision: str) -> bool:
    """Whether `revision` is one of this code's migrations (else a newer version wrote it)."""
    return revision in code_revisions().known


def alembic_config(url: str | None = None) -> Config:
    """A programmatic Alembic configuration pointing at the package's migrations."""
    from alembic.config import Config  # imported to migrate only (see the module's docstring)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        # ConfigParser interpolation: a literal % in a password must be doubled.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Migrate the database to `revision` (head by default), in one transaction."""
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade, revision)


def _upgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    # env.py runs the migrations on this connection instead of opening its own engine.
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision stored in the database (None when it was never migrated)."""
    async with engine.connect() as conn:
        return await conn.run_sync(_stored_revision)


def _stored_revision(connection: Connection) -> str | None:
    # What Alembic's MigrationContext.get_current_heads reads, without importing Alembic.
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
    return next(iter(rows), None)


async def check_schema(engine: AsyncEngine) -> str:
    """Return the database's revision if it is the code's head; raise otherwise.

    `SchemaTooNew` when a newer Bureau Volant migrated it (never run old code on it);
    `SchemaOutOfDate` when it is empty or behind (run `bureau-volant db upgrade`).
    """
    head = head_revision()
    current = await current_revision(engine)
    if current is None:
        raise SchemaOutOfDate(None, head)
    if not is_known(current):
        raise SchemaTooNew(current)
    if current != head:
        raise SchemaOutOfDate(current, head)
    return current
