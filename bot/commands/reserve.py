"""`réserve un bureau à Metz mardi matin`: book a desk for one or more days."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.commands import waitlist
from bot.commands.base import CommandSpec, Context
from bot.commands.outcomes import add_outcome
from bot.commands.undo import record_booked
from bot.i18n import N_
from bot.replies import ReplyBuilder
from storage.domain import Intent, Outcome, Slot

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand


async def run(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    if (cmd.features or cmd.usual or cmd.near) and not cmd.desk:  # "avec double écran" (issue 10)
        from bot.commands import desk_choice

        return await desk_choice.run(ctx, cmd)
    site = ctx.require_site(cmd.site)
    days = ctx.require_dates(cmd.dates)
    slot = cmd.slot or Slot.DAY
    outcomes = await ctx.storage.reserve(
        ctx.member.matrix_id,
        site,
        days,
        slot,
        desk=cmd.desk,
        source_event_id=ctx.message.event_id,
    )
    record_booked(ctx, outcomes)
    builder = ctx.reply()
    if len(outcomes) == 1:
        other = outcomes[0].alternative_desk
        if outcomes[0].outcome is Outcome.DESK_TAKEN and other:  # "B-101 is free: shall I?"
            from bot.commands.desk_choice import offer

            add_outcome(builder, ctx, outcomes[0], site, cmd.desk, hint=False)
            msgid = N_("Desk {desk} is free: shall I book it?")
            return await offer(ctx, builder, replace(cmd, desk=other), msgid)
        add_outcome(builder, ctx, outcomes[0], site, cmd.desk)
        if outcomes[0].outcome is Outcome.FULL:  # the waitlist is offered (issue 12)
            await waitlist.offer(ctx, builder, site, outcomes[0].day, slot)
        return builder
    booked = sum(1 for o in outcomes if o.outcome is Outcome.BOOKED)
    builder.plural(
        "{site} ({slot}): {n} day booked out of {total}.",
        "{site} ({slot}): {n} days booked out of {total}.",
        booked,
        strong=("site",),
        site=site,
        slot=ctx.slot_label(slot),
        total=len(outcomes),
    )
    for outcome in outcomes:
        add_outcome(builder, ctx, outcome, site, cmd.desk, compact=True)
    return builder


SPEC = CommandSpec(
    intent=Intent.RESERVE,
    run=run,
    summary=N_("Book a desk (a day, a half-day, several days)"),
    examples=(
        N_("book a desk in Metz on Tuesday morning"),
        N_("book desk B-204 from Monday to Wednesday"),
    ),
)
