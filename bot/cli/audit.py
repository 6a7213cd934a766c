"""`bureau-volant audit`: who opened, closed, announced, appointed; when; what it changed."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime, timedelta

from bot.config import load_settings
from storage import Storage, StorageError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `audit` subcommand."""
    parser = subparsers.add_parser(
        "audit", help="the audit log of managers' and admins' actions, newest first"
    )
    parser.add_argument("--days", type=int, default=None, help="only the last N days")
    parser.add_argument("--actor", help="only this Matrix id")
    parser.add_argument("--action", help="open, close, announce or appoint")
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--json", action="store_true", help="one JSON object per entry")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    settings = load_settings()
    since = datetime.now(UTC) - timedelta(days=args.days) if args.days else None
    try:
        async with Storage.open(settings.database_url, timezone=settings.timezone) as storage:
            entries = await storage.personal.audit_entries(
                since, args.actor, args.action, args.limit
            )
    except StorageError as error:
        print(f"bureau-volant: {error}", file=sys.stderr)
        return 1
    for e in entries:
        if args.json:
            record = {
                "at": e.at.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "target": e.target,
                "details": e.details,
            }
            print(json.dumps(record, ensure_ascii=False))
        else:
            details = json.dumps(e.details, ensure_ascii=False)
            print(f"{e.at:%Y-%m-%d %H:%M:%S}Z {e.actor} {e.action} {e.target} {details}")
    if not entries and not args.json:
        print("No recorded action.")
    return 0
