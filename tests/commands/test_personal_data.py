"""Personal data from the chat: "mes données" (a JSON file, in the DM only), "supprime mes
données" (asked first, then erased), the audit of managers' actions, and the polite answer while
the database is away."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy.exc import DBAPIError

from bot.dispatcher import Dispatcher
from bot.messages import Message
from storage.availability import DatabaseUnavailable
from tests.commands.helpers import ALICE, active_bookings
from tests.commands.recording import RecordingTransport


async def test_my_data_comes_as_a_json_file_in_the_direct_room(bot: RecordingTransport) -> None:
    await bot.say(ALICE, "réserve à Metz le 24 décembre")
    replies = await bot.say(ALICE, "mes données")
    assert "tout ce que je garde sur vous" in replies[0].text
    (file_reply,) = [r for r in replies if r.attachments]
    (attachment,) = file_reply.attachments
    data = json.loads(attachment.data)
    assert data["profile"]["matrix_id"] == ALICE
    assert [b["day"] for b in data["bookings"]] == ["2026-12-24"]
    assert attachment.mimetype == "application/json"
    in_group = await bot.say(ALICE, "mes données", room="!group:test", is_direct=False)
    assert not any(r.attachments for r in in_group)
    assert "message direct" in in_group[0].text


async def test_erasing_asks_then_cancels_and_forgets(bot: RecordingTransport, storage) -> None:
    await bot.say(ALICE, "réserve à Metz le 24 décembre")
    asked = await bot.say(ALICE, "supprime mes données")
    assert "définitif" in asked[0].text and "« oui »" in asked[0].text
    assert await storage.get_member(ALICE) is not None  # nothing yet
    done = await bot.say(ALICE, "oui")
    assert "vos données sont effacées (1 réservation à venir annulée)" in done[0].text
    assert await storage.personal.export_member(ALICE) is None
    assert await storage.bookings_at("Metz", [date(2026, 12, 24)]) == []
    assert "Metz" not in str(await active_bookings(storage, ALICE))


async def test_managers_actions_are_audited(bot: RecordingTransport, storage) -> None:
    chef = "@chef.metz:test"
    await bot.say(chef, "ouvre 2 places à Metz")
    await bot.say(chef, "ferme le site de Metz le 24 décembre")
    actions = [(e.actor, e.action, e.target) for e in await storage.personal.audit_entries()]
    assert actions == [(chef, "close", "Metz"), (chef, "open", "Metz")]


class Unavailable:
    """A storage whose database does not answer (what asyncpg raises when it is stopped)."""

    def __getattr__(self, name: str) -> object:
        async def fail(*args: object, **kwargs: object) -> None:
            raise DBAPIError("SELECT 1", None, ConnectionRefusedError(111, "refused"))

        return fail


async def test_an_unavailable_database_is_not_an_internal_error(bot: RecordingTransport) -> None:
    dispatcher = bot.handler
    assert isinstance(dispatcher, Dispatcher)
    down = Dispatcher(Unavailable(), dispatcher.settings, dispatcher.clock)  # type: ignore[arg-type]  # a stand-in Storage whose calls all fail
    with pytest.raises(DatabaseUnavailable):
        await down.handle(Message(sender=ALICE, room_id="!dm:test", text="mes réservations"))
