"""Occupancy figures as people read them: the summary rows, the short chat text, the CSV.

Privacy (issue 13 §4): only aggregates; a count of distinct agents under 5 is shown as "< 5" and
the *taux de foisonnement* is then hidden too (it would give the count away).
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from babel.numbers import format_decimal, format_percent

from bot.charts import ALL_SITES, period_label
from bot.i18n import N_, Translator

if TYPE_CHECKING:
    from storage.stats import Comparison, PeriodFigures

CSV_COLUMNS = (
    "day", "site", "desks", "booked_half_days", "available_half_days", "occupancy",
    "checked_in", "released", "full_answers", "waiters_served", "cancelled_by_agents", "closed",
)  # fmt: skip
DASH = "—"

ROW_LABELS = {
    "occupancy": N_("occupancy"),
    "booked": N_("booked desk-half-days"),
    "available": N_("available desk-half-days"),
    "peak": N_("peak day"),
    "full_days": N_("days at 100 %"),
    "full_answers": N_("“full” answers"),
    "waiters": N_("waiters served"),
    "checked_in": N_("check-ins"),
    "released": N_("no-shows (released)"),
    "no_show_rate": N_("no-show rate"),
    "cancelled": N_("cancellations by agents"),
    "agents": N_("distinct agents who came"),
    "desks": N_("active desks"),
    "foisonnement": N_("taux de foisonnement"),
}


def percent(tr: Translator, value: float | None) -> str:
    return DASH if value is None else format_percent(value, "#,##0 %", locale=tr.locale)


def agents_text(figures: PeriodFigures) -> str:
    shown = figures.agents_shown
    return "< 5" if shown is None else str(shown)


def ratio_text(tr: Translator, value: float | None) -> str:
    return DASH if value is None else format_decimal(value, "#,##0.00", locale=tr.locale)


def values(figures: PeriodFigures, tr: Translator) -> dict[str, str]:
    """Each summary figure of a period, rendered."""
    peak = figures.peak
    return {
        "occupancy": percent(tr, figures.occupancy),
        "booked": str(figures.booked),
        "available": str(figures.available),
        "peak": DASH if peak is None else f"{tr.short_day(peak[0])} ({percent(tr, peak[1])})",
        "full_days": str(figures.full_days),
        "full_answers": str(figures.full_answers),
        "waiters": str(figures.waiters_served),
        "checked_in": str(figures.checked_in),
        "released": str(figures.released),
        "no_show_rate": percent(tr, figures.no_show_rate),
        "cancelled": str(figures.cancelled_by_agents),
        "agents": agents_text(figures),
        "desks": str(figures.desks),
        "foisonnement": ratio_text(tr, figures.foisonnement),
    }


def summary_rows(comparison: Comparison, tr: Translator) -> list[tuple[str, str, str]]:
    """(label, this period, previous period) for every figure."""
    now, before = values(comparison.current, tr), values(comparison.previous, tr)
    return [(tr.gettext(label), now[key], before[key]) for key, label in ROW_LABELS.items()]


def summary_table(comparison: Comparison, tr: Translator) -> str:
    """The command line's table."""
    current, previous = comparison.current, comparison.previous
    header = (
        "",
        period_label(tr, current.start, current.end),
        period_label(tr, previous.start, previous.end),
    )
    rows = [header, *summary_rows(comparison, tr)]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:>{widths[2]}}" for row in rows
    ]
    site = current.site or tr.gettext(ALL_SITES)
    return "\n".join([site, *lines])


def trend_text(tr: Translator, comparison: Comparison) -> str:
    """ "+12 points", "−3 points", "=" or a dash, against the previous period."""
    trend = comparison.trend
    if trend is None:
        return DASH
    points = round(trend * 100)
    if points == 0:
        return tr.gettext(N_("stable"))
    sign = "+" if points > 0 else "−"
    return tr.gettext(N_("{sign}{points} points"), sign=sign, points=abs(points))


def csv_bytes(figures: PeriodFigures) -> bytes:
    """One row per site and day (UTF-8, comma-separated, occupancy as a fraction)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for day in sorted(figures.days, key=lambda d: (d.day, d.site)):
        occupancy = day.occupancy
        writer.writerow(
            (
                day.day.isoformat(),
                day.site,
                day.desks,
                day.booked_half_days,
                day.available_half_days,
                "" if occupancy is None else f"{occupancy:.4f}",
                day.checked_in,
                day.released,
                day.full_answers,
                day.waiters_served,
                day.cancelled_by_agents,
                day.closed or "",
            )
        )
    return out.getvalue().encode("utf-8")


def export_name(figures: PeriodFigures, extension: str) -> str:
    """ "occupation-metz-2026-11-09-2026-11-13.png"."""
    from storage.names import fold_name

    site = fold_name(figures.site or "tous-les-sites").replace(" ", "-") or "site"
    return f"occupation-{site}-{figures.start.isoformat()}-{figures.end.isoformat()}.{extension}"
