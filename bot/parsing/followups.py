"""Messages that refer to the change just made: undo, corrections, follow-ups, moves.

The parser only says what the words refer to (`ParsedCommand.ref`: "also", "instead",
"week_after"; intent `undo`; intent `move` with the old and new days); `bot.dialogue` merges
them with the stored conversation state.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.parsing import lexicon
from bot.parsing.dates import DateProblem, find_dates
from bot.parsing.daytime import find_slot
from bot.parsing.questions import has_phrase, word_norms
from bot.parsing.text import Token, TokenKind

# Token kinds as module constants: reading `TokenKind.X` goes through the enum's metaclass
# (about 100 ns a time, and the hot loops read them per token).
_SITE = TokenKind.SITE
_WORD = TokenKind.WORD


MAX_MOVE_TOKENS = 40  # a move is one short sentence


def is_undo(tokens: Sequence[Token]) -> bool:
    """The whole message takes back the last change: "annule ça", "oups", "undo"."""
    norms = [t.norm for t in tokens if t.norm not in lexicon.POLITENESS]
    if not norms or len(norms) > MAX_MOVE_TOKENS:
        return False
    if not lexicon.UNDO_WORDS.issuperset(norms):
        return False  # a word that belongs to no undo: not an undo (most messages)
    for phrase in lexicon.UNDO_PHRASES:
        size = len(phrase)
        for k in range(len(norms) - size + 1):
            if tuple(norms[k : k + size]) == phrase:
                rest = norms[:k] + norms[k + size :]
                if all(n in lexicon.UNDO_FILLERS or n in lexicon.UNDO_PHRASES_WORDS
                       for n in rest):  # fmt: skip
                    return True
    return False


def reference(tokens: Sequence[Token], covered: frozenset[int]) -> tuple[str | None, set[int]]:
    """ "also" ("et vendredi aussi", "pareil lundi"), "instead" ("plutôt jeudi", "non, Lille",
    "actually Thursday"), "week_after" ("même chose la semaine d'après"), or None; with the
    indices of the tokens that said so."""
    if lexicon.REFERENCE_TRIGGERS.isdisjoint(word_norms(tokens)):
        return None, set()  # no word that refers to a change (most messages)
    words = [(k, t) for k, t in enumerate(tokens) if t.kind == _WORD or t.norm in ",!"]
    if not words:
        return None, set()
    used: set[int] = set()
    norms = [t.norm for _, t in words]
    after = has_phrase(tokens, lexicon.WEEK_AFTER_PHRASES) or (
        "semaineprochaine" in norms and lexicon.SAME_WORDS & set(norms)
    )
    also = (
        not lexicon.ALSO_WORDS.isdisjoint(norms)
        or has_phrase(tokens, lexicon.ALSO_PHRASES) is not None
    )
    if after and (also or len([t for t in tokens if t.kind == _WORD]) <= 6):
        used.update(
            k
            for k, t in words
            if t.norm in lexicon.ALSO_WORDS or t.norm in lexicon.SAME_WEEK_AFTER_FILLERS
        )
        return "week_after", used
    if also:
        used.update(
            k
            for k, t in words
            if t.norm in lexicon.ALSO_WORDS or t.norm in lexicon.SAME_THING_FILLERS
        )
        return "also", used
    first = norms[0]
    if (first in lexicon.CORRECTION_OR_WITHOUT_HEADS or first in lexicon.CORRECTION_WORDS) and set(
        norms
    ) & lexicon.WITHOUT_FILLERS:
        # "non pas le 2", "sauf mercredi", "not Wednesday", "finalement pas demain": take
        # those days out
        used.update(
            k
            for k, t in words
            if t.norm in lexicon.CORRECTION_FILLERS or t.norm in lexicon.WITHOUT_FILLERS
        )
        return "except", used
    if (
        (first in lexicon.CORRECTION_HEADS and len(norms) > 1)
        or not lexicon.CORRECTION_WORDS.isdisjoint(norms)
        or any(tuple(norms[: len(opening)]) == opening for opening in lexicon.CORRECTION_OPENINGS)
    ):
        used.update(k for k, t in words if t.norm in lexicon.CORRECTION_FILLERS)
        return "instead", used
    return None, set()


def find_move(
    tokens: list[Token], text: str, now: datetime, horizon_days: int, lang: str
) -> tuple[tuple[date, ...], tuple[date, ...]] | None:
    """ "décale ma résa de lundi à mardi": the day moved from and the day moved to (the second
    may be empty when only the site or the half-day changes: "déplace ma résa de mardi à
    Nantes"). None when the sentence is not a move of one day."""
    norms = {t.norm for t in tokens}
    if not norms & lexicon.MOVE_VERBS or len(tokens) > MAX_MOVE_TOKENS:
        return None
    for k, token in enumerate(tokens):
        if token.norm not in lexicon.MOVE_TO_WORDS or k == 0:
            continue
        try:
            left = find_dates(tokens[:k], text, now, horizon_days=horizon_days, lang=lang)
            right = find_dates(tokens[k + 1 :], text, now, horizon_days=horizon_days, lang=lang)
        except DateProblem:
            continue
        if len(left.dates) == 1 and len(right.dates) <= 1:
            if (
                right.dates
                or any(t.kind == _SITE for t in tokens[k + 1 :])
                or find_slot(tokens[k + 1 :]) is not None  # "de mardi à l'après-midi"
            ):
                return left.dates, right.dates
    return None
