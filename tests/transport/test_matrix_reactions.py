"""Reactions from the sync (issue 12): plain and decrypted `m.reaction`, the `UnknownEvent`
form, redactions, and what is not a reaction for the bot."""

from __future__ import annotations

from typing import Any

from nio import MatrixRoom, RoomMemberEvent, UnknownEvent
from nio.events import Event

from bot.transport.matrix_reactions import reaction_of

BOT = "@bureau-volant:agent.interieur.tchap.gouv.fr"
JEANNE = "@jeanne.martin:agent.interieur.tchap.gouv.fr"
OUTSIDER = "@x:elsewhere.example"
ALLOWED = {"agent.interieur.tchap.gouv.fr"}
ROOM = "!dm:agent.interieur.tchap.gouv.fr"


def room() -> MatrixRoom:
    matrix_room = MatrixRoom(ROOM, BOT)
    for user in (BOT, JEANNE):
        matrix_room.handle_membership(
            RoomMemberEvent.from_dict(
                {
                    "type": "m.room.member",
                    "event_id": f"$m-{user}",
                    "sender": user,
                    "origin_server_ts": 1,
                    "state_key": user,
                    "content": {"membership": "join", "displayname": "Jeanne Martin"},
                }
            )
        )
    return matrix_room


def reaction_dict(
    key: str = "✅", sender: str = JEANNE, rel: str = "m.annotation"
) -> dict[str, Any]:
    return {
        "type": "m.reaction",
        "event_id": "$reaction",
        "sender": sender,
        "origin_server_ts": 1,
        "content": {"m.relates_to": {"rel_type": rel, "event_id": "$confirmation", "key": key}},
    }


def read(event: Any) -> Any:
    return reaction_of(room(), event, own_user_id=BOT, allowed_servers=ALLOWED)


def test_a_plain_reaction() -> None:
    claim, reaction = read(Event.parse_event(reaction_dict()))
    assert claim == "$reaction" and reaction.event_id == "$reaction"
    assert reaction.target_event_id == "$confirmation" and reaction.key == "✅"
    assert not reaction.removed and reaction.is_direct
    assert reaction.sender == JEANNE and reaction.sender_name == "Jeanne Martin"


def test_a_decrypted_reaction_reads_the_same() -> None:
    # What nio builds from a decrypted m.room.encrypted whose payload is an m.reaction.
    decrypted = Event.parse_decrypted_event(reaction_dict("✔️"))
    _, reaction = read(decrypted)
    assert reaction.target_event_id == "$confirmation" and reaction.key == "✔️"


def test_a_reaction_handed_over_as_an_unknown_event() -> None:
    unknown = UnknownEvent.from_dict(reaction_dict("☑️"))
    assert isinstance(unknown, UnknownEvent)
    _, reaction = read(unknown)
    assert reaction.key == "☑️" and reaction.target_event_id == "$confirmation"
    assert read(UnknownEvent.from_dict(reaction_dict(rel="m.reference"))) is None


def test_a_redaction_is_a_removal_claimed_by_its_own_id() -> None:
    redaction = Event.parse_event(
        {
            "type": "m.room.redaction",
            "event_id": "$redaction",
            "sender": JEANNE,
            "origin_server_ts": 2,
            "redacts": "$reaction",
            "content": {},
        }
    )
    claim, reaction = read(redaction)
    assert claim == "$redaction"
    assert reaction.removed and reaction.event_id == "$reaction"
    assert reaction.target_event_id is None


def test_what_is_not_a_reaction_for_the_bot() -> None:
    assert read(Event.parse_event(reaction_dict(sender=BOT))) is None  # its own
    assert read(Event.parse_event(reaction_dict(sender=OUTSIDER))) is None  # another server
    message = Event.parse_event(
        {
            "type": "m.room.message",
            "event_id": "$m",
            "sender": JEANNE,
            "origin_server_ts": 1,
            "content": {"msgtype": "m.text", "body": "✅"},
        }
    )
    assert read(message) is None
