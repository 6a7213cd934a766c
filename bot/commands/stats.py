"""`stats de Metz`, `taux d'occupation de Nantes en novembre`: occupancy for managers.

The answer is a short text (occupancy, peak, no-show rate, foisonnement, trend against the
previous period of equal length), the chart as an image and the per-day figures as a CSV file.
Managers of the site and admins only (all sites: admins); nothing is computed for others.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import TYPE_CHECKING

from bot.charts import ALL_SITES, occupancy_png, period_label
from bot.commands.base import Context, Permission
from bot.commands.permissions import require
from bot.errors import UserError
from bot.i18n import N_
from bot.messages import Attachment
from bot.parsing.reports import ReportRequest, current_month
from bot.replies import ReplyBuilder
from bot.stats_report import (
    agents_text,
    csv_bytes,
    export_name,
    percent,
    ratio_text,
    trend_text,
)
from storage.stats import MAX_PERIOD_DAYS, check_period

if TYPE_CHECKING:
    from storage.stats import Comparison

CHART_SIZE = (880, 990)  # pixels, see bot.charts


async def run(ctx: Context, request: ReportRequest) -> tuple[ReplyBuilder, tuple[Attachment, ...]]:
    """Check the request and the sender's right, then compute, draw and attach."""
    if request.unknown_site:
        raise UserError(
            N_("I do not know the site “{name}”. Sites: {sites}."),
            name=request.unknown_site,
            sites=ctx.site_names(),
        )
    if request.bad_period:
        raise UserError(N_("This period ends before it starts: which dates did you mean?"))
    start, end = (request.start, request.end) if request.start else current_month(ctx.today)
    assert start is not None and end is not None
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise UserError(N_("That period is too long: two years at most, please."))
    check_period(start, end)
    site = None if request.all_sites else _site(ctx, request)
    if site is None:
        await require(ctx, Permission.ADMIN)
    else:
        await require(ctx, Permission.SITE_MANAGER, site)
    comparison = await ctx.storage.occupancy(site, start, end, ctx.settings.retention_days)
    builder = summary(ctx, comparison)
    current = comparison.current
    png = await asyncio.to_thread(occupancy_png, current, ctx.tr)
    files = (
        Attachment(export_name(current, "png"), "image/png", png, "image", *CHART_SIZE),
        Attachment(export_name(current, "csv"), "text/csv", csv_bytes(current), "file"),
    )
    return builder, files


def _site(ctx: Context, request: ReportRequest) -> str:
    """The site named, else the one site the sender manages, else their default site."""
    if request.site:
        return request.site
    managed = [s.name for s in ctx.sites if ctx.member.matrix_id in s.managers]
    if len(managed) == 1:
        return managed[0]
    return ctx.require_site(None)


def summary(ctx: Context, comparison: Comparison) -> ReplyBuilder:
    """The short text of the answer."""
    tr, current = ctx.tr, comparison.current
    builder = ctx.reply().say(
        N_("📊 Occupancy of {site}, {period}: {occupancy} ({trend} against the previous period)."),
        strong=("site", "occupancy"),
        site=current.site or tr.gettext(ALL_SITES),
        period=period_label(tr, current.start, current.end),
        occupancy=percent(tr, current.occupancy),
        trend=trend_text(tr, comparison),
    )
    peak = current.peak
    if peak is not None:
        builder.item(
            N_("Peak: {day} ({occupancy}); {days} day(s) at 100 %; {full} “full” answer(s)."),
            day=tr.day(peak[0]),
            occupancy=percent(tr, peak[1]),
            days=current.full_days,
            full=current.full_answers,
        )
    builder.item(
        N_("No-shows: {released} ({rate}); check-ins: {checked_in}; cancellations: {cancelled}."),
        released=current.released,
        rate=percent(tr, current.no_show_rate),
        checked_in=current.checked_in,
        cancelled=current.cancelled_by_agents,
    )
    builder.item(
        N_("Agents who came: {agents}; taux de foisonnement: {ratio} ({desks} desks)."),
        agents=agents_text(current),
        ratio=ratio_text(tr, current.foisonnement),
        desks=current.desks,
    )
    if current.clamped_from is not None:
        builder.say(N_("(Bookings before {day} are past the retention period.)"),
                    day=tr.day_with_year(current.start))  # fmt: skip
    return builder


def default_period(today: date) -> tuple[date, date]:
    return current_month(today)
