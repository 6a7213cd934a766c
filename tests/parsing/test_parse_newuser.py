"""Phrasings found by trying the demo as a new user would (session 3)."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.parsing import KnownSite, parse
from storage.domain import Intent

SITES = [KnownSite(n) for n in ("Metz", "Nantes", "Lille")]
TUESDAY = datetime(2026, 11, 24, 10, 0)


@pytest.mark.parametrize(
    "text",
    [
        "annule tout",
        "annule toutes mes réservations",
        "cancel all my bookings",
        "cancel everything",
    ],
)
def test_cancelling_everything_says_so(text: str) -> None:
    command = parse(text, TUESDAY, SITES)
    assert command.intent is Intent.CANCEL
    assert command.every and command.dates == ()
    assert command.unknown == ()


@pytest.mark.parametrize("text", ["annule ma résa", "annule tout jeudi", "annule ça"])
def test_other_cancellations_are_not_everything(text: str) -> None:
    assert not parse(text, TUESDAY, SITES).every


@pytest.mark.parametrize(
    "text", ["what do I have?", "what have I got this week?", "qu'est-ce que j'ai ?",
             "est-ce que j'ai quelque chose demain ?"],
)  # fmt: skip
def test_what_do_i_have_lists(text: str) -> None:
    assert parse(text, TUESDAY, SITES).intent is Intent.LIST


@pytest.mark.parametrize("text", ["ok réserve", "super, réserve à Metz demain", "Ok réserve"])
def test_a_filler_is_nobodys_name(text: str) -> None:
    command = parse(text, TUESDAY, SITES)
    assert command.intent is Intent.RESERVE
    assert command.error is None or command.error.code != "other_person"


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("réserve 2 places à Metz vendredi", "2"),
        ("réserve deux bureaux à Metz vendredi", "2"),
        ("réserve un bureau pour 3 personnes à Metz vendredi", "3"),
        ("book two desks in Metz on Friday", "2"),
    ],
)
def test_several_desks_are_refused_not_shrunk_to_one(text: str, count: str) -> None:
    command = parse(text, TUESDAY, SITES)
    assert command.error is not None and command.error.code == "several_desks"
    assert command.error.params == {"count": count}


@pytest.mark.parametrize(
    "text", ["réserve une place à Metz vendredi", "réserve à Metz pour 2 jours cette semaine"]
)
def test_one_desk_or_a_count_of_days_is_no_several_desks(text: str) -> None:
    error = parse(text, TUESDAY, SITES).error
    assert error is None or error.code != "several_desks"
