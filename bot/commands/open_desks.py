"""`ouvre 10 places à Orléans à partir du 1er décembre`: a manager opens desks at their site."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.commands.announcing import envelopes, follower_rooms, room_language
from bot.commands.base import CommandSpec, Context, Permission
from bot.errors import UserError
from bot.i18n import N_
from bot.replies import ReplyBuilder
from storage.domain import Intent

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand

MAX_NEW_DESKS = 500


async def run(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    site = ctx.require_site(cmd.site)
    labels = list(cmd.desks) or None
    if labels is None and not cmd.count:
        raise UserError(N_("How many places? For example: “open 10 places in Orléans”."))
    if cmd.count and cmd.count > MAX_NEW_DESKS:
        raise UserError(N_("That is a lot of places: {max} at most at once."), max=MAX_NEW_DESKS)
    first_day = cmd.dates[0] if cmd.dates else ctx.today
    room_tr = room_language(ctx)
    followers = await follower_rooms(ctx, [site])

    def news(opened: list[str]) -> ReplyBuilder:
        return ReplyBuilder(room_tr).plural(
            "📢 {site}: {n} new place open from {day} ({labels}).",
            "📢 {site}: {n} new places open from {day} ({labels}).",
            len(opened),
            strong=("site",),
            site=site,
            day=room_tr.day(first_day),
            labels=_labels(opened),
        )

    # The desks, the news for the following rooms and the audit entry: one transaction.
    created = await ctx.storage.outbox.open_desks(
        ctx.member.matrix_id,
        site,
        labels,
        None if labels else cmd.count,
        first_day,
        lambda opened: envelopes("announce", followers, news(opened)),
    )
    if not created:
        return ctx.reply().say(N_("Those desks already exist at {site}: nothing new."), site=site)
    labels_text = _labels(created)
    rooms = len(followers)
    return (
        ctx.reply()
        .plural(
            "✅ {n} place opened at {site} from {day}: {labels}.",
            "✅ {n} places opened at {site} from {day}: {labels}.",
            len(created),
            strong=("site",),
            site=site,
            day=ctx.tr.day(first_day),
            labels=labels_text,
        )
        .plural("Announced in {n} room.", "Announced in {n} rooms.", rooms)
    )


def _labels(labels: list[str], shown: int = 12) -> str:
    return ", ".join(labels[:shown]) + (" …" if len(labels) > shown else "")


SPEC = CommandSpec(
    intent=Intent.OPEN,
    run=run,
    permission=Permission.SITE_MANAGER,
    summary=N_("Managers: open places at your site"),
    examples=(
        N_("open 10 places in Orléans from 1 December"),
        N_("open desks B-301 and B-302 in Metz"),
    ),
)
