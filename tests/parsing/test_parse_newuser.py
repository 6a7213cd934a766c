"""Phrasings found by trying the demo as a new user would (session 3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from bot.parsing import KnownSite, parse
from bot.parsing.answers import parse_answer
from bot.parsing.text import tokenize
from storage.domain import Intent
from tests.parsing.cases import SITES as CASE_SITES
from tests.parsing.cases import WED, comparable, days, expect

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


# --- Session 4: a new user's sentences, each with its whole expected reading ----------------
# `now` is Wednesday 25 November 2026, 14:00 (WED): Thu 26, Fri 27, Mon 30 Nov; Tue 1, Wed 2,
# Thu 3, Fri 4, Mon 7 ... Dec. Each case gives the contract's JSON (as `expect` builds it), the
# phrases reported unknown, and the person asked about. A sentence that cannot be read exactly
# must come back asking (an error, or unknown words that the dialogue asks about), never as a
# confident command with other dates, another site or another intent.
NEXT_WEEK = days("30/11", "4/12")


def _case(
    text: str,
    intent: str,
    unknown: tuple[str, ...] = (),
    person: str | None = None,
    wishes: dict[str, Any] | None = None,
    **fields: Any,
) -> tuple[str, dict[str, Any], tuple[str, ...], str | None, dict[str, Any]]:
    """One sentence: its JSON, unknown phrases, person, desk wishes (features, usual, near)."""
    return text, expect(intent, **fields), unknown, person, wishes or {}


NEW_USER = [
    # the phrasings reported failing
    _case("c'est possible d'avoir un bureau près de la fenêtre à Metz mardi ?", "reserve",
          site="Metz", dates=["1/12"], slot="day", wishes={"features": ("fenetre",)}),
    _case("je peux venir mercredi prochain avec un collègue ?", "free", ("avec un collègue",),
          dates=["2/12"], slot="day"),
    _case("je sreai à Metz mardi", "reserve", site="Metz", dates=["1/12"], slot="day"),
    _case("je vient à Lille lundi", "reserve", site="Lille", dates=["30/11"], slot="day"),
    # polite requests act
    _case("c'est possible d'avoir un bureau à Metz mardi ?", "reserve", site="Metz",
          dates=["1/12"], slot="day"),
    _case("est-ce possible d'avoir une place à Lille jeudi ?", "reserve", site="Lille",
          dates=["26/11"], slot="day"),
    _case("serait-il possible de réserver un poste à Nantes lundi ?", "reserve", site="Nantes",
          dates=["30/11"], slot="day"),
    _case("y a moyen d'avoir un bureau à Metz demain ?", "reserve", site="Metz",
          dates=["26/11"], slot="day"),
    _case("is it possible to book a desk in Metz tomorrow?", "reserve", site="Metz",
          dates=["26/11"], slot="day"),
    _case("Salut, tu me mets à Nantes jeudi ?", "reserve", site="Nantes", dates=["26/11"],
          slot="day"),
    _case("vous me réservez un poste à Lille lundi ?", "reserve", site="Lille",
          dates=["30/11"], slot="day"),
    _case("je pourrais avoir un poste à Lille demain svp ?", "reserve", site="Lille",
          dates=["26/11"], slot="day"),
    _case("est-ce que tu peux me réserver Metz lundi ?", "reserve", site="Metz",
          dates=["30/11"], slot="day"),
    _case("est-ce possible d'annuler ma résa de jeudi ?", "cancel", dates=["26/11"]),
    _case("tu peux supprimer ma réservation de demain ?", "cancel", dates=["26/11"]),
    _case("merci de me réserver un bureau à Metz jeudi", "reserve", site="Metz",
          dates=["26/11"], slot="day"),
    # questions never act
    _case("auriez-vous un bureau de libre à Metz vendredi ?", "free", site="Metz",
          dates=["27/11"], slot="day"),
    _case("il reste de la place à Nantes jeudi ?", "free", site="Nantes", dates=["26/11"],
          slot="day"),
    _case("y a du monde à Metz demain ?", "who", site="Metz", dates=["26/11"]),
    _case("y a-t-il encore des bureaux libres à Lille lundi ?", "free", site="Lille",
          dates=["30/11"], slot="day"),
    _case("reste-t-il des postes à Nantes demain ?", "free", site="Nantes", dates=["26/11"],
          slot="day"),
    _case("c'est complet à Metz jeudi ?", "free", site="Metz", dates=["26/11"], slot="day"),
    _case("des places à Lille demain ?", "free", site="Lille", dates=["26/11"], slot="day"),
    _case("dispo a nantes lundi ?", "free", site="Nantes", dates=["30/11"], slot="day"),
    _case("combien de personnes à Metz jeudi ?", "who", site="Metz", dates=["26/11"]),
    _case("est-ce que je suis inscrit jeudi ?", "list", dates=["26/11"]),
    _case("est-ce que je suis réservé jeudi ?", "list", dates=["26/11"]),
    _case("est-ce que j'ai une résa jeudi ?", "list", dates=["26/11"]),
    _case("qui sera à Lille lundi ?", "who", site="Lille", dates=["30/11"]),
    _case("il y a qui à Lille jeudi ?", "who", site="Lille", dates=["26/11"]),
    _case("je peux venir demain avec mon chien ?", "free", ("avec mon chien",),
          dates=["26/11"], slot="day"),
    _case("any room left in Nantes next Tuesday?", "free", site="Nantes", dates=["1/12"],
          slot="day"),
    _case("is there room in Lille tomorrow?", "free", site="Lille", dates=["26/11"],
          slot="day"),
    # people
    _case("Marc est là demain ?", "who", person="Marc", dates=["26/11"]),
    _case("il est où marc jeudi ?", "who", person="marc", dates=["26/11"]),
    _case("est-ce que karim sera à Lille lundi ?", "who", person="karim", dates=["30/11"]),
    _case("Jeanne Martin est au bureau demain ?", "who", person="Jeanne Martin",
          dates=["26/11"]),
    _case("Sophie sera là jeudi ?", "who", person="Sophie", dates=["26/11"]),
    _case("where is tom tomorrow?", "who", person="tom", dates=["26/11"]),
    _case("is Tom in tomorrow?", "who", person="Tom", dates=["26/11"]),
    # negations and set-asides
    _case("je ne serai pas à Metz jeudi", "cancel", site="Metz", dates=["26/11"]),
    _case("je viendrai plus tard jeudi", "unknown", error="not_understood"),
    _case("je ne viens pas le matin jeudi", "cancel", dates=["26/11"], slot="am"),
    _case("pas le matin, l'après-midi seulement, à Metz jeudi", "reserve", site="Metz",
          dates=["26/11"], slot="pm"),
    _case("pas de télétravail lundi, je serai à Lille", "unknown", error="multiple_commands"),
    _case("mon fils est malade, je serai en télétravail demain", "status", ("mon fils",),
          dates=["26/11"], slot="day", status="remote"),
    _case("je viens demain, mon chef est malade", "reserve", ("mon chef",), dates=["26/11"],
          slot="day"),
    _case("réserve un bureau à Metz jeudi pour une formation", "reserve", site="Metz",
          dates=["26/11"], slot="day"),
    # plural and distributive dates
    _case("les deux prochains lundis à Metz", "reserve", site="Metz", dates=["30/11", "7/12"],
          slot="day"),
    _case("Lille les 3 prochains mardis", "reserve", site="Lille",
          dates=["1/12", "8/12", "15/12"], slot="day"),
    _case("book Metz the next 3 Tuesdays", "reserve", site="Metz",
          dates=["1/12", "8/12", "15/12"], slot="day"),
    _case("réserve à Lille tous les jeudis de décembre", "reserve", site="Lille",
          dates=["3/12", "10/12", "17/12", "24/12", "31/12"], slot="day"),
    _case("réserve à Metz du 7 au 11 décembre sauf mercredi", "reserve", site="Metz",
          dates=["7/12", "8/12", "10/12", "11/12"], slot="day"),
    _case("réserve à Metz du 1er au 11 décembre sauf les vendredis", "reserve", site="Metz",
          dates=["1/12", "2/12", "3/12", "7/12", "8/12", "9/12", "10/12"], slot="day"),
    _case("réserve à Metz du 3 au 7 sauf mercredi", "reserve", site="Metz", slot="day",
          error="vague_date"),
    _case("réserve à Metz du 7 au 11 décembre sauf mercredi prochain", "reserve", site="Metz",
          slot="day", error="vague_date"),
    _case("réserve à Nantes toute la semaine prochaine sauf vendredi", "reserve",
          site="Nantes", dates=NEXT_WEEK[:4], slot="day"),
    _case("réserve Metz toute la semaine sauf lundi et vendredi", "reserve", site="Metz",
          dates=["25/11", "26/11"], slot="day"),
    # weekdays written in the order of the week are read in one week, in that order
    _case("réserve Metz mardi et jeudi prochains", "reserve", site="Metz",
          dates=["1/12", "3/12"], slot="day"),
    _case("réserve Metz lundi et mardi prochains", "reserve", site="Metz",
          dates=["30/11", "1/12"], slot="day"),
    _case("réserve Metz mardi prochain et le suivant", "reserve", site="Metz",
          dates=["1/12", "8/12"], slot="day"),
    _case("réserve à Metz lundi, mardi et mercredi prochains", "reserve", site="Metz",
          dates=["30/11", "1/12", "2/12"], slot="day"),
    _case("réserve Nantes les 3 et 4 décembre", "reserve", site="Nantes",
          dates=["3/12", "4/12"], slot="day"),
    _case("réserve à Metz du lundi 30 au mercredi 2", "reserve", site="Metz",
          dates=["30/11", "1/12", "2/12"], slot="day"),
    _case("réserve Metz chaque vendredi jusqu'à fin décembre", "reserve", site="Metz",
          dates=["27/11", "4/12", "11/12", "18/12", "25/12"], slot="day"),
    _case("réserve à Metz jusqu'aux vacances de Noël", "reserve", site="Metz", slot="day",
          error="vague_date"),
    _case("réserve Metz tous les lundis jusqu'à mes congés", "reserve", site="Metz",
          slot="day", error="vague_date"),
    _case("book Metz every Monday until my holidays", "reserve", site="Metz", slot="day",
          error="vague_date"),
    _case("réserve Metz un jour sur deux", "reserve", site="Metz", slot="day",
          error="vague_date"),
    _case("réserve Metz tous les 15 jours", "reserve", site="Metz", slot="day",
          error="vague_date"),
    _case("réserve à Metz lundi 3", "reserve", site="Metz", slot="day",
          error="date_mismatch"),
    _case("réserve Metz tous les jours ouvrés de la semaine prochaine", "reserve",
          site="Metz", dates=NEXT_WEEK, slot="day"),
    _case("book Lille every weekday next week except Wednesday", "reserve", site="Lille",
          dates=["30/11", "1/12", "3/12", "4/12"], slot="day"),
    _case("je suis en congé jusqu'au 4 décembre", "status",
          dates=["25/11", "26/11", "27/11", *NEXT_WEEK], slot="day", status="leave"),
    # abbreviations, SMS, emoji
    _case("résa Metz dem", "reserve", site="Metz", dates=["26/11"], slot="day"),
    _case("Lille dem aprem", "reserve", site="Lille", dates=["26/11"], slot="pm"),
    _case("Metz ajd aprem", "reserve", site="Metz", dates=["25/11"], slot="pm"),
    _case("réserve Metz lun/mar", "reserve", site="Metz", dates=["30/11", "1/12"],
          slot="day"),
    _case("résa nantes ven mat", "reserve", site="Nantes", dates=["27/11"], slot="am"),
    _case("jsuis à metz dem", "reserve", site="Metz", dates=["26/11"], slot="day"),
    _case("jpeux avoir un bureau a lille ven ?", "reserve", site="Lille", dates=["27/11"],
          slot="day"),
    _case("Lille jeudi 🙏🙏", "reserve", site="Lille", dates=["26/11"], slot="day"),
    _case("Nantes, jeudi et vendredi, merci d'avance", "reserve", site="Nantes",
          dates=["26/11", "27/11"], slot="day"),
    _case("bjr je voudrais un bureau a metz pr demain", "reserve", site="Metz",
          dates=["26/11"], slot="day"),
    # typos
    _case("je serias à Nantes lundi", "reserve", site="Nantes", dates=["30/11"], slot="day"),
    _case("je voudrias un bureau à Lille jeudi", "reserve", site="Lille", dates=["26/11"],
          slot="day"),
    _case("je veins à Lille demain", "reserve", site="Lille", dates=["26/11"], slot="day"),
    _case("reserv Lille demain", "reserve", site="Lille", dates=["26/11"], slot="day"),
    _case("résrve un bureau à Metz jeudi", "reserve", site="Metz", dates=["26/11"],
          slot="day"),
    _case("réserve à Mets jeudi", "reserve", site="Metz", dates=["26/11"], slot="day"),
    _case("réserve Metz mecredi", "reserve", site="Metz", dates=["2/12"], slot="day"),
    # what a person asks of a desk, and clauses nobody taught the bot
    _case("réserve un bureau au 2e étage à Metz jeudi", "reserve", site="Metz",
          dates=["26/11"], slot="day", wishes={"features": ("2 etage",)}),
    _case("un poste avec double écran au 2e à Metz demain", "reserve", site="Metz",
          dates=["26/11"], slot="day", wishes={"features": ("double ecran",)}),
    _case("réserve un bureau avec deux écrans à Lille jeudi", "reserve", site="Lille",
          dates=["26/11"], slot="day", wishes={"features": ("double ecran",)}),
    _case("j'ai besoin d'un bureau calme à Metz jeudi", "reserve", site="Metz",
          dates=["26/11"], slot="day", wishes={"features": ("zone calme",)}),
    _case("I'd like a desk with two screens in Metz tomorrow", "reserve", site="Metz",
          dates=["26/11"], slot="day", wishes={"features": ("double ecran",)}),
    _case("mon bureau habituel à Lille mardi", "reserve", site="Lille", dates=["1/12"],
          slot="day", wishes={"usual": True}),
    _case("je veux le même bureau que d'habitude à Metz lundi", "reserve", site="Metz",
          dates=["30/11"], slot="day", wishes={"usual": True}),
    _case("réserve à Metz demain près de la machine à café", "reserve",
          ("près de la machine à café",), site="Metz", dates=["26/11"], slot="day"),
    _case("je viens à Metz jeudi avec mon chien", "reserve", ("avec mon chien",), site="Metz",
          dates=["26/11"], slot="day"),
    _case("je viens demain avec un collègue", "reserve", ("avec un collègue",),
          dates=["26/11"], slot="day"),
    _case("réserve Metz jeudi, je serai avec des clients", "reserve", ("clients",),
          site="Metz", dates=["26/11"], slot="day"),
    # English
    _case("can I get a desk in Metz on Thursday?", "reserve", site="Metz", dates=["26/11"],
          slot="day"),
    _case("I'll be in Nantes next Monday", "reserve", site="Nantes", dates=["30/11"],
          slot="day"),
    _case("I need a desk in Lille on Thursday afternoon", "reserve", site="Lille",
          dates=["26/11"], slot="pm"),
    _case("can you cancel my booking for Friday?", "cancel", dates=["27/11"]),
    _case("am I booked tomorrow?", "list", ("booked",), dates=["26/11"]),
    _case("my boss is off tomorrow", "unknown", error="not_understood"),
    _case("show me free desks in Lille on Monday", "free", site="Lille", dates=["30/11"],
          slot="day"),
    _case("montre-moi les bureaux libres à Lille lundi", "free", site="Lille",
          dates=["30/11"], slot="day"),
    _case("where will Sophie be on Monday?", "who", person="Sophie", dates=["30/11"]),
    _case("I won't need my desk on Friday", "cancel", dates=["27/11"]),
    _case("book Metz from Monday to Wednesday next week", "reserve", site="Metz",
          dates=["30/11", "1/12", "2/12"], slot="day"),
    _case("book Metz next to Tom tomorrow", "reserve", site="Metz", dates=["26/11"],
          slot="day", wishes={"near": "Tom"}),
    _case("je veux pas de bureau demain", "unknown", error="nothing_asked"),
    # one's own bookings, asked in spoken French (with a booking noun; "places" is a look)
    _case("il me reste quoi comme résa ?", "list"),
    _case("il reste des places à Metz demain ?", "free", site="Metz", dates=["26/11"],
          slot="day"),
    # "je pourrai pas venir": a negated presence, never corrected into the wish "pourrais"
    _case("je pourrai pas venir demain", "cancel", dates=["26/11"]),
    _case("en fait je pourrai pas être là vendredi", "cancel", dates=["27/11"]),
    _case("je pourrai venir à Metz demain", "reserve", site="Metz", dates=["26/11"],
          slot="day"),
    # a signature after the closing formula is no unknown word; a name said otherwise is
    _case("Bonjour, je souhaiterais réserver un poste à Metz jeudi. Cordialement, Jean",
          "reserve", site="Metz", dates=["26/11"], slot="day"),
    _case("réserve à Metz jeudi\nBien à vous,\n\nMarie-Claire Durand\n", "reserve",
          site="Metz", dates=["26/11"], slot="day"),
    _case("réserve à Metz jeudi merci Karim", "reserve", ("Karim",), site="Metz",
          dates=["26/11"], slot="day"),
    # a desk noun, a day and a desk wish, with no verb
    _case("un bureau près de Karim vendredi", "reserve", dates=["27/11"], slot="day",
          wishes={"near": "Karim"}),
    _case("un poste au 2e étage à Metz jeudi", "reserve", site="Metz", dates=["26/11"],
          slot="day", wishes={"features": ("2 etage",)}),
    # a question by its first word, without a question mark
    _case("where is Karim on Friday", "who", person="Karim", dates=["27/11"]),
    _case("where's Karim on Friday", "who", person="Karim", dates=["27/11"]),
    _case("où est Marc jeudi", "who", person="Marc", dates=["26/11"]),
    # spoken French asks with "où" after the verb, without a question mark
    _case("il est où Marc jeudi", "who", person="Marc", dates=["26/11"]),
    _case("elle sera où Léa demain", "who", person="Léa", dates=["26/11"]),
    # a resource the bot does not book, asked for with no verb the grammar knows
    _case("je voudrais une salle de réunion à Metz mardi", "reserve", ("une salle de réunion",),
          error="not_a_desk"),
    _case("une place de parking demain ?", "reserve", ("parking",), error="not_a_desk"),
    # "no need": nothing to book (the verb after it booked)
    _case("pas la peine de me réserver vendredi à Metz", "unknown", error="nothing_asked"),
    _case("inutile de réserver à Metz vendredi", "unknown", error="nothing_asked"),
    _case("pas besoin de réserver à Metz vendredi", "unknown", error="nothing_asked"),
    _case("no need to book Metz on Friday", "unknown", error="nothing_asked"),
    _case("réserve Metz jeudi ou sinon vendredi", "reserve", site="Metz", slot="day",
          error=("ambiguous_date", ["jeudi", "vendredi"])),
    _case("réserve à Metz pour 2 jours", "reserve", site="Metz", slot="day",
          error="vague_date"),
    _case("réserve à Metz pour 2 jours à partir de lundi", "reserve", site="Metz",
          dates=["30/11", "1/12"], slot="day"),
    _case("on est 3 à venir jeudi à Metz", "reserve", site="Metz", dates=["26/11"],
          slot="day", error="several_desks"),
    _case("est-ce que je peux réserver pour quelqu'un d'autre ?", "reserve", slot="day",
          error="other_person"),
    _case("j'ai bien un bureau demain ?", "list", dates=["26/11"]),
    _case("réserve près de mon équipe à Metz jeudi", "reserve", site="Metz",
          dates=["26/11"], slot="day", wishes={"near": "@team"}),
    _case("le B-204 jeudi", "reserve", desk="B-204", dates=["26/11"], slot="day"),
    _case("annule tout sauf jeudi", "cancel", error="vague_date"),
    _case("cancel everything except Thursday", "cancel", error="vague_date"),
    _case("annule jeudi sauf si c'est complet", "cancel", ("sauf si",), dates=["26/11"]),
    _case("je serai à Metz lundi, sauf si grève", "reserve", ("sauf si grève",), site="Metz",
          dates=["30/11"], slot="day"),
    _case("je reviens à Metz lundi", "reserve", site="Metz", dates=["30/11"], slot="day"),
    _case("réserve Metz vendredi, non jeudi", "reserve", site="Metz", dates=["26/11"],
          slot="day"),
    _case("réserve jeudi à Metz et vendredi à Lille", "reserve", slot="day",
          dates=["26/11", "27/11"], error=("multiple_sites", ["Metz", "Lille"])),
    _case("je suis à Metz lundi et en congé mardi", "unknown", error="multiple_commands"),
    _case("la cantine est ouverte jeudi ?", "unknown", error="not_understood"),
    _case("is tom in tomorrow?", "who", person="tom", dates=["26/11"]),
    _case("Bonjour, pourriez-vous me réserver un poste à Nantes pour le jeudi 3 décembre ? "
          "Merci beaucoup", "reserve", site="Nantes", dates=["3/12"], slot="day"),
    _case("je souhaite réserver un bureau les 7, 8 et 10 décembre à Metz", "reserve",
          site="Metz", dates=["7/12", "8/12", "10/12"], slot="day"),
    _case("y'a de la place à Metz le 3 ?", "free", site="Metz", dates=["3/12"], slot="day"),
    _case("réserve moi un truc à Metz demain", "reserve", ("un truc",), site="Metz",
          dates=["26/11"], slot="day"),
    _case("réserve Metz jeudi et la semaine suivante", "reserve", site="Metz",
          dates=["26/11", *NEXT_WEEK], slot="day"),
    _case("réserve Metz mardi et jeudi de la semaine prochaine", "reserve", site="Metz",
          dates=["1/12", "3/12"], slot="day"),
    _case("je suis en mission la semaine prochaine sauf mercredi", "status",
          dates=["30/11", "1/12", "3/12", "4/12"], slot="day", status="travel"),
    _case("je serai en télétravail demain sauf si réunion", "status", ("sauf si réunion",),
          dates=["26/11"], slot="day", status="remote"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected", "unknown", "person", "wishes"), NEW_USER, ids=[c[0] for c in NEW_USER]
)
def test_a_new_users_sentence_is_read_exactly_or_asked(
    text: str,
    expected: dict[str, Any],
    unknown: tuple[str, ...],
    person: str | None,
    wishes: dict[str, Any],
) -> None:
    command = parse(text, WED, CASE_SITES)
    assert comparable(command.to_json()) == expected
    assert command.unknown_phrases == unknown
    assert command.person == person
    assert command.features == wishes.get("features", ())
    assert command.usual == wishes.get("usual", False)
    assert command.near == wishes.get("near")


def test_there_are_enough_new_user_sentences() -> None:
    assert len({case[0] for case in NEW_USER}) >= 100


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("mardi", True),
        ("à Nantes", True),
        ("Metz mardi", True),
        ("l'après-midi", True),
        ("je serai à Metz mardi", False),  # a booking of its own, no days for the question
        ("je viens mardi", False),
        ("réserve mardi", False),
        ("mardi pour la formation client", False),
    ],
)
def test_an_answer_with_a_command_of_its_own_is_not_bare(text: str, bare: bool) -> None:
    assert parse_answer(text, WED, CASE_SITES).bare is bare


def test_a_future_is_not_bent_into_a_conditional() -> None:
    assert [t.norm for t in tokenize("je serai à Metz")][:2] == ["je", "serai"]
    assert [t.norm for t in tokenize("je vien à Metz")][:2] == ["je", "viens"]
