"""How a reservation outcome reads: a sentence for one day, a compact item for several."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.i18n import N_

if TYPE_CHECKING:
    from bot.commands.base import Context
    from bot.replies import ReplyBuilder
    from storage.types import DayOutcome

# Parameters: {day} {site} {desk} {slot} {reason} {weeks} {alternative}.
SENTENCES = {
    "booked": N_("✅ Desk {desk} booked at {site} on {day} ({slot})."),
    "already_booked": N_("ℹ️ You already have desk {desk} at {site} on {day} ({slot})."),
    "full": N_("❌ No desk left at {site} on {day} ({slot})."),
    "desk_taken": N_("❌ Desk {desk} is already taken at {site} on {day} ({slot})."),
    "unknown_desk": N_("❓ There is no desk {desk} at {site}."),
    "closed": N_("🚫 {site} is closed on {day}{because}."),
    "holiday": N_("🎉 {day} is a public holiday ({reason}): the sites are closed."),
    "weekend": N_("📅 {day} is a weekend day: the sites are closed."),
    "past": N_("⏪ {day} is in the past."),
    "beyond_horizon": N_("⏩ {day} is too far ahead: bookings open {weeks} weeks in advance."),
}
ITEMS = {
    "booked": N_("{day}: desk {desk} ✅"),
    "already_booked": N_("{day}: already booked (desk {desk} at {site})"),
    "full": N_("{day}: full ❌"),
    "desk_taken": N_("{day}: desk {desk} taken ❌"),
    "unknown_desk": N_("{day}: no desk {desk} at {site} ❓"),
    "closed": N_("{day}: site closed{because} 🚫"),
    "holiday": N_("{day}: public holiday ({reason}) 🎉"),
    "weekend": N_("{day}: weekend"),
    "past": N_("{day}: in the past"),
    "beyond_horizon": N_("{day}: too far ahead ({weeks} weeks at most)"),
}
HINTS = {
    "full": N_("The {alternative} is still free: ask for it if it suits you."),
    "desk_taken": N_("Desk {alternative} is free: ask for it if it suits you."),
}
ITEM_HINTS = {
    "full": N_("{alternative} still free"),
    "desk_taken": N_("desk {alternative} free"),
}


def add_outcome(
    builder: ReplyBuilder,
    ctx: Context,
    outcome: DayOutcome,
    site: str,
    desk: str | None,
    *,
    compact: bool = False,
) -> None:
    """Add the sentence (or, `compact`, the list item) for `outcome` to `builder`."""
    kind = str(outcome.outcome)
    booking = outcome.booking
    params: dict[str, object] = {
        "day": ctx.tr.day(outcome.day),
        "site": booking.site if booking else site,
        "desk": booking.desk if booking else (desk or ""),
        "slot": ctx.slot_label(booking.slot if booking else outcome.slot),
        "reason": outcome.reason or "",
        "because": f" ({outcome.reason})" if outcome.reason else "",
        "weeks": ctx.settings.horizon_weeks,
    }
    alternative = _alternative(ctx, outcome)
    if compact:
        template = ctx.tr.gettext(ITEMS[kind])
        if alternative and kind in ITEM_HINTS:
            template += " — " + ctx.tr.gettext(ITEM_HINTS[kind])
        builder.item(
            template, strong=("day", "desk"), translate=False, alternative=alternative, **params
        )
        return
    builder.say(SENTENCES[kind], strong=("desk", "day"), **params)
    if alternative and kind in HINTS:
        builder.say(HINTS[kind], strong=("alternative",), alternative=alternative)


def _alternative(ctx: Context, outcome: DayOutcome) -> str | None:
    if outcome.alternative_slot:
        return ctx.slot_label(str(outcome.alternative_slot))
    return outcome.alternative_desk
