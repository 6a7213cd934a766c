"""An owner's desk (issue 12): `je prête mon bureau du 7 au 11 décembre`, `mon bureau est libre
vendredi`, `je reprends mon bureau vendredi`, `qui a mon bureau mardi ?`.

Lending makes the desk bookable by others on those days (the waitlist is served first, in the
same transaction); taking it back works for the days nobody booked it yet. Only the owner of a
desk can lend it: anyone else gets a clear answer and nothing changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from bot.commands.base import CommandSpec, Context
from bot.errors import UserError
from bot.i18n import N_
from bot.replies import ReplyBuilder
from storage.domain import Intent, Slot
from storage.owners import Holder, LoanDay, LoanOutcome, NotOwner

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand

MAX_DAYS = 31

NOT_OWNER = N_(
    "You have no desk of your own: only a desk a manager assigned to you can be lent or taken"
    " back. To cancel a booking, say for example “cancel my booking on Friday”."
)
LEND_LINES = {
    LoanOutcome.LENT: N_("🤝 Your desk {desk} at {site} is lent on {days} ({slot}): others can"
                         " book it."),
    LoanOutcome.ALREADY: N_("Your desk {desk} was already lent on {days}."),
    LoanOutcome.CLOSED: N_("{days}: {site} is not open, nothing to lend."),
    LoanOutcome.PAST: N_("{days}: already past, nothing changed."),
}  # fmt: skip
RECLAIM_LINES = {
    LoanOutcome.RECLAIMED: N_("✅ Your desk {desk} at {site} is yours again on {days} ({slot})."),
    LoanOutcome.ALREADY: N_("Your desk {desk} was not lent on {days}: it is yours."),
    LoanOutcome.CLOSED: N_("{days}: {site} is not open."),
    LoanOutcome.PAST: N_("{days}: already past, nothing changed."),
}


def _grouped(
    ctx: Context, builder: ReplyBuilder, results: Sequence[LoanDay], lines: dict[LoanOutcome, str]
) -> None:
    """One line per desk and outcome, listing its days in order."""
    groups: dict[tuple[str, str, LoanOutcome], list[date]] = defaultdict(list)
    for result in results:
        if result.outcome in lines:
            groups[(result.site, result.desk, result.outcome)].append(result.day)
    slot = results[0].slot if results else Slot.DAY
    for (site, desk, outcome), days in groups.items():
        builder.say(
            lines[outcome],
            strong=("desk", "days"),
            desk=desk,
            site=site,
            days=", ".join(ctx.tr.day(day) for day in days),
            slot=ctx.slot_label(slot),
        )


async def run_lend(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    days = list(ctx.require_dates(cmd.dates))[:MAX_DAYS]
    try:
        results = await ctx.storage.owners.lend(ctx.member.matrix_id, days, cmd.slot or Slot.DAY)
    except NotOwner:
        raise UserError(NOT_OWNER) from None
    builder = ctx.reply()
    _grouped(ctx, builder, results, LEND_LINES)
    for result in results:
        if result.booking is not None:
            builder.say(
                N_("🗑️ Your own booking of it on {day} is cancelled."),
                strong=("day",),
                day=ctx.tr.day(result.day),
            )
    return builder


async def run_reclaim(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    days = list(ctx.require_dates(cmd.dates))[:MAX_DAYS]
    try:
        results = await ctx.storage.owners.reclaim(
            ctx.member.matrix_id, days, cmd.slot or Slot.DAY
        )
    except NotOwner:
        raise UserError(NOT_OWNER) from None
    builder = ctx.reply()
    _grouped(ctx, builder, results, RECLAIM_LINES)
    for result in results:
        if result.outcome is LoanOutcome.TAKEN and result.booking is not None:
            builder.say(
                N_("{day}: {name} has already booked it, so it stays theirs that day."),
                strong=("day",),
                day=ctx.tr.day(result.day),
                name=result.booking.display_name or result.booking.member,
            )
    return builder


HOLDER_LINES = {
    Holder.OWNER: N_("{day} ({slot}): yours."),
    Holder.BOOKED: N_("{day} ({slot}): booked by {name}."),
    Holder.FREE: N_("{day} ({slot}): free, nobody has booked it yet."),
    Holder.CLOSED: N_("{day}: {site} is not open."),
}


async def run_who_has(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    days = list(cmd.dates or [ctx.today])[:MAX_DAYS]
    try:
        found = await ctx.storage.owners.desk_days(ctx.member.matrix_id, days)
    except NotOwner:
        raise UserError(NOT_OWNER) from None
    builder = ctx.reply()
    current: tuple[str, str] | None = None
    for entry in found:
        if (entry.site, entry.desk) != current:
            current = (entry.site, entry.desk)
            builder.say(N_("Your desk {desk} at {site}:"), strong=("desk",), desk=entry.desk,
                        site=entry.site)  # fmt: skip
        builder.item(
            HOLDER_LINES[entry.holder],
            strong=("day",),
            day=ctx.tr.day(entry.day),
            slot=ctx.slot_label(entry.slot),
            name=entry.display_name or entry.member or "",
            site=entry.site,
        )
    return builder


LEND = CommandSpec(
    intent=Intent.LEND_DESK,
    run=run_lend,
    summary=N_("Owners: lend your desk on the days you are away"),
    examples=(N_("I lend my desk from 7 to 11 December"), N_("I take my desk back on Friday")),
)
RECLAIM = CommandSpec(
    intent=Intent.RECLAIM_DESK,
    run=run_reclaim,
    in_help=False,  # shown in LEND's examples
    summary=N_("Owners: take your desk back"),
    examples=(N_("my desk is free on Friday"), N_("who has my desk on Tuesday?")),
)
WHO_HAS = CommandSpec(
    intent=Intent.WHO_HAS_DESK,
    run=run_who_has,
    in_help=False,  # shown in RECLAIM's examples
    summary=N_("Owners: who has your desk"),
    examples=(N_("who has my desk on Tuesday?"), N_("who has my desk tomorrow?")),
)
