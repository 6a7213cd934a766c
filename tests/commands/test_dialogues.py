"""Conversations as tables: what users write, what the bot must answer, what the database holds.

Each dialogue runs on SQLite and on PostgreSQL (the `storage` fixture), with the bot's clock set
to `now` (Paris time). `expect` fragments must all appear in the turn's replies, `absent` ones
must not; `bookings` is the expected final set of active bookings per member: (day, site, slot).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.commands.helpers import ALICE, BOB, CAROL, active_bookings

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Turn:
    text: str
    expect: tuple[str, ...] = ()
    sender: str = ALICE
    absent: tuple[str, ...] = ()
    silent: bool = False  # the bot must not answer at all
    advance: timedelta = timedelta(0)  # move the clock before this turn


@dataclass(frozen=True)
class Dialogue:
    name: str
    turns: tuple[Turn, ...]
    bookings: dict[str, set[tuple[str, str, str]]] = field(default_factory=dict)
    now: str = "2026-11-23T09:00"  # a Monday


def T(text: str, *expect: str, **kw: Any) -> Turn:
    return Turn(text, tuple(expect), **kw)


DIALOGUES = [
    # --- booking, French -------------------------------------------------------------------
    Dialogue(
        "a question's follow-up asks it again, about another day, site or half-day",
        (
            T("y a de la place à Orléans lundi prochain ?", "libres à Orléans", "30 novembre"),
            # the Tuesday nearest the day just asked about, not tomorrow
            T("et mardi ?", "libres à Orléans", "mardi 1er décembre", absent=("24 novembre",)),
            T("et à Nantes ?", "libres à Nantes", "mardi 1er décembre"),
            T("et l'après-midi ?", "libres à Nantes (après-midi)", "mardi 1er décembre"),
            T("qui sera là mercredi ?", "mercredi 2 décembre, Nantes"),
            T("ok réserve jeudi", "réserver à Nantes le jeudi 3 décembre", "Je le fais ?"),
            T("oui", "réservé à Nantes le jeudi 3 décembre"),
        ),
        {ALICE: {("2026-12-03", "Nantes", "day")}},
    ),
    Dialogue(
        "a question about a person, then 'et vendredi ?': the same person",
        (
            T("réserve à Metz jeudi et vendredi matin", "2 jours", sender=BOB),
            T("où est Bob jeudi ?", "Metz", "jeudi 26 novembre"),
            T("et vendredi ?", "Metz", "vendredi 27 novembre", "(matin)", absent=("libres",)),
        ),
        {ALICE: set()},
    ),
    Dialogue(
        "and in English: 'and Wednesday?', 'and in Metz?'",
        (
            T("any free desks in Nantes on Tuesday?", "Nantes", "Tuesday 24 November"),
            T("and Wednesday?", "Nantes", "Wednesday 25 November"),
            T("and in Metz?", "Metz", "Wednesday 25 November"),
        ),
        {ALICE: set()},
    ),
    Dialogue(
        "near a person, with no site named: that person's site that day",
        (
            T("réserve le bureau B-101 à Metz jeudi", "B-101", sender=BOB),
            T("je voudrais un bureau près de Bob jeudi", "B-102", "Metz", absent=("site ?",)),
        ),
        {ALICE: {("2026-11-26", "Metz", "day")}},
    ),
    Dialogue(
        "a correction that changes the kind: a status instead of a booking, and back",
        (
            T("réserve à Metz vendredi", "réservé à Metz le vendredi 27 novembre"),
            T("non en fait je serai en télétravail", "télétravail le vendredi 27 novembre"),
            T("finalement je serai à Orléans", "réservé à Orléans le vendredi 27 novembre"),
            T("mes réservations", "Orléans", absent=("Metz",)),
        ),
        {ALICE: {("2026-11-27", "Orléans", "day")}},
    ),
    Dialogue(
        "'pas besoin de bureau vendredi' when the last change was no booking: a cancellation",
        (
            T("réserve à Metz vendredi", "réservé à Metz le vendredi 27 novembre"),
            T("réserve à Metz jeudi", "réservé à Metz le jeudi 26 novembre"),
            T("annule jeudi", "annulée"),
            T("pas besoin de bureau vendredi", "annulée", absent=("retirer",)),
        ),
        {ALICE: set()},
    ),
    Dialogue(
        "'make it Friday' corrects the booking just made",
        (
            T("book a desk in Metz on Thursday", "booked at Metz on Thursday 26 November"),
            T("make it Friday", "Friday 27 November", absent=("not understand",)),
        ),
        {ALICE: {("2026-11-27", "Metz", "day")}},
    ),
    Dialogue(
        "'et jeudi matin ?' right after a booking offers the same booking then, 'oui' books",
        (
            T("réserve à Nantes mardi après-midi", "réservé à Nantes le mardi 24 novembre"),
            T("et jeudi matin ?", "jeudi 26 novembre", "Nantes (matin) ?", absent=("libres",)),
            T("oui", "réservé à Nantes le jeudi 26 novembre (matin)"),
        ),
        {ALICE: {("2026-11-24", "Nantes", "pm"), ("2026-11-26", "Nantes", "am")}},
    ),
    Dialogue(
        "'non pas vendredi' keeps the time of the change: undo ends ten minutes after it",
        (
            T("réserve à Metz jeudi et vendredi", "2 jours"),
            T("non pas vendredi", "vendredi 27 novembre"),
            # a question in between keeps the dialogue alive, not the change
            T("qui est à Metz jeudi ?", "Metz", advance=timedelta(minutes=6)),
            T("annule ça", "rien de récent", advance=timedelta(minutes=5)),
        ),
        {ALICE: {("2026-11-26", "Metz", "day")}},
    ),
    Dialogue(
        "a bare 'à <site>' answers in French ('à' folds to the English 'a')",
        (
            T("je voudrais réserver un bureau pour demain", "Sur quel site ?"),
            T("à Nantes", "réservé à Nantes le mardi 24 novembre", absent=("booked",)),
        ),
        {ALICE: {("2026-11-24", "Nantes", "day")}},
    ),
    Dialogue(
        "book one day",
        (
            T(
                "réserve un bureau à Metz mardi",
                "✅ Bureau",
                "réservé à Metz le mardi 24 novembre (journée).",
            ),
        ),
        {ALICE: {("2026-11-24", "Metz", "day")}},
    ),
    Dialogue(
        "book a given desk, informal",
        (
            T(
                "Salut ! je voudrais le bureau B-204 a metz demain stp 🙏",
                "B-204",
                "mardi 24 novembre",
            ),
        ),
        {ALICE: {("2026-11-24", "Metz", "day")}},
    ),
    Dialogue(
        "half-days share a desk, a third person finds it full",
        (
            T("réserve à Nantes mercredi matin", "N-1", "(matin)"),
            T("réserve à Nantes mercredi après-midi", "N-1", "(après-midi)", sender=BOB),
            T("réserve à Nantes mercredi", "Plus aucun bureau libre à Nantes", sender=CAROL),
        ),
        {
            ALICE: {("2026-11-25", "Nantes", "am")},
            BOB: {("2026-11-25", "Nantes", "pm")},
            CAROL: set(),
        },
    ),
    Dialogue(
        "full offers the other half-day",
        (
            T("réserve à Nantes mercredi matin", "✅"),
            T("réserve à Nantes mercredi", "Plus aucun bureau libre", "(après-midi)", sender=BOB),
        ),
        {BOB: set()},
    ),
    Dialogue(
        "desk taken offers a free desk",
        (
            T("réserve le bureau B-204 à Metz mardi", "✅ Bureau B-204"),
            T("réserve le bureau B-204 à Metz mardi", "déjà pris", "est libre", sender=BOB),
        ),
        {ALICE: {("2026-11-24", "Metz", "day")}, BOB: set()},
    ),
    Dialogue(
        "already booked",
        (
            T("réserve à Metz mardi", "✅"),
            T("réserve à Orléans mardi", "Vous avez déjà le bureau", "à Metz"),
        ),
        {ALICE: {("2026-11-24", "Metz", "day")}},
    ),
    Dialogue(
        "a week, per-day summary",
        (
            T(
                "réserve un bureau à Metz du lundi au vendredi la semaine prochaine",
                "5 jours réservés sur 5",
                "lundi 30 novembre",
                "vendredi 4 décembre",
            ),
        ),
        {
            ALICE: {
                (f"2026-{d}", "Metz", "day") for d in ("11-30", "12-01", "12-02", "12-03", "12-04")
            }
        },
    ),
    Dialogue(
        "a range over Christmas: holiday and Moselle's 26 December",
        (
            T(
                "réserve à Metz du 24 au 28 décembre",
                "2 jours réservés sur 3",
                "vendredi 25 décembre : jour férié",
            ),
        ),
        {ALICE: {("2026-12-24", "Metz", "day"), ("2026-12-28", "Metz", "day")}},
    ),
    Dialogue(
        "beyond the horizon",
        (T("réserve à Metz le 5 février", "trop loin", "8 semaines"),),
        {ALICE: set()},
    ),
    Dialogue(
        "no site and no default: asks which, listing them",
        (T("réserve un bureau demain", "Sur quel site ?", "Metz, Nantes, Orléans"),),
        {ALICE: set()},
    ),
    Dialogue(
        "no date: asks which day",
        (T("réserve un bureau à Metz", "Pour quel jour ?"),),
        {ALICE: set()},
    ),
    Dialogue(
        "default site: set, then used",
        (
            T("mon site c’est Orléans", "site par défaut est désormais Orléans"),
            T("réserve un bureau demain", "✅", "à Orléans"),
        ),
        {ALICE: {("2026-11-24", "Orléans", "day")}},
    ),
    Dialogue(
        "default site: the last one booked",
        (
            T("réserve à Nantes mardi", "✅"),
            T("réserve jeudi", "✅", "à Nantes le jeudi 26 novembre"),
        ),
        {ALICE: {("2026-11-24", "Nantes", "day"), ("2026-11-26", "Nantes", "day")}},
    ),
    # --- cancel, list ------------------------------------------------------------------------
    Dialogue(
        "cancel one",
        (
            T("réserve à Metz mardi", "✅"),
            T("annule ma réservation de mardi", "🗑️ Réservation annulée", "mardi 24 novembre"),
        ),
        {ALICE: set()},
    ),
    Dialogue(
        "cancel without a date: the only upcoming booking",
        (
            T("réserve à Metz jeudi", "✅"),
            T("annule ma résa", "Réservation annulée", "jeudi 26 novembre"),
        ),
        {ALICE: set()},
    ),
    Dialogue(
        "nothing to cancel",
        (T("je ne viens plus vendredi", "aucune réservation à annuler"),),
        {ALICE: set()},
    ),
    Dialogue(
        "bulk cancel asks first, yes confirms",
        (
            T("réserve à Metz toute la semaine prochaine", "5 jours réservés"),
            T(
                "annule mes réservations de la semaine prochaine",
                "Cela annulera 5 réservations",
                "« oui »",
            ),
            T("oui", "5 réservations annulées"),
        ),
        {ALICE: set()},
    ),
    Dialogue(
        "bulk cancel: anything else cancels the question",
        (
            T("réserve à Metz toute la semaine prochaine", "5 jours réservés"),
            T("annule mes réservations de la semaine prochaine", "Cela annulera 5 réservations"),
            T("mes réservations", "abandonne ma question", "Vos 5 réservations"),
            T("oui", "Aucune question"),
        ),
        {
            ALICE: {
                (f"2026-{d}", "Metz", "day") for d in ("11-30", "12-01", "12-02", "12-03", "12-04")
            }
        },
    ),
    Dialogue(
        "bulk cancel: no is no",
        (
            T("réserve à Metz toute la semaine prochaine", "5 jours réservés"),
            T("annule mes réservations de la semaine prochaine", "Cela annulera"),
            T("non", "je ne change rien"),
        ),
        {
            ALICE: {
                (f"2026-{d}", "Metz", "day") for d in ("11-30", "12-01", "12-02", "12-03", "12-04")
            }
        },
    ),
    Dialogue(
        "bulk cancel: the question expires after 5 minutes",
        (
            T("réserve à Metz toute la semaine prochaine", "5 jours réservés"),
            T("annule mes réservations de la semaine prochaine", "Cela annulera"),
            T("oui", "Aucune question", advance=timedelta(minutes=6)),
        ),
        {
            ALICE: {
                (f"2026-{d}", "Metz", "day") for d in ("11-30", "12-01", "12-02", "12-03", "12-04")
            }
        },
    ),
    Dialogue(
        "list",
        (
            T("mes réservations", "Vous n’avez aucune réservation"),
            T("réserve à Metz mardi et jeudi", "2 jours réservés sur 2"),
            T("mes résas", "Vos 2 réservations", "mardi 24 novembre — Metz", "jeudi 26 novembre"),
        ),
    ),
    Dialogue(
        "nobody cancels someone else's booking",
        (
            T("réserve à Metz mardi", "✅", sender=BOB),
            T("réserve à Metz mardi", "✅"),
            T("annule la réservation de Bob mardi", "demandez à Bob de m’écrire"),
            T("annule la résa de @bob:test mardi", "demandez à @bob:test"),
        ),
        {ALICE: {("2026-11-24", "Metz", "day")}, BOB: {("2026-11-24", "Metz", "day")}},
    ),
    # --- who, free, status --------------------------------------------------------------------
    Dialogue(
        "who is there",
        (
            T("réserve le bureau B-101 à Metz mardi matin", "✅"),
            T("télétravail mardi", "C’est noté", sender=BOB),
            T(
                "qui est là mardi ?",
                "1 personne sur site",
                "Alice (B-101, matin)",
                "En télétravail : Bob",
                sender=CAROL,
            ),
        ),
    ),
    Dialogue(
        "free desks",
        (
            T("réserve le bureau B-101 à Metz mardi", "✅"),
            T("y a-t-il de la place à Metz mardi ?", "2/3 libres", "B-102, B-204", sender=BOB),
            T("y a-t-il de la place à Metz samedi ?", "week-end", sender=BOB),
        ),
    ),
    Dialogue(
        "status replacing a booking asks first",
        (
            T("réserve à Metz vendredi", "✅"),
            T("télétravail vendredi", "que cela annulerait", "« oui »"),
            T("oui", "C’est noté", "télétravail", "1 réservation annulée"),
        ),
        {ALICE: set()},
    ),
    Dialogue(
        "leave over a range",
        (T("en congé du 21 au 24 décembre", "C’est noté", "congé", "lundi 21 décembre"),),
    ),
    # --- limits and the unknown -----------------------------------------------------------
    Dialogue(
        "unknown sentence",
        (T("quelle est la météo à la cantine ?", "je n’ai pas compris", "aide"),),
        {ALICE: set()},
    ),
    Dialogue(
        "long input", (T("réserve " + "x" * 2100, "trop long", "2000 au maximum"),), {ALICE: set()}
    ),
    Dialogue(
        "help",
        (
            T(
                "aide",
                "Réserver un bureau",
                "« réserve un bureau à Metz mardi matin »",
                "Annuler vos réservations",
                absent=("ferme",),
            ),
        ),
    ),
    # --- English ----------------------------------------------------------------------------
    Dialogue(
        "English booking and list",
        (
            T(
                "book a desk in Metz on Tuesday",
                "✅ Desk",
                "booked at Metz on Tuesday 24 November (all day).",
            ),
            T("my bookings", "Your booking", "Tuesday 24 November — Metz"),
            T("cancel my booking on Tuesday", "Booking cancelled"),
        ),
        {ALICE: set()},
    ),
    Dialogue(
        "English who and free",
        (
            T("book desk B-204 in Metz tomorrow", "✅ Desk B-204"),
            T("who is in Metz tomorrow?", "1 person on site", "Alice (B-204)", sender=BOB),
            T("free desks in Metz tomorrow", "2/3 free", sender=BOB),
        ),
    ),
    Dialogue(
        "explicit language choice wins over the message's language",
        (
            T("speak English", "From now on I will answer you in English."),
            T("réserve à Metz mardi", "✅ Desk", "booked at Metz"),
            T("parle-moi en français", "je vous réponds en français"),
            T("book a desk in Metz on Wednesday", "✅ Bureau"),
        ),
    ),
]


@pytest.mark.parametrize("dialogue", DIALOGUES, ids=[d.name for d in DIALOGUES])
async def test_dialogue(dialogue: Dialogue, bot, clock, storage) -> None:
    clock.set(datetime.fromisoformat(dialogue.now).replace(tzinfo=PARIS))
    for turn in dialogue.turns:
        if turn.advance:
            clock.set(clock.now() + turn.advance)
        replies = await bot.say(turn.sender, turn.text)
        said = "\n".join(r.text for r in replies)
        if turn.silent:
            assert replies == [], said
            continue
        assert replies, f"no reply to {turn.text!r}"
        for fragment in turn.expect:
            assert fragment in said, f"{fragment!r} not in reply to {turn.text!r}:\n{said}"
        for fragment in turn.absent:
            assert fragment not in said, f"{fragment!r} in reply to {turn.text!r}:\n{said}"
        assert "Traceback" not in said
    for member, expected in dialogue.bookings.items():
        assert await active_bookings(storage, member) == expected
