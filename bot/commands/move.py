"""`décale ma résa de lundi à mardi`: move a booking to another day, site or half-day.

One core operation (`Storage.move`): the new day is booked and the old one released in one
transaction, on the same desk when it is free; when the new day cannot be booked, the old
booking stays and the agent is told why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.base import CommandSpec, Context
from bot.commands.outcomes import add_outcome
from bot.commands.undo import record_moved
from bot.i18n import N_
from bot.replies import ReplyBuilder
from storage.domain import Intent

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand


async def run(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    old_day = ctx.require_dates(cmd.dates)[0]
    new_day = cmd.to_dates[0] if cmd.to_dates else old_day
    bookings = await ctx.storage.list_bookings(ctx.member.matrix_id, old_day, old_day)
    if not bookings:
        return ctx.reply().say(
            N_("You have no booking on {day} to move."), strong=("day",), day=ctx.tr.day(old_day)
        )
    old = bookings[0]
    result = await ctx.storage.move(
        ctx.member.matrix_id,
        old_day,
        new_day,
        from_site=old.site,
        from_slot=old.slot,
        to_site=cmd.site or old.site,
        to_slot=cmd.slot or old.slot,
    )
    builder = ctx.reply()
    if result.moved and result.new is not None and result.new.booking is not None:
        record_moved(ctx, result)
        new = result.new.booking
        if new.day == old.day and new.site == old.site:  # only the half-day changed
            return builder.say(
                N_("🔁 Moved: desk {desk} at {site} on {day} ({slot}); it was: {old_slot}."),
                strong=("day",), desk=new.desk, site=new.site, day=ctx.tr.day(new.day),
                slot=ctx.slot_label(new.slot), old_slot=ctx.slot_label(old.slot),
            )  # fmt: skip
        if new.day == old.day:  # the same day at another site ("plutôt à Lille")
            return builder.say(
                N_("🔁 Moved: desk {desk} at {site} on {day} ({slot}); it was at {old_site}."),
                strong=("day",), desk=new.desk, site=new.site, day=ctx.tr.day(new.day),
                slot=ctx.slot_label(new.slot), old_site=old.site,
            )  # fmt: skip
        return builder.say(
            N_("🔁 Moved: desk {desk} at {site} on {day} ({slot}), instead of {old_day}."),
            strong=("day",),
            desk=new.desk,
            site=new.site,
            day=ctx.tr.day(new.day),
            slot=ctx.slot_label(new.slot),
            old_day=ctx.tr.day(old.day),
        )
    builder.say(
        N_("I could not move your booking of {day}, so it stays as it is:"),
        strong=("day",),
        day=ctx.tr.day(old_day),
    )
    if result.new is not None:
        add_outcome(builder, ctx, result.new, cmd.site or old.site, None)
    return builder


SPEC = CommandSpec(
    intent=Intent.MOVE,
    run=run,
    summary=N_("Move a booking to another day"),
    examples=(N_("move my booking from Monday to Tuesday"), N_("actually Thursday")),
)
