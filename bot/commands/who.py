"""`qui est là demain à Metz ?`: who is on site, and who is remote, away or travelling; with a
desk named, who has that desk (`who_desk`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from bot.commands import who_desk
from bot.commands.base import CommandSpec, Context
from bot.i18n import N_
from bot.replies import ReplyBuilder
from storage.domain import Intent, PresenceKind, Slot

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand
    from storage.types import Presence

MAX_DAYS = 5
STATUS_LINES = {
    PresenceKind.REMOTE: N_("🏠 Remote: {names}"),
    PresenceKind.LEAVE: N_("🌴 On leave: {names}"),
    PresenceKind.TRAVEL: N_("🚆 Travelling: {names}"),
}


async def run(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    if cmd.person:  # "où est Marc jeudi ?": one person (issue 10)
        from bot.commands import whereis

        return await whereis.run(ctx, cmd)
    site = cmd.site  # no site named: everyone, whatever the site
    days = list(cmd.dates) or [ctx.today]
    if cmd.desk:  # "qui est au bureau B3-20 lundi ?": that desk only
        return await who_desk.answer(ctx, cmd.desk, site, days[:MAX_DAYS])
    builder = ctx.reply()
    for day in days[:MAX_DAYS]:
        presences = await ctx.storage.who(day, site=site)
        _add_day(builder, ctx, day, site, presences)
    if len(days) > MAX_DAYS:
        builder.say(N_("(first {count} days shown)"), count=MAX_DAYS)
    return builder


def _add_day(
    builder: ReplyBuilder,
    ctx: Context,
    day: date,
    site: str | None,
    presences: Sequence[Presence],
) -> None:
    where = site or ctx.tr.gettext(N_("all sites"))
    on_site = [p for p in presences if p.kind is PresenceKind.ONSITE]
    builder.plural(
        "👥 {day}, {where}: {n} person on site.",
        "👥 {day}, {where}: {n} people on site.",
        len(on_site),
        strong=("day",),
        day=ctx.tr.day(day),
        where=where,
    )
    by_site: dict[str, list[Presence]] = defaultdict(list)
    for p in on_site:
        by_site[p.site or "?"].append(p)
    for site_name in sorted(by_site):
        people = ", ".join(_on_site_label(ctx, p) for p in by_site[site_name])
        builder.item(N_("{site}: {people}"), strong=("site",), site=site_name, people=people)
    for kind, line in STATUS_LINES.items():
        names = [_name(p) for p in presences if p.kind is kind]
        if names:
            builder.item(line, names=", ".join(names))


def _on_site_label(ctx: Context, p: Presence) -> str:
    slot = "" if p.slot is Slot.DAY else f", {ctx.slot_label(p.slot)}"
    return f"{_name(p)} ({p.desk}{slot})"


def _name(p: Presence) -> str:
    return p.display_name or p.member


SPEC = CommandSpec(
    intent=Intent.WHO,
    run=run,
    summary=N_("See who is on site"),
    examples=(N_("who is in Metz tomorrow?"), N_("who's coming to the office on Thursday?")),
)
