"""Check-in sentences (issue 12): a first-person sentence of arrival, now, is a check-in; the
same words with a date, a question, a negation or someone else are not."""

from __future__ import annotations

import pytest

from bot.parsing import parse
from storage.domain import Intent
from tests.parsing.cases import SITES, WED

CHECK_INS = [
    "je suis arrivé",
    "je suis arrivée !",
    "Je suis arrivé(e)",
    "je suis bien arrivée au bureau",
    "je suis arrivé à Metz",
    "je suis sur place",
    "je suis là",
    "c'est bon je suis là",
    "check-in",
    "checkin",
    "I'm here",
    "I am here",
    "I have arrived",
    "checked in",
]
NOT_CHECK_INS = [
    ("je serai sur place mardi", Intent.RESERVE),
    ("je suis sur place jeudi", Intent.RESERVE),
    ("je suis là demain", Intent.RESERVE),
    ("qui est sur place ?", Intent.WHO),
    ("Pierre est arrivé", Intent.UNKNOWN),
    ("réserve une place à Metz demain", Intent.RESERVE),
    ("je suis en télétravail", Intent.STATUS),
]


@pytest.mark.parametrize("text", CHECK_INS)
def test_arrival_sentences_check_in(text: str) -> None:
    parsed = parse(text, WED, SITES)
    assert parsed.intent is Intent.CHECK_IN, parsed
    assert parsed.error is None and not parsed.unknown


@pytest.mark.parametrize(("text", "intent"), NOT_CHECK_INS)
def test_other_sentences_are_not_check_ins(text: str, intent: Intent) -> None:
    assert parse(text, WED, SITES).intent is intent


def test_an_unknown_reason_is_reported_not_ignored() -> None:
    parsed = parse("je suis arrivé en retard à cause du train", WED, SITES)
    assert parsed.intent is Intent.CHECK_IN
    assert "train" in parsed.unknown
