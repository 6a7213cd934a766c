"""Managers, admins and team leads: openings, closures, announcements, appointments, digests —
and the polite refusals that say who can."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.commands.helpers import ADMIN, ALICE, BOB, CAROL, active_bookings
from tests.commands.recording import FakeDirectory, RecordingTransport

PARIS = ZoneInfo("Europe/Paris")
CHEF = "@chef.metz:test"
TEAM = "!team:test"


@pytest.fixture
async def team_bot(bot: RecordingTransport, clock) -> RecordingTransport:
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=PARIS))
    directory = FakeDirectory({TEAM: [(ALICE, "Alice"), (BOB, "Bob"), (CHEF, "Chef")]})
    bot.dispatcher.directory = directory
    return bot


async def in_team(bot: RecordingTransport, sender: str, text: str, level: int = 0) -> str:
    replies = await bot.say(sender, text, room=TEAM, is_direct=False, power_level=level)
    return "\n".join(r.text for r in replies if r.room_id is None and r.to is None)


def sent_to(
    bot: RecordingTransport, *, room: str | None = None, to: str | None = None
) -> list[str]:
    _, replies = bot.replies[-1]
    return [r.text for r in replies if (room and r.room_id == room) or (to and r.to == to)]


async def test_agents_are_refused_manager_commands_politely(team_bot) -> None:
    said = "\n".join(r.text for r in await team_bot.say(ALICE, "ouvre 10 places à Metz"))
    assert "seuls les responsables du site Metz" in said and CHEF in said
    said = "\n".join(r.text for r in await team_bot.say(ALICE, "ferme le site de Metz demain"))
    assert "seuls les responsables" in said
    said = "\n".join(
        r.text for r in await team_bot.say(ALICE, "nomme @bob:test responsable de Metz")
    )
    assert "seul un administrateur" in said and ADMIN in said
    said = "\n".join(r.text for r in await team_bot.say(ALICE, "annonce : pot vendredi"))
    assert "seuls les responsables" in said


async def test_opening_places_announces_in_following_rooms(team_bot, storage) -> None:
    assert "suit désormais Metz" in await in_team(team_bot, ALICE, "suis le site de Metz", 100)
    said = "\n".join(
        r.text for r in await team_bot.say(CHEF, "ouvre 2 places à Metz à partir du 1er décembre")
    )
    assert "2 places ouvertes à Metz" in said and "Annoncé dans 1 salon" in said
    news = sent_to(team_bot, room=TEAM)
    assert len(news) == 1 and "2 nouvelles places ouvertes" in news[0]
    assert (await storage.get_site("Metz")).desk_count == 5


async def test_closing_asks_then_cancels_and_tells_each_agent(team_bot, storage) -> None:
    await in_team(team_bot, ALICE, "suis le site de Metz", 100)
    await team_bot.say(ALICE, "réserve à Metz le 24 décembre")
    asked = "\n".join(
        r.text for r in await team_bot.say(CHEF, "ferme le site de Metz le 24 décembre")
    )
    assert "annule 1 réservation" in asked and "« oui »" in asked
    assert await active_bookings(storage, ALICE) == {("2026-12-24", "Metz", "day")}
    done = "\n".join(r.text for r in await team_bot.say(CHEF, "oui"))
    assert "Metz fermé le jeudi 24 décembre" in done
    notice = sent_to(team_bot, to=ALICE)
    assert len(notice) == 1 and "votre réservation est annulée" in notice[0]
    assert "jeudi 24 décembre" in notice[0]
    assert sent_to(team_bot, room=TEAM) == ["📢 Metz est fermé le jeudi 24 décembre."]
    assert await active_bookings(storage, ALICE) == set()
    again = "\n".join(r.text for r in await team_bot.say(BOB, "réserve à Metz le 24 décembre"))
    assert "Metz est fermé le jeudi 24 décembre" in again


async def test_closing_an_empty_day_does_not_ask(team_bot) -> None:
    done = "\n".join(r.text for r in await team_bot.say(CHEF, "ferme le site de Metz vendredi"))
    assert "Metz fermé le vendredi 27 novembre" in done


async def test_announcements_go_to_rooms_following_the_managers_sites(team_bot) -> None:
    await in_team(team_bot, ALICE, "suis le site de Metz", 100)
    said = "\n".join(
        r.text for r in await team_bot.say(CHEF, "annonce : le 3e étage ferme <vendredi>")
    )
    assert "Annoncé dans 1 salon" in said
    posted = [r for r in team_bot.replies[-1][1] if r.room_id == TEAM]
    assert "le 3e étage ferme <vendredi>" in posted[0].text and "Metz" in posted[0].text
    assert "&lt;vendredi&gt;" in posted[0].html


async def test_admin_appoints_a_manager_who_can_then_open(team_bot) -> None:
    said = "\n".join(
        r.text for r in await team_bot.say(ADMIN, "nomme @bob:test responsable de Orléans")
    )
    assert "@bob:test est désormais responsable du site Orléans" in said
    assert any("Vous êtes désormais responsable" in t for t in sent_to(team_bot, to=BOB))
    opened = "\n".join(r.text for r in await team_bot.say(BOB, "ouvre 1 place à Orléans"))
    assert "1 place ouverte à Orléans" in opened


async def test_digest_subscription_needs_a_lead_or_moderator(team_bot, storage) -> None:
    refused = await in_team(team_bot, BOB, "récap quotidien ici à 8h30", level=0)
    assert "chef d’équipe ou un modérateur" in refused
    assert await storage.get_team(TEAM) is None
    done = await in_team(team_bot, ALICE, "récap quotidien ici à 8h30", level=50)
    assert "Récap quotidien ici à 08:30" in done and "3 personnes" in done
    team = await storage.get_team(TEAM)
    assert team is not None and team.lead == ALICE and team.digest_time == "08:30"
    preview = await in_team(team_bot, BOB, "récap")  # anyone may look
    assert "Présences du lundi 23 novembre" in preview and "(3 membres)" in preview
    await team_bot.say(BOB, "réserve à Metz aujourd'hui")
    preview = await in_team(team_bot, CAROL, "récap")
    assert "Bob (B-101)" in preview and "Sans nouvelles : Alice, Chef" in preview
    assert "arrêté" in await in_team(team_bot, ALICE, "arrête le récap")  # the lead now


async def test_digest_in_a_direct_chat_points_to_the_team_room(team_bot) -> None:
    said = "\n".join(r.text for r in await team_bot.say(ALICE, "récap quotidien ici à 8h30"))
    assert "salon d’équipe" in said


async def test_closure_notice_is_in_each_agents_language(team_bot) -> None:
    await team_bot.say(BOB, "speak English")
    await team_bot.say(BOB, "book a desk in Metz on 24 December")
    await team_bot.say(CHEF, "ferme le site de Metz le 24 décembre")
    await team_bot.say(CHEF, "oui")
    notice = sent_to(team_bot, to=BOB)
    assert len(notice) == 1 and "your booking is cancelled" in notice[0]
