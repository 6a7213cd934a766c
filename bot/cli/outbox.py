"""`bureau-volant outbox [list|retry]`: the messages waiting to be delivered, or that failed."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from bot.config import load_settings
from storage import Storage, StorageError
from storage.outbox import FAILED, PENDING, OutboxItem


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `outbox` subcommand."""
    parser = subparsers.add_parser(
        "outbox", help="messages for others: list pending and failed ones, retry failed ones"
    )
    actions = parser.add_subparsers(dest="outbox_command", metavar="ACTION")
    listing = actions.add_parser("list", help="pending and failed rows, oldest first (default)")
    listing.add_argument("--failed", action="store_true", help="only the failed rows")
    listing.add_argument("--limit", type=int, default=100)
    listing.add_argument("--json", action="store_true", help="one JSON object per row")
    retry = actions.add_parser("retry", help="make failed rows pending again (all, or by id)")
    retry.add_argument("ids", nargs="*", type=int, help="row ids (default: every failed row)")
    parser.set_defaults(func=run, outbox_command=None, failed=False, limit=100, json=False)
    listing.set_defaults(func=run)
    retry.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    settings = load_settings()
    try:
        async with Storage.open(settings.database_url, timezone=settings.timezone) as storage:
            if args.outbox_command == "retry":
                count = await storage.outbox.retry(args.ids or None)
                print(f"{count} failed row(s) made pending again.")
                return 0
            statuses = (FAILED,) if args.failed else (PENDING, FAILED)
            items = await storage.outbox.rows(statuses, args.limit)
            counts = await storage.outbox.counts()
    except StorageError as error:
        print(f"bureau-volant: {error}", file=sys.stderr)
        return 1
    for item in items:
        print(json.dumps(_record(item), ensure_ascii=False) if args.json else _line(item))
    if not args.json:
        print(
            f"{counts[PENDING]} pending, {counts[FAILED]} failed, {counts['sent']} sent "
            "(kept a week)."
        )
    return 0


def _record(item: OutboxItem) -> dict[str, object]:
    return {
        "id": item.id,
        "status": item.status,
        "kind": item.kind,
        "destination": item.destination,
        "room_id": item.room_id,
        "attempts": item.attempts,
        "created_at": item.created_at.isoformat(),
        "next_attempt_at": item.next_attempt_at.isoformat(),
        "last_error": item.last_error,
        "text": item.text,
    }


def _line(item: OutboxItem) -> str:
    text = item.text.replace("\n", " ")
    text = text if len(text) <= 60 else text[:59] + "…"
    error = f" — {item.last_error}" if item.last_error else ""
    return (
        f"#{item.id} {item.status} {item.kind} → {item.destination} "
        f"(attempts {item.attempts}, since {item.created_at:%Y-%m-%d %H:%M}Z){error}: {text}"
    )
