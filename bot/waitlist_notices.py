"""The DMs of the waitlist and the release sweep, in each member's language (issue 12).

Installed on the Storage by the dispatcher (`storage.notices`), so that every path that frees a
desk, deep in a storage transaction, writes the served waiter's DM with the chat side's words.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from bot.commands.announcing import envelope_to
from bot.commands.checkin import booking_subject
from bot.i18n import N_, Translator
from bot.replies import ReplyBuilder
from storage.outbox import Envelope
from storage.types import Booking


class ChatNotices:
    """`storage.waitlist.Notices` with the bot's messages; `default_locale` when a member chose
    none."""

    def __init__(self, default_locale: str = "fr") -> None:
        self.default_locale = default_locale

    def _tr(self, locale: str | None) -> Translator:
        return Translator(locale or self.default_locale)

    def served(self, booking: Booking, locale: str | None) -> Envelope:
        tr = self._tr(locale)
        builder = ReplyBuilder(tr).say(
            N_("🎉 A desk freed up: you are booked at {site} on {day} ({slot}), desk {desk}."),
            strong=("site", "day", "desk"),
            site=booking.site,
            day=tr.day(booking.day),
            slot=tr.slot(booking.slot.value),
            desk=booking.desk,
        )
        builder.say(N_("You were first on the waitlist. Not needed any more? Cancel it."))
        # A confirmation like any other: a ✅ on it checks the booking in.
        envelope = envelope_to("waitlist", booking.member, builder)
        return replace(envelope, about=booking_subject(booking.member, [booking.id]))

    def released(self, booking: Booking, locale: str | None, deadline: time) -> Envelope:
        tr = self._tr(locale)
        builder = ReplyBuilder(tr).say(
            N_(
                "⏰ Your desk {desk} at {site} on {day} ({slot}) was released: nobody checked"
                " in by {deadline}."
            ),
            strong=("desk", "site"),
            desk=booking.desk,
            site=booking.site,
            day=tr.day(booking.day),
            slot=tr.slot(booking.slot.value),
            deadline=deadline.strftime("%H:%M"),
        )
        builder.say(N_("Arriving later? Book again if a desk is still free."))
        return envelope_to("noshow", booking.member, builder)
