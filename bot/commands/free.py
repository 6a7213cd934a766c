"""`y a-t-il de la place à Metz demain ?`: free desks at a site, per day."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.base import CommandSpec, Context
from bot.i18n import N_
from bot.replies import ReplyBuilder
from storage.domain import Intent, Slot

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand

MAX_DAYS = 10  # beyond that a list of per-day counts stops being scannable
MAX_LABELS = 8

BLOCKED = {
    "closed": N_("{day}: {site} is closed{because}"),
    "holiday": N_("{day}: public holiday ({reason})"),
    "weekend": N_("{day}: weekend"),
    "past": N_("{day}: in the past"),
    "beyond_horizon": N_("{day}: too far ahead"),
}


async def run(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    site = ctx.require_site(cmd.site)
    days = list(cmd.dates) or [ctx.today]
    slot = cmd.slot or Slot.DAY
    builder = ctx.reply().say(
        N_("Free desks at {site} ({slot}):"),
        strong=("site",),
        site=site,
        slot=ctx.slot_label(slot),
    )
    for day in days[:MAX_DAYS]:
        a = await ctx.storage.availability(site, day, slot)
        label = ctx.tr.day(day)
        if a.blocked is not None:
            builder.item(
                BLOCKED[str(a.blocked)],
                strong=("day",),
                day=label,
                site=site,
                reason=a.reason or "",
                because=f" ({a.reason})" if a.reason else "",
            )
        elif a.free_count == 0:
            builder.item(
                N_("{day}: full ❌ ({total} desks)"), strong=("day",), day=label, total=a.total
            )
        else:
            shown = ", ".join(a.free[:MAX_LABELS]) + (" …" if a.free_count > MAX_LABELS else "")
            builder.item(
                N_("{day}: {free}/{total} free — {labels}"),
                strong=("day", "free"),
                day=label,
                free=a.free_count,
                total=a.total,
                labels=shown,
            )
    if len(days) > MAX_DAYS:
        builder.say(N_("(first {count} days shown)"), count=MAX_DAYS)
    return builder


SPEC = CommandSpec(
    intent=Intent.FREE,
    run=run,
    summary=N_("See the free desks at a site"),
    examples=(N_("is there room in Metz tomorrow?"), N_("free desks in Nantes next week")),
)
