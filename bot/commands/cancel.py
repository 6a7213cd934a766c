"""`annule ma réservation de mardi`: cancel one's own bookings (or a declared status).

Cancelling more than `BULK_THRESHOLD` bookings at once asks first; the question is stored, so a
"yes" after a restart still works.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from bot.commands.base import CommandSpec, Context
from bot.commands.listing import add_booking_items
from bot.commands.undo import record_cancelled
from bot.errors import UserError
from bot.i18n import N_
from bot.replies import ReplyBuilder
from storage.domain import Intent, Slot

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand
    from storage.types import Booking

BULK_THRESHOLD = 3
KIND = "cancel"


async def run(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    if cmd.status:
        return await _clear_status(ctx, cmd)
    if cmd.dates:
        days = list(cmd.dates)
    elif cmd.every:  # "annule tout": every upcoming booking, confirmed first when several
        days = await _upcoming_days(ctx)
    else:
        days = await _only_upcoming_day(ctx)
    matching = await _matching(ctx, days, cmd.slot, cmd.site)
    if not matching:
        return ctx.reply().say(N_("You have no booking to cancel on those days."))
    if cmd.desk and not any(b.desk.casefold() == cmd.desk.casefold() for b in matching):
        # "annule le bureau B-101 jeudi" from someone holding B-102: what is named must match
        return ctx.reply().say(
            N_(
                "You have no booking of desk {desk} on those days (you have {held}): I cancelled"
                " nothing."
            ),
            strong=("desk",),
            desk=cmd.desk,
            held=", ".join(sorted({b.desk for b in matching})),
        )
    if len(matching) > BULK_THRESHOLD or (cmd.every and len(matching) > 1):
        builder = ctx.reply().plural(
            "This will cancel {n} booking:", "This will cancel {n} bookings:", len(matching)
        )
        add_booking_items(builder, ctx, matching)
        payload = {"days": [d.isoformat() for d in days], "slot": cmd.slot, "site": cmd.site}
        return await ctx.ask(KIND, payload, builder)
    return await _cancel(ctx, days, cmd.slot, cmd.site)


async def confirm(ctx: Context, payload: Mapping[str, Any]) -> ReplyBuilder:
    days = [date.fromisoformat(d) for d in payload["days"]]
    slot = Slot(payload["slot"]) if payload.get("slot") else None
    return await _cancel(ctx, days, slot, payload.get("site"))


async def _cancel(
    ctx: Context, days: Sequence[date], slot: Slot | None, site: str | None
) -> ReplyBuilder:
    cancelled = await ctx.storage.cancel(ctx.member.matrix_id, days, slot=slot, site=site)
    record_cancelled(ctx, cancelled)
    if not cancelled:
        return ctx.reply().say(N_("You have no booking to cancel on those days."))
    if len(cancelled) == 1:
        b = cancelled[0]
        return ctx.reply().say(
            N_("🗑️ Booking cancelled: desk {desk} at {site} on {day} ({slot})."),
            strong=("day",),
            desk=b.desk,
            site=b.site,
            day=ctx.tr.day(b.day),
            slot=ctx.slot_label(b.slot),
        )
    builder = ctx.reply().plural(
        "🗑️ {n} booking cancelled:", "🗑️ {n} bookings cancelled:", len(cancelled)
    )
    return add_booking_items(builder, ctx, cancelled)


async def _upcoming_days(ctx: Context) -> list[date]:
    upcoming = await _upcoming(ctx)
    if not upcoming:
        raise UserError(N_("You have no upcoming booking."))
    return sorted({b.day for b in upcoming})


async def _only_upcoming_day(ctx: Context) -> list[date]:
    """Without a date, "cancel my booking" means the only upcoming one; otherwise ask which."""
    days = await _upcoming_days(ctx)
    if len(days) > 1:
        listing = ", ".join(ctx.tr.short_day(d) for d in days[:8])
        raise UserError(N_("Which day should I cancel? Your bookings: {days}"), days=listing)
    return days


async def _upcoming(ctx: Context) -> list[Booking]:
    until = ctx.today + timedelta(days=ctx.settings.horizon_days)
    return await ctx.storage.list_bookings(ctx.member.matrix_id, ctx.today, until)


async def _matching(
    ctx: Context, days: Sequence[date], slot: Slot | None, site: str | None
) -> list[Booking]:
    wanted = set(days)
    bookings = await ctx.storage.list_bookings(ctx.member.matrix_id, min(days), max(days))
    return [
        b
        for b in bookings
        if b.day in wanted
        and (site is None or b.site == site)
        and (slot is None or b.slot.overlaps(slot))
    ]


async def _clear_status(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    days = ctx.require_dates(cmd.dates)
    cleared = await ctx.storage.clear_status(ctx.member.matrix_id, days, cmd.slot)
    if not cleared:
        return ctx.reply().say(N_("You had declared nothing on those days."))
    return ctx.reply().plural("🗑️ {n} declaration removed.", "🗑️ {n} declarations removed.", cleared)


SPEC = CommandSpec(
    intent=Intent.CANCEL,
    run=run,
    confirm=confirm,
    summary=N_("Cancel your bookings"),
    examples=(N_("cancel my booking on Tuesday"), N_("I'm not coming on Friday any more")),
)
