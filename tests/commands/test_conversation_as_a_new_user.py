"""Conversations found failing when the bot was tried as a new user would (issue 10, fourth
pass): a bare site or half-day with no question pending, choices among the bookings to cancel,
undo of a correction, the undo window. Same tables as `test_conversation` (each step a new
dispatcher unless `restart=False`)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.dispatcher import Dispatcher
from tests.commands.helpers import SITES, bot_settings
from tests.commands.recording import FakeDirectory, RecordingTransport
from tests.commands.test_conversation import (
    ALICE,
    BOB,
    PARIS,
    THU,
    TUE,
    WED,
    Conversation,
    S,
    run_conversation,
)

FRI = "2026-11-27"
LATER = timedelta(minutes=6)

CONVERSATIONS = [
    # --- a bare site or half-day right after a booking: "the same, but there?" --------------
    Conversation(
        "a bare site right after a booking asks to move it there, yes moves it",
        (
            S("réserve à Metz mardi", "✅"),
            S(
                "nantes",
                "déplacer à Nantes",
                "mardi 24 novembre à Metz",
                absent=("✅", "pas compris"),
            ),
            S("oui", "Déplacé", "Nantes", "c’était à Metz"),
        ),
        {ALICE: {(TUE, "Nantes", "day", "N-1")}},
    ),
    Conversation(
        "a bare site right after a booking, then no: nothing changes",
        (
            S("réserve à Metz mardi", "✅"),
            S("Orléans", "Je le fais ?"),
            S("non", "je ne change rien"),
        ),
        {ALICE: {(TUE, "Metz", "day", "B-101")}},
    ),
    Conversation(
        "a bare half-day right after a booking asks, then changes the half-day",
        (
            S("réserve à Metz mardi", "✅"),
            S("l'aprèm", "« journée » à « après-midi »", absent=("✅",)),
            S("oui", "Déplacé", "(après-midi)"),
        ),
        {ALICE: {(TUE, "Metz", "pm", "B-101")}},
    ),
    Conversation(
        "the site of the booking just made changes nothing, and says so",
        (S("réserve à Metz mardi", "✅"), S("Metz", "déjà à Metz", absent=("Je le fais",))),
        {ALICE: {(TUE, "Metz", "day", "B-101")}},
    ),
    Conversation(
        "a bare site after several bookings books those days there, undo brings them back",
        (
            S("réserve à Orléans mardi et mercredi", "2 jours réservés"),
            S("Metz", "réserver à Metz", "à la place", absent=("✅",)),
            S("oui", "B-101", "Annulé"),
            S("annule ça", "Orléans"),
        ),
        {ALICE: {(TUE, "Orléans", "day", "O-1"), (WED, "Orléans", "day", "O-1")}},
    ),
    Conversation(
        "a bare site with nothing before asks what to do; the day completes a booking",
        (
            S("Orléans", "que dois-je faire", "répondez par le jour", absent=("pas compris",)),
            S("jeudi", "✅", "Orléans", "jeudi 26 novembre"),
        ),
        {ALICE: {(THU, "Orléans", "day", "O-1")}},
    ),
    Conversation(
        "a bare site long after a booking is no change of it",
        (
            S("réserve à Metz mardi", "✅"),
            S("Nantes", "que dois-je faire", advance=timedelta(minutes=11), absent=("Metz",)),
        ),
        {ALICE: {(TUE, "Metz", "day", "B-101")}},
    ),
    Conversation(
        "two people in one room, each answers their own question",
        (
            S("réserve un bureau mardi", "Sur quel site ?"),
            S("réserve un bureau jeudi", "Sur quel site ?", sender=BOB),
            S("Metz", "✅", "mardi 24 novembre"),
            S("Orléans", "✅", "jeudi 26 novembre", sender=BOB),
            S("nantes", "déplacer à Nantes", "mardi 24 novembre", absent=("jeudi",)),
        ),
        {ALICE: {(TUE, "Metz", "day", "B-101")}, BOB: {(THU, "Orléans", "day", "O-1")}},
    ),
    # --- a bare day right after a booking: the same booking that day, asked -----------------
    Conversation(
        "a bare day right after a booking offers the same booking there, half-day kept",
        (
            S("réserve à Orléans mardi matin", "✅"),
            S("jeudi", "Orléans (matin)", "plutôt jeudi", absent=("✅",)),
            S("oui", "✅", "jeudi 26 novembre", "(matin)"),
        ),
        {ALICE: {(TUE, "Orléans", "am", "O-1"), (THU, "Orléans", "am", "O-1")}},
    ),
    Conversation(
        "a bare Saturday right after a booking is said closed, not offered",
        (
            S("réserve à Metz mardi", "✅"),
            S("le 28", "week-end", absent=("je vous réserve",)),
            S("oui", "Aucune question"),
        ),
        {ALICE: {(TUE, "Metz", "day", "B-101")}},
    ),
    Conversation(
        "non right after a booking changes nothing and says how to undo",
        (S("réserve à Metz mardi", "✅"), S("non", "annule ça")),
        {ALICE: {(TUE, "Metz", "day", "B-101")}},
    ),
    # --- what is asked of the desk, and the language of the conversation --------------------
    Conversation(
        "près de Bob with no site books where Bob is that day",
        (
            S("réserve le bureau B-101 à Metz jeudi", "✅", sender=BOB),
            S("réserve près de Bob jeudi", "✅", "B-102", "Metz", absent=("Sur quel site",)),
        ),
        {ALICE: {(THU, "Metz", "day", "B-102")}},
    ),
    Conversation(
        "a feature is named as the sites file writes it",
        (
            S("réserve le bureau B-204 à Metz mardi", "✅", sender=BOB),
            S("réserve un bureau avec double écran à Metz mardi", "« double écran »"),
        ),
        {ALICE: set()},
    ),
    Conversation(
        "an English question answered with a bare site is answered in English",
        (
            S("book me a desk on Thursday", "Which site?"),
            S("Nantes", "Desk N-1 booked at Nantes on Thursday 26 November"),
        ),
        {ALICE: {(THU, "Nantes", "day", "N-1")}},
    ),
    Conversation(
        "mes réservations for one day without any says that day once",
        (S("mes réservations jeudi", "aucune réservation le jeudi 26 novembre"),),
    ),
    # --- our own yes/no question, changed by the answer -------------------------------------
    Conversation(
        "plutôt vendredi in answer to 'shall I book anyway?' asks again about Friday",
        (
            S("réserve à Metz jeudi près de la fontaine", "Je réserve quand même ?"),
            S("plutôt vendredi", "vendredi 27 novembre", "Je le fais ?", absent=("✅",)),
            S("oui", "✅", "vendredi 27 novembre"),
        ),
        {ALICE: {(FRI, "Metz", "day", "B-101")}},
    ),
    Conversation(
        "a desk taken: 'shall I book B-101?' - oui",
        (
            S("réserve le bureau B-204 à Metz mardi", "✅", sender=BOB),
            S("réserve le bureau B-204 à Metz mardi", "déjà pris", "je le réserve ?"),
            S("oui", "✅", "B-101"),
        ),
        {ALICE: {(TUE, "Metz", "day", "B-101")}},
    ),
    Conversation(
        "a desk taken: 'shall I book B-101?' - B-102 asks about B-102",
        (
            S("réserve le bureau B-204 à Metz mardi", "✅", sender=BOB),
            S("réserve le bureau B-204 à Metz mardi", "je le réserve ?"),
            S("B-102", "le bureau B-102", "Je le fais ?", absent=("✅",)),
            S("oui", "✅", "B-102"),
        ),
        {ALICE: {(TUE, "Metz", "day", "B-102")}},
    ),
    Conversation(
        "full: the other half-day said bare books it",
        (
            S("réserve à Nantes mercredi matin", "✅", sender=BOB),
            S("réserve à Nantes mercredi", "Plus aucun bureau libre", "(après-midi)"),
            S("l'après-midi", "✅", "mercredi 25 novembre", "(après-midi)"),
        ),
        {ALICE: {(WED, "Nantes", "pm", "N-1")}},
    ),
    Conversation(
        "a misspelt bare site answers 'which site?'",
        (S("réserve un bureau mardi", "Sur quel site ?"), S("nantse", "✅", "Nantes")),
        {ALICE: {(TUE, "Nantes", "day", "N-1")}},
    ),
    Conversation(
        "English: 'the afternoon' right after a booking is a half-day, not a greeting",
        (
            S("book a desk in Metz on Tuesday", "✅"),
            S("the afternoon", "from “all day” to “afternoon”", absent=("Hello",)),
            S("yes", "Moved", "(afternoon)"),
            S("good afternoon", "Hello"),
        ),
        {ALICE: {(TUE, "Metz", "pm", "B-101")}},
    ),
    Conversation(
        "décale de lundi à mercredi, Monday being next week's: that week's Wednesday",
        (
            S("réserve à Metz lundi prochain", "✅", "30 novembre"),
            S("décale ma résa de lundi à mercredi", "mercredi 2 décembre", "30 novembre"),
        ),
        {ALICE: {("2026-12-02", "Metz", "day", "B-101")}},
    ),
    Conversation(
        "décale de vendredi à mardi: this week's Tuesday, nearer than the next one",
        (
            S("réserve à Metz vendredi", "✅"),
            S("décale ma résa de vendredi à mardi", "mardi 24 novembre"),
        ),
        {ALICE: {(TUE, "Metz", "day", "B-101")}},
    ),
    Conversation(
        "English: a bare site after a booking is asked about in English",
        (
            S("book a desk in Metz on Tuesday", "✅"),
            S("Nantes", "move your booking of Tuesday 24 November at Metz to Nantes"),
            S("yes", "Moved", "it was at Metz"),
        ),
        {ALICE: {(TUE, "Nantes", "day", "N-1")}},
    ),
    # --- which booking to cancel: the days offered are the choices --------------------------
    Conversation(
        "which day should I cancel? les deux",
        (
            S("réserve à Metz mardi et jeudi", "✅"),
            S("annule ma résa", "Quel jour", "mardi 24 novembre, jeudi 26 novembre"),
            S("les deux", "2 réservations annulées"),
        ),
        {ALICE: set()},
    ),
    Conversation(
        "which day should I cancel? le premier; another answer books nothing",
        (
            S("réserve à Metz mardi et jeudi", "✅"),
            S("annule une réservation", "Quel jour"),
            S("le premier", "annulée", "mardi 24 novembre", absent=("jeudi",)),
        ),
        {ALICE: {(THU, "Metz", "day", "B-101")}},
    ),
    Conversation(
        "which day should I cancel? jeudi cancels it, never books",
        (
            S("réserve à Metz mardi et jeudi", "✅"),
            S("annule ma résa", "Quel jour"),
            S("jeudi", "annulée", absent=("✅",)),
        ),
        {ALICE: {(TUE, "Metz", "day", "B-101")}},
    ),
    # --- undo: exactly the last change, within ten minutes of it ----------------------------
    Conversation(
        "undo of a status correction brings the first status back",
        (
            S("je suis en congé vendredi", "congé"),
            S("non en fait télétravail", "télétravail"),
            S("annule ça", "rétabli"),
        ),
        statuses={ALICE: {(FRI, "day", "leave")}},
    ),
    Conversation(
        "undo of a site correction of several days brings the first site back",
        (
            S("réserve à Orléans mardi et mercredi", "✅"),
            S("plutôt à Metz", "Metz"),
            S("annule ça", "Orléans"),
        ),
        {ALICE: {(TUE, "Orléans", "day", "O-1"), (WED, "Orléans", "day", "O-1")}},
    ),
    Conversation(
        "an undo twelve minutes after the change does nothing, a question in between or not",
        (
            S("réserve à Metz mardi", "✅"),
            S("qui est à Metz mardi ?", "B-101", advance=LATER),
            S("annule ça", "rien de récent", advance=LATER),
        ),
        {ALICE: {(TUE, "Metz", "day", "B-101")}},
    ),
]


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=[c.name for c in CONVERSATIONS])
async def test_conversation_as_a_new_user(conversation: Conversation, storage, clock) -> None:
    await run_conversation(conversation, storage, clock)


async def test_leave_is_shown_in_the_team_room_the_person_is_in_now(storage, clock) -> None:
    """A colleague who joined the team room after its digest was set up is a teammate there:
    their leave is shown as leave in that room, as "absent" in a direct chat."""
    await storage.import_sites(SITES)
    clock.set(datetime(2026, 11, 23, 9, tzinfo=PARIS))
    dispatcher = Dispatcher(storage, bot_settings(), clock)
    team = "!team:test"
    await storage.subscribe_digest(team, "08:30", lead=ALICE, timezone="Europe/Paris")
    await storage.set_room_members(team, [(ALICE, "Alice")])  # Bob joined since
    dispatcher.directory = FakeDirectory({team: [(ALICE, "Alice"), (BOB, "Bob")]})
    bot = RecordingTransport(dispatcher)
    await bot.say(BOB, "je suis en congé jeudi")
    in_team = await bot.say(ALICE, "!bureau où est Bob jeudi ?", team, is_direct=False)
    assert "congé" in in_team[0].text, in_team[0].text
    direct = await bot.say(ALICE, "où est Bob jeudi ?")
    assert "absent" in direct[0].text and "congé" not in direct[0].text, direct[0].text


async def test_both_people_of_one_name_are_answered(storage, clock) -> None:
    """ "où est Léa jeudi ?" with two Léa, then "les deux": where each of them is."""
    await storage.import_sites(SITES)
    clock.set(datetime(2026, 11, 23, 9, tzinfo=PARIS))
    bot = RecordingTransport(Dispatcher(storage, bot_settings(), clock))
    await bot.say("@lea.martin:test", "réserve à Metz jeudi")
    await bot.say("@lea.bernard:test", "réserve à Orléans jeudi")
    asked = await bot.say(ALICE, "où est Léa jeudi ?")
    assert "Laquelle" in asked[0].text, asked[0].text
    bot.handler = Dispatcher(storage, bot_settings(), clock)  # a restart between the turns
    both = (await bot.say(ALICE, "les deux"))[0].text
    assert "Metz" in both and "Orléans" in both, both


async def test_a_surname_alone_picks_one_of_the_people_offered(storage, clock) -> None:
    """ "où est Léa jeudi ?" with two Léa, then "Bernard": the one whose id has that name."""
    await storage.import_sites(SITES)
    clock.set(datetime(2026, 11, 23, 9, tzinfo=PARIS))
    bot = RecordingTransport(Dispatcher(storage, bot_settings(), clock))
    await bot.say("@lea.martin:test", "réserve à Metz jeudi")
    await bot.say("@lea.bernard:test", "réserve à Orléans jeudi")
    asked = await bot.say(ALICE, "où est Léa jeudi ?")
    assert "Laquelle" in asked[0].text, asked[0].text
    picked = (await bot.say(ALICE, "Bernard"))[0].text
    assert "Orléans" in picked and "Metz" not in picked, picked
