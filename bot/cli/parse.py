"""`bureau-volant parse`: run the command parser and print the JSON contract of issue 3.

    bureau-volant parse [--now ISO8601] [--site NAME]... [--lang fr|en] TEXT
    bureau-volant parse [--now ...] [--site NAME]... -      # one text per stdin line

`--site` is repeatable; `--site "Paris Balard=Balard,Paris-Balard"` gives a site with aliases.
Without `--site`, the sites come from the database (DATABASE_URL). `--now` defaults to the
current time; a time without offset is Europe/Paris. `--lang` is the user's language when the
sentence does not tell, and the language of error messages (French by default).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.config import ConfigError

if TYPE_CHECKING:
    from bot.parsing.model import KnownSite

log = logging.getLogger(__name__)
PARIS = ZoneInfo("Europe/Paris")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `parse` subcommand."""
    parser = subparsers.add_parser(
        "parse",
        help="parse a command text and print its JSON",
        description="Print the parsed command as one JSON object per text.",
    )
    parser.add_argument("--now", help="current time, ISO 8601 (naive = Europe/Paris)")
    parser.add_argument(
        "--site",
        action="append",
        default=None,
        metavar="NAME",
        help='a known site (repeatable); "Name=alias1,alias2" adds aliases',
    )
    parser.add_argument(
        "--lang",
        choices=("fr", "en"),
        default=None,
        help="language hint and language of error messages (default fr)",
    )
    parser.add_argument("text", help="the text to parse, or - to read one text per line")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Parse the text(s) and print one JSON object per text."""
    from bot.parsing import parse

    now = _now(args.now)
    sites: list[KnownSite] = (
        [_site_arg(value) for value in args.site] if args.site else _database_sites()
    )
    locale = args.lang or "fr"
    texts: Iterable[str] = (
        (line.rstrip("\r\n") for line in sys.stdin) if args.text == "-" else [args.text]
    )
    out = sys.stdout
    for text in texts:
        command = parse(text, now, sites, lang=args.lang)
        out.write(json.dumps(command.to_json(locale), ensure_ascii=False) + "\n")
    out.flush()
    return 0


def _now(value: str | None) -> datetime:
    if not value:
        return datetime.now(PARIS)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise SystemExit(f"bureau-volant parse: --now is not ISO 8601: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)


def _site_arg(value: str) -> KnownSite:
    """ "Paris Balard=Balard,Paris-Balard" -> KnownSite("Paris Balard", ("Balard", ...))."""
    from bot.parsing import KnownSite

    name, _, aliases = value.partition("=")
    return KnownSite(name.strip(), tuple(a.strip() for a in aliases.split(",") if a.strip()))


def _database_sites() -> list[KnownSite]:
    """The sites (with aliases) stored in the database named by the settings."""
    from bot.config import load_settings
    from bot.parsing import KnownSite
    from storage.core import Storage

    settings = load_settings()

    async def fetch() -> list[KnownSite]:
        async with Storage.open(settings.database_url) as storage:
            return [KnownSite(s.name, tuple(s.aliases)) for s in await storage.list_sites()]

    try:
        return asyncio.run(fetch())
    except ConfigError:
        raise
    except Exception as error:  # the database is a convenience here: say what went wrong
        log.debug("cannot read sites", exc_info=True)
        raise ConfigError(
            f"cannot read the sites from the database ({error}); pass them with --site"
        ) from error
