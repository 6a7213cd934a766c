"""Owned desks in the chat (issue 12, section 3): a manager assigns one, its owner lends it,
takes it back, asks who has it; others can book it only while it is lent or its owner away.
Through the real dispatcher and core and the recording transport (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.commands.helpers import ALICE, BOB, CAROL, active_bookings
from tests.commands.recording import RecordingTransport

CHEF = "@chef.metz:test"  # manager of Metz in the test sites file
# The clock fixture is Monday 23 November 2026, 09:00 in Paris.
TUESDAY, FRIDAY = "2026-11-24", "2026-11-27"


def own(replies: list) -> str:
    """The answer to the sender (not what went to others)."""
    return "\n".join(r.text for r in replies if r.room_id is None and r.to is None)


def dms(replies: list, to: str) -> list[str]:
    return [r.text for r in replies if r.to == to]


@pytest.fixture
async def owned(bot: RecordingTransport) -> RecordingTransport:
    """B-204 at Metz assigned to Alice by the manager of Metz."""
    await bot.say(ALICE, "bonjour")
    replies = await bot.say(CHEF, "attribue le bureau B-204 à @alice:test")
    assert "B-204" in own(replies) and "attribué à @alice:test" in own(replies)
    told = dms(replies, ALICE)
    assert len(told) == 1 and "vous est attribué" in told[0]
    return bot


async def test_only_a_manager_of_the_desks_site_assigns_it(bot: RecordingTransport) -> None:
    said = own(await bot.say(BOB, "attribue le bureau B-204 à @bob:test"))
    assert said.startswith("Désolé, seuls les responsables du site du bureau")
    said = own(await bot.say(BOB, "attribue le bureau B-204 de Metz à @bob:test"))
    assert said.startswith("Désolé, seuls les responsables du site du bureau")
    storage = bot.dispatcher.storage
    await storage.add_manager("Nantes", BOB)  # a manager of another site
    said = own(await bot.say(BOB, "attribue le bureau B-204 à @bob:test"))
    assert said.startswith("Désolé, seuls les responsables du site Metz") and CHEF in said
    said = own(await bot.say(CHEF, "attribue le bureau Z-99 à @bob:test"))
    assert "Je ne connais pas de bureau Z-99" in said
    said = own(await bot.say(CHEF, "attribue le bureau B-204 à Bob"))
    assert "À qui" in said
    assert await storage.owners.owned_desks(BOB) == []


async def test_nobody_else_books_an_owned_desk(owned: RecordingTransport) -> None:
    storage = owned.dispatcher.storage
    said = own(await owned.say(BOB, "réserve le bureau B-204 à Metz vendredi"))
    assert "B-204" in said and "réservé" not in said.split("\n")[0].lower()
    assert await active_bookings(storage, BOB) == set()
    said = own(await owned.say(BOB, "places libres à Metz vendredi"))
    assert "2/3" in said and "B-204" not in said
    # The owner is on site at their desk without booking it.
    said = own(await owned.say(CAROL, "qui est là vendredi à Metz ?"))
    assert "Alice" in said and "B-204" in said


async def test_lend_then_someone_books_then_take_back_is_refused(
    owned: RecordingTransport,
) -> None:
    storage = owned.dispatcher.storage
    said = own(await owned.say(ALICE, "je prête mon bureau vendredi"))
    assert "Votre bureau B-204 à Metz est prêté" in said
    said = own(await owned.say(BOB, "réserve le bureau B-204 à Metz vendredi"))
    assert await active_bookings(storage, BOB) == {(FRIDAY, "Metz", "day")}, said
    said = own(await owned.say(ALICE, "qui a mon bureau vendredi ?"))
    assert "réservé par Bob" in said
    said = own(await owned.say(ALICE, "je reprends mon bureau vendredi"))
    assert "Bob l’a déjà réservé" in said
    assert await active_bookings(storage, BOB) == {(FRIDAY, "Metz", "day")}


async def test_take_back_while_nobody_booked(owned: RecordingTransport) -> None:
    await owned.say(ALICE, "my desk is free on Friday")
    said = own(await owned.say(ALICE, "I take my desk back on Friday"))
    assert "Your desk B-204 at Metz is yours again" in said
    said = own(await owned.say(ALICE, "who has my desk on Friday?"))
    assert ": yours." in said


async def test_a_loan_by_someone_without_a_desk_changes_nothing(
    owned: RecordingTransport,
) -> None:
    storage = owned.dispatcher.storage
    said = own(await owned.say(BOB, "je prête mon bureau du 7 au 11 décembre"))
    assert "Vous n’avez pas de bureau attribué" in said
    said = own(await owned.say(BOB, "qui a mon bureau mardi ?"))
    assert "Vous n’avez pas de bureau attribué" in said
    said = own(await owned.say(ALICE, "je prête mon bureau samedi"))
    assert "n’est pas ouvert, rien à prêter" in said
    said = own(await owned.say(CAROL, "réserve le bureau B-204 à Metz samedi"))
    assert await active_bookings(storage, CAROL) == set()


async def test_a_status_on_an_owned_day_lends_the_desk(owned: RecordingTransport) -> None:
    storage = owned.dispatcher.storage
    await owned.say(ALICE, "télétravail mardi")
    said = own(await owned.say(BOB, "réserve le bureau B-204 à Metz mardi"))
    assert await active_bookings(storage, BOB) == {(TUESDAY, "Metz", "day")}, said
    # A status on a day the owner booked asks first, then cancels the booking.
    await owned.say(ALICE, "réserve à Metz vendredi")
    assert await active_bookings(storage, ALICE) == {(FRIDAY, "Metz", "day")}
    asked = own(await owned.say(ALICE, "congé vendredi"))
    assert "« oui »" in asked
    await owned.say(ALICE, "oui")
    assert await active_bookings(storage, ALICE) == set()
    said = own(await owned.say(CAROL, "réserve le bureau B-204 à Metz vendredi"))
    assert await active_bookings(storage, CAROL) == {(FRIDAY, "Metz", "day")}, said


async def test_unassign_makes_it_an_ordinary_desk(owned: RecordingTransport) -> None:
    storage = owned.dispatcher.storage
    said = own(await owned.say(CHEF, "le bureau B-204 n'est plus attribué"))
    assert "n’est plus attribué à @alice:test" in said
    said = own(await owned.say(CHEF, "le bureau B-204 n'est plus attribué"))
    assert "n’était attribué à personne" in said
    await owned.say(BOB, "réserve le bureau B-204 à Metz vendredi")
    assert await active_bookings(storage, BOB) == {(FRIDAY, "Metz", "day")}
