"""Issue 6 on a real Synapse: the morning digest posted by the scheduler, a site closure told to
the affected agent in a new encrypted direct chat, and room power levels deciding who may
subscribe a room. The real `bureau-volant run` process; matrix-nio clients as the people.

The bot runs on a clock that starts at a fixed instant (BOT_CLOCK_START) and then runs at real
speed, so these tests do not depend on today's date (a Sunday or a holiday in CI).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import monotonic

import pytest
from nio import RoomGetStateEventResponse

from storage.core import Storage
from tests.e2e import bot_process
from tests.e2e.bot_process import BotProcess, prepare_database
from tests.e2e.homeserver import Account, Homeserver
from tests.e2e.matrix_user import MatrixUser, NewUser

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(Homeserver.from_env() is None, reason="TEST_SYNAPSE_URL is unset"),
]

TUESDAY = date(2026, 11, 24)  # a working day in Moselle
THURSDAY = date(2026, 11, 26)
# The bot's clock starts this long before the digest time: room enough to book and subscribe
# before it (a few seconds alone, with the bot's first-start cross-signing; 20 s and more were
# seen on a busy 2-core machine), little enough to keep the test short.
LEAD_S = 45
DIGEST_AT = datetime.combine(TUESDAY, time(8, 30))  # naive: Europe/Paris for the bot
DIGEST_CLOCK_START = (DIGEST_AT - timedelta(seconds=LEAD_S)).isoformat()
LATER_THAT_DAY = datetime.combine(TUESDAY, time(10, 0)).isoformat()
TICK_S = 1  # BOT_SCHEDULER_TICK: the digest goes out within a second of its minute
QUIET_S = 3.0  # after the digest: room for a duplicate to show up (three ticks)


def write_sites(path: Path, metz_managers: list[str]) -> Path:
    """A small sites file: Metz (Moselle) with its managers, and Nancy. Written here, not
    tests/data/sites.yaml: its managers are the users this test registers on Synapse."""
    managers = ", ".join(f'"{m}"' for m in metz_managers)
    path.write_text(
        "sites:\n"
        "  - name: Metz\n"
        '    department: "57"\n'
        f"    managers: [{managers}]\n"
        "    desks: [M-01, M-02, M-03]\n"
        "  - name: Nancy\n"
        '    department: "54"\n'
        "    desks: [N-01, N-02]\n",
        encoding="utf-8",
    )
    return path


def start_bot(
    processes: list[BotProcess],
    server: Homeserver,
    account: Account,
    database_url: str,
    workdir: Path,
    clock_start: str,
) -> BotProcess:
    """The bot on a chosen clock, looking at scheduled work every TICK_S seconds."""
    return bot_process.start_bot(
        processes,
        server,
        account,
        database_url,
        workdir,
        clock_start=clock_start,
        extra_env={"BOT_SCHEDULER_TICK": str(TICK_S)},
    )


async def person(new_user: NewUser, server: Homeserver, prefix: str, name: str) -> MatrixUser:
    user = await new_user(server, prefix)
    await user.client.set_displayname(name)
    return user


async def say(user: MatrixUser, room: str, text: str) -> str:
    """Send a command and return the body of the bot's reply (bounded wait)."""
    return (await user.wait_for_reply(await user.send_text(room, text))).body


async def test_a_subscribed_room_receives_the_digest_at_its_minute(
    homeserver: Homeserver,
    new_user: NewUser,
    bot_account: Account,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    sites = write_sites(tmp_path / "sites.yaml", ["@chef.metz:agent.interieur.tchap.gouv.fr"])
    database_url = prepare_database(tmp_path / "bot.sqlite3", sites)
    lead = await person(new_user, homeserver, "lea", "Léa Chef")
    bob = await person(new_user, homeserver, "bob", "Bob Martin")
    carol = await person(new_user, homeserver, "carole", "Carole Petit")
    # Another bot in the team room: recognised by its name, it is not a team member.
    other_bot = await person(new_user, homeserver, "rappels-bot-", "Rappels")
    room = await lead.create_room(
        [bob.user_id, carol.user_id, other_bot.user_id, bot_account.user_id],
        encrypted=True,  # Tchap's private rooms are
        name="Équipe Metz",
    )
    for member in (bob, carol, other_bot):
        await member.client.join(room)
        await lead.wait_for_join(room, member.user_id)

    bot = start_bot(
        bot_processes,
        homeserver,
        bot_account,
        database_url,
        tmp_path / "bot",
        DIGEST_CLOCK_START,
    )
    assert bot.started_at is not None
    await lead.wait_for_join(room, bot_account.user_id)
    await bob.wait_for_join(room, bot_account.user_id)
    await carol.wait_for_join(room, bot_account.user_id)

    booked = await say(bob, room, "!bureau réserve un bureau à Metz aujourd'hui")
    remote = await say(carol, room, "!bureau télétravail aujourd'hui")
    subscribed = await say(lead, room, "!bureau récap quotidien ici à 08:30")
    setup_s = monotonic() - bot.started_at

    assert "Metz" in booked and "M-0" in booked, booked
    assert "télétravail" in remote.casefold(), remote
    # The room's creator may (room version 12, Synapse's default: creators have unlimited
    # power and are absent from the power levels). The team: Léa, Bob, Carole; neither bot.
    assert subscribed.startswith("✅") and "08:30" in subscribed, subscribed
    assert "équipe de 3 personnes" in subscribed, subscribed
    assert setup_s < LEAD_S - 2, f"setup took {setup_s:.1f} s: the digest time had passed"
    assert not lead.notices_from(bot_account.user_id, room), "a digest came before 08:30"

    await lead.wait_until(
        lambda: bool(lead.notices_from(bot_account.user_id, room)),
        LEAD_S + 15,
        "the 08:30 digest",
    )
    digest = lead.notices_from(bot_account.user_id, room)[0]
    # The bot's clock reaches 08:30 no sooner than LEAD_S after the process started.
    assert digest.seen_at - bot.started_at >= LEAD_S
    assert digest.seen_at - bot.started_at <= LEAD_S + 15, "the digest was late"
    assert digest.decrypted
    assert digest.thread_root is None and "m.relates_to" not in digest.content
    lines = digest.body.splitlines()
    assert lines[0].startswith("📋") and "24" in lines[0], digest.body
    assert any("Metz" in line and "Bob Martin (M-0" in line for line in lines), digest.body
    assert any("Carole Petit" in line and "Metz" not in line for line in lines), digest.body
    assert "Léa Chef" in digest.body
    assert "Rappels" not in digest.body and other_bot.user_id not in digest.body
    assert "<td>Metz</td><td>Bob Martin</td>" in digest.content["formatted_body"]
    assert digest.content["m.mentions"] == {}, "nobody is pinged at 8:30"

    await _no_second_notice(lead, bot_account.user_id, room)
    async with Storage.open(database_url) as storage:
        assert await storage.digest_sent(room, TUESDAY)
        assert {m.matrix_id for m in await storage.room_members(room)} == {
            lead.user_id,
            bob.user_id,
            carol.user_id,
        }
    assert "digest posted in" in bot.log()


async def _no_second_notice(user: MatrixUser, bot_id: str, room: str) -> None:
    """Exactly one digest: wait a few scheduler ticks and count again."""
    try:
        await user.wait_until(
            lambda: len(user.notices_from(bot_id, room)) > 1, QUIET_S, "a second digest"
        )
    except TimeoutError:
        return
    bodies = [s.body for s in user.notices_from(bot_id, room)]
    raise AssertionError(f"more than one digest: {bodies}")


async def test_b_a_site_closure_is_told_to_the_agent_in_a_new_encrypted_direct_chat(
    homeserver: Homeserver,
    new_user: NewUser,
    bot_account: Account,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    manager = await person(new_user, homeserver, "chef", "Chef Metz")
    agent = await person(new_user, homeserver, "agent", "Agathe Volant")
    sites = write_sites(tmp_path / "sites.yaml", [manager.user_id])
    database_url = prepare_database(tmp_path / "bot.sqlite3", sites)
    start_bot(
        bot_processes,
        homeserver,
        bot_account,
        database_url,
        tmp_path / "bot",
        LATER_THAT_DAY,
    )
    # The agent books from her team room (not from a direct chat: the bot must create one).
    team = await agent.create_room(
        [manager.user_id, bot_account.user_id], encrypted=True, name="Équipe Metz"
    )
    await manager.client.join(team)
    await agent.wait_for_join(team, manager.user_id)
    await agent.wait_for_join(team, bot_account.user_id)
    booked = await say(agent, team, "!bureau réserve un bureau à Metz le 26 novembre")
    assert "Metz" in booked and "M-0" in booked, booked
    followed = await say(agent, team, "!bureau suis le site de Metz")
    assert followed.startswith("🔔"), followed

    direct = await manager.create_room([bot_account.user_id], encrypted=True, direct=True)
    await manager.wait_for_join(direct, bot_account.user_id)
    asked = await say(manager, direct, "ferme le site de Metz le 26 novembre")
    assert "1 réservation" in asked and "Metz" in asked, asked
    assert not agent.invites, "nothing is cancelled before the manager confirms"
    async with Storage.open(database_url) as storage:
        assert len(await storage.list_bookings(agent.user_id, THURSDAY, THURSDAY)) == 1
    done = await say(manager, direct, "oui")
    assert done.startswith("🚫 Metz fermé le"), done

    told_in = await agent.accept_invite(within=30)
    invite = agent.invites[told_in]
    assert invite.sender == bot_account.user_id and invite.content.get("is_direct") is True
    await agent.wait_until(
        lambda: bool(agent.notices_from(bot_account.user_id, told_in)), 30, "the closure notice"
    )
    notice = agent.notices_from(bot_account.user_id, told_in)[0]
    assert notice.decrypted, "the direct chat must be encrypted, as on Tchap"
    assert notice.body.startswith("🚫 Metz sera fermé"), notice.body
    assert "26" in notice.body and "M-0" in notice.body, notice.body
    assert not agent.undecryptable
    dm = agent.client.rooms[told_in]
    assert dm.encrypted and told_in not in (team, direct)
    assert set(dm.users) == {agent.user_id, bot_account.user_id}  # Tchap: two members
    # The room following Metz hears of it too (the manager's own chat answers instead).
    await agent.wait_until(
        lambda: bool(agent.notices_from(bot_account.user_id, team)), 30, "the announcement"
    )
    assert agent.notices_from(bot_account.user_id, team)[0].body.startswith("📢 Metz")

    async with Storage.open(database_url) as storage:
        assert await storage.list_bookings(agent.user_id, THURSDAY, THURSDAY) == []


async def test_c_only_moderators_may_subscribe_a_room_to_the_digest(
    homeserver: Homeserver,
    new_user: NewUser,
    bot_account: Account,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    sites = write_sites(tmp_path / "sites.yaml", ["@chef.metz:agent.interieur.tchap.gouv.fr"])
    database_url = prepare_database(tmp_path / "bot.sqlite3", sites)
    start_bot(
        bot_processes,
        homeserver,
        bot_account,
        database_url,
        tmp_path / "bot",
        LATER_THAT_DAY,
    )
    owner = await person(new_user, homeserver, "proprio", "Paule Proprio")
    bob = await person(new_user, homeserver, "bob", "Bob Martin")
    room = await owner.create_room([bob.user_id, bot_account.user_id], name="Équipe Nancy")
    await bob.client.join(room)
    await owner.wait_for_join(room, bob.user_id)
    await owner.wait_for_join(room, bot_account.user_id)

    refused = await say(bob, room, "!bureau récap quotidien ici à 08:30")
    assert refused.startswith("Désolé") and "modérateur" in refused, refused
    async with Storage.open(database_url) as storage:
        assert await storage.get_team(room) is None

    # Made a moderator (power level 50), Bob may: the bot reads the room's current levels.
    levels = await owner.client.room_get_state_event(room, "m.room.power_levels")
    assert isinstance(levels, RoomGetStateEventResponse), levels
    content = dict(levels.content)
    content["users"] = {**content.get("users", {}), bob.user_id: 50}
    await owner.client.room_put_state(room, "m.room.power_levels", content)
    accepted = await say(bob, room, "!bureau récap quotidien ici à 08:30")
    assert accepted.startswith("✅") and "équipe de 2 personnes" in accepted, accepted
    async with Storage.open(database_url) as storage:
        team = await storage.get_team(room)
    assert team is not None and team.digest_time == "08:30"
