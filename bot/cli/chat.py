"""`bureau-volant chat`: a conversation with the bot in the terminal (the embedded default)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from bot.config import load_settings
from bot.transport.console import DIRECT_ROOM, ConsoleError, ConsoleTransport

HISTORY_FILE = Path("var/chat-history")
BANNER = """\
Bureau Volant — la console (base : {database})
Écrivez au bot comme à un collègue, par exemple :
  réserve un bureau à Metz mardi matin
  qui est là demain à Metz ?
  mes réservations
Commandes console : /as @vous:serveur, /room equipe-a, /now 2026-12-01T08:30, /quit
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("chat", help="talk to the bot in this terminal")
    parser.add_argument(
        "--as",
        dest="user",
        default="@moi:localhost",
        metavar="MXID",
        help="who you are (default @moi:localhost)",
    )
    parser.add_argument(
        "--room", default=DIRECT_ROOM, help="room name (default: a direct room with the bot)"
    )
    parser.add_argument(
        "--now", metavar="ISO8601", help="the bot's clock (naive times are in BOT_TIMEZONE)"
    )
    parser.add_argument("--jsonl", action="store_true", help="one JSON object per reply")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_chat(args))
    except ConsoleError as error:
        print(f"bureau-volant chat: {error}", file=sys.stderr)
        return 2


async def _chat(args: argparse.Namespace) -> int:
    from bot.app import open_app
    from bot.delivery import DeliverAfter, ReplyCourier, drain
    from bot.transport.console import DIRECT_ROOM
    from storage.clock import SettableClock

    settings = load_settings()
    clock = SettableClock()
    # The embedded SQLite database is created and kept up to date on the fly: no set-up step.
    embedded = settings.database_url.startswith("sqlite")
    async with open_app(settings, clock=clock, migrate=embedded) as app:

        async def clock_changed() -> None:
            await app.scheduler.run_due()  # scheduled jobs follow /now at once
            await drain(app.storage, ReplyCourier(console.send, DIRECT_ROOM), "console")

        console = ConsoleTransport(
            # What a command writes to the outbox is printed right after its answer.
            DeliverAfter(app.dispatcher, app.storage, direct_room=DIRECT_ROOM),
            set_now=clock.set,
            timezone=settings.tz,
            user=args.user,
            room=args.room,
            jsonl=args.jsonl,
            command_prefix=settings.command_prefix,
            on_clock_change=clock_changed,
            exports_dir=settings.exports_path,
        )
        if args.now:
            console.control(f"/now {args.now}")
        app.attach_outbox(
            console, directory=console, courier=ReplyCourier(console.send, DIRECT_ROOM)
        )
        console.interactive = sys.stdin.isatty() and not args.jsonl
        if console.interactive:
            print(BANNER.format(database=_safe_url(settings.database_url)))
            await console.run(_prompt_lines(console))
        else:
            await console.run(_piped_lines())
    return 0


async def _piped_lines() -> AsyncIterator[str]:
    while line := await asyncio.to_thread(sys.stdin.readline):
        yield line


async def _prompt_lines(console: ConsoleTransport) -> AsyncIterator[str]:
    """Lines typed at a prompt with line editing and a history kept under var/."""
    import readline

    try:
        readline.read_history_file(HISTORY_FILE)
    except OSError:
        pass
    try:
        while True:
            try:
                yield await asyncio.to_thread(input, f"{console.user} [{console.room}]> ")
            except EOFError:
                print()
                return
    finally:
        HISTORY_FILE.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(HISTORY_FILE)


def _safe_url(url: str) -> str:
    """The database URL without its password, for display."""
    if "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://…@{rest.split('@', 1)[1]}"
