"""`mes réservations`: the sender's own bookings (and declared statuses) from today on."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.commands.base import CommandSpec, Context
from bot.commands.listing import add_booking_items
from bot.i18n import N_
from bot.replies import ReplyBuilder
from storage.domain import Intent

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand


async def run(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    if cmd.dates:
        start, end = min(cmd.dates), max(cmd.dates)
    else:
        start, end = ctx.today, ctx.today + timedelta(days=ctx.settings.horizon_days)
    bookings = await ctx.storage.list_bookings(ctx.member.matrix_id, start, end)
    if cmd.dates:
        wanted = set(cmd.dates)
        bookings = [b for b in bookings if b.day in wanted]
    if not bookings and start == end:
        return ctx.reply().say(
            N_("You have no booking on {day}."), strong=("day",), day=ctx.tr.day(start)
        )
    if not bookings:
        return ctx.reply().say(
            N_("You have no booking from {start} to {end}."),
            start=ctx.tr.day(start),
            end=ctx.tr.day(end),
        )
    builder = ctx.reply().plural("📋 Your booking:", "📋 Your {n} bookings:", len(bookings))
    return add_booking_items(builder, ctx, bookings)


SPEC = CommandSpec(
    intent=Intent.LIST,
    run=run,
    summary=N_("See your bookings"),
    examples=(N_("my bookings"), N_("my bookings next week")),
)
