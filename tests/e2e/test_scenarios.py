"""The eight end-to-end scenarios of issue 5: the real `bureau-volant run` process, a real Synapse,
and matrix-nio clients as the people talking to it.

The bots run on a clock that starts on a fixed Monday (BOT_CLOCK_START), so "mardi" is always
the same working day, whatever the real date (next Tuesday may be a public holiday).
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from storage.core import Storage
from tests.e2e import bot_process
from tests.e2e.bot_process import BotProcess, prepare_database
from tests.e2e.homeserver import (
    Account,
    Homeserver,
    SynapseInstance,
    exempt_from_rate_limits,
    register,
    set_account_expiry,
    unique_name,
)
from tests.e2e.matrix_user import MatrixUser, NewUser

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(Homeserver.from_env() is None, reason="TEST_SYNAPSE_URL is unset"),
]

BOOKING = "réserve un bureau à Metz mardi"
CHEAP = "aide"  # answered without writing anything
CLOCK_START = "2026-11-23T10:00:00"  # a Monday, Europe/Paris
TUESDAY = date(2026, 11, 24)  # "mardi" then: a working day in Moselle


def start_bot(
    processes: list[BotProcess],
    server: Homeserver,
    account: Account,
    database_url: str,
    workdir: Path,
    **options: object,
) -> BotProcess:
    """The scenarios' bot: on a Monday, so that "mardi" is a working day whatever today is."""
    return bot_process.start_bot(
        processes, server, account, database_url, workdir, clock_start=CLOCK_START, **options
    )


async def private_bot(
    synapse: SynapseInstance, processes: list[BotProcess], tmp_path: Path
) -> tuple[Homeserver, Account, BotProcess]:
    """A bot account, database and process on a homeserver of the test's own."""
    server = synapse.homeserver
    assert server is not None
    account = await register(server, unique_name("bureau"))
    database_url = prepare_database(tmp_path / "bot.sqlite3")
    return server, account, start_bot(processes, server, account, database_url, tmp_path / "bot")


async def metz_tuesday_bookings(database_url: str, member: str) -> list[object]:
    async with Storage.open(database_url) as storage:
        bookings = await storage.list_bookings(member, TUESDAY, TUESDAY)
    return [b for b in bookings if b.site == "Metz"]


async def wait_for_health(bot: BotProcess, status: int, within: float) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        code, body = await asyncio.to_thread(bot.health)
        if code == status:
            assert body is not None
            return body
        await asyncio.sleep(0.2)
    raise TimeoutError(f"/healthz never answered {status} within {within:.0f} s:\n{bot.log()}")


async def test_1_group_room_invite_join_book(
    homeserver: Homeserver,
    new_user: NewUser,
    bot_account: Account,
    database_url: str,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    bot = start_bot(bot_processes, homeserver, bot_account, database_url, tmp_path / "bot")
    alice = await new_user(homeserver, "alice")
    bob = await new_user(homeserver, "bob")
    room = await alice.create_room([bob.user_id, bot_account.user_id], name="Équipe Metz")
    await alice.wait_for_join(room, bot_account.user_id)

    chat = await alice.send_text(room, BOOKING)  # no prefix in a group room: not for the bot
    command = await alice.send_text(room, f"!bureau {BOOKING}")
    reply = await alice.wait_for_reply(command)

    assert reply.sender == bot_account.user_id
    assert reply.msgtype == "m.notice"
    assert reply.content["format"] == "org.matrix.custom.html" and reply.content["formatted_body"]
    assert "Metz" in reply.body
    assert len(await metz_tuesday_bookings(database_url, alice.user_id)) == 1
    assert not alice.replies_to(chat)
    assert 'bureau_volant_commands_total{intent="reserve"' in bot.metrics()


async def test_2_encrypted_direct_chat_round_trip(
    homeserver: Homeserver,
    new_user: NewUser,
    bot_account: Account,
    database_url: str,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    start_bot(bot_processes, homeserver, bot_account, database_url, tmp_path / "bot")
    alice = await new_user(homeserver, "alice")
    room = await alice.create_room([bot_account.user_id], encrypted=True, direct=True)
    await alice.wait_for_join(room, bot_account.user_id)

    command = await alice.send_text(room, BOOKING)  # a direct chat needs no prefix
    reply = await alice.wait_for_reply(command)

    assert reply.decrypted, "the bot's reply was not encrypted"
    assert reply.msgtype == "m.notice" and "Metz" in reply.body
    assert len(await metz_tuesday_bookings(database_url, alice.user_id)) == 1
    assert not alice.undecryptable


async def test_3_a_command_in_a_thread_is_answered_in_the_thread(
    homeserver: Homeserver,
    new_user: NewUser,
    bot_account: Account,
    database_url: str,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    start_bot(bot_processes, homeserver, bot_account, database_url, tmp_path / "bot")
    alice = await new_user(homeserver, "alice")
    bob = await new_user(homeserver, "bob")
    room = await alice.create_room([bob.user_id, bot_account.user_id], name="Équipe")
    await alice.wait_for_join(room, bot_account.user_id)

    root = await alice.send_text(room, "Qui vient au bureau cette semaine ?")
    command = await alice.send_text(room, f"!bureau {CHEAP}", thread_root=root)
    reply = await alice.wait_for_reply(command)

    assert reply.thread_root == root
    assert reply.content["m.relates_to"]["is_falling_back"] is False
    assert [r.event_id for r in alice.replies_to(root) if r.sender == bot_account.user_id] == []


async def test_4_commands_sent_while_stopped_are_answered_once_after_restart(
    homeserver: Homeserver,
    new_user: NewUser,
    bot_account: Account,
    database_url: str,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    alice = await new_user(homeserver, "alice")
    room = await alice.create_room([], encrypted=True, name="Avant le bot")
    before_join = await alice.send_text(room, CHEAP)
    bot = start_bot(bot_processes, homeserver, bot_account, database_url, tmp_path / "bot")
    await alice.invite(room, bot_account.user_id)
    await alice.wait_for_join(room, bot_account.user_id)
    answered = await alice.send_text(room, CHEAP)
    await alice.wait_for_reply(answered)

    assert bot.stop() == 0, bot.log()
    while_stopped = [
        await alice.send_text(room, text) for text in (CHEAP, "mes réservations", CHEAP)
    ]
    bot.start()
    for event_id in while_stopped:
        await alice.wait_for_reply(event_id, within=60)
    await asyncio.sleep(3.0)  # room for a duplicate or a late answer to show up

    assert [len(alice.replies_to(e)) for e in while_stopped] == [1, 1, 1]
    assert len(alice.replies_to(answered)) == 1
    assert not alice.replies_to(before_join)


async def test_5_the_bot_recovers_when_synapse_restarts(
    new_user: NewUser,
    private_synapse: SynapseInstance,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    server, account, bot = await private_bot(private_synapse, bot_processes, tmp_path)
    alice = await new_user(server, "alice")
    room = await alice.create_room([account.user_id], encrypted=True, direct=True)
    await alice.wait_for_join(room, account.user_id)
    await alice.wait_for_reply(await alice.send_text(room, CHEAP))

    private_synapse.stop()
    await wait_for_health(bot, 503, within=30)
    private_synapse.start()

    reply = await alice.wait_for_reply(await alice.send_text(room, CHEAP), within=90)
    assert reply.decrypted
    assert bot.process is not None and bot.process.poll() is None
    assert "bureau_volant_sync_errors_total" in bot.metrics()


async def test_6_invites_from_servers_not_allowed_are_not_joined(
    homeserver: Homeserver,
    new_user: NewUser,
    bot_account: Account,
    database_url: str,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    bot = start_bot(
        bot_processes,
        homeserver,
        bot_account,
        database_url,
        tmp_path / "bot",
        allowed_servers="agent.interieur.tchap.gouv.fr",
    )
    alice = await new_user(homeserver, "alice")
    room = await alice.create_room([bot_account.user_id], name="Salon extérieur")

    deadline = time.monotonic() + 30
    while f"ignoring the invite to {room}" not in bot.log():
        assert time.monotonic() < deadline, f"the invite was not refused:\n{bot.log()}"
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)
    members = await alice.client.joined_members(room)
    assert bot_account.user_id not in {m.user_id for m in members.members}
    assert alice.client.rooms[room].users[bot_account.user_id].invited


async def test_7_strict_rate_limits_delay_replies_but_lose_none(
    strict_synapse: SynapseInstance,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    server = strict_synapse.homeserver
    assert server is not None
    admin = await register(server, unique_name("admin"), admin=True)
    account = await register(server, unique_name("bureau"))
    person = await register(server, unique_name("alice"))
    await exempt_from_rate_limits(server, admin, person.user_id)  # only the bot is limited
    database_url = prepare_database(tmp_path / "bot.sqlite3")
    bot = start_bot(bot_processes, server, account, database_url, tmp_path / "bot")
    async with MatrixUser(server.url, person, tmp_path / "alice") as alice:
        room = await alice.create_room([account.user_id], direct=True)
        await alice.wait_for_join(room, account.user_id)
        started = time.monotonic()
        commands = [await alice.send_text(room, CHEAP) for _ in range(6)]
        for event_id in commands:
            await alice.wait_for_reply(event_id, within=90)
        spread = time.monotonic() - started
        await asyncio.sleep(2.0)
        assert [len(alice.replies_to(e)) for e in commands] == [1] * 6
    # Burst 2 then one message every 2 s: six replies cannot all arrive at once.
    assert spread >= 4.0, spread
    assert "429" in bot.log() or "ratelimited" in bot.log(), bot.log()


async def test_8_healthz_is_503_while_synapse_is_down_and_200_after(
    new_user: NewUser,
    private_synapse: SynapseInstance,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    _, _, bot = await private_bot(private_synapse, bot_processes, tmp_path)
    healthy = await wait_for_health(bot, 200, within=10)
    assert healthy["checks"]["database"]["ok"]

    private_synapse.stop()
    down = await wait_for_health(bot, 503, within=30)
    assert down["status"] == "unavailable"
    assert not down["checks"]["matrix_sync"]["ok"]
    assert down["checks"]["database"]["ok"]

    private_synapse.start()
    await wait_for_health(bot, 200, within=90)


async def test_an_expired_account_is_reported_and_recovers_once_renewed(
    homeserver: Homeserver,
    new_user: NewUser,
    bot_account: Account,
    database_url: str,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    admin = await register(homeserver, unique_name("admin"), admin=True)
    bot = start_bot(bot_processes, homeserver, bot_account, database_url, tmp_path / "bot")
    alice = await new_user(homeserver, "alice")
    room = await alice.create_room([bot_account.user_id], direct=True)
    await alice.wait_for_join(room, bot_account.user_id)

    now_ms = int(time.time() * 1000)
    await set_account_expiry(homeserver, admin, bot_account.user_id, now_ms - 1000)
    await alice.send_text(room, "bonjour")  # ends the bot's long-poll: its next sync is refused
    down = await wait_for_health(bot, 503, within=30)
    assert "expired_account" in down["checks"]["matrix_sync"]["detail"]
    assert "ORG_MATRIX_EXPIRED_ACCOUNT" in bot.log() and "renew it" in bot.log()

    await set_account_expiry(homeserver, admin, bot_account.user_id, now_ms + 86_400_000)
    await wait_for_health(bot, 200, within=90)
    reply = await alice.wait_for_reply(await alice.send_text(room, CHEAP))
    assert reply.msgtype == "m.notice"


async def test_a_password_login_happens_once_and_keeps_its_device(
    homeserver: Homeserver,
    new_user: NewUser,
    bot_account: Account,
    database_url: str,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    workdir = tmp_path / "bot"
    bot = start_bot(
        bot_processes, homeserver, bot_account, database_url, workdir, use_password=True
    )
    saved = json.loads((workdir / "matrix" / "credentials.json").read_text())
    assert saved["user_id"] == bot_account.user_id and saved["device_id"] != bot_account.device_id
    alice = await new_user(homeserver, "alice")
    room = await alice.create_room([bot_account.user_id], encrypted=True, direct=True)
    await alice.wait_for_join(room, bot_account.user_id)
    await alice.wait_for_reply(await alice.send_text(room, CHEAP))

    assert bot.stop() == 0
    bot.start()
    reply = await alice.wait_for_reply(await alice.send_text(room, CHEAP))
    assert reply.decrypted  # same device, same keys: the room still works
    assert bot.log().count("logged in with the password") == 1
    assert json.loads((workdir / "matrix" / "credentials.json").read_text()) == saved
