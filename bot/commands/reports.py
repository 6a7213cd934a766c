"""Figures and schedules (issue 13): statistics, calendar links, "ma semaine", the team's week.

The dispatcher asks `bot.parsing.reports` first; a request it recognises runs here, and may come
back with attachments (the chart and the CSV) for the transport to send after the text.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.commands import calendar, stats, week
from bot.commands.base import Context
from bot.errors import UserError
from bot.i18n import N_
from bot.messages import Attachment
from bot.parsing.reports import (
    CALENDAR,
    CALENDAR_RENEW,
    MY_WEEK,
    STATS,
    TEAM_WEEK,
    ReportRequest,
)
from bot.replies import ReplyBuilder
from storage.errors import UnknownSite
from storage.stats import BadPeriod

Handler = Callable[
    [Context, ReportRequest], Awaitable[tuple[ReplyBuilder, tuple[Attachment, ...]]]
]
HANDLERS: dict[str, Handler] = {
    STATS: stats.run,
    CALENDAR: calendar.run,
    CALENDAR_RENEW: calendar.run,
    MY_WEEK: week.run_my_week,
    TEAM_WEEK: week.run_team_week,
}


async def run_report(
    ctx: Context, request: ReportRequest
) -> tuple[ReplyBuilder, tuple[Attachment, ...]]:
    """Run the request's handler (permissions are checked inside, before any figure)."""
    return await HANDLERS[request.kind](ctx, request)


def render_report_error(builder: ReplyBuilder, error: Exception) -> ReplyBuilder:
    """A refusal, or bad input (period, site), as a polite sentence; nothing was computed."""
    if isinstance(error, UserError):
        return builder.say(error.msgid, strong=error.strong, **error.params)
    if isinstance(error, BadPeriod):
        if error.code == "ends_before_start":
            return builder.say(N_("This period ends before it starts: which dates did you mean?"))
        return builder.say(N_("That period is too long: two years at most, please."))
    assert isinstance(error, UnknownSite)
    return builder.say(N_("I do not know the site “{name}”."), name=error.name)
