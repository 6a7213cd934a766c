"""Owned desks in a sentence (issue 12, section 3): a table, like test_parse_table."""

from __future__ import annotations

from typing import Any

import pytest

from bot.parsing import parse
from tests.parsing.cases import SITES, SUN, comparable, days, expect

JEAN = "@jean.dupont:agent.x.fr"
CASES: list[tuple[str, dict[str, Any]]] = [
    (f"attribue le bureau B-12 à {JEAN}", expect("assign_desk", desk="B-12", text=JEAN)),
    (
        f"attribue le bureau B-12 de Metz à {JEAN}",
        expect("assign_desk", site="Metz", desk="B-12", text=JEAN),
    ),
    (f"assign desk B-12 to {JEAN}", expect("assign_desk", desk="B-12", text=JEAN)),
    ("attribue le bureau B-12 à Jean", expect("assign_desk", desk="B-12")),
    ("B-12 n'est plus attribué", expect("unassign_desk", desk="B-12")),
    ("le bureau B-12 n’est plus attribué", expect("unassign_desk", desk="B-12")),
    ("désattribue le bureau B-12", expect("unassign_desk", desk="B-12")),
    ("desk B-12 is no longer assigned", expect("unassign_desk", desk="B-12")),
    (
        "je prête mon bureau du 7 au 11 décembre",
        expect("lend_desk", dates=days("7/12", "11/12"), slot="day"),
    ),
    ("mon bureau est libre vendredi", expect("lend_desk", dates=["27/11"], slot="day")),
    ("mon bureau est libre vendredi matin", expect("lend_desk", dates=["27/11"], slot="am")),
    ("I lend my desk on Friday", expect("lend_desk", dates=["27/11"], slot="day")),
    ("my desk is free on Friday afternoon", expect("lend_desk", dates=["27/11"], slot="pm")),
    ("je reprends mon bureau vendredi", expect("reclaim_desk", dates=["27/11"], slot="day")),
    ("je ne prête plus mon bureau vendredi", expect("reclaim_desk", dates=["27/11"], slot="day")),
    ("I take my desk back on Friday", expect("reclaim_desk", dates=["27/11"], slot="day")),
    ("qui a mon bureau mardi ?", expect("who_has_desk", dates=["24/11"])),
    ("who has my desk on Tuesday?", expect("who_has_desk", dates=["24/11"])),
    ("qui a mon bureau ?", expect("who_has_desk")),
    # Not about an owned desk: unchanged.
    ("mon bureau est libre vendredi ?", expect("list", dates=["27/11"])),
    (
        "réserve mon bureau habituel à Metz vendredi",
        expect("reserve", site="Metz", dates=["27/11"], slot="day"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[t for t, _ in CASES])
def test_owned_desk_phrasing(text: str, expected: dict[str, Any]) -> None:
    assert comparable(parse(text, SUN, SITES).to_json()) == expected


@pytest.mark.parametrize("text", [t for t, _ in CASES[:-2] if "Jean" not in t])
def test_owned_desk_sentences_leave_no_word_unknown(text: str) -> None:
    assert parse(text, SUN, SITES).unknown == ()
