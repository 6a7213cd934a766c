"""`mon agenda`, `lien calendrier`: the agent's private calendar feed link, in the DM.

`nouveau lien agenda` revokes the previous link (it answers 404 from then on) and sends a new
one. Asked in a group room, the link still goes to the direct chat: it is a secret.
"""

from __future__ import annotations

from bot.commands.base import Context
from bot.i18n import N_
from bot.messages import Reply
from bot.parsing.reports import CALENDAR_RENEW, ReportRequest
from bot.replies import ReplyBuilder
from storage.domain import UserId


def feed_url(ctx: Context, token: str) -> str:
    return f"{ctx.settings.calendar_base_url}/calendar/{token}.ics"


async def run(ctx: Context, request: ReportRequest) -> tuple[ReplyBuilder, tuple[()]]:
    token = await ctx.storage.calendar_token(
        ctx.member.matrix_id, renew=request.kind == CALENDAR_RENEW
    )
    link = ctx.reply()
    if request.kind == CALENDAR_RENEW:
        link.say(N_("🔄 Your previous calendar link no longer works. Here is the new one:"))
    else:
        link.say(N_("📅 Your bookings as a calendar, to subscribe to in your calendar app:"))
    link.text(feed_url(ctx, token))
    link.say(
        N_(
            "It shows your bookings from 30 days ago to {horizon} weeks ahead. Keep this link to"
            " yourself; “new calendar link” replaces it."
        ),
        horizon=ctx.settings.horizon_weeks,
    )
    if ctx.message.is_direct:
        return link, ()
    ctx.extra_replies.append(_direct(link, ctx.member.matrix_id))
    return ctx.reply().say(N_("📬 I sent you the link in a direct message.")), ()


def _direct(builder: ReplyBuilder, to: UserId) -> Reply:
    return builder.build(to=to)
