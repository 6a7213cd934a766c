"""A greeting or a thank-you alone ("bonjour", "salut !", "merci beaucoup", "thanks"): a short
friendly answer that says what the bot does, never "I did not understand"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.i18n import N_, Translator
from bot.parsing import lexicon
from bot.parsing.text import fold_for_matching
from bot.replies import ReplyBuilder

if TYPE_CHECKING:
    from bot.commands.base import Context

_WORD = re.compile(r"[a-z]+")
_MAX_WORDS = 8  # a longer message is something else, whatever its words


def smalltalk_kind(text: str) -> str | None:
    """ "greeting", "thanks" or None when the message says anything else."""
    words = _WORD.findall(fold_for_matching(text))
    if not words or len(words) > _MAX_WORDS:
        return None
    known = lexicon.GREETING_WORDS | lexicon.THANKS_WORDS | lexicon.SMALLTALK_FILLERS
    if any(w not in known for w in words):
        return None
    if any(w in lexicon.THANKS_WORDS for w in words):
        return "thanks"
    if any(w in lexicon.GREETING_WORDS for w in words):
        return "greeting"
    return None


def smalltalk_reply(ctx: Context, kind: str) -> ReplyBuilder:
    """The answer, in English when the words were ("hi", "thanks!") and the member chose no
    language (the sentence parser knows no English marker in them)."""
    words = set(_WORD.findall(fold_for_matching(ctx.message.text)))
    english = not ctx.member.locale and words and words <= lexicon.ENGLISH_SMALLTALK
    builder = ReplyBuilder(Translator("en")) if english else ctx.reply()
    if kind == "thanks":
        builder.say(N_("You’re welcome! 🙂"))
    else:
        builder.say(N_("👋 Hello!"))
    return builder.say(
        N_(
            "I book desks: write to me as you would to a colleague, for example “book a desk "
            "in Metz tomorrow”, “who is in Metz on Thursday?”. Say “help” to see everything "
            "I can do."
        )
    )
