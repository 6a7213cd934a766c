"""A greeting, a thank-you or a leave-taking alone ("bonjour", "merci beaucoup", "thanks",
"au revoir", "bonne journée"): a short friendly answer (for a greeting, what the bot does), never
"I did not understand"."""

from __future__ import annotations

import itertools
import re
from enum import Enum
from typing import TYPE_CHECKING

from bot.i18n import N_, Translator
from bot.parsing import lexicon
from bot.parsing.text import fold_for_matching
from bot.replies import ReplyBuilder

if TYPE_CHECKING:
    from bot.commands.base import Context

_WORD = re.compile(r"[a-z]+")
_MAX_WORDS = 8  # a longer message is something else, whatever its words


class Smalltalk(Enum):
    GREETING = "greeting"
    THANKS = "thanks"
    FAREWELL = "farewell"


_KNOWN = (
    lexicon.GREETING_WORDS
    | lexicon.THANKS_WORDS
    | lexicon.SMALLTALK_FILLERS
    | lexicon.FAREWELL_WORDS
    | lexicon.FAREWELL_AFTER_A
    | lexicon.FAREWELL_AFTER_BON
    | lexicon.FAREWELL_FILLERS
)


def smalltalk_kind(text: str) -> Smalltalk | None:
    """What kind of small talk the message is, or None when it says anything else."""
    words = _WORD.findall(fold_for_matching(text))
    if not words or len(words) > _MAX_WORDS:
        return None
    if any(w not in _KNOWN for w in words):
        return None
    if _takes_leave(words):
        return Smalltalk.FAREWELL
    if any(w in lexicon.THANKS_WORDS for w in words):
        return Smalltalk.THANKS
    greeting = [w for w in words if w in lexicon.GREETING_WORDS]
    if greeting and not set(greeting) <= _PARTS_OF_DAY:  # "the afternoon" names a half-day
        return Smalltalk.GREETING
    return None


# Greeting words that also name a part of the day: a greeting only with another ("good
# afternoon", "hello, good evening"), else an answer ("the afternoon", "morning").
_PARTS_OF_DAY = lexicon.GREETING_WORDS & (lexicon.MORNING | lexicon.AFTERNOON)


def _takes_leave(words: list[str]) -> bool:
    """ "au revoir", "bye", "à plus", "bonne journée", "merci, bon week-end"."""
    if any(w in lexicon.FAREWELL_WORDS for w in words):
        return True
    return any(
        (first == "a" and second in lexicon.FAREWELL_AFTER_A)
        or (first in lexicon.FAREWELL_BON and second in lexicon.FAREWELL_AFTER_BON)
        for first, second in itertools.pairwise(words)
    )


def smalltalk_reply(ctx: Context, kind: Smalltalk) -> ReplyBuilder:
    """The answer, in English when the words were ("hi", "thanks!") and the member chose no
    language (the sentence parser knows no English marker in them)."""
    words = set(_WORD.findall(fold_for_matching(ctx.message.text)))
    english = not ctx.member.locale and words and words <= lexicon.ENGLISH_SMALLTALK
    builder = ReplyBuilder(Translator("en")) if english else ctx.reply()
    if kind is Smalltalk.FAREWELL:
        # Leave-taking ends the exchange: no introduction of the bot after it.
        thanked = bool(words & lexicon.THANKS_WORDS)
        return builder.say(
            N_("You’re welcome, have a good day! 👋") if thanked else N_("Have a good day! 👋")
        )
    if kind is Smalltalk.THANKS:  # thanked after a command: no introduction of the bot again
        return builder.say(N_("You’re welcome! 🙂"))
    builder.say(N_("👋 Hello!"))
    return builder.say(
        N_(
            "I book desks: write to me as you would to a colleague, for example “book a desk "
            "in Metz tomorrow”, “who is in Metz on Thursday?”. Say “help” to see everything "
            "I can do."
        )
    )
