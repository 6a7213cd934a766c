"""PostgreSQL: what a one-day booking costs in round trips through the dispatcher, with the
dialogue state (issue 10's target, dispatch p99 <= 20 ms: on a loaded machine each round trip
is a wait for the server's process). A regression guard: a booking and a "full" answer with
its waitlist question are five round trips each - the turn opened (member, state, question:
one statement), BEGIN with the locks, the booking statement (which also explains and counts a
"full" answer), COMMIT, and the turn closed (state and question: one statement). Statements
are prepared once per connection: the warm-up prepares them, the count leaves preparation out.
Nantes has one desk (N-1); the clock is Monday 23 November 09:00."""

from __future__ import annotations

import pytest

from bot.dispatcher import Dispatcher
from bot.messages import Message
from storage.engine import count_round_trips
from tests.commands.helpers import ALICE, BOB, CAROL, active_bookings, bot_settings
from tests.commands.recording import DM_ROOM, RecordingTransport

DAVE = "@dave:test"
ONE_DAY_BOOKING = 5  # round trips, booked or full

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("storage", ["postgres"], indirect=True),
]


def said(replies) -> str:
    return "\n".join(r.text for r in replies if r.to is None and r.room_id is None)


async def handled(bot: RecordingTransport, sender: str, text: str) -> str:
    """What the dispatcher alone answers (as bench/dispatch.py measures it: no delivery of
    the outbox, which the transport does after)."""
    message = Message(sender=sender, room_id=DM_ROOM, text=text, event_id=f"${sender}{text}")
    return said(await bot.dispatcher.handle(message))


async def test_a_one_day_booking_is_five_round_trips_booked_or_full(bot, storage, clock) -> None:
    await bot.say(CAROL, "réserve un bureau à Nantes mardi")  # warm-up: booked, then full
    await bot.say(DAVE, "réserve un bureau à Nantes mardi")

    with count_round_trips(storage.engine) as booked:
        answer = await handled(bot, ALICE, "réserve un bureau à Nantes mercredi")
    assert "Bureau N-1 réservé à Nantes" in answer
    assert len(booked.trips) <= ONE_DAY_BOOKING, booked.trips

    with count_round_trips(storage.engine) as full:
        answer = await handled(bot, BOB, "réserve un bureau à Nantes mercredi")
    assert "Plus aucun bureau libre à Nantes" in answer
    assert "Je vous mets en liste d’attente\u00a0?" in answer
    assert len(full.trips) <= ONE_DAY_BOOKING, full.trips
    occupancy = await storage.occupancy_period("Nantes", clock.now().date(), clock.now().date())
    assert occupancy.full_answers == 0  # today; the two "full" answers were for later days

    # The question and the dialogue state were stored: a restarted bot takes the "oui".
    restarted = RecordingTransport(Dispatcher(storage, bot_settings(), clock))
    joined = said(await restarted.say(BOB, "oui"))
    assert "Vous êtes en liste d’attente pour Nantes le mercredi 25 novembre" in joined
    undone = said(await restarted.say(ALICE, "annule ça"))
    assert "N-1" in undone
    assert await active_bookings(storage, ALICE) == set()
