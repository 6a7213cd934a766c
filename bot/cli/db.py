"""`bureau-volant db upgrade|current`: migrate the database, or show its schema revision."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from sqlalchemy.engine import make_url

from bot.config import load_settings
from storage.engine import create_engine
from storage.schema import current_revision, head_revision, is_known, upgrade

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `db` subcommand."""
    parser = subparsers.add_parser("db", help="database schema: upgrade, current")
    actions = parser.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    actions.add_parser(
        "upgrade", help="migrate the database to this version's schema (creates it if needed)"
    ).set_defaults(func=run_upgrade)
    actions.add_parser(
        "current", help="show the database's schema revision and this version's"
    ).set_defaults(func=run_current)


def run_upgrade(args: argparse.Namespace) -> int:
    """Migrate DATABASE_URL (default: the embedded SQLite file under var/) to head."""
    url = load_settings().database_url
    return asyncio.run(_upgrade(url))


def run_current(args: argparse.Namespace) -> int:
    """Print the revision of DATABASE_URL and whether it matches this version."""
    url = load_settings().database_url
    return asyncio.run(_current(url))


async def _upgrade(url: str) -> int:
    engine = create_engine(url)  # creates the SQLite file's folder (var/) when missing
    try:
        before = await current_revision(engine)
        head = head_revision()
        if before is not None and not is_known(before):
            print(
                f"bureau-volant: the database ({_safe(url)}) has revision {before}, newer "
                f"than this version ({head}): upgrade Bureau Volant instead",
                file=sys.stderr,
            )
            return 1
        await upgrade(engine)
        after = await current_revision(engine)
    finally:
        await engine.dispose()
    if before == after:
        print(f"{_safe(url)}: already at revision {after} (head)")
    else:
        print(f"{_safe(url)}: migrated from {before or 'an empty database'} to {after} (head)")
    return 0


async def _current(url: str) -> int:
    engine = create_engine(url)
    try:
        current = await current_revision(engine)
    finally:
        await engine.dispose()
    head = head_revision()
    if current == head:
        state = "up to date"
    elif current is None:
        state = "empty: run `bureau-volant db upgrade`"
    elif is_known(current):
        state = "behind: run `bureau-volant db upgrade`"
    else:
        state = "newer than this version of Bureau Volant"
    print(f"{_safe(url)}: revision {current or '-'}, this version needs {head} ({state})")
    return 0


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
