"""The morning check-in reminder (issue 12): at sites with `check_in.remind: true`, a direct
message per booking that needs a check-in that day, when its slot starts.

Each reminder is claimed and written to the outbox in one transaction (`storage.checkin`), so
it goes out once across restarts and processes; a reminder missed while the bot was down goes
out when it is back, as long as the deadline has not passed. The reminder is about its booking:
a ✅ on it checks the booking in.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from bot.commands.checkin import clock
from bot.i18n import N_, Translator
from bot.replies import ReplyBuilder
from storage.outbox import Envelope
from storage.subjects import Subject, SubjectKind

if TYPE_CHECKING:
    from collections.abc import Callable

    from storage.checkin import ReminderDue
    from storage.core import Storage

log = logging.getLogger(__name__)


def reminder_envelope(due: ReminderDue, tr: Translator) -> Envelope:
    """The reminder DM of one booking."""
    booking = due.booking
    reply = (
        ReplyBuilder(tr)
        .say(
            N_(
                "⏰ You booked desk {desk} at {site} today ({slot}). Check in by {deadline}: "
                "react ✅ to this message or say “I'm here”."
            ),
            strong=("desk", "deadline"),
            desk=booking.desk,
            site=booking.site,
            slot=tr.slot(booking.slot),
            deadline=clock(due.deadline),
        )
        .build()
    )
    about = Subject(SubjectKind.REMINDER, member=booking.member, booking_ids=(booking.id,))
    return Envelope("reminder", reply.text, reply.html, to=booking.member, about=about)


class CheckInReminderJob:
    """Writes the due check-in reminders to the outbox at each tick."""

    def __init__(
        self, storage: Storage, locale: str, written: Callable[[], None] | None = None
    ) -> None:
        self.storage = storage
        self.tr = Translator(locale)
        self._written = written  # wakes the delivery worker

    async def __call__(self, now: datetime) -> None:
        sent = await self.storage.checkin.send_reminders(
            lambda due: reminder_envelope(due, self.tr)
        )
        if sent:
            log.info("%d check-in reminders queued", sent)
            if self._written is not None:
                self._written()
