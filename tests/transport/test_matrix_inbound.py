"""Turning nio events into commands: what counts, and what the handler is told."""

from __future__ import annotations

from typing import Any

from nio import InviteMemberEvent, MatrixRoom, PowerLevelsEvent, RoomMemberEvent
from nio.events import Event
from nio.responses import InviteInfo

from bot.transport.matrix_inbound import command_message, first_new_event, inviter_of

BOT = "@bureau-volant:agent.interieur.tchap.gouv.fr"
JEANNE = "@jeanne.martin:agent.interieur.tchap.gouv.fr"
PAUL = "@paul:agent.finances.tchap.gouv.fr"
ALLOWED = {"agent.interieur.tchap.gouv.fr"}


def member(user: str, membership: str, prev: str | None = None, name: str | None = None) -> Any:
    return RoomMemberEvent.from_dict(
        {
            "type": "m.room.member",
            "event_id": f"$m-{user}-{membership}",
            "sender": user,
            "origin_server_ts": 1,
            "state_key": user,
            "content": {"membership": membership, "displayname": name or user[1:5]},
            "unsigned": {"prev_content": {"membership": prev}} if prev else {},
        }
    )


def room(*users: str) -> MatrixRoom:
    matrix_room = MatrixRoom("!room:agent.interieur.tchap.gouv.fr", BOT)
    matrix_room.handle_membership(member(BOT, "join", name="Bureau Volant"))
    for user in users:
        matrix_room.handle_membership(member(user, "join", name="Jeanne Martin"))
    return matrix_room


def text(body: str, sender: str = JEANNE, msgtype: str = "m.text", **content: Any) -> Any:
    return Event.parse_event(
        {
            "type": "m.room.message",
            "event_id": "$cmd",
            "sender": sender,
            "origin_server_ts": 1_795_000_000_000,
            "content": {"msgtype": msgtype, "body": body, **content},
        }
    )


def message(matrix_room: MatrixRoom, event: Any) -> Any:
    return command_message(
        matrix_room, event, own_user_id=BOT, prefix="!bureau", allowed_servers=ALLOWED
    )


def test_a_direct_chat_message_becomes_a_command_with_its_context() -> None:
    direct = room(JEANNE)
    direct.handle_event(
        PowerLevelsEvent.from_dict(
            {
                "type": "m.room.power_levels",
                "event_id": "$pl",
                "sender": BOT,
                "origin_server_ts": 1,
                "state_key": "",
                "content": {"users": {JEANNE: 50}},
            }
        )
    )
    thread = {"m.relates_to": {"rel_type": "m.thread", "event_id": "$root"}}
    result = message(direct, text("réserve un bureau à Metz mardi", **thread))
    assert result is not None
    assert (result.sender, result.room_id, result.text) == (
        JEANNE,
        direct.room_id,
        "réserve un bureau à Metz mardi",
    )
    assert result.is_direct and result.event_id == "$cmd" and result.thread_id == "$root"
    assert result.sender_name == "Jeanne Martin" and result.power_level == 50
    assert result.received_at is not None and result.received_at.year == 2026


def test_group_rooms_need_the_prefix_or_the_bots_name() -> None:
    group = room(JEANNE, PAUL)
    assert message(group, text("réserve un bureau")) is None
    prefixed = message(group, text("!bureau réserve un bureau"))
    assert prefixed is not None and prefixed.text == "réserve un bureau" and not prefixed.is_direct
    named = message(group, text("Bureau Volant : aide"))
    assert named is not None and named.text == "aide"


def test_notices_own_messages_edits_and_other_servers_are_not_commands() -> None:
    direct = room(JEANNE)
    assert message(direct, text("aide", msgtype="m.notice")) is None
    assert message(direct, text("aide", sender=BOT)) is None
    assert message(direct, text("aide", sender=PAUL)) is None
    edit = {"m.relates_to": {"rel_type": "m.replace", "event_id": "$old"}}
    assert message(direct, text("* aide", **edit)) is None


def test_only_events_after_the_bots_join_are_new() -> None:
    history = [text("!bureau ancien"), member(BOT, "join", prev="invite"), text("!bureau neuf")]
    assert first_new_event(history, BOT) == 2
    renamed = [text("a"), member(BOT, "join", prev="join"), text("b")]  # a profile change
    assert first_new_event(renamed, BOT) == 0
    assert first_new_event([member(JEANNE, "join", prev="invite")], BOT) == 0


def test_the_inviter_is_read_from_the_invite_state() -> None:
    invite = InviteMemberEvent.from_dict(
        {
            "type": "m.room.member",
            "sender": JEANNE,
            "state_key": BOT,
            "content": {"membership": "invite"},
        }
    )
    assert inviter_of(InviteInfo([invite]), BOT) == JEANNE
    assert inviter_of(InviteInfo([]), BOT) is None
