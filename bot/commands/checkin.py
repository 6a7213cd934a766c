"""`je suis arrivé` / `I'm here`: check in today's bookings (issue 12); and how check-in
outcomes read, for the sentence and for a ✅ reaction alike.

A site with check-in (`check_in:` in the sites file) releases a booking not checked in by its
deadline. Checking in is possible from one hour before the slot starts until the deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bot.commands.base import CommandSpec, Context
from bot.i18n import N_, Translator
from bot.replies import ReplyBuilder
from storage.checkin import CheckInOutcome, CheckInResult
from storage.domain import Intent, Slot, UserId
from storage.subjects import Subject, SubjectKind

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand
    from storage.types import SiteInfo

SENTENCES = {
    CheckInOutcome.CHECKED_IN: N_("✅ Checked in: desk {desk} at {site}, {day} ({slot})."),
    CheckInOutcome.ALREADY: N_(
        "ℹ️ You are already checked in: desk {desk} at {site}, {day} ({slot})."
    ),
    CheckInOutcome.TOO_EARLY: N_(
        "⏳ Too early to check in for desk {desk} at {site} ({day}, {slot}): "
        "check-in opens at {opens}."
    ),
    CheckInOutcome.TOO_LATE: N_(
        "⌛ Too late to check in for desk {desk} at {site} ({day}, {slot}): "
        "the deadline was {deadline}."
    ),
    CheckInOutcome.NOT_NEEDED: N_(
        "ℹ️ No check-in is needed for desk {desk} at {site} ({day}, {slot})."
    ),
    CheckInOutcome.GONE: N_(
        "ℹ️ The booking of desk {desk} at {site} ({day}, {slot}) is no longer active."
    ),
}


def clock(moment: datetime | None) -> str:
    """ "10:00": a time of day in the site's time zone."""
    return "" if moment is None else f"{moment:%H:%M}"


def add_results(builder: ReplyBuilder, tr: Translator, results: Sequence[CheckInResult]) -> None:
    """One sentence per booking tried."""
    for result in results:
        booking = result.booking
        builder.say(
            SENTENCES[result.outcome],
            strong=("desk", "day"),
            desk=booking.desk,
            site=booking.site,
            day=tr.day(booking.day),
            slot=tr.slot(booking.slot),
            opens=clock(result.opens),
            deadline=clock(result.deadline),
        )


async def run(ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
    results = await ctx.storage.checkin.check_in_today(ctx.member.matrix_id)
    builder = ctx.reply()
    if not results:
        return builder.say(N_("ℹ️ You have no booking today: there is nothing to check in."))
    add_results(builder, ctx.tr, results)
    if any(r.outcome is CheckInOutcome.TOO_LATE for r in results):
        builder.say(N_("If a desk is still free, you can book one again."))
    return builder


def confirmation_hint(
    builder: ReplyBuilder,
    tr: Translator,
    sites: Sequence[SiteInfo],
    booked: Sequence[tuple[str, Slot]],
) -> None:
    """The line a booking confirmation adds at a site with check-in: how, and by when.

    `booked` holds (site name, slot) pairs of the bookings just made."""
    seen: set[tuple[str, str]] = set()
    rules = {site.name: site.check_in for site in sites}
    for site, slot in booked:
        rule = rules.get(site)
        deadline = rule.deadline(slot) if rule is not None else None
        if deadline is None or (site, str(deadline)) in seen:
            continue
        seen.add((site, str(deadline)))
        builder.say(
            N_(
                "📍 {site} asks you to check in on arrival, by {deadline}: react ✅ to this "
                "message or say “I'm here”. Otherwise the desk is released for someone else."
            ),
            strong=("deadline",),
            site=site,
            deadline=f"{deadline:%H:%M}",
        )


def booking_subject(member: UserId, booking_ids: Sequence[int]) -> Subject | None:
    """What a confirmation of these bookings is about (None when none was made)."""
    if not booking_ids:
        return None
    return Subject(SubjectKind.BOOKING, member=member, booking_ids=tuple(booking_ids))


SPEC = CommandSpec(
    intent=Intent.CHECK_IN,
    run=run,
    summary=N_("Check in on arrival, at the sites that ask for it"),
    examples=(N_("I'm here"), N_("check-in")),
)
