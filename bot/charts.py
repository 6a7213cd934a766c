"""The occupancy chart: a PNG readable on a phone (matplotlib, Agg backend, no pyplot state).

Top: occupancy per day as bars, with the capacity (100 %) as a line; bottom: occupancy per
weekday. Colours from the Okabe–Ito palette (distinguishable with every common colour-vision
deficiency); labels translated, dates and percentages by Babel; the site and the period in the
title. Pure: figures in, PNG bytes out (run it in a thread from async code).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from babel.dates import format_date
from babel.numbers import format_percent

from bot.i18n import N_, Translator

if TYPE_CHECKING:
    from datetime import date

    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

    from storage.stats import PeriodFigures

# Okabe & Ito (2008): blue, vermillion, orange, bluish green; black for the capacity line.
BLUE = "#0072B2"
VERMILLION = "#D55E00"
ORANGE = "#E69F00"
GREEN = "#009E73"
BLACK = "#000000"
GREY = "#555555"
WIDTH_IN, HEIGHT_IN, DPI = 8.0, 9.0, 110  # 880 × 990 px: a phone screen's width, full height
MAX_DAY_LABELS = 12

ALL_SITES = N_("every site")
TITLE = N_("Occupancy — {site}")
PER_DAY = N_("Occupancy per day")
PER_WEEKDAY = N_("Occupancy per weekday")
CAPACITY = N_("capacity")
AT_FULL = N_("full (100 %)")
NO_DATA = N_("No open day in this period.")
CLOSED = N_("closed")


def period_label(tr: Translator, start: date, end: date) -> str:
    """ "9 – 13 nov. 2026", the period as the title shows it."""
    if start == end:
        return format_date(start, "d MMM y", locale=tr.locale)
    return (
        f"{format_date(start, 'd MMM', locale=tr.locale)} – "
        f"{format_date(end, 'd MMM y', locale=tr.locale)}"
    )


def occupancy_png(figures: PeriodFigures, tr: Translator) -> bytes:
    """The chart of one period's figures, as PNG bytes."""
    # matplotlib is imported here, not with the module: it costs ~27 MB and ~0.5 s at start,
    # and only a statistics request draws (the bot's RSS at restart is a target, issue 15).
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    site = figures.site or tr.gettext(ALL_SITES)
    # Fixed margins: a constrained layout would cost as much as drawing the whole chart.
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    fig.subplots_adjust(left=0.11, right=0.97, top=0.84, bottom=0.05, hspace=0.42)
    FigureCanvasAgg(fig)
    fig.suptitle(
        f"{tr.gettext(TITLE, site=site)}\n{period_label(tr, figures.start, figures.end)}",
        fontsize=18,
        fontweight="bold",
    )
    top, bottom = fig.subplots(2, 1, gridspec_kw={"height_ratios": (3, 2)})
    percent = FuncFormatter(lambda value, _: format_percent(value, "#,##0 %", locale=tr.locale))
    daily = _chart_days(figures)
    if not any(available for _, _, available, _ in daily):
        top.text(0.5, 0.5, tr.gettext(NO_DATA), ha="center", va="center", fontsize=15)
        top.set_axis_off()
        bottom.set_axis_off()
        return _png(fig)
    xs = list(range(len(daily)))
    values = [occupancy or 0.0 for _, _, _, occupancy in daily]
    colours = [VERMILLION if value >= 1.0 else BLUE for value in values]
    top.bar(xs, values, color=colours, width=0.8)
    closed = tr.gettext(CLOSED)
    for x, (_, _, available, _) in zip(xs, daily):
        if not available:  # a holiday or a closure: no capacity that day
            top.text(
                x, 0.02, closed, rotation=90, ha="center", va="bottom", fontsize=12, color=GREY
            )
    handles: list[Artist] = [
        Line2D([], [], color=BLACK, linewidth=2, linestyle="--", label=tr.gettext(CAPACITY))
    ]
    top.axhline(1.0, color=BLACK, linewidth=2, linestyle="--")
    if any(value >= 1.0 for value in values):
        handles.append(Patch(color=VERMILLION, label=tr.gettext(AT_FULL)))
    top.set_title(tr.gettext(PER_DAY), fontsize=15, loc="left")
    top.set_ylim(0, 1.1)
    top.yaxis.set_major_formatter(percent)
    step = max(1, -(-len(daily) // MAX_DAY_LABELS))
    top.set_xticks(xs[::step])
    top.set_xticklabels(
        [format_date(day, "EEE d", locale=tr.locale) for day, *_ in daily][::step],
        rotation=45 if len(daily) > 6 else 0,
        ha="right" if len(daily) > 6 else "center",
    )
    top.legend(
        handles=handles,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=12,
        ncols=2,
        frameon=False,
    )
    weekdays = figures.by_weekday()
    names = [_weekday_name(tr, weekday) for weekday in weekdays]
    bars = bottom.bar(names, list(weekdays.values()), color=GREEN, width=0.7)
    bottom.bar_label(
        bars,
        labels=[format_percent(v, "#,##0 %", locale=tr.locale) for v in weekdays.values()],
        fontsize=13,
        padding=3,
    )
    bottom.set_title(tr.gettext(PER_WEEKDAY), fontsize=15, loc="left")
    bottom.set_ylim(0, 1.2)
    bottom.yaxis.set_major_formatter(percent)
    for axes in (top, bottom):
        axes.tick_params(labelsize=13)
        axes.grid(axis="y", alpha=0.3)
        axes.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def _chart_days(figures: PeriodFigures) -> list[tuple[date, int, int, float | None]]:
    """The days on the chart: those with capacity, and holidays and closures (shown closed);
    weekly closed days (weekends) are left out."""
    closed = {d.day for d in figures.days if d.closed in ("holiday", "closure")}
    out: list[tuple[date, int, int, float | None]] = []
    for day, booked, available in figures.by_day:
        if available > 0:
            out.append((day, booked, available, min(1.0, booked / available)))
        elif day in closed:
            out.append((day, booked, 0, None))
    return out


def _weekday_name(tr: Translator, weekday: int) -> str:
    from babel.dates import get_day_names

    return str(get_day_names("abbreviated", locale=tr.locale)[weekday])


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return out.getvalue()
