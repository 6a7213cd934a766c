"""`télétravail vendredi`, `en congé du 21 au 24 décembre`: declare where one works.

A declaration that overlaps an on-site booking asks first, then cancels the booking.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.commands.base import CommandSpec, Context
from bot.commands.listing import add_booking_items
from bot.commands.undo import record_status
from bot.i18n import N_
from bot.replies import ReplyBuilder
from storage.domain import Intent, PresenceKind, Slot, StatusKind

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand

KIND = "status"
STATUS_LABELS = {
    StatusKind.REMOTE: N_("🏠 remote work"),
    StatusKind.LEAVE: N_("🌴 leave"),
    StatusKind.TRAVEL: N_("🚆 travelling"),
}


async def run(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    days = ctx.require_dates(cmd.dates)
    slot = cmd.slot or Slot.DAY
    kind = cmd.status or StatusKind.REMOTE
    conflicts = await ctx.storage.conflicting_bookings(ctx.member.matrix_id, days, slot)
    if conflicts:
        builder = ctx.reply().plural(
            "You have a booking on site that this would cancel:",
            "You have {n} bookings on site that this would cancel:",
            len(conflicts),
        )
        add_booking_items(builder, ctx, conflicts)
        payload = {"days": [d.isoformat() for d in days], "slot": slot, "kind": kind}
        return await ctx.ask(KIND, payload, builder)
    return await _declare(ctx, days, slot, kind)


async def confirm(ctx: Context, payload: Mapping[str, Any]) -> ReplyBuilder:
    days = [date.fromisoformat(d) for d in payload["days"]]
    slot, kind = Slot(payload["slot"]), StatusKind(payload["kind"])
    return await _declare(ctx, days, slot, kind, replace=True)


async def _declare(
    ctx: Context, days: Sequence[date], slot: Slot, kind: StatusKind, replace: bool = False
) -> ReplyBuilder:
    previous = await _statuses_before(ctx, days)
    changes = await ctx.storage.set_status(
        ctx.member.matrix_id, days, slot, kind, replace_bookings=replace
    )
    record_status(ctx, changes, previous)
    label = ctx.tr.gettext(STATUS_LABELS[kind])
    dates = ", ".join(ctx.tr.day(c.day) for c in changes)
    builder = ctx.reply().say(
        N_("Noted: {status} on {days} ({slot})."),
        strong=("days",),
        status=label,
        days=dates,
        slot=ctx.slot_label(slot),
    )
    replaced = [c.replaced for c in changes if c.replaced is not None]
    if replaced:
        builder.plural("🗑️ {n} booking cancelled:", "🗑️ {n} bookings cancelled:", len(replaced))
        add_booking_items(builder, ctx, replaced)
    return builder


async def _statuses_before(ctx: Context, days: Sequence[date]) -> dict[str, list[tuple[str, str]]]:
    """The statuses already declared on `days` (day -> (slot, kind)), so undo restores them."""
    member = ctx.member.matrix_id
    found: dict[str, list[tuple[str, str]]] = {}
    for day in days:
        for presence in await ctx.storage.who(day, None, [member]):
            if presence.kind is not PresenceKind.ONSITE:
                found.setdefault(day.isoformat(), []).append(
                    (str(presence.slot), str(presence.kind))
                )
    return found


SPEC = CommandSpec(
    intent=Intent.STATUS,
    run=run,
    confirm=confirm,
    summary=N_("Say you work remotely, are on leave or travelling"),
    examples=(N_("working from home on Friday"), N_("on leave from 21 to 24 December")),
)
