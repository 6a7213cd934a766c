"""Sentences about someone else's booking are asked about (`other_person`), never read as the
sender's; sentences about the sender that mention someone stay as they were. And a capitalised
word inside a sentence is a name, not a typo ("Jeanne Martin" is not "Jeanne matin").

`now` is Sunday 22 November 2026 10:00: Mon 23, Tue 24, Thu 26, Fri 27 November.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.parsing import parse
from tests.parsing.cases import SITES, SUN, comparable, expect

OTHER = ("other_person", [])

CASES: list[tuple[str, dict[str, Any]]] = [
    # --- someone else's booking: French ------------------------------------------------------
    ("annule la réservation de @bob:test mardi", expect("cancel", dates=["24/11"], error=OTHER)),
    ("annule la résa de Bob mardi", expect("cancel", dates=["24/11"], error=OTHER)),
    ("annule la résa de bob mardi", expect("cancel", dates=["24/11"], error=OTHER)),
    ("ANNULE LA RESA DE BOB MARDI", expect("cancel", dates=["24/11"], error=OTHER)),
    (
        "supprime la réservation de Jeanne Martin jeudi",
        expect("cancel", dates=["26/11"], error=OTHER),
    ),
    (
        "supprime la réservation de Jeanne Martin jeudi matin",
        expect("cancel", dates=["26/11"], slot="am", error=OTHER),
    ),
    ("libère le bureau de Paul demain", expect("cancel", dates=["23/11"], error=OTHER)),
    (
        "réserve un bureau pour Jeanne demain à Metz",
        expect("reserve", site="Metz", dates=["23/11"], slot="day", error=OTHER),
    ),
    (
        "réserve un bureau pour Jeanne demain",
        expect("reserve", dates=["23/11"], slot="day", error=OTHER),
    ),
    (
        "réserve un bureau à Metz mardi matin pour Martin",
        expect("reserve", site="Metz", dates=["24/11"], slot="am", error=OTHER),
    ),
    (
        "réserve le poste de Jeanne Martin jeudi matin à Lille",
        expect("reserve", site="Lille", dates=["26/11"], slot="am", error=OTHER),
    ),
    (
        "réserve à Metz mardi au nom de Jeanne Martin",
        expect("reserve", site="Metz", dates=["24/11"], slot="day", error=OTHER),
    ),
    (
        "je viens à la place de Jeanne mardi à Metz",
        expect("reserve", site="Metz", dates=["24/11"], slot="day", error=OTHER),
    ),
    (
        "réserve pour mon collègue demain à Metz",
        expect("reserve", site="Metz", dates=["23/11"], slot="day", error=OTHER),
    ),
    (
        "réserve pour lui demain à Metz",
        expect("reserve", site="Metz", dates=["23/11"], slot="day", error=OTHER),
    ),
    (
        "inscris Paul à Metz jeudi",
        expect("reserve", site="Metz", dates=["26/11"], slot="day", error=OTHER),
    ),
    (
        "mets Paul en télétravail vendredi",
        expect("status", dates=["27/11"], slot="day", status="remote", error=OTHER),
    ),
    (
        "mets Jeanne Martin en congé lundi",
        expect("status", dates=["23/11"], slot="day", status="leave", error=OTHER),
    ),
    (
        "Paul sera en télétravail vendredi",
        expect("status", dates=["27/11"], slot="day", status="remote", error=OTHER),
    ),
    (
        "est-ce que Paul est là demain à Metz ?",  # a question about Paul (issue 10)
        expect("who", site="Metz", dates=["23/11"]),
    ),
    ("montre les réservations de Paul", expect("list", error=OTHER)),
    ("liste les réservations de Jeanne", expect("list", error=OTHER)),
    # --- someone else's booking: English ------------------------------------------------------
    ("cancel Bob's booking on Tuesday", expect("cancel", dates=["24/11"], error=OTHER)),
    ("cancel Jeanne Martin's booking tomorrow", expect("cancel", dates=["23/11"], error=OTHER)),
    (
        "cancel the booking of @jeanne.martin:agent.tchap.gouv.fr on Monday",
        expect("cancel", dates=["23/11"], error=OTHER),
    ),
    (
        "book a desk for @paul:x.fr tomorrow",
        expect("reserve", dates=["23/11"], slot="day", error=OTHER),
    ),
    ("book a desk for Jane tomorrow", expect("reserve", dates=["23/11"], slot="day", error=OTHER)),
    (
        "book a desk for my boss tomorrow",
        expect("reserve", dates=["23/11"], slot="day", error=OTHER),
    ),
    (
        "book a desk in Lille on Friday on behalf of Paul",
        expect("reserve", site="Lille", dates=["27/11"], slot="day", error=OTHER),
    ),
    (
        "book Paul a desk in Metz tomorrow",
        expect("reserve", site="Metz", dates=["23/11"], slot="day", error=OTHER),
    ),
    (
        "put Bob on leave on Friday",
        expect("status", dates=["27/11"], slot="day", status="leave", error=OTHER),
    ),
    (
        "Bob is working from home on Friday",
        expect("status", dates=["27/11"], slot="day", status="remote", error=OTHER),
    ),
    ("show Bob's bookings", expect("list", error=OTHER)),
    # --- about the sender, with someone around: unchanged -----------------------------------
    (
        "je viens avec Paul mardi à Metz",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    (
        "je serai à Metz jeudi avec Martin",
        expect("reserve", site="Metz", dates=["26/11"], slot="day"),
    ),
    (
        "je suis en télétravail vendredi avec Paul",
        expect("status", dates=["27/11"], slot="day", status="remote"),
    ),
    (
        "réserve à côté de Paul demain à Metz",
        expect("reserve", site="Metz", dates=["23/11"], slot="day"),
    ),
    (
        "I'm coming with Bob to Metz on Tuesday",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    (
        "book a desk for me tomorrow in Metz",
        expect("reserve", site="Metz", dates=["23/11"], slot="day"),
    ),
    (
        "réserve un bureau pour demain à Metz",
        expect("reserve", site="Metz", dates=["23/11"], slot="day"),
    ),
    ("annule ma réservation de mardi", expect("cancel", dates=["24/11"])),
    # A meeting with someone books nothing and names nobody's booking: not understood, as before.
    ("réunion avec Jeanne demain à Metz", expect("unknown", error="not_understood")),
    # Saying where someone else will be is not a command (as before), not an other_person.
    ("Jeanne Martin sera à Metz mardi", expect("unknown", error="not_understood")),
    (
        "nomme @jeanne:test responsable de Metz",
        expect("appoint", site="Metz", text="@jeanne:test"),
    ),
    ("qui est là demain à Metz ?", expect("who", site="Metz", dates=["23/11"])),
    ("who is in Metz with Bob tomorrow?", expect("who", site="Metz", dates=["23/11"])),
    ("mes réservations", expect("list")),
    ("réserve pour Noël à Metz", expect("reserve", site="Metz", slot="day", error="vague_date")),
    # --- a capitalised word inside a sentence is a name, not a typo --------------------------
    ("annule ma résa de jeudi Martin", expect("cancel", dates=["26/11"])),
    ("réserve à Lille jeudi Matni", expect("reserve", site="Lille", dates=["26/11"], slot="day")),
    # ... but ALL-CAPS messages, a capitalised first word and weekday typos are still corrected
    ("ANULLE MA RESA MARDI MATNI", expect("cancel", dates=["24/11"], slot="am")),
    ("Anulle ma résa mardi", expect("cancel", dates=["24/11"])),
    ("cancel my booking on Tuesdy", expect("cancel", dates=["24/11"])),
    ("annule ma résa Mardy", expect("cancel", dates=["24/11"])),
    (
        "réserve à Metz mardi. Matni si possible",
        expect("reserve", site="Metz", dates=["24/11"], slot="am"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_people(text: str, expected: dict[str, Any]) -> None:
    assert comparable(parse(text, SUN, SITES).to_json()) == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("annule la réservation de @bob:test mardi", "@bob:test"),
        ("supprime la réservation de Jeanne Martin jeudi", "Jeanne Martin"),
        ("cancel Jeanne Martin's booking tomorrow", "Jeanne Martin"),
        ("réserve pour mon collègue demain à Metz", "mon collègue"),
        ("mets Paul en télétravail vendredi", "Paul"),
        ("annule la résa de bob mardi", "bob"),
    ],
)
def test_the_name_is_given_as_written(text: str, name: str) -> None:
    error = parse(text, SUN, SITES).error
    assert error is not None and error.code == "other_person"
    assert error.params == {"name": name}


def test_other_person_message_in_both_languages() -> None:
    error = parse("annule la résa de Bob mardi", SUN, SITES).error
    assert error is not None
    assert error.message("fr") == (
        "Je ne gère que vos propres réservations : demandez à Bob de m’écrire (un responsable"
        " de site peut fermer un site ; personne ne peut annuler la réservation d’un autre)."
    )
    assert error.message("en") == (
        "I only handle your own bookings: ask Bob to write to me (a site manager can close a"
        " site; nobody can cancel someone else's booking)."
    )
    mine = parse("réserve pour mon collègue demain à Metz", SUN, SITES).error
    assert mine is not None and "demandez à votre collègue de" in mine.message("fr")
    them = parse("réserve pour lui demain à Metz", SUN, SITES).error
    assert them is not None and "demandez à cette personne de" in them.message("fr")
