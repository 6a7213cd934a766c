"""`ma semaine` (the agent's Monday–Friday) and, in a team room, `planning de la semaine`
(members × Monday–Friday in one table); the Monday digest adds the team's table too.

A cell is the site and desk of a booking (with the half-day when it is one), or the declared
status (remote, leave, travel), or a dash. The team's table is shown in the team's own room only,
like the digest.
"""

from __future__ import annotations

import dataclasses
import html
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from babel.dates import format_date

from bot.commands.base import Context
from bot.errors import UserError
from bot.i18n import N_, Translator
from bot.messages import Reply
from bot.parsing.reports import ReportRequest
from bot.replies import ReplyBuilder
from storage.domain import PresenceKind, Slot, UserId

if TYPE_CHECKING:
    from storage.core import Storage
    from storage.types import Presence, TeamDay

DASH = "—"
NOBODY = N_("Nobody in this room yet.")
STATUS_CELLS = {
    PresenceKind.REMOTE: N_("🏠 remote"),
    PresenceKind.LEAVE: N_("🌴 leave"),
    PresenceKind.TRAVEL: N_("🚆 travel"),
}


def week_days(today: date, offset: int = 0) -> list[date]:
    """Monday to Friday of the week of `today` (`offset` weeks later)."""
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
    return [monday + timedelta(days=i) for i in range(5)]


async def presences_by_day(
    storage: Storage, days: Sequence[date], members: Sequence[UserId]
) -> dict[date, dict[str, list[Presence]]]:
    """For each day, each member's presences (bookings and statuses)."""
    out: dict[date, dict[str, list[Presence]]] = {}
    for day in days:
        grouped: dict[str, list[Presence]] = defaultdict(list)
        for presence in await storage.who(day, members=list(members)):
            grouped[presence.member].append(presence)
        out[day] = grouped
    return out


def cell(tr: Translator, presences: Sequence[Presence], with_desk: bool = True) -> str:
    """One member's day: "Metz B-204", "Metz (morning) · 🏠 remote", "—"."""
    parts = []
    for p in sorted(presences, key=lambda p: list(Slot).index(p.slot)):
        if p.kind is PresenceKind.ONSITE:
            where = f"{p.site} {p.desk}" if with_desk else str(p.site)
        else:
            where = tr.gettext(STATUS_CELLS[p.kind])
        if p.slot is not Slot.DAY:
            where = f"{where} ({tr.slot(p.slot)})"
        parts.append(where)
    return " · ".join(parts) or DASH


async def run_my_week(ctx: Context, request: ReportRequest) -> tuple[ReplyBuilder, tuple[()]]:
    days = week_days(ctx.today, request.week_offset)
    by_day = await presences_by_day(ctx.storage, days, [ctx.member.matrix_id])
    builder = ctx.reply().say(
        N_("🗓 Your week of {monday}:"), strong=("monday",), monday=ctx.tr.day(days[0])
    )
    for day in days:
        builder.item(
            N_("{day}: {where}"),
            day=ctx.tr.day(day),
            where=cell(ctx.tr, by_day[day].get(ctx.member.matrix_id, ())),
        )
    return builder, ()


async def run_team_week(ctx: Context, request: ReportRequest) -> tuple[ReplyBuilder, tuple[()]]:
    if ctx.message.is_direct:
        raise UserError(N_("Ask for the team's week in the team's room: “team week”."))
    members = await ctx.storage.room_members(ctx.message.room_id)
    if ctx.directory is not None:
        known = await ctx.directory.room_members(ctx.message.room_id)
        if known is not None:
            names: dict[str, str | None] = {m.matrix_id: m.display_name for m in members}
            members_list = [(mxid, name or names.get(mxid)) for mxid, name in known]
            return await _team_table(ctx, members_list, request.week_offset), ()
    listed = [(m.matrix_id, m.display_name) for m in members]
    return await _team_table(ctx, listed, request.week_offset), ()


async def _team_table(
    ctx: Context, members: Sequence[tuple[UserId, str | None]], offset: int
) -> ReplyBuilder:
    days = week_days(ctx.today, offset)
    reply = await team_week_reply(ctx.storage, ctx.tr, days, members)
    return ctx.reply().rich(reply.text, reply.html)


async def team_week_reply(
    storage: Storage,
    tr: Translator,
    days: Sequence[date],
    members: Sequence[tuple[UserId, str | None]],
) -> Reply:
    """The team's week as one table (text and HTML)."""
    ordered = sorted(members, key=lambda m: ((m[1] or m[0]).casefold(), m[0]))
    by_day = await presences_by_day(storage, days, [m[0] for m in ordered])
    title = tr.gettext(N_("🗓 The team's week of {monday}:"), monday=tr.day(days[0]))
    if not ordered:
        text = f"{title}\n{tr.gettext(NOBODY)}"
        return Reply(text=text, html=html.escape(text, quote=False).replace("\n", "<br>"))
    heads = [format_date(day, "EEE d", locale=tr.locale) for day in days]
    rows = [
        (name or mxid, [cell(tr, by_day[day].get(mxid, ()), with_desk=False) for day in days])
        for mxid, name in ordered
    ]
    lines = [title]
    for name, cells in rows:
        lines.append(f"• {name}: " + " | ".join(f"{h} {c}" for h, c in zip(heads, cells)))
    head_html = "".join(f"<th>{html.escape(h)}</th>" for h in heads)
    body_html = "".join(
        f"<tr><td>{html.escape(name)}</td>"
        + "".join(f"<td>{html.escape(c)}</td>" for c in cells)
        + "</tr>"
        for name, cells in rows
    )
    table = (
        f"<p>{html.escape(title)}</p><table><thead><tr><th></th>{head_html}</tr></thead>"
        f"<tbody>{body_html}</tbody></table>"
    )
    return Reply(text="\n".join(lines), html=table)


async def with_team_week(storage: Storage, team_day: TeamDay, digest: Reply) -> Reply:
    """The Monday digest followed by the team's week table."""
    tr = Translator(team_day.team.locale)
    members = [(m.matrix_id, m.display_name) for m in team_day.members]
    table = await team_week_reply(storage, tr, week_days(team_day.day), members)
    return dataclasses.replace(
        digest,
        text=f"{digest.text}\n\n{table.text}",
        html=f"{digest.html}<br>{table.html}",
    )
