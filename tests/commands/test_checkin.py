"""Check-in and reactions (issue 12, part A) through the recording transport, on SQLite and
PostgreSQL: ✅ on a confirmation or a reminder, "je suis arrivé", the window, a removed ✅, a
reaction on someone else's booking or on an unrelated message, and the team digest's
🏢 🏠 🌴."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.checkin_jobs import CheckInReminderJob
from bot.delivery import ReplyCourier, drain
from bot.dispatcher import Dispatcher
from bot.jobs import DigestJob
from bot.messages import Reply
from storage.models import bot_messages, reaction_effects, reservations
from storage.subjects import Subject, SubjectKind
from tests.commands.helpers import ALICE, BOB, bot_settings
from tests.commands.recording import DM_ROOM, RecordingTransport

PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2026, 11, 23)  # the clock fixture: Monday 23 November 2026, 09:00 in Paris
SITES = """
sites:
  - name: Metz
    department: "57"
    desks: ["B-101", "B-102"]
    check_in: {morning: "10:00", afternoon: "14:30"}
  - name: Nantes
    department: "44"
    desks: ["N-1"]
  - name: Lille
    department: "59"
    desks: ["L-1"]
    check_in: {morning: "10:00", remind: true}
"""
TEAM = "!team:test"


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


@pytest.fixture
async def bot(storage, clock) -> RecordingTransport:
    await storage.import_sites(SITES)
    return RecordingTransport(Dispatcher(storage, bot_settings(), clock))


def confirmation(replies: list[Reply]) -> Reply:
    """The booking confirmation among the replies (the one that says what it is about)."""
    found = [r for r in replies if r.about is not None]
    assert len(found) == 1, replies
    return found[0]


def said(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


async def checked_in(storage, booking_id: int) -> bool:
    async with storage.engine.connect() as conn:
        value = await conn.scalar(
            select(reservations.c.checked_in_at).where(reservations.c.id == booking_id)
        )
    return value is not None


async def book(bot: RecordingTransport, text: str, who: str = ALICE) -> Reply:
    reply = confirmation(await bot.say(who, text))
    assert reply.about is not None and reply.about.kind is SubjectKind.BOOKING
    assert reply.event_id is not None
    return reply


async def test_a_check_mark_on_the_confirmation_checks_in_and_its_removal_undoes_it(
    bot, storage, clock
) -> None:
    clock.set(at(8, 30))
    reply = await book(bot, "réserve un bureau à Metz aujourd'hui")
    assert "📍" in reply.text and "10:00" in reply.text and "✅" in reply.text
    assert reply.about is not None
    (booking_id,) = reply.about.booking_ids
    assert reply.event_id is not None

    answer = said(await bot.react(ALICE, reply.event_id, "✅"))
    assert "Arrivée enregistrée" in answer and "B-101" in answer
    assert await checked_in(storage, booking_id)

    # A second check mark (another variant): already done, nothing changes.
    assert "déjà enregistrée" in said(await bot.react(ALICE, reply.event_id, "✔️"))
    assert await checked_in(storage, booking_id)

    # The first reaction removed: the check-in is taken back (before the deadline).
    assert "Arrivée annulée" in said(await bot.unreact(ALICE, "✅"))
    assert not await checked_in(storage, booking_id)
    # Removing the second one, which did nothing, changes nothing and says nothing.
    assert await bot.unreact(ALICE, "✔️") == []
    assert not await checked_in(storage, booking_id)


async def test_the_window_opens_an_hour_before_the_slot_and_closes_at_the_deadline(
    bot, storage, clock
) -> None:
    clock.set(at(7, 30))
    morning = await book(bot, "réserve à Metz aujourd'hui matin")
    afternoon = await book(bot, "réserve à Metz aujourd'hui après-midi")
    assert morning.event_id and afternoon.event_id and afternoon.about
    assert "14:30" in afternoon.text

    early = said(await bot.react(ALICE, morning.event_id, "✅"))
    assert "Trop tôt" in early and "08:00" in early
    clock.set(at(12, 29))
    assert "Trop tôt" in said(await bot.react(ALICE, afternoon.event_id, "✅"))
    assert "12:30" in said(await bot.react(ALICE, afternoon.event_id, "☑️"))
    clock.set(at(14, 30))
    assert "Arrivée enregistrée" in said(await bot.react(ALICE, afternoon.event_id, "✅"))
    late = said(await bot.react(ALICE, morning.event_id, "✅"))
    assert "Trop tard" in late and "10:00" in late and "réserver de nouveau" in late
    assert morning.about is not None
    assert not await checked_in(storage, morning.about.booking_ids[0])
    assert await checked_in(storage, afternoon.about.booking_ids[0])

    # A removed ✅ after the deadline leaves the check-in as it is.
    clock.set(at(14, 31))
    assert await bot.unreact(ALICE, "✅") == []
    assert await checked_in(storage, afternoon.about.booking_ids[0])


async def test_a_reaction_on_a_later_day_or_without_check_in_changes_nothing(
    bot, storage, clock
) -> None:
    clock.set(at(9, 0))
    tomorrow = await book(bot, "réserve à Metz demain")
    nantes = await book(bot, "réserve à Nantes aujourd'hui")
    assert "📍" not in nantes.text  # no check-in at Nantes: the confirmation says nothing
    assert tomorrow.event_id and nantes.event_id and tomorrow.about
    assert "Trop tôt" in said(await bot.react(ALICE, tomorrow.event_id, "✅"))
    assert "Inutile" in said(await bot.react(ALICE, nantes.event_id, "✅"))
    assert not await checked_in(storage, tomorrow.about.booking_ids[0])


async def test_reactions_that_mean_nothing_are_ignored(bot, storage, clock) -> None:
    clock.set(at(9, 0))
    reply = await book(bot, "réserve à Metz aujourd'hui")
    assert reply.event_id and reply.about
    help_reply = (await bot.say(ALICE, "aide"))[0]
    assert help_reply.about is None and help_reply.event_id is not None
    # Another emoji, a reaction to a message that is not about a booking, to an unknown event.
    assert await bot.react(ALICE, reply.event_id, "👍") == []
    assert await bot.react(ALICE, help_reply.event_id, "✅") == []
    assert await bot.react(ALICE, "$not-a-bot-message", "✅") == []
    # The same message, seen from another room: not the bot's message there.
    assert await bot.react(ALICE, reply.event_id, "✅", room="!elsewhere:test") == []
    assert not await checked_in(storage, reply.about.booking_ids[0])


async def test_someone_elses_booking_cannot_be_checked_in(bot, storage, clock) -> None:
    clock.set(at(9, 0))
    reply = confirmation(await bot.say(ALICE, "réserve à Metz aujourd'hui", room=TEAM))
    assert reply.event_id and reply.about
    answer = said(await bot.react(BOB, reply.event_id, "✅", room=TEAM))
    assert "n’est pas la vôtre" in answer
    assert not await checked_in(storage, reply.about.booking_ids[0])


async def test_the_sentence_checks_in_todays_bookings(bot, storage, clock) -> None:
    clock.set(at(7, 0))
    assert "pas de réservation aujourd’hui" in said(await bot.say(ALICE, "je suis arrivé"))
    reply = await book(bot, "réserve à Metz aujourd'hui")
    assert reply.about
    assert "Trop tôt" in said(await bot.say(ALICE, "je suis sur place"))
    clock.set(at(8, 5))
    assert "Arrivée enregistrée" in said(await bot.say(ALICE, "je suis arrivée !"))
    assert await checked_in(storage, reply.about.booking_ids[0])
    assert "déjà" in said(await bot.say(ALICE, "je suis là"))
    # In English too.
    assert "already checked in" in said(await bot.say(ALICE, "I'm here")).lower()


async def test_the_morning_reminder_is_sent_once_and_a_check_mark_on_it_checks_in(
    bot, storage, clock
) -> None:
    clock.set(at(8, 0))
    metz = await book(bot, "réserve à Metz aujourd'hui")
    lille = await book(bot, "réserve à Lille aujourd'hui", who=BOB)
    assert metz.about and lille.about
    job = CheckInReminderJob(storage, "fr")
    sent: list[Reply] = []

    async def tick(now: datetime) -> None:
        clock.set(now)
        await job(now)
        await drain(storage, ReplyCourier(_keep(sent), DM_ROOM), "test")

    await tick(at(8, 59))
    assert sent == []  # the slot has not started
    await tick(at(9, 0))
    await tick(at(9, 1))  # again, as a restart or a second process would: nothing more
    assert [r.to for r in sent] == [BOB]  # Metz does not remind; Lille does
    (reminder,) = sent
    assert "L-1" in reminder.text and "10:00" in reminder.text
    assert reminder.event_id is not None
    assert "Arrivée enregistrée" in said(await bot.react(BOB, reminder.event_id, "✅"))
    assert await checked_in(storage, lille.about.booking_ids[0])
    # Past the deadline, a booking not reminded yet is not reminded any more.
    await storage.reserve(ALICE, "Lille", [MONDAY], "pm")
    await tick(at(10, 1))
    assert len(sent) == 1


async def test_digest_reactions_book_set_a_status_and_are_undone(bot, storage, clock) -> None:
    clock.set(at(8, 0))
    await storage.set_room_members(TEAM, [(ALICE, "Alice"), (BOB, "Bob")])
    await storage.set_default_site(ALICE, "Metz")
    await storage.subscribe_digest(TEAM, "08:30", lead=ALICE)
    digests: list[Reply] = []
    job = DigestJob(storage, lambda: _Outbox(), lambda: None, owner="test")
    clock.set(at(8, 30))
    await job(at(8, 30))
    await drain(storage, ReplyCourier(_keep(digests), DM_ROOM), "test")
    (digest,) = digests
    assert "🏢" in digest.text and "🏠" in digest.text and "🌴" in digest.text
    assert digest.event_id is not None

    # 🏢: Alice's usual site is booked for the day, the answer by direct message.
    booked = await bot.react(ALICE, digest.event_id, "🏢", room=TEAM)
    assert [r.to for r in booked] == [ALICE]
    assert "B-101" in booked[0].text and "📍" in booked[0].text
    assert [b.site for b in await storage.list_bookings(ALICE, MONDAY, MONDAY)] == ["Metz"]
    # Removing 🏢 cancels that booking.
    undone = await bot.unreact(ALICE, "🏢", room=TEAM)
    assert [r.to for r in undone] == [ALICE] and "annulée" in undone[0].text
    assert await storage.list_bookings(ALICE, MONDAY, MONDAY) == []

    # 🏠: télétravail for the day; removed, the status goes.
    remote = await bot.react(BOB, digest.event_id, "🏠", room=TEAM)
    assert [r.to for r in remote] == [BOB] and "télétravail" in remote[0].text
    assert [p.kind for p in await storage.who(MONDAY, members=[BOB])] == ["remote"]
    await bot.unreact(BOB, "🏠", room=TEAM)
    assert await storage.who(MONDAY, members=[BOB]) == []

    # 🏢 without a usual site asks for it; a non-member's reaction is ignored.
    no_site = await bot.react(BOB, digest.event_id, "🏢", room=TEAM)
    assert "Quel est votre site" in no_site[0].text
    assert await bot.react("@stranger:test", digest.event_id, "🌴", room=TEAM) == []
    assert await storage.who(MONDAY, members=["@stranger:test"]) == []

    # Tomorrow, yesterday's digest means nothing any more.
    clock.set(at(9, 0, MONDAY + timedelta(days=1)))
    assert await bot.react(ALICE, digest.event_id, "🌴", room=TEAM) == []


async def test_a_status_by_reaction_never_cancels_a_booking_silently(bot, storage, clock) -> None:
    clock.set(at(8, 0))
    await storage.set_room_members(TEAM, [(ALICE, "Alice")])
    await storage.reserve(ALICE, "Metz", [MONDAY], "day")
    await storage.checkin.remember_message(
        "$digest", TEAM, Subject(SubjectKind.DIGEST, team_room=TEAM, day=MONDAY)
    )
    answer = await bot.react(ALICE, "$digest", "🌴", room=TEAM)
    assert "rien n’a changé" in answer[0].text
    assert len(await storage.list_bookings(ALICE, MONDAY, MONDAY)) == 1


async def test_erasure_removes_what_the_reactions_kept(bot, storage, clock) -> None:
    clock.set(at(9, 0))
    reply = await book(bot, "réserve à Metz aujourd'hui")
    assert reply.event_id
    await bot.react(ALICE, reply.event_id, "✅")
    removed = await storage.personal.erase_member(ALICE)
    assert removed is not None
    assert removed["bot_messages"] == 1 and removed["reactions"] == 1
    async with storage.engine.connect() as conn:
        assert (await conn.execute(select(bot_messages))).all() == []
        assert (await conn.execute(select(reaction_effects))).all() == []


class _Outbox:
    async def send(self, reply: Reply) -> None:  # the digest job only checks one is there
        raise AssertionError("the digest goes through the outbox table")


def _keep(into: list[Reply]):
    async def keep(reply: Reply) -> None:
        into.append(reply)

    return keep
