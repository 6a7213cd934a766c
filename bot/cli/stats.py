"""`bureau-volant stats [--site NAME] --from DAY --to DAY [--csv FILE] [--png FILE]`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path

from bot.charts import occupancy_png
from bot.config import load_settings
from bot.i18n import Translator
from bot.stats_report import csv_bytes, summary_table
from storage import Storage, StorageError, UnknownSite
from storage.stats import MAX_PERIOD_DAYS, BadPeriod


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `stats` subcommand."""
    parser = subparsers.add_parser(
        "stats", help="occupancy figures of a site (or every site) over a period"
    )
    parser.add_argument("--site", help="site name or alias (default: every site)")
    parser.add_argument("--from", dest="start", required=True, type=_day, help="YYYY-MM-DD")
    parser.add_argument("--to", dest="end", required=True, type=_day, help="YYYY-MM-DD")
    parser.add_argument("--csv", type=Path, help="write the per-site, per-day figures here")
    parser.add_argument("--png", type=Path, help="write the chart here")
    parser.set_defaults(func=run)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-11-30: {value!r}") from None


def run(args: argparse.Namespace) -> int:
    """Print the summary table; write the CSV and the chart when asked."""
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    settings = load_settings()
    tr = Translator(settings.locale)
    try:
        async with Storage.open(settings.database_url, timezone=settings.timezone) as storage:
            comparison = await storage.occupancy(
                args.site, args.start, args.end, settings.retention_days
            )
    except BadPeriod as error:
        reason = (
            "the period ends before it starts"
            if error.code == "ends_before_start"
            else f"the period is longer than {MAX_PERIOD_DAYS} days (two years)"
        )
        print(f"bureau-volant stats: {reason}", file=sys.stderr)
        return 1
    except UnknownSite as error:
        print(f"bureau-volant stats: unknown site {error.name!r}", file=sys.stderr)
        return 1
    except StorageError as error:
        print(f"bureau-volant stats: {error}", file=sys.stderr)
        return 1
    print(summary_table(comparison, tr))
    if comparison.current.clamped_from is not None:
        print(f"(bookings before {comparison.current.start} are past the retention period)")
    if args.csv is not None:
        _write(args.csv, csv_bytes(comparison.current))
    if args.png is not None:
        _write(args.png, await asyncio.to_thread(occupancy_png, comparison.current, tr))
    return 0


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"{path}: {len(data)} bytes")
