"""Check-in by reaction end to end (issue 12): the real `bureau-volant run` process, a real
Synapse, and an agent whose ✅ on the booking confirmation in an encrypted direct chat is an
encrypted `m.reaction` (as Element sends it): the booking is checked in, and removing the
reaction (a redaction) takes the check-in back."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import uuid4

import pytest
from nio import RoomRedactResponse, RoomSendResponse
from nio.api import Api
from sqlalchemy import select

from storage.core import Storage
from storage.models import reservations
from tests.e2e import bot_process
from tests.e2e.bot_process import BotProcess
from tests.e2e.homeserver import Account, Homeserver
from tests.e2e.matrix_user import MatrixUser, NewUser

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(Homeserver.from_env() is None, reason="TEST_SYNAPSE_URL is unset"),
]

CLOCK_START = "2026-11-23T09:00:00"  # a Monday at 09:00 in Paris: Metz's window (until 10:00)
MONDAY = date(2026, 11, 23)


async def send_encrypted_reaction(user: MatrixUser, room_id: str, target: str, key: str) -> str:
    """An `m.reaction` encrypted like a message (nio's `room_send` sends reactions in clear);
    the relation stays readable to the server, as the encryption module copies it out."""
    client = user.client
    assert client.olm is not None
    if client.olm.should_share_group_session(room_id):
        await client.share_group_session(room_id, ignore_unverified_devices=True)
    content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": target, "key": key}}
    event_type, encrypted = client.encrypt(room_id, "m.reaction", content)
    assert event_type == "m.room.encrypted"
    method, path, data = Api.room_send(
        client.access_token, room_id, event_type, encrypted, str(uuid4())
    )
    response = await client._send(RoomSendResponse, method, path, data, (room_id,))
    assert isinstance(response, RoomSendResponse), response
    return str(response.event_id)


async def checked_in(database_url: str, member: str) -> list[bool]:
    async with Storage.open(database_url) as storage:
        (booking,) = await storage.list_bookings(member, MONDAY, MONDAY)
        async with storage.engine.connect() as conn:
            value = await conn.scalar(
                select(reservations.c.checked_in_at).where(reservations.c.id == booking.id)
            )
    return [value is not None]


async def test_an_encrypted_check_mark_in_a_direct_chat_checks_in(
    homeserver: Homeserver,
    new_user: NewUser,
    bot_account: Account,
    database_url: str,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    bot_process.start_bot(
        bot_processes,
        homeserver,
        bot_account,
        database_url,
        tmp_path / "bot",
        clock_start=CLOCK_START,
    )
    alice = await new_user(homeserver, "alice")
    room = await alice.create_room([bot_account.user_id], encrypted=True, direct=True)
    await alice.wait_for_join(room, bot_account.user_id)

    command = await alice.send_text(room, "réserve un bureau à Metz aujourd'hui")
    confirmation = await alice.wait_for_reply(command)
    assert confirmation.decrypted and "📍" in confirmation.body and "10:00" in confirmation.body
    assert await checked_in(database_url, alice.user_id) == [False]

    reaction = await send_encrypted_reaction(alice, room, confirmation.event_id, "✅")
    answer = await alice.wait_for_reply(confirmation.event_id)
    assert answer.sender == bot_account.user_id and answer.decrypted
    assert "Arrivée enregistrée" in answer.body
    assert await checked_in(database_url, alice.user_id) == [True]

    redacted = await alice.client.room_redact(room, reaction)
    assert isinstance(redacted, RoomRedactResponse), redacted
    await alice.wait_until(
        lambda: (
            any("Arrivée annulée" in s.body for s in alice.replies_to(confirmation.event_id))
            or any(
                "Arrivée annulée" in s.body for s in alice.notices_from(bot_account.user_id, room)
            )
        ),
        30,
        "the check-in withdrawn",
    )
    assert await checked_in(database_url, alice.user_id) == [False]
