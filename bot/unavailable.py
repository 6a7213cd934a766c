"""The answer while the database is away: short, polite, and a promise kept (the command is
handled when the database is back)."""

from __future__ import annotations

from bot.i18n import N_, Translator
from bot.messages import Reply
from bot.replies import ReplyBuilder

UNAVAILABLE = N_(
    "⏳ The service is briefly unavailable. I have kept your message: I will handle it as soon "
    "as the service is back, no need to send it again."
)


def unavailable_reply(locale: str) -> Reply:
    """The notice for a command received while the database does not answer."""
    return ReplyBuilder(Translator(locale)).say(UNAVAILABLE).build()
