"""Table: the sentences asking for statistics, calendar links and weeks (bot.parsing.reports)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.parsing.model import KnownSite
from bot.parsing.reports import parse_report

NOW = datetime(2026, 12, 1, 10, 0)  # a Tuesday
SITES = [
    KnownSite("Metz", ("Metz Lizé",)),
    KnownSite("Nantes"),
    KnownSite("Saint-Étienne"),
    KnownSite("Paris Balard", ("Balard",)),
]
NOV = (date(2026, 11, 1), date(2026, 11, 30))
WEEK = (date(2026, 11, 30), date(2026, 12, 6))


@pytest.mark.parametrize(
    ("text", "kind", "site", "all_sites", "period", "lang"),
    [
        ("stats de Metz", "stats", "Metz", False, (None, None), "fr"),
        ("taux d'occupation de Nantes en novembre", "stats", "Nantes", False, NOV, "fr"),
        ("Taux d’occupation de Saint-Étienne en novembre", "stats", "Saint-Étienne", False, NOV,
         "fr"),
        ("statistiques de tous les sites le mois dernier", "stats", None, True, NOV, "fr"),
        ("occupation de la semaine", "stats", None, False, WEEK, "fr"),
        ("les stats de Balard en octobre 2025", "stats", "Paris Balard", False,
         (date(2025, 10, 1), date(2025, 10, 31)), "fr"),
        ("stats de Metz du 01/11/2026 au 15/11/2026", "stats", "Metz", False,
         (date(2026, 11, 1), date(2026, 11, 15)), "fr"),
        ("stats for Metz", "stats", "Metz", False, (None, None), "en"),
        ("occupancy of Nantes in November", "stats", "Nantes", False, NOV, "en"),
        ("statistics for all sites last month", "stats", None, True, NOV, "en"),
        ("occupancy this week", "stats", None, False, WEEK, "en"),
        ("mon agenda", "calendar", None, False, (None, None), "fr"),
        ("lien calendrier", "calendar", None, False, (None, None), "fr"),
        ("my calendar", "calendar", None, False, (None, None), "en"),
        ("nouveau lien agenda", "calendar_renew", None, False, (None, None), "fr"),
        ("new calendar link", "calendar_renew", None, False, (None, None), "en"),
        ("ma semaine", "my_week", None, False, (None, None), "fr"),
        ("my week", "my_week", None, False, (None, None), "en"),
        ("planning de la semaine", "team_week", None, False, (None, None), "fr"),
        ("team week", "team_week", None, False, (None, None), "en"),
    ],
)  # fmt: skip
def test_report_requests(text, kind, site, all_sites, period, lang) -> None:
    found = parse_report(text, NOW, SITES)
    assert found is not None, text
    assert (found.kind, found.site, found.all_sites) == (kind, site, all_sites)
    assert (found.start, found.end) == period
    assert found.lang == lang
    assert found.unknown_site is None and not found.bad_period


def test_a_month_not_begun_is_last_years() -> None:
    found = parse_report("stats de Metz en décembre", datetime(2026, 11, 10), SITES)
    assert found is not None
    assert (found.start, found.end) == (date(2025, 12, 1), date(2025, 12, 31))


def test_bad_input_is_reported_not_guessed() -> None:
    reversed_ = parse_report("stats de Metz du 30/11/2026 au 01/11/2026", NOW, SITES)
    assert reversed_ is not None and reversed_.bad_period
    unknown = parse_report("stats de Brest", NOW, SITES)
    assert unknown is not None and unknown.unknown_site == "brest"


@pytest.mark.parametrize(
    "text",
    ["réserve un bureau à Metz mardi", "qui est là demain ?", "mes réservations",
     "annule ma réservation de jeudi", "le bureau est occupé", "aide", "semaine prochaine"],
)  # fmt: skip
def test_other_sentences_are_left_to_the_parser(text: str) -> None:
    assert parse_report(text, NOW, SITES) is None
