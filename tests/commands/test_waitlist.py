"""The waitlist and the release of no-shows through the recording transport (issue 12), on
SQLite and PostgreSQL: what agents write, what they are answered, who is told by DM, and what
the database holds afterwards. Nantes has one desk (N-1); the clock is Monday 23 November 09:00.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.sweep_job import SweepJob
from tests.commands.helpers import ALICE, BOB, CAROL, active_bookings
from tests.commands.recording import delivered

PARIS = ZoneInfo("Europe/Paris")
WED = ("2026-11-25", "Nantes", "day")


def said(replies) -> str:
    """What the sender was answered (not the DMs to others)."""
    return "\n".join(r.text for r in replies if r.to is None and r.room_id is None)


def dms(replies, to: str) -> str:
    return "\n".join(r.text for r in replies if r.to == to)


async def test_full_offers_the_line_and_a_cancellation_serves_it_in_order(bot, storage) -> None:
    await bot.say(ALICE, "réserve à Nantes mercredi")
    full = said(await bot.say(BOB, "réserve à Nantes mercredi"))
    assert "Plus aucun bureau libre à Nantes" in full
    assert "Je vous mets en liste d’attente\u00a0?" in full
    joined = said(await bot.say(BOB, "oui"))
    assert "Vous êtes en liste d’attente pour Nantes le mercredi 25 novembre" in joined
    assert "n°\u00a01" in joined or "n° 1" in joined
    second = said(await bot.say(CAROL, "mets-moi en liste d'attente à Nantes mercredi"))
    assert "n° 2" in second
    assert "n° 2" in said(await bot.say(CAROL, "ma liste d'attente"))
    again = said(await bot.say(CAROL, "préviens-moi si une place se libère à Nantes mercredi"))
    assert "déjà en liste d’attente" in again and "n° 2" in again

    replies = await bot.say(ALICE, "annule ma réservation de mercredi")
    assert "Une place s’est libérée" in dms(replies, BOB)
    assert "Nantes" in dms(replies, BOB) and "N-1" in dms(replies, BOB)
    assert dms(replies, CAROL) == ""
    assert await active_bookings(storage, BOB) == {WED}
    assert await active_bookings(storage, ALICE) == set()
    assert "n° 1" in said(await bot.say(CAROL, "ma liste d'attente"))
    bob_waits = said(await bot.say(BOB, "ma liste d'attente"))
    assert "Vous n’êtes sur aucune liste d’attente" in bob_waits

    left = said(await bot.say(CAROL, "retire-moi de la liste d'attente"))
    assert "Vous avez quitté la liste d’attente" in left and "mercredi 25 novembre" in left
    nothing = said(await bot.say(CAROL, "retire-moi de la liste d'attente"))
    assert "Vous n’étiez sur aucune liste d’attente" in nothing
    replies = await bot.say(BOB, "annule ma réservation de mercredi")
    assert dms(replies, CAROL) == ""  # she left the line
    assert await active_bookings(storage, CAROL) == set()


async def test_a_no_to_the_offer_changes_nothing(bot, storage) -> None:
    await bot.say(ALICE, "réserve à Nantes mercredi")
    await bot.say(BOB, "réserve à Nantes mercredi")
    await bot.say(BOB, "non")
    assert "aucune liste" in said(await bot.say(BOB, "ma liste d'attente"))


async def test_bad_days_are_refused_and_a_free_desk_is_booked_at_once(bot, storage) -> None:
    holiday = said(await bot.say(CAROL, "mets-moi en liste d'attente à Nantes le 25 décembre"))
    assert "férié" in holiday
    weekend = said(await bot.say(CAROL, "mets-moi en liste d'attente à Nantes samedi"))
    assert "week-end" in weekend
    free = said(await bot.say(CAROL, "je veux la prochaine place libre à Nantes mercredi"))
    assert "inutile d’attendre" in free and "N-1" in free
    held = said(await bot.say(CAROL, "mets-moi en liste d'attente à Nantes mercredi"))
    assert "Vous avez déjà le bureau N-1" in held
    assert "aucune liste" in said(await bot.say(CAROL, "ma liste d'attente"))
    assert await active_bookings(storage, CAROL) == {WED}


async def test_in_english(bot, storage) -> None:
    await bot.say(ALICE, "book Nantes on Wednesday")
    joined = said(await bot.say(BOB, "put me on the waiting list for Nantes on Wednesday"))
    assert "You are on the waitlist for Nantes on Wednesday 25 November" in joined
    assert "number 1 in line" in said(await bot.say(BOB, "my waitlist"))
    assert "You left the waitlist" in said(await bot.say(BOB, "remove me from the waiting list"))


CHECK_IN_SITE = """
sites:
  - name: Metz
    aliases: ["Metz Lizé"]
    department: "57"
    managers: ["@chef.metz:test"]
    check_in: {morning: "10:00", afternoon: "14:30"}
    desks: ["B-101"]
"""


async def test_the_release_sweep_tells_the_no_show_and_serves_the_first_waiter(
    bot, storage, clock
) -> None:
    await storage.import_sites(CHECK_IN_SITE)
    await bot.say(ALICE, "réserve à Metz aujourd'hui matin")
    await bot.say(BOB, "mets-moi en liste d'attente à Metz aujourd'hui matin")
    await bot.say(CAROL, "mets-moi en liste d'attente à Metz aujourd'hui matin")
    job = SweepJob(storage)
    await job(clock.now())  # 09:00: nothing is due
    assert await delivered(storage) == []
    clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=PARIS))
    await job(clock.now())
    sent = await delivered(storage)
    assert "a été libéré" in dms(sent, ALICE) and "10:00" in dms(sent, ALICE)
    assert "Une place s’est libérée" in dms(sent, BOB)
    assert dms(sent, CAROL) == ""
    assert await active_bookings(storage, ALICE) == set()
    assert await active_bookings(storage, BOB) == {("2026-11-23", "Metz", "am")}
    await job(clock.now())  # exactly once
    assert await delivered(storage) == []
    assert "aucune liste" in said(await bot.say(CAROL, "ma liste d'attente"))  # lapsed
    late = said(await bot.say(CAROL, "mets-moi en liste d'attente à Metz aujourd'hui matin"))
    assert "Trop tard" in late
