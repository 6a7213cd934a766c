"""An agent's bookings as an iCalendar feed (RFC 5545), built with the `icalendar` package.

One event per booking, from 30 days back to the booking horizon, at the site's hours (default
09:00–12:30 and 13:30–18:00; a whole day spans both). The UID is derived from the booking id
only, so a calendar client updates an event in place and drops it when the booking is cancelled
(it is no longer in the feed). Pure: bookings in, bytes out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from storage.calendar_tokens import FeedBooking

if TYPE_CHECKING:
    from icalendar import Timezone

DEFAULT_HOURS = "09:00-12:30,13:30-18:00"
PAST_DAYS = 30
UID_DOMAIN = "bureau-volant"
PRODID = "-//Bureau Volant//Reservations//FR"
SUMMARY = N_("Desk {desk} — {site}")
DESCRIPTION = N_("Booked with Bureau Volant ({slot}). To cancel, write to the bot.")
CALENDAR_NAME = N_("My desk bookings")


def feed_window(today: date, horizon_days: int) -> tuple[date, date]:
    """The days a feed covers: 30 days back to the horizon."""
    return today - timedelta(days=PAST_DAYS), today + timedelta(days=horizon_days)


def parse_hours(hours: str | None) -> tuple[tuple[time, time], tuple[time, time]]:
    """((am start, am end), (pm start, pm end)) from "09:00-12:30,13:30-18:00"."""
    spans = []
    for span in (hours or DEFAULT_HOURS).split(","):
        start, end = span.split("-")
        spans.append((time.fromisoformat(start), time.fromisoformat(end)))
    return spans[0], spans[1]


def booking_times(booking: FeedBooking) -> tuple[datetime, datetime]:
    """Start and end of the booking, in the site's time zone."""
    (am_start, am_end), (pm_start, pm_end) = parse_hours(booking.hours)
    tz = ZoneInfo(booking.timezone)
    start = am_start if booking.slot.covers_am else pm_start
    end = pm_end if booking.slot.covers_pm else am_end
    return (
        datetime.combine(booking.day, start, tzinfo=tz),
        datetime.combine(booking.day, end, tzinfo=tz),
    )


def booking_uid(booking_id: int) -> str:
    return f"booking-{booking_id}@{UID_DOMAIN}"


def feed(bookings: Sequence[FeedBooking], tr: Translator, now: datetime) -> bytes:
    """The iCalendar text of these bookings."""
    # Imported when a feed is asked for: the bot's start does without it (2.4 MB, 40 ms).
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", tr.gettext(CALENDAR_NAME))
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for booking in bookings:
        start, end = booking_times(booking)
        event = Event()
        event.add("uid", booking_uid(booking.id))
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", tr.gettext(SUMMARY, desk=booking.desk, site=booking.site))
        event.add("location", booking.site)
        event.add("description", tr.gettext(DESCRIPTION, slot=tr.slot(booking.slot)))
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    for tzid in sorted({b.timezone for b in bookings}):
        cal.add_component(_vtimezone(tzid, now.year))
    return bytes(cal.to_ical())


@cache
def _vtimezone(tzid: str, year: int) -> Timezone:
    """The VTIMEZONE of `tzid`, with only the transitions around `year` (built once: the full
    history would cost more than the rest of the feed)."""
    from icalendar import Timezone

    return Timezone.from_tzinfo(
        ZoneInfo(tzid), tzid, first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1)
    )
