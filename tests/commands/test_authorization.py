"""The authorization table: every role × every command × their own or another room and site.

Rights are scoped: a room's digest and follows belong to its moderators (power level) and to the
lead who subscribed its digest; a site's openings, closures and announcements to that site's
managers (from the sites file or appointed); admins may do everything. A stored role gives no
right elsewhere: the probe below (carol subscribes a digest in her own room, then tries to stop
team A's) must be refused.

Each command runs through the real dispatcher and core; the state (digests, appointments) is
reset after each privileged command that ran, so it cannot change the next case.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.commands import COMMANDS
from bot.commands.base import Permission
from bot.dispatcher import Dispatcher
from tests.commands.helpers import ADMIN, SITES, bot_settings
from tests.commands.recording import RecordingTransport

AGENT = "@agent:test"
LEAD = "@lead:test"  # subscribed team A's digest (no power level there)
CAROL = "@carol:test"  # subscribed a digest in her own room, where she has power level 100
MODERATOR = "@moderator:test"  # power level 50 in room M, which has no digest
CHEF = "@chef.metz:test"  # manager of Metz from the sites file
APPOINTED = "@nantes:test"  # appointed manager of Nantes in the chat

ROOM_A, ROOM_C, ROOM_M = "!team-a:test", "!carol-perso:test", "!room-m:test"
DM = "!dm:test"


@dataclass(frozen=True)
class Actor:
    """Where the actor's own room and site are (and their power level there)."""

    matrix_id: str
    own_room: str
    own_level: int
    own_site: str
    other_room: str = ROOM_A
    other_site: str = "Orléans"


ACTORS = {
    "agent": Actor(AGENT, DM, 0, "Metz"),
    "lead": Actor(LEAD, ROOM_A, 0, "Metz", other_room=ROOM_C),
    "carol": Actor(CAROL, ROOM_C, 100, "Metz"),
    "moderator": Actor(MODERATOR, ROOM_M, 50, "Metz"),
    "file_manager": Actor(CHEF, DM, 0, "Metz"),
    "appointed_manager": Actor(APPOINTED, DM, 0, "Nantes", other_site="Metz"),
    "admin": Actor(ADMIN, ROOM_M, 0, "Metz", other_room=ROOM_C),
}

# Every command, with a sentence that runs it and the right it needs, written down here rather
# than read from the registry (the test checks the registry's declarations against it).
#   intent (action), sentence ({site} is replaced), right
COMMAND_TABLE: list[tuple[str, str, str]] = [
    ("reserve", "réserve à {site} vendredi", "anyone"),
    ("cancel", "annule ma réservation de vendredi", "anyone"),
    ("list", "mes réservations", "anyone"),
    ("who", "qui est là demain à {site} ?", "anyone"),
    ("free", "places libres à {site} demain", "anyone"),
    ("status", "télétravail vendredi", "anyone"),
    ("move", "décale ma résa de vendredi à lundi", "anyone"),
    ("my_data", "mes données", "anyone"),
    ("erase_data", "supprime mes données", "anyone"),
    ("check_in", "je suis arrivé", "anyone"),
    ("set_site", "mon site c'est {site}", "anyone"),
    ("set_locale", "parle-moi en français", "anyone"),
    ("help", "aide", "anyone"),
    ("digest preview", "récap", "anyone"),
    ("digest subscribe", "récap quotidien ici à 8h30", "room"),
    ("digest unsubscribe", "arrête le récap", "room"),
    ("follow", "suis le site de {site}", "room"),
    ("unfollow", "ne suis plus le site de {site}", "room"),
    ("open", "ouvre 2 places à {site}", "site"),
    ("close", "ferme le site de {site} vendredi", "site"),
    ("announce", "annonce à {site} : pot vendredi", "site"),
    ("appoint", "nomme @new:test responsable de {site}", "admin"),
    ("assign_desk", "attribue le bureau B-101 de {site} à @new:test", "site"),
    ("unassign_desk", "le bureau B-101 de {site} n'est plus attribué", "site"),
    ("lend_desk", "je prête mon bureau vendredi", "anyone"),
    ("reclaim_desk", "je reprends mon bureau vendredi", "anyone"),
    ("who_has_desk", "qui a mon bureau vendredi ?", "anyone"),
    ("waitlist_join", "mets-moi en liste d'attente à {site} vendredi", "anyone"),
    ("waitlist_show", "ma liste d'attente", "anyone"),
    ("waitlist_leave", "retire-moi de la liste d'attente", "anyone"),
]

#                    anyone   room (own, other)  site (own, other)  admin
EXPECTED: dict[str, dict[str, tuple[bool, bool]]] = {
    "agent": {"room": (True, False), "site": (False, False), "admin": (False, False)},
    "lead": {"room": (True, False), "site": (False, False), "admin": (False, False)},
    "carol": {"room": (True, False), "site": (False, False), "admin": (False, False)},
    "moderator": {"room": (True, False), "site": (False, False), "admin": (False, False)},
    "file_manager": {"room": (True, False), "site": (True, False), "admin": (False, False)},
    "appointed_manager": {"room": (True, False), "site": (True, False), "admin": (False, False)},
    "admin": {"room": (True, True), "site": (True, True), "admin": (True, True)},
}

REFUSALS = ("Désolé, seul", "Sorry, only")


@pytest.fixture
async def bot(storage, clock) -> RecordingTransport:
    """The conversation tests' bot, without the rate limit (each actor sends ~36 messages)."""
    await storage.import_sites(SITES)
    return RecordingTransport(Dispatcher(storage, bot_settings(rate_limit_count=10_000), clock))


async def _reset(bot: RecordingTransport) -> None:
    storage = bot.handler.storage  # type: ignore[attr-defined]  # the dispatcher's core
    await storage.subscribe_digest(ROOM_A, "08:30", lead=LEAD, timezone="Europe/Paris")
    await storage.subscribe_digest(ROOM_C, "08:00", lead=CAROL, timezone="Europe/Paris")
    await storage.unsubscribe_digest(ROOM_M)
    await storage.add_manager("Nantes", APPOINTED)


@pytest.mark.parametrize("name", list(ACTORS))
async def test_authorization_table(bot: RecordingTransport, name: str) -> None:
    actor = ACTORS[name]
    expected = {"anyone": (True, True), **EXPECTED[name]}
    wrong: list[str] = []
    await _reset(bot)
    for command, sentence, right in COMMAND_TABLE:
        for scope, allowed in zip(("own", "other"), expected[right], strict=True):
            room, level = (
                (actor.own_room, actor.own_level) if scope == "own" else (actor.other_room, 0)
            )
            if right != "room":  # site and admin rights: the site is own or other
                room, level = actor.own_room, actor.own_level
            site = actor.own_site if scope == "own" else actor.other_site
            replies = await bot.say(
                actor.matrix_id,
                sentence.format(site=site),
                room=room,
                is_direct=room == DM,
                power_level=level,
            )
            said = "\n".join(r.text for r in replies if r.room_id is None and r.to is None)
            refused = any(said.startswith(refusal) for refusal in REFUSALS)
            if refused == allowed:
                wrong.append(f"{command} ({scope}): {'refused' if refused else 'ran'}: {said}")
            if right != "anyone" and not refused:  # it may have changed a digest or a site
                await _reset(bot)
    assert not wrong, "\n".join(wrong)


async def test_the_probe_cannot_stop_another_teams_digest(bot: RecordingTransport) -> None:
    await bot.say(LEAD, "récap quotidien ici à 8h30", room=ROOM_A, is_direct=False, power_level=50)
    await bot.say(
        CAROL, "récap quotidien ici à 8h00", room=ROOM_C, is_direct=False, power_level=100
    )
    said = "\n".join(
        r.text for r in await bot.say(CAROL, "arrête le récap", room=ROOM_A, is_direct=False)
    )
    assert said.startswith("Désolé, seul un chef d’équipe ou un modérateur")
    team = await bot.dispatcher.storage.get_team(ROOM_A)
    assert team is not None and team.lead == LEAD


def test_the_table_covers_every_command_as_declared() -> None:
    declared = {
        Permission.ANYONE: "anyone",
        Permission.ROOM_LEAD: "room",
        Permission.SITE_MANAGER: "site",
        Permission.ADMIN: "admin",
    }
    table = {command: right for command, _, right in COMMAND_TABLE}
    for spec in COMMANDS:
        assert (
            table.get(spec.intent, table.get(f"{spec.intent} preview"))
            == declared[spec.permission]
        ), spec.intent
        for action, permission in spec.action_permissions.items():
            assert table[f"{spec.intent} {action}"] == declared[permission]
