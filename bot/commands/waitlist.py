"""The waitlist (issue 12): "mets-moi en liste d'attente à Metz jeudi", "ma liste d'attente",
"retire-moi de la liste d'attente"; and the offer that follows a "full" answer.

Joining when a desk is free now books it at once (that is what waiting would give). The line is
served by storage (`storage.waitlist`): the first waiter gets the freed desk and a DM.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.commands.base import CommandSpec, Context
from bot.commands.outcomes import SENTENCES, add_outcome
from bot.commands.undo import record_booked
from bot.i18n import N_
from bot.replies import ReplyBuilder
from storage.domain import Intent, Outcome, Slot
from storage.waitlist import JoinOutcome, JoinResult

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand

KIND = "waitlist"  # the question after a "full" answer: "Je vous mets en liste d'attente ?"

_REFUSED = {
    JoinOutcome.PAST: Outcome.PAST,
    JoinOutcome.WEEKEND: Outcome.WEEKEND,
    JoinOutcome.HOLIDAY: Outcome.HOLIDAY,
    JoinOutcome.CLOSED: Outcome.CLOSED,
    JoinOutcome.BEYOND_HORIZON: Outcome.BEYOND_HORIZON,
}


async def run_join(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    site = ctx.require_site(cmd.site)
    days = ctx.require_dates(cmd.dates)
    return await _join(ctx, site, list(days), cmd.slot or Slot.DAY)


async def confirm_join(ctx: Context, payload: Mapping[str, Any]) -> ReplyBuilder:
    days = [date.fromisoformat(d) for d in payload["days"]]
    return await _join(ctx, payload["site"], days, Slot(payload["slot"]))


async def _join(ctx: Context, site: str, days: list[date], slot: Slot) -> ReplyBuilder:
    builder = ctx.reply()
    for day in days:
        result = await ctx.storage.waitlist.join(ctx.member.matrix_id, site, day, slot)
        if result.outcome is JoinOutcome.DESK_FREE:
            outcomes = await ctx.storage.reserve(
                ctx.member.matrix_id, site, [day], slot, source_event_id=ctx.message.event_id
            )
            record_booked(ctx, outcomes)
            builder.say(N_("A desk is free: no need to wait."))
            add_outcome(builder, ctx, outcomes[0], site, None)
            continue
        _say(builder, ctx, result, site, day, slot)
    return builder


def _say(
    builder: ReplyBuilder, ctx: Context, result: JoinResult, site: str, day: date, slot: Slot
) -> None:
    params: dict[str, Any] = {
        "site": site,
        "day": ctx.tr.day(day),
        "slot": ctx.slot_label(slot),
    }
    kind = result.outcome
    if kind in (JoinOutcome.JOINED, JoinOutcome.ALREADY_WAITING):
        assert result.entry is not None
        template = (
            N_(
                "⏳ You are on the waitlist for {site} on {day} ({slot}): number {position}"
                " in line. As soon as a desk frees up it is booked for you, and I tell you."
            )
            if kind is JoinOutcome.JOINED
            else N_(
                "⏳ You are already on the waitlist for {site} on {day} ({slot}): number"
                " {position} in line."
            )
        )
        builder.say(template, strong=("site", "day"), position=result.entry.position, **params)
    elif kind is JoinOutcome.ALREADY_BOOKED:
        assert result.booking is not None
        builder.say(
            N_("ℹ️ You already have desk {desk} at {site} on {day} ({slot}): no need to wait."),
            strong=("desk", "day"),
            **{**params, "site": result.booking.site, "desk": result.booking.desk},
        )
    elif kind is JoinOutcome.TOO_LATE:
        builder.say(
            N_(
                "⏰ Too late to wait for {site} on {day} ({slot}): the waitlist closes at the"
                " check-in deadline, or when the half-day starts."
            ),
            strong=("site", "day"),
            **params,
        )
    else:
        builder.say(
            SENTENCES[_REFUSED[kind]],
            strong=("day",),
            reason=result.reason or "",
            because=f" ({result.reason})" if result.reason else "",
            weeks=ctx.settings.horizon_weeks,
            desk="",
            **params,
        )


async def offer(ctx: Context, builder: ReplyBuilder, site: str, day: date, slot: Slot) -> None:
    """After a "full" answer: ask whether to join the line ("oui" accepts)."""
    builder.say(N_("Shall I put you on the waitlist? You would get the first desk that frees up."))
    await ctx.ask(KIND, {"site": site, "days": [day.isoformat()], "slot": slot.value}, builder)


async def run_show(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    entries = await ctx.storage.waitlist.entries(ctx.member.matrix_id)
    if not entries:
        return ctx.reply().say(N_("You are on no waitlist."))
    builder = ctx.reply().plural("⏳ Your waitlist:", "⏳ Your {n} waitlists:", len(entries))
    for entry in entries:
        builder.item(
            N_("{day} — {site} ({slot}): number {position} in line"),
            strong=("day",),
            day=ctx.tr.day(entry.day),
            site=entry.site,
            slot=ctx.slot_label(entry.slot),
            position=entry.position,
        )
    return builder


async def run_leave(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    gone = await ctx.storage.waitlist.leave(ctx.member.matrix_id, cmd.site, cmd.dates or None)
    if not gone:
        return ctx.reply().say(N_("You were on no waitlist: nothing changed."))
    builder = ctx.reply().plural(
        "✅ You left the waitlist:", "✅ You left {n} waitlists:", len(gone)
    )
    for entry in gone:
        builder.item(
            N_("{day} — {site} ({slot})"),
            strong=("day",),
            day=ctx.tr.day(entry.day),
            site=entry.site,
            slot=ctx.slot_label(entry.slot),
        )
    return builder


JOIN_SPEC = CommandSpec(
    intent=Intent.WAITLIST_JOIN,
    run=run_join,
    confirm=confirm_join,
    summary=N_("Wait for a desk: it is booked for you when one frees up"),
    examples=(
        N_("put me on the waiting list for Metz on Thursday"),
        N_("tell me when a desk frees up in Metz on Tuesday"),
    ),
)
SHOW_SPEC = CommandSpec(
    intent=Intent.WAITLIST_SHOW,
    run=run_show,
    summary=N_("See your places on waitlists"),
    examples=(N_("my waitlist"), N_("my waiting list")),
)
LEAVE_SPEC = CommandSpec(
    intent=Intent.WAITLIST_LEAVE,
    run=run_leave,
    summary=N_("Leave a waitlist"),
    examples=(N_("remove me from the waiting list"), N_("leave the waitlist")),
)
