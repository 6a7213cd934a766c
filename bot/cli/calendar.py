"""`bureau-volant calendar MXID`: print the agent's calendar feed (the same as their link)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.clock import ShiftedClock
from bot.config import load_settings
from bot.i18n import Translator
from bot.ics import feed, feed_window
from storage import SettableClock, Storage, UnknownMember
from storage.domain import UserId


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `calendar` subcommand."""
    parser = subparsers.add_parser("calendar", help="print an agent's bookings as iCalendar")
    parser.add_argument("mxid", help="the agent's Matrix id")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_run(UserId(args.mxid)))


async def _run(mxid: UserId) -> int:
    settings = load_settings()
    clock = ShiftedClock(settings.clock_start) if settings.clock_start else SettableClock()
    async with Storage.open(settings.database_url, clock=clock, timezone=settings.timezone) as s:
        member = await s.get_member(mxid)
        if member is None:
            print(f"bureau-volant calendar: unknown member {mxid!r}", file=sys.stderr)
            return 1
        now = clock.now()
        start, end = feed_window(now.astimezone(settings.tz).date(), settings.horizon_days)
        try:
            bookings = await s.calendar_bookings(mxid, start, end)
        except UnknownMember:
            return 1
    tr = Translator(member.locale or settings.locale)
    sys.stdout.write(feed(bookings, tr, now).decode("utf-8"))
    return 0
