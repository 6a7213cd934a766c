"""`qui est au bureau B3-20 lundi ?`, `c'est qui sur le B-12 ?`: who has one desk on a day.

A question like `who` (it never acts), narrowed to the desk named: the booking on it, or its owner
when the owner has not lent it. A label several sites share is answered for each of them, unless
the sentence names the site.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from bot.commands.base import Context
from bot.errors import UserError
from bot.i18n import N_
from bot.parsing.text import fold_for_matching
from bot.replies import ReplyBuilder
from storage.domain import PresenceKind, Slot

if TYPE_CHECKING:
    from storage.types import Presence


async def answer(ctx: Context, label: str, site: str | None, days: Sequence[date]) -> ReplyBuilder:
    """Who has desk `label` (at `site`, else at every site that has one) on each of `days`."""
    sites = await ctx.storage.owners.desk_sites(label)
    if site is not None and site not in sites:
        raise UserError(N_("{site} has no desk {desk}."), strong=("desk",), site=site, desk=label)
    if not sites:
        raise UserError(N_("I know no desk {desk}."), strong=("desk",), desk=label)
    builder = ctx.reply()
    for where in [site] if site is not None else sites:
        for day in days:
            holders = _holders(await ctx.storage.who(day, site=where), label)
            _say_day(builder, ctx, label, where, day, holders)
    return builder


def _holders(presences: Sequence[Presence], label: str) -> list[Presence]:
    wanted = fold_for_matching(label)
    return [
        p
        for p in presences
        if p.kind is PresenceKind.ONSITE and p.desk and fold_for_matching(p.desk) == wanted
    ]


def _say_day(
    builder: ReplyBuilder,
    ctx: Context,
    label: str,
    site: str,
    day: date,
    holders: Sequence[Presence],
) -> None:
    if not holders:
        builder.say(
            N_("🪑 Desk {desk} at {site}, {day}: nobody has booked it."),
            strong=("desk",), desk=label, site=site, day=ctx.tr.day(day),
        )  # fmt: skip
        return
    people = ", ".join(_holder_label(ctx, p) for p in holders)
    builder.say(
        N_("🪑 Desk {desk} at {site}, {day}: {people}."),
        strong=("desk",), desk=label, site=site, day=ctx.tr.day(day), people=people,
    )  # fmt: skip


def _holder_label(ctx: Context, p: Presence) -> str:
    name = p.display_name or p.member
    return name if p.slot is Slot.DAY else f"{name} ({ctx.slot_label(p.slot)})"
