"""Owned desks in a sentence (issue 12, section 3): assigning one, lending one's own, taking it
back, asking who has it. Keyword rules over normalised tokens, like `intents`; the words are in
`lexicon` (ASSIGN_WORDS, LEND_WORDS, RECLAIM_WORDS...).

- "attribue le bureau B-12 à @jean…" (a label and a Matrix id) assigns it; "B-12 n'est plus
  attribué", "désattribue B-12", "desk B-12 is no longer assigned" take the owner away;
- "je prête mon bureau du 7 au 11 décembre", "mon bureau est libre vendredi", "I lend my desk on
  Friday" lend it; "je reprends mon bureau vendredi", "je ne prête plus mon bureau vendredi",
  "I take my desk back on Friday" take it back; "qui a mon bureau mardi ?" asks who has it.
"""

from __future__ import annotations

from bot.parsing import lexicon
from bot.parsing.model import Intent
from bot.parsing.text import Token, TokenKind

# Token kinds as module constants: reading `TokenKind.X` goes through the enum's metaclass
# (about 100 ns a time, and the hot loops read them per token).
_KIND_LABEL = TokenKind.LABEL
_KIND_MXID = TokenKind.MXID
_KIND_NUM = TokenKind.NUM
_KIND_PUNCT = TokenKind.PUNCT


_NEGATED = frozenset({"plus", "neplus", "pas", "not", "no", "longer", "nolonger"})
_FREE = frozenset({"libre", "free", "disponible", "dispo", "available", "vacant"})


def classify_owner(tokens: list[Token]) -> tuple[Intent, str | None] | None:
    """The owned-desk intent of the sentence and the Matrix id it names (assign), or None when
    it is about something else."""
    norms = [t.norm for t in tokens if t.kind != _KIND_PUNCT]
    words = set(norms)
    if words.isdisjoint(lexicon.OWNER_TRIGGERS):
        return None  # neither assigning words nor "mon bureau" (most messages)
    negated = bool(words & _NEGATED)
    mxid = next((t.raw for t in tokens if t.kind == _KIND_MXID), None)
    if _names_a_desk(tokens):
        if words & lexicon.UNASSIGN_WORDS and mxid is None:
            return Intent.UNASSIGN_DESK, None
        if words & lexicon.ASSIGN_WORDS:
            if mxid is None and (negated or words & lexicon.NOBODYS_WORDS):
                return Intent.UNASSIGN_DESK, None
            if not negated:  # without a Matrix id the command asks to whom
                return Intent.ASSIGN_DESK, mxid
    if not _my_desk(norms):
        return None
    if words & lexicon.WHO_WORDS:
        return Intent.WHO_HAS_DESK, None
    if words & lexicon.RECLAIM_WORDS or (words & lexicon.LEND_WORDS and negated):
        return Intent.RECLAIM_DESK, None
    if words & lexicon.LEND_WORDS:
        return Intent.LEND_DESK, None
    asked = any(t.norm == "?" for t in tokens)
    if words & _FREE and not asked and not negated and not words & lexicon.RESERVE_VERBS:
        return Intent.LEND_DESK, None  # "mon bureau est libre vendredi"
    return None


def _names_a_desk(tokens: list[Token]) -> bool:
    """A desk label ("B-12"), or a desk noun followed by a number ("bureau 12")."""
    for index, token in enumerate(tokens):
        if token.kind == _KIND_LABEL:
            return True
        if (
            token.norm in lexicon.DESK_NOUNS
            and index + 1 < len(tokens)
            and tokens[index + 1].kind == _KIND_NUM
        ):
            return True
    return False


def _my_desk(norms: list[str]) -> bool:
    """ "mon bureau", "my desk" (and "mon poste", "my seat")."""
    return any(
        norm in ("mon", "my") and index + 1 < len(norms) and norms[index + 1] in lexicon.DESK_NOUNS
        for index, norm in enumerate(norms)
    )
