"""`ferme le site de Metz le 24 décembre`: a manager closes a site; everyone affected is told.

When bookings exist the bot asks first; then it cancels them, writes to each affected agent
directly, and announces the closure in the rooms that follow the site.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.commands.announcing import envelope_to, envelopes, follower_rooms, room_language
from bot.commands.base import CommandSpec, Context, Permission
from bot.i18n import N_, Translator
from bot.replies import ReplyBuilder
from storage.domain import Intent, UserId

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand
    from storage.outbox import Envelope
    from storage.types import Booking

KIND = "close"


async def run(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    site = ctx.require_site(cmd.site)
    days = ctx.require_dates(cmd.dates)
    affected = await ctx.storage.bookings_at(site, days)
    if not affected:
        return await _close(ctx, site, days, cmd.reason)
    people = len({b.member for b in affected})
    builder = ctx.reply().plural(
        "Closing {site} on {days} cancels {n} booking ({people} people will be told).",
        "Closing {site} on {days} cancels {n} bookings ({people} people will be told).",
        len(affected),
        strong=("site", "days"),
        site=site,
        days=_days(ctx.tr, days),
        people=people,
    )
    payload = {"site": site, "days": [d.isoformat() for d in days], "reason": cmd.reason}
    return await ctx.ask(KIND, payload, builder)


async def confirm(ctx: Context, payload: Mapping[str, Any]) -> ReplyBuilder:
    days = [date.fromisoformat(d) for d in payload["days"]]
    return await _close(ctx, payload["site"], days, payload.get("reason"))


async def _close(
    ctx: Context, site: str, days: Sequence[date], reason: str | None
) -> ReplyBuilder:
    room_tr = room_language(ctx)
    news = ReplyBuilder(room_tr).say(
        N_("📢 {site} is closed on {days}."),
        strong=("site", "days"),
        site=site,
        days=_days(room_tr, days),
    )
    followers = await follower_rooms(ctx, [site])

    def compose(cancelled: list[Booking], locales: dict[str, str | None]) -> list[Envelope]:
        """Each affected agent told in their language, then the following rooms."""
        told = [
            envelope_to(
                "closure",
                member,
                _notice(
                    Translator(locales.get(member) or ctx.settings.locale), site, bookings, reason
                ),
            )
            for member, bookings in _by_member(cancelled).items()
        ]
        return [*told, *envelopes("closure", followers, news)]

    # The closure, the cancellations, every notice and the audit entry: one transaction, so
    # that a crash can lose none of the notices (the outbox worker delivers them).
    cancelled = await ctx.storage.outbox.close_site(
        ctx.member.matrix_id, site, days, reason, compose
    )
    rooms = len(followers)
    builder = ctx.reply().say(
        N_("🚫 {site} closed on {days}."),
        strong=("site", "days"),
        site=site,
        days=_days(ctx.tr, days),
    )
    if cancelled:
        builder.plural(
            "{n} booking cancelled, its holder told directly.",
            "{n} bookings cancelled, each holder told directly.",
            len(cancelled),
        )
    if rooms:
        builder.plural("Announced in {n} room.", "Announced in {n} rooms.", rooms)
    return builder


def _notice(
    tr: Translator, site: str, bookings: Sequence[Booking], reason: str | None
) -> ReplyBuilder:
    builder = ReplyBuilder(tr).plural(
        "🚫 {site} will be closed: your booking is cancelled.",
        "🚫 {site} will be closed: your {n} bookings are cancelled.",
        len(bookings),
        strong=("site",),
        site=site,
    )
    for b in bookings:
        builder.item(N_("{day} — desk {desk}"), strong=("day",), day=tr.day(b.day), desk=b.desk)
    if reason:
        builder.say(N_("Reason given: {reason}"), reason=reason)
    return builder.say(N_("Sorry for the trouble: you can book another site or another day."))


def _by_member(bookings: Sequence[Booking]) -> dict[UserId, list[Booking]]:
    grouped: dict[UserId, list[Booking]] = {}
    for b in bookings:
        grouped.setdefault(b.member, []).append(b)
    return grouped


def _days(tr: Translator, days: Sequence[date]) -> str:
    return ", ".join(tr.day(d) for d in sorted(days))


SPEC = CommandSpec(
    intent=Intent.CLOSE,
    run=run,
    confirm=confirm,
    permission=Permission.SITE_MANAGER,
    summary=N_("Managers: close a site for a day"),
    examples=(N_("close the Metz site on 24 December"), N_("close Nantes on Friday")),
)
