"""Waitlist sentences as agents type them, with or without the apostrophe (issue 12)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.parsing import KnownSite, parse
from storage.domain import Intent

NOW = datetime(2026, 12, 1, 10, 0)  # a Tuesday
SITES = [KnownSite("Lille"), KnownSite("Metz")]
THURSDAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("mets-moi en liste d'attente à Lille jeudi", Intent.WAITLIST_JOIN),
        ("mets moi en liste d attente a lille jeudi", Intent.WAITLIST_JOIN),
        ("mets moi en liste dattente a lille jeudi", Intent.WAITLIST_JOIN),
        ("préviens-moi si une place se libère à Lille jeudi", Intent.WAITLIST_JOIN),
        ("put me on the waiting list in Lille on Thursday", Intent.WAITLIST_JOIN),
        ("ma liste d'attente", Intent.WAITLIST_SHOW),
        ("ma liste d attente", Intent.WAITLIST_SHOW),
        ("retire-moi de la liste d'attente", Intent.WAITLIST_LEAVE),
        ("retire moi de la file d attente", Intent.WAITLIST_LEAVE),
    ],
)
def test_waitlist_sentences(text: str, intent: Intent) -> None:
    parsed = parse(text, NOW, SITES)
    assert parsed.intent is intent, (text, parsed)
    assert parsed.error is None, (text, parsed.error)
    if intent is Intent.WAITLIST_JOIN:
        assert (parsed.site, parsed.dates) == ("Lille", (THURSDAY,)), parsed
