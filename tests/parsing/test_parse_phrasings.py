"""Phrasings a new user typed that the parser got wrong (issue 10, third pass), each fixed by a
general rule, with variants: a polite request to get a desk acts, a verb missing its silent
final letter is that verb, an elision typed without its apostrophe is one, a date only set
aside books nothing, weekdays listed in the order of the week are read in that order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from bot.parsing import parse
from tests.parsing.cases import SITES, comparable, expect

MON = datetime(2026, 11, 23, 9, 0)  # a Monday
WED = datetime(2026, 11, 25, 9, 0)

_NANTES_TUE = {"site": "Nantes", "dates": ["24/11"], "slot": "day"}
CASES: list[tuple[datetime, str, dict[str, Any]]] = [
    # a polite request to get a desk, however it is typed, books (it asks nothing)
    (MON, "jpeux avoir un bureau a nantes demain ?", expect("reserve", **_NANTES_TUE)),
    (MON, "j'peux avoir un bureau a nantes demain ?", expect("reserve", **_NANTES_TUE)),
    (MON, "je peux avoir un bureau à Nantes demain ?", expect("reserve", **_NANTES_TUE)),
    (MON, "tu peux me trouver un bureau a nantes demain ?", expect("reserve", **_NANTES_TUE)),
    (MON, "vous pouvez me réserver un bureau à Nantes demain ?", expect("reserve", **_NANTES_TUE)),
    (MON, "est-ce que jpeux avoir un bureau a nantes demain ?", expect("reserve", **_NANTES_TUE)),
    (MON, "puis-je avoir un poste à Nantes demain ?", expect("reserve", **_NANTES_TUE)),
    (MON, "can I get a desk in Nantes tomorrow?", expect("reserve", **_NANTES_TUE)),
    # ... but asking whether there is one is a question
    (MON, "est-ce qu'il y a un bureau à Nantes demain ?", expect("free", **_NANTES_TUE)),
    (MON, "il reste un bureau à Nantes demain ?", expect("free", **_NANTES_TUE)),
    # SMS "px", an elision typed without its apostrophe ("davoir", "dune")
    (MON, "tu px me reserver un poste a nantes demain stp", expect("reserve", **_NANTES_TUE)),
    (MON, "c possible davoir une place a nantes demain", expect("reserve", **_NANTES_TUE)),
    (MON, "besoin dune place a nantes demain", expect("reserve", **_NANTES_TUE)),
    # a first- or second-person verb missing its silent final letter
    (MON, "je vien a nantes jeudi", expect("reserve", site="Nantes", dates=["26/11"], slot="day")),
    (MON, "jvien a nantes jeudi", expect("reserve", site="Nantes", dates=["26/11"], slot="day")),
    (MON, "je veu un bureau a nantes jeudi", expect("reserve", site="Nantes", dates=["26/11"],
                                                   slot="day")),
    (MON, "tu peu me reserver un bureau a nantes jeudi", expect("reserve", site="Nantes",
                                                              dates=["26/11"], slot="day")),
    (MON, "je vien pas jeudi", expect("cancel", dates=["26/11"])),
    # a date only set aside asks for nothing (a follow-up may take it out of the last change)
    (MON, "finalement pas demain", expect("unknown", error="nothing_asked")),
    (MON, "pas demain", expect("unknown", error="nothing_asked")),
    (MON, "non, pas jeudi", expect("unknown", error="nothing_asked")),
    (MON, "bon ben finalement pas lundi", expect("unknown", error="nothing_asked")),
    (MON, "actually not tomorrow", expect("unknown", error="nothing_asked")),
    (MON, "demain, pas jeudi", expect("reserve", dates=["24/11"], slot="day")),
    (MON, "pas demain mais jeudi", expect("reserve", dates=["26/11"], slot="day")),
    (MON, "pas là demain", expect("cancel", dates=["24/11"])),
    # weekdays listed in the order of the week: in that order, in the week of the first
    (MON, "tt lundi et mardi", expect("status", dates=["30/11", "1/12"], slot="day",
                                      status="remote")),
    (MON, "réserve à Nantes lundi, mardi et jeudi", expect("reserve", site="Nantes",
                                                         dates=["30/11", "1/12", "3/12"],
                                                         slot="day")),
    (MON, "réserve à Nantes mardi et jeudi", expect("reserve", site="Nantes",
                                                  dates=["24/11", "26/11"], slot="day")),
    (WED, "réserve à Nantes mardi et jeudi", expect("reserve", site="Nantes",
                                                  dates=["1/12", "3/12"], slot="day")),
    (WED, "réserve à Nantes jeudi et mardi", expect("reserve", site="Nantes",
                                                  dates=["26/11", "1/12"], slot="day")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("now", "text", "expected"), CASES, ids=[f"{n:%a}:{t}" for n, t, _ in CASES]
)
def test_phrasing(now: datetime, text: str, expected: dict[str, Any]) -> None:
    assert comparable(parse(text, now, SITES).to_json()) == expected
