"""The pure side of the Matrix transport: which messages are commands, and what replies look like.

Everything here works on plain event contents (dicts) so it is tested without a homeserver and
without importing nio.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

HTML_FORMAT = "org.matrix.custom.html"
THREAD_RELATION = "m.thread"
EDIT_RELATION = "m.replace"
# Characters users put between a prefix or a mention and the command ("!bureau: aide").
_SEPARATORS = " \t:,;-–—"
# Names are split on anything but letters and digits, and a part that is exactly "bot" marks a
# bot ("@rappels-bot:…", "@bot.rh:…", "Sondages (bot)"): Talbot or Thibot stay people.
_NAME_PARTS = re.compile(r"[^0-9a-z]+")
BOT_WORDS = frozenset({"bot", "bots"})


def server_name(user_id: str) -> str:
    """'@jeanne:agent.interieur.tchap.gouv.fr' → 'agent.interieur.tchap.gouv.fr'."""
    return user_id.split(":", 1)[1] if ":" in user_id else ""


def is_allowed(user_id: str, allowed_servers: Iterable[str]) -> bool:
    """Whether a user's homeserver is on the allow-list (exact server names, case-insensitive)."""
    server = server_name(user_id).casefold()
    return bool(server) and server in {name.casefold() for name in allowed_servers}


def looks_like_bot(user_id: str, display_name: str | None = None) -> bool:
    """Whether a room member is, by its name, another bot (kept out of teams and digests).

    Matrix has no "bot" flag and Tchap has no bridges, so the cheap signal is the name: a part
    of the localpart or of the display name that is exactly "bot" ("@rappels-bot:…",
    "@bot.rh-interieur.gouv.fr:…", "Sondages [bot]"). People are never named so; a bot named
    otherwise is counted as a member (harmless: it shows under "no news").
    """
    localpart = user_id[1:].split(":", 1)[0] if user_id.startswith("@") else user_id
    for name in (localpart, display_name or ""):
        if BOT_WORDS & set(_NAME_PARTS.split(name.casefold())):
            return True
    return False


def relation(content: Mapping[str, Any]) -> Mapping[str, Any]:
    """The `m.relates_to` object of an event content (empty when absent or malformed)."""
    relates = content.get("m.relates_to")
    return relates if isinstance(relates, Mapping) else {}


def thread_root(content: Mapping[str, Any]) -> str | None:
    """The root event of the thread an event belongs to, if any."""
    relates = relation(content)
    event_id = relates.get("event_id")
    if relates.get("rel_type") == THREAD_RELATION and isinstance(event_id, str):
        return event_id
    return None


def replied_event(content: Mapping[str, Any]) -> str | None:
    """The event an event replies to (`m.in_reply_to`), if any."""
    in_reply_to = relation(content).get("m.in_reply_to")
    event_id = in_reply_to.get("event_id") if isinstance(in_reply_to, Mapping) else None
    return event_id if isinstance(event_id, str) else None


def is_edit(content: Mapping[str, Any]) -> bool:
    """Edits repeat an earlier message: running them again would do the command twice."""
    return relation(content).get("rel_type") == EDIT_RELATION


def mentions_user(content: Mapping[str, Any], user_id: str) -> bool:
    """Whether the event mentions `user_id` (intentional mentions or a matrix.to pill)."""
    mentions = content.get("m.mentions")
    if isinstance(mentions, Mapping):
        user_ids = mentions.get("user_ids")
        if isinstance(user_ids, list) and user_id in user_ids:
            return True
    formatted = content.get("formatted_body")
    return isinstance(formatted, str) and f"matrix.to/#/{user_id}" in formatted


def strip_reply_fallback(body: str) -> str:
    """Drop the quoted '> <@user> ...' lines older clients put before the text of a reply."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith(">"):
        return body
    index = 0
    while index < len(lines) and lines[index].startswith(">"):
        index += 1
    if index < len(lines) and lines[index].strip() == "":
        index += 1
    return "\n".join(lines[index:])


def strip_prefix(text: str, prefix: str) -> str | None:
    """The text after `prefix` ("!bureau aide" → "aide"), or None when it does not start with it.

    The prefix must end at a word boundary: "!bureaux" is not "!bureau" followed by "x".
    """
    if not prefix or not text[: len(prefix)].casefold() == prefix.casefold():
        return None
    rest = text[len(prefix) :]
    if rest and rest[0] not in _SEPARATORS:
        return None
    return rest.lstrip(_SEPARATORS).strip()


def strip_mention(text: str, names: Sequence[str]) -> str | None:
    """The text without a leading mention of the bot ("Bureau Volant: aide" → "aide").

    `names` are the ways the bot can be named (Matrix id, display name, localpart); None when the
    text does not start with one of them.
    """
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        if text[: len(name)].casefold() != name.casefold():
            continue
        rest = text[len(name) :]
        if rest and rest[0] not in _SEPARATORS:
            continue
        return rest.lstrip(_SEPARATORS).strip()
    return None


def command_text(
    content: Mapping[str, Any],
    *,
    bot_user_id: str,
    bot_names: Sequence[str],
    prefix: str,
    is_direct: bool,
) -> str | None:
    """The command in a text message, or None when the message is not addressed to the bot.

    In a two-person room every message is a command; in a group room it needs the prefix or a
    mention of the bot. The prefix or mention is removed from the returned text.
    """
    body = content.get("body")
    if not isinstance(body, str):
        return None
    if replied_event(content) is not None:
        body = strip_reply_fallback(body)
    text = body.strip()
    after_prefix = strip_prefix(text, prefix)
    if after_prefix is not None:
        return after_prefix
    names = [bot_user_id, *bot_names]
    after_mention = strip_mention(text, names)
    if after_mention is not None:
        return after_mention
    if mentions_user(content, bot_user_id):
        return _remove_first_name(text, names)
    return text if is_direct else None


def _remove_first_name(text: str, names: Sequence[str]) -> str:
    """A mention in the middle of the text ("merci @bot, aide"): remove it, keep the rest."""
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        match = re.search(re.escape(name), text, flags=re.IGNORECASE)
        if match:
            before = text[: match.start()].rstrip(_SEPARATORS)
            after = text[match.end() :].lstrip(_SEPARATORS)
            return f"{before} {after}".strip(_SEPARATORS)
    return text


def plain_to_html(text: str) -> str:
    """Escaped HTML for a plain text (used when a reply comes without its HTML rendering)."""
    return html.escape(text).replace("\n", "<br/>")


def notice_content(
    text: str,
    html_body: str | None = None,
    *,
    in_reply_to: str | None = None,
    thread_root_id: str | None = None,
    mentions: Sequence[str] = (),
) -> dict[str, Any]:
    """The content of an `m.notice` (bots answer with notices: other bots never answer those).

    `in_reply_to` makes it a reply to the command; `thread_root_id` keeps it in the command's
    thread. `m.mentions` is always present so that clients ping only the users named here.
    """
    content: dict[str, Any] = {
        "msgtype": "m.notice",
        "body": text,
        "format": HTML_FORMAT,
        "formatted_body": html_body if html_body else plain_to_html(text),
        "m.mentions": {"user_ids": list(dict.fromkeys(mentions))} if mentions else {},
    }
    if thread_root_id is not None:
        relates: dict[str, Any] = {
            "rel_type": THREAD_RELATION,
            "event_id": thread_root_id,
            "is_falling_back": in_reply_to is None,
        }
        if in_reply_to is not None:
            relates["m.in_reply_to"] = {"event_id": in_reply_to}
        content["m.relates_to"] = relates
    elif in_reply_to is not None:
        content["m.relates_to"] = {"m.in_reply_to": {"event_id": in_reply_to}}
    return content


def fingerprint(key: str) -> str:
    """A device key split in groups of four, as clients show it for manual verification."""
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
