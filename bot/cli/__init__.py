"""The `bureau-volant` command line: one module per subcommand, listed explicitly here."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from types import ModuleType

from bot.config import ConfigError
from bot.startup import collector_paused

log = logging.getLogger(__name__)


def _subcommands() -> list[ModuleType]:
    """The subcommand modules; each has `register(subparsers)` setting `func(args) -> int`."""
    from bot.cli import audit, calendar, chat, crypto, db, outbox, parse, run, sites, stats

    return [db, sites, parse, chat, run, crypto, outbox, audit, stats, calendar]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bureau-volant", description="Desk reservation bot for Tchap/Matrix."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _subcommands():
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit status."""
    with collector_paused():  # the subcommands' modules are imported here (see collector_paused)
        parser = build_parser()
    args = parser.parse_args(argv)
    from bot.logging_setup import configure_logging

    configure_logging(verbose=args.verbose)
    try:
        return int(args.func(args) or 0)
    except ConfigError as error:
        print(f"bureau-volant: configuration error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
