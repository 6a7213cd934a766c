"""Which Matrix messages are commands, and what the bot's replies look like (pure functions)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.transport.matrix_text import (
    command_text,
    fingerprint,
    is_allowed,
    is_edit,
    notice_content,
    replied_event,
    strip_prefix,
    strip_reply_fallback,
    thread_root,
)

BOT = "@bureau-volant:agent.interieur.tchap.gouv.fr"
NAMES = ["Bureau Volant", "bureau-volant"]


def command(
    content: dict[str, Any], is_direct: bool = False, prefix: str = "!bureau"
) -> str | None:
    return command_text(
        content, bot_user_id=BOT, bot_names=NAMES, prefix=prefix, is_direct=is_direct
    )


@pytest.mark.parametrize(
    ("body", "is_direct", "expected"),
    [
        ("réserve un bureau à Metz mardi", True, "réserve un bureau à Metz mardi"),
        ("réserve un bureau à Metz mardi", False, None),
        ("!bureau réserve un bureau à Metz mardi", False, "réserve un bureau à Metz mardi"),
        ("!bureau: aide", False, "aide"),
        ("!BUREAU   aide  ", False, "aide"),
        ("!bureau", False, ""),
        ("!bureaux aide", False, None),  # another word, not the prefix
        ("!bureau aide", True, "aide"),  # the prefix is also accepted in a direct chat
        ("Bureau Volant: mes réservations", False, "mes réservations"),
        ("bureau-volant, aide", False, "aide"),
        ("@bureau-volant:agent.interieur.tchap.gouv.fr aide", False, "aide"),
        ("Bureau Volantes aide", False, None),
        ("  ", True, ""),
    ],
)
def test_commands_need_a_prefix_or_a_mention_outside_direct_chats(
    body: str, is_direct: bool, expected: str | None
) -> None:
    assert command({"msgtype": "m.text", "body": body}, is_direct=is_direct) == expected


def test_an_intentional_mention_anywhere_makes_a_command_without_the_name() -> None:
    content = {
        "body": "merci Bureau Volant, qui est là demain ?",
        "m.mentions": {"user_ids": [BOT]},
    }
    assert command(content) == "merci qui est là demain ?"


def test_a_pill_in_the_html_counts_as_a_mention() -> None:
    content = {
        "body": "BV: aide",
        "format": "org.matrix.custom.html",
        "formatted_body": f'<a href="https://matrix.to/#/{BOT}">BV</a>: aide',
    }
    assert command(content) == "BV: aide"


def test_mentions_of_someone_else_are_not_commands() -> None:
    content = {"body": "Jeanne: aide", "m.mentions": {"user_ids": ["@jeanne:example.org"]}}
    assert command(content) is None


def test_reply_fallbacks_are_removed_before_reading_the_command() -> None:
    body = "> <@jeanne:example.org> !bureau aide\n> deuxième ligne\n\n!bureau mes réservations"
    content = {"body": body, "m.relates_to": {"m.in_reply_to": {"event_id": "$q"}}}
    assert command(content) == "mes réservations"
    assert strip_reply_fallback("> citation seule") == ""
    assert strip_reply_fallback("pas de citation\n> ici") == "pas de citation\n> ici"


def test_a_body_that_is_not_text_is_not_a_command() -> None:
    assert command({"msgtype": "m.text"}, is_direct=True) is None
    assert command({"body": 42}, is_direct=True) is None


def test_an_empty_prefix_never_matches() -> None:
    assert strip_prefix("aide", "") is None
    assert command({"body": "aide"}, prefix="") is None


def test_relations_are_read_from_the_content() -> None:
    thread = {"m.relates_to": {"rel_type": "m.thread", "event_id": "$root"}}
    reply = {"m.relates_to": {"m.in_reply_to": {"event_id": "$cmd"}}}
    edit = {"m.relates_to": {"rel_type": "m.replace", "event_id": "$old"}}
    assert thread_root(thread) == "$root" and replied_event(thread) is None
    assert replied_event(reply) == "$cmd" and thread_root(reply) is None
    assert is_edit(edit) and not is_edit(thread)
    assert thread_root({"m.relates_to": "garbage"}) is None


def test_a_reply_is_a_notice_with_html_in_reply_to_the_command() -> None:
    content = notice_content("Réservé : Metz, mardi", "Réservé : <b>Metz</b>", in_reply_to="$c")
    assert content == {
        "msgtype": "m.notice",
        "body": "Réservé : Metz, mardi",
        "format": "org.matrix.custom.html",
        "formatted_body": "Réservé : <b>Metz</b>",
        "m.mentions": {},
        "m.relates_to": {"m.in_reply_to": {"event_id": "$c"}},
    }


def test_a_reply_to_a_command_in_a_thread_stays_in_the_thread() -> None:
    content = notice_content("ok", "ok", in_reply_to="$c", thread_root_id="$root")
    assert content["m.relates_to"] == {
        "rel_type": "m.thread",
        "event_id": "$root",
        "is_falling_back": False,
        "m.in_reply_to": {"event_id": "$c"},
    }


def test_a_reply_without_html_gets_escaped_text_and_its_mentions() -> None:
    content = notice_content(
        "<script>\nligne 2", None, mentions=("@a:example.org", "@a:example.org")
    )
    assert content["formatted_body"] == "&lt;script&gt;<br/>ligne 2"
    assert content["m.mentions"] == {"user_ids": ["@a:example.org"]}
    assert "m.relates_to" not in content


def test_allowed_servers_match_the_whole_server_name() -> None:
    allowed = {"agent.interieur.tchap.gouv.fr", "Agent.Finances.Tchap.Gouv.Fr"}
    assert is_allowed("@jeanne:agent.interieur.tchap.gouv.fr", allowed)
    assert is_allowed("@paul:agent.finances.tchap.gouv.fr", allowed)
    assert not is_allowed("@eve:evil.interieur.tchap.gouv.fr.example", allowed)
    assert not is_allowed("@eve:tchap.gouv.fr", allowed)
    assert not is_allowed("not-a-user-id", allowed)


def test_fingerprints_are_shown_in_groups_of_four() -> None:
    assert fingerprint("abcdefghij") == "abcd efgh ij"
