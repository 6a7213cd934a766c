"""How a reservation outcome reads: a sentence for one day, a compact item for several."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.i18n import N_
from storage.domain import Outcome

if TYPE_CHECKING:
    from bot.commands.base import Context
    from bot.replies import ReplyBuilder
    from storage.types import DayOutcome

# Parameters: {day} {site} {desk} {slot} {reason} {weeks} {alternative}.
SENTENCES = {
    Outcome.BOOKED: N_("✅ Desk {desk} booked at {site} on {day} ({slot})."),
    Outcome.ALREADY_BOOKED: N_("ℹ️ You already have desk {desk} at {site} on {day} ({slot})."),
    Outcome.FULL: N_("❌ No desk left at {site} on {day} ({slot})."),
    Outcome.DESK_TAKEN: N_("❌ Desk {desk} is already taken at {site} on {day} ({slot})."),
    Outcome.UNKNOWN_DESK: N_("❓ There is no desk {desk} at {site}."),
    Outcome.CLOSED: N_("🚫 {site} is closed on {day}{because}."),
    Outcome.HOLIDAY: N_("🎉 {day} is a public holiday ({reason}): the sites are closed."),
    Outcome.WEEKEND: N_("📅 {day} is a weekend day: the sites are closed."),
    Outcome.PAST: N_("⏪ {day} is in the past."),
    Outcome.BEYOND_HORIZON: N_(
        "⏩ {day} is too far ahead: bookings open {weeks} weeks in advance."
    ),
}
ITEMS = {
    Outcome.BOOKED: N_("{day}: desk {desk} ✅"),
    Outcome.ALREADY_BOOKED: N_("{day}: already booked (desk {desk} at {site})"),
    Outcome.FULL: N_("{day}: full ❌"),
    Outcome.DESK_TAKEN: N_("{day}: desk {desk} taken ❌"),
    Outcome.UNKNOWN_DESK: N_("{day}: no desk {desk} at {site} ❓"),
    Outcome.CLOSED: N_("{day}: site closed{because} 🚫"),
    Outcome.HOLIDAY: N_("{day}: public holiday ({reason}) 🎉"),
    Outcome.WEEKEND: N_("{day}: weekend"),
    Outcome.PAST: N_("{day}: in the past"),
    Outcome.BEYOND_HORIZON: N_("{day}: too far ahead ({weeks} weeks at most)"),
}
HINTS = {
    Outcome.FULL: N_("The {alternative} is still free: ask for it if it suits you."),
    Outcome.DESK_TAKEN: N_("Desk {alternative} is free: ask for it if it suits you."),
}
ITEM_HINTS = {
    Outcome.FULL: N_("{alternative} still free"),
    Outcome.DESK_TAKEN: N_("desk {alternative} free"),
}


def add_outcome(
    builder: ReplyBuilder,
    ctx: Context,
    outcome: DayOutcome,
    site: str,
    desk: str | None,
    *,
    compact: bool = False,
    hint: bool = True,
) -> None:
    """Add the sentence (or, `compact`, the list item) for `outcome` to `builder`."""
    kind = outcome.outcome
    booking = outcome.booking
    params: dict[str, Any] = {
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
    if hint and alternative and kind in HINTS:
        builder.say(HINTS[kind], strong=("alternative",), alternative=alternative)


def _alternative(ctx: Context, outcome: DayOutcome) -> str | None:
    if outcome.alternative_slot:
        return ctx.slot_label(outcome.alternative_slot)
    return outcome.alternative_desk
