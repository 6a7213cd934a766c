"""Desk labels as the sites files write them, and questions about one desk."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.parsing import KnownSite, parse
from storage.domain import Intent

SITES = [KnownSite(n) for n in ("Metz", "Nantes", "Paris Balard")]
TUESDAY = datetime(2026, 11, 24, 10, 0)


@pytest.mark.parametrize(
    ("text", "intent", "desk"),
    [
        # A floor-and-number label ("B3-20", in the example sites file) is one label.
        ("réserve le bureau B3-20 à Paris Balard lundi", Intent.RESERVE, "B3-20"),
        ("annule le B3-20 lundi", Intent.CANCEL, "B3-20"),
        ("réserve A2-114B à Metz jeudi", Intent.RESERVE, "A2-114B"),
        ("réserve le B-12 à Metz jeudi", Intent.RESERVE, "B-12"),
        ("réserve B12 à Metz jeudi", Intent.RESERVE, "B12"),
        # A question about one desk keeps the desk: it is not "who is there" in general.
        ("qui est au bureau B-101 jeudi ?", Intent.WHO, "B-101"),
        ("c'est qui sur le B3-20 lundi ?", Intent.WHO, "B3-20"),
        ("who is at desk B-12 tomorrow?", Intent.WHO, "B-12"),
    ],
)
def test_desk_labels(text: str, intent: Intent, desk: str) -> None:
    command = parse(text, TUESDAY, SITES)
    assert command.intent is intent, command
    assert command.desk == desk
    assert command.unknown == ()
