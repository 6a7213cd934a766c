"""The Matrix transport in-process against a real Synapse, with a recording handler.

These pin the transport's own behaviours (what is a command, how replies look, encryption,
invites, direct rooms, exactly-once) independently of the commands; `test_scenarios.py` runs the
real `bureau-volant run` process.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.messages import Message, Reply
from bot.transport.matrix_inbound import CREATOR_POWER_LEVEL
from tests.e2e.homeserver import Account, Homeserver
from tests.e2e.matrix_user import NewUser
from tests.e2e.transport_helpers import EchoHandler, MemoryLedger, bot_settings, running

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(Homeserver.from_env() is None, reason="TEST_SYNAPSE_URL is unset"),
]


async def test_group_room_commands_need_the_prefix_or_a_mention(
    homeserver: Homeserver, new_user: NewUser, bot_account: Account, tmp_path: Path
) -> None:
    alice = await new_user(homeserver, "alice")
    bob = await new_user(homeserver, "bob")
    handler = EchoHandler()
    async with running(bot_settings(homeserver, bot_account, tmp_path / "store"), handler):
        room = await alice.create_room([bob.user_id, bot_account.user_id], name="Équipe")
        await alice.wait_for_join(room, bot_account.user_id)
        await bob.client.join(room)
        await alice.wait_for_join(room, bob.user_id)

        chat = await alice.send_text(room, "on déjeune ensemble ?")
        notice = await alice.send_text(room, "!bureau aide", msgtype="m.notice")
        command = await alice.send_text(room, "!bureau   aide <moi>")
        reply = await alice.wait_for_reply(command)
        assert reply.sender == bot_account.user_id
        assert reply.msgtype == "m.notice"
        assert reply.body == "écho : aide <moi>"
        assert reply.content["format"] == "org.matrix.custom.html"
        assert reply.content["formatted_body"] == "<b>écho</b> : aide &lt;moi&gt;"

        localpart = bot_account.user_id[1:].split(":")[0]
        mention = await bob.send_text(
            room,
            f"{localpart}: mes réservations",
            extra={"m.mentions": {"user_ids": [bot_account.user_id]}},
        )
        assert (await alice.wait_for_reply(mention)).body == "écho : mes réservations"
        await asyncio.sleep(1.0)  # time for a wrong answer to arrive
        assert not alice.replies_to(chat) and not alice.replies_to(notice)
        assert [m.text for m in handler.messages] == ["aide <moi>", "mes réservations"]
        assert all(not m.is_direct for m in handler.messages)
        assert handler.messages[1].sender == bob.user_id


async def test_encrypted_direct_chat_both_sides_decrypt(
    homeserver: Homeserver, new_user: NewUser, bot_account: Account, tmp_path: Path
) -> None:
    alice = await new_user(homeserver, "alice")
    handler = EchoHandler()
    async with running(bot_settings(homeserver, bot_account, tmp_path / "store"), handler):
        room = await alice.create_room([bot_account.user_id], encrypted=True, direct=True)
        await alice.wait_for_join(room, bot_account.user_id)
        command = await alice.send_text(room, "réserve un bureau à Metz mardi")
        reply = await alice.wait_for_reply(command)
        assert reply.decrypted and reply.body == "écho : réserve un bureau à Metz mardi"
        assert handler.messages[0].is_direct
        assert handler.messages[0].text == "réserve un bureau à Metz mardi"


async def test_a_command_in_a_thread_is_answered_in_the_thread(
    homeserver: Homeserver, new_user: NewUser, bot_account: Account, tmp_path: Path
) -> None:
    alice = await new_user(homeserver, "alice")
    handler = EchoHandler()
    async with running(bot_settings(homeserver, bot_account, tmp_path / "store"), handler):
        room = await alice.create_room([bot_account.user_id], encrypted=True, direct=True)
        await alice.wait_for_join(room, bot_account.user_id)
        root = await alice.send_text(room, "Organisation de la semaine")
        await alice.wait_for_reply(root)
        command = await alice.send_text(room, "qui est à Metz demain", thread_root=root)
        reply = await alice.wait_for_reply(command)
        assert reply.thread_root == root
        assert handler.messages[-1].thread_id == root


async def test_history_from_before_the_bot_joined_is_not_answered(
    homeserver: Homeserver, new_user: NewUser, bot_account: Account, tmp_path: Path
) -> None:
    alice = await new_user(homeserver, "alice")
    handler = EchoHandler()
    async with running(bot_settings(homeserver, bot_account, tmp_path / "store"), handler):
        room = await alice.create_room([], name="Avant")
        old = await alice.send_text(room, "!bureau ancienne commande")
        await alice.invite(room, bot_account.user_id)
        await alice.wait_for_join(room, bot_account.user_id)
        new = await alice.send_text(room, "!bureau nouvelle commande")
        await alice.wait_for_reply(new)
        assert not alice.replies_to(old)
        assert [m.text for m in handler.messages] == ["nouvelle commande"]


async def test_invites_from_servers_not_allowed_are_ignored(
    homeserver: Homeserver, new_user: NewUser, bot_account: Account, tmp_path: Path
) -> None:
    alice = await new_user(homeserver, "alice")
    settings = bot_settings(homeserver, bot_account, tmp_path / "store", {"elsewhere.example"})
    async with running(settings, EchoHandler()) as transport:
        room = await alice.create_room([bot_account.user_id], name="Refus")
        await asyncio.sleep(2.0)  # several sync rounds
        assert room in transport.client.invited_rooms
        assert room not in transport.client.rooms
        assert not alice.is_joined(room, bot_account.user_id)


async def test_handled_events_are_not_handled_again(
    homeserver: Homeserver, new_user: NewUser, bot_account: Account, tmp_path: Path
) -> None:
    alice = await new_user(homeserver, "alice")
    handler, ledger = EchoHandler(), MemoryLedger()
    settings = bot_settings(homeserver, bot_account, tmp_path / "store")
    async with running(settings, handler, ledger):
        room = await alice.create_room([bot_account.user_id], direct=True)
        await alice.wait_for_join(room, bot_account.user_id)
        first = await alice.send_text(room, "un")
        await alice.wait_for_reply(first)
    second = await alice.send_text(room, "deux")
    # The sync position was saved: a new start delivers "deux" only; forgetting the position
    # (ledger kept) must not answer "un" twice either.
    async with running(settings, handler, ledger):
        await alice.wait_for_reply(second)
    assert [m.text for m in handler.messages] == ["un", "deux"]
    assert len(alice.replies_to(first)) == 1


async def test_the_outbox_opens_an_encrypted_direct_room(
    homeserver: Homeserver, new_user: NewUser, bot_account: Account, tmp_path: Path
) -> None:
    alice = await new_user(homeserver, "alice")
    async with running(
        bot_settings(homeserver, bot_account, tmp_path / "store"), EchoHandler()
    ) as transport:
        closure = Reply(text="Le site de Metz est fermé lundi.", html="", to=alice.user_id)
        sending = asyncio.create_task(transport.send(closure))
        room = await alice.accept_invite()
        await asyncio.wait_for(sending, 30)
        await alice.wait_until(
            lambda: any(s.room_id == room and s.sender == bot_account.user_id for s in alice.seen),
            30,
            "the notice",
        )
        notice = next(s for s in alice.seen if s.sender == bot_account.user_id)
        assert notice.decrypted and notice.msgtype == "m.notice"
        assert notice.body == "Le site de Metz est fermé lundi."
        assert transport.client.rooms[room].encrypted
        # A second message reuses the room.
        await transport.send(Reply(text="Rouvert mardi.", html="", to=alice.user_id))
        assert set(transport.client.rooms) == {room}


@dataclass
class SlowHandler(EchoHandler):
    """Takes a second to answer, as a command that waits for a busy database would."""

    async def handle(self, message: Message) -> list[Reply]:
        await asyncio.sleep(1.0)
        return await super().handle(message)


async def test_a_slow_answer_shows_typing_and_commands_get_a_read_receipt(
    homeserver: Homeserver, new_user: NewUser, bot_account: Account, tmp_path: Path
) -> None:
    alice = await new_user(homeserver, "alice")
    async with running(bot_settings(homeserver, bot_account, tmp_path / "store"), SlowHandler()):
        room = await alice.create_room([bot_account.user_id], direct=True)
        await alice.wait_for_join(room, bot_account.user_id)
        command = await alice.send_text(room, "qui est là")
        await alice.wait_for_reply(command)
        await alice.wait_until(
            lambda: (room, command, bot_account.user_id) in alice.receipts, 10, "a read receipt"
        )
    assert (room, bot_account.user_id) in alice.typing


async def test_the_room_directory_lists_joined_members(
    homeserver: Homeserver, new_user: NewUser, bot_account: Account, tmp_path: Path
) -> None:
    alice = await new_user(homeserver, "alice")
    bob = await new_user(homeserver, "bob")
    settings = bot_settings(homeserver, bot_account, tmp_path / "store")
    async with running(settings, EchoHandler()) as transport:
        room = await alice.create_room([bob.user_id, bot_account.user_id], name="Équipe")
        await alice.wait_for_join(room, bot_account.user_id)
        # Alice's sync may show the bot's join before the bot's own sync does.
        await alice.wait_until(lambda: room in transport.client.rooms, 10, "the bot's sync")
        members = await transport.room_members(room)
        assert members == [(alice.user_id, alice.user_id[1:].split(":")[0])]  # bob is invited
        assert await transport.room_members("!unknown:example.org") is None  # not known


async def test_a_message_whose_key_arrives_late_is_answered_when_it_comes(
    homeserver: Homeserver, new_user: NewUser, bot_account: Account, tmp_path: Path
) -> None:
    alice = await new_user(homeserver, "alice")
    handler = EchoHandler()
    async with running(bot_settings(homeserver, bot_account, tmp_path / "store"), handler):
        room = await alice.create_room([bot_account.user_id], encrypted=True, direct=True)
        await alice.wait_for_join(room, bot_account.user_id)
        command, release_key = await alice.send_text_holding_the_key(room, "qui est à Metz")
        await asyncio.sleep(2.0)  # the bot has seen it, cannot read it, and says nothing yet
        assert not alice.replies_to(command) and not handler.messages
        await release_key()
        reply = await alice.wait_for_reply(command)
        assert reply.body == "écho : qui est à Metz"
        assert [m.text for m in handler.messages] == ["qui est à Metz"]


@pytest.mark.parametrize(
    ("room_version", "creator_level"),
    [("10", 100), ("12", CREATOR_POWER_LEVEL)],  # 12+: creators are not in power_levels
)
async def test_messages_carry_the_senders_power_level_and_bots_are_not_members(
    homeserver: Homeserver,
    new_user: NewUser,
    bot_account: Account,
    tmp_path: Path,
    room_version: str,
    creator_level: int,
) -> None:
    alice = await new_user(homeserver, "alice")
    bob = await new_user(homeserver, "bob")
    other_bot = await new_user(homeserver, "sondages-bot-")
    handler = EchoHandler()
    settings = bot_settings(homeserver, bot_account, tmp_path / "store")
    async with running(settings, handler) as transport:
        room = await alice.create_room(
            [bob.user_id, other_bot.user_id, bot_account.user_id],
            encrypted=True,
            name="Équipe",
            room_version=room_version,
        )
        for member in (bob, other_bot):
            await member.client.join(room)
            await alice.wait_for_join(room, member.user_id)
        await alice.wait_for_join(room, bot_account.user_id)
        await bob.wait_for_join(room, bot_account.user_id)
        await alice.wait_for_reply(await alice.send_text(room, "!bureau un"))
        await bob.wait_for_reply(await bob.send_text(room, "!bureau deux"))
        # The creator is the room's admin; others have the default level (0).
        levels = [(m.text, m.power_level) for m in handler.messages]
        assert levels == [("un", creator_level), ("deux", 0)]
        members = await transport.room_members(room)
        # Neither the bot itself nor a bot recognised by its name ("sondages-bot-…").
        assert [user_id for user_id, _ in members] == sorted([alice.user_id, bob.user_id])
