"""Short answers to the bot's own questions ("Sur quel site ?", "Pour quel jour ?"), read by
`parse_answer`: what each piece is, and whether nothing else was said (`bare`)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.parsing import KnownSite
from bot.parsing.answers import parse_answer

NOW = datetime(2026, 12, 7, 9, 0)  # a Monday
SITES = [
    KnownSite("Lille", ("Lille Europe",)),
    KnownSite("Metz", ("Metz Lizé", "Lizé")),
    KnownSite("Paris Balard", ()),
    KnownSite("Paris Bercy", ()),
]


@pytest.mark.parametrize(
    ("text", "site"),
    [("Lille", "Lille"), ("lille", "Lille"), ("Lilel", "Lille"), ("à Metz", "Metz"),
     ("Lizé", "Metz"), ("Balard", "Paris Balard")],
)  # fmt: skip
def test_a_site_alone_is_that_site(text: str, site: str) -> None:
    answer = parse_answer(text, NOW, SITES)
    assert (answer.site, answer.bare) == (site, True)


@pytest.mark.parametrize(
    ("text", "candidates"),
    # one edit from "Lille" and from Metz's alias "Lizé" (bot.dialogue reads a bare "lile"
    # answer to "which site?" as "à lile")
    [("à lile", ("Lille", "Metz")), ("à paris", ("Paris Balard", "Paris Bercy"))],
)  # fmt: skip
def test_a_place_close_to_several_sites_is_an_ambiguous_site_not_nothing(
    text: str, candidates: tuple[str, ...]
) -> None:
    answer = parse_answer(text, NOW, SITES)
    assert answer.site is None
    assert answer.site_candidates == candidates
    assert answer.site_typed and answer.bare


@pytest.mark.parametrize(
    "text", ["demain", "le premier", "tous", "les deux", "mardi matin", "lundi prochain"]
)
def test_other_answers_name_no_site(text: str) -> None:
    answer = parse_answer(text, NOW, SITES)
    assert (answer.site, answer.site_typed, answer.site_candidates) == (None, None, ())
    assert answer.bare


def test_a_date_answer_reads_its_day() -> None:
    assert parse_answer("demain", NOW, SITES).dates == (date(2026, 12, 8),)


@pytest.mark.parametrize("text", ["je sais pas", "oui", "réserve une salle"])
def test_a_sentence_is_no_bare_answer(text: str) -> None:
    assert not parse_answer(text, NOW, SITES).bare
