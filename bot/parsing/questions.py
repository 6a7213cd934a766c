"""Whether a sentence asks rather than tells, and whether it is a polite request to act.

"Il reste des places à Metz la semaine prochaine ?" asks: it never books. "Tu peux me réserver
un bureau à Metz mardi ?" is a request, said politely: it acts. Also the sentences whose
command words belong to another intent ("dis-moi quand un bureau se libère" is not a
cancellation, "je ne veux pas de bureau" is not a booking) and the resources the bot does not
book ("salle de réunion", "parking").
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.parsing import lexicon
from bot.parsing.text import Token, TokenKind, fold_for_matching

# Token kinds as module constants: reading `TokenKind.X` goes through the enum's metaclass
# (about 100 ns a time, and the hot loops read them per token).
_LABEL = TokenKind.LABEL
_PLACE = TokenKind.PLACE
_WORD = TokenKind.WORD


def asks(tokens: Sequence[Token]) -> bool:
    """A question mark, a question word ("est-ce que", "y a-t-il", "combien"), an English
    auxiliary first, or an inversion ("ai-je", "reste-t-il")."""
    words = [t for t in tokens if t.kind == _WORD]
    if any(t.norm == "?" for t in tokens):
        return True
    if any(t.norm in lexicon.QUESTION_WORDS for t in words):
        return True
    if words and words[0].norm in lexicon.QUESTION_HEADS:
        return True
    if any(
        t.norm == lexicon.WHERE_WORD and k > 0 and words[k - 1].norm in lexicon.WHERE_AFTER
        for k, t in enumerate(words)
    ):  # "il est où Marc jeudi"
        return True
    return any(
        t.joined and t.norm in lexicon.INVERSION_PRONOUNS and k > 0 and tokens[k - 1].kind == _WORD
        for k, t in enumerate(tokens)
    )


def polite_request(tokens: Sequence[Token]) -> bool:
    """ "tu peux me réserver … ?", "pourriez-vous annuler … ?", "can you book …?",
    "je voudrais réserver … ?", "je peux avoir un bureau … ?": a modal, a person, and a verb of
    acting (or of getting, when a desk is named)."""
    norms = [t.norm for t in tokens if t.kind == _WORD]
    for k, norm in enumerate(norms):
        if norm in lexicon.POSSIBLE_WORDS and _possible_request(tokens, norms, k):
            return True
        if (  # "tu me mets à Nantes jeudi ?", "vous me réservez un bureau ?"
            norm in lexicon.ADDRESSEE_WORDS
            and norms[k + 1 : k + 2] and norms[k + 1] in lexicon.ME_OBJECT_WORDS
            and norms[k + 2 : k + 3] and norms[k + 2] in lexicon.ACTING_VERBS
        ):  # fmt: skip
            return True
        if norm not in lexicon.REQUEST_MODALS:
            continue
        window = norms[max(0, k - 2) : k + 5]
        if not set(window) & lexicon.REQUEST_PERSONS:
            continue
        verbs = set(norms[k + 1 : k + 5])
        if verbs & lexicon.ACTING_VERBS:
            return True
        if verbs & lexicon.OBTAIN_VERBS and _names_desk(tokens):
            return True  # "je peux avoir un bureau à Nantes demain ?"
    return False


def _possible_request(tokens: Sequence[Token], norms: list[str], k: int) -> bool:
    """ "c'est possible de réserver …", "serait-il possible d'avoir un bureau …", "y a moyen
    d'avoir une place …", "is it possible to book …": "possible" (at `k`), "de", a verb."""
    if norms[k + 1 : k + 2] != [] and norms[k + 1] not in lexicon.POSSIBLE_LINKS:
        return False
    verbs = set(norms[k + 2 : k + 5])
    if verbs & lexicon.ACTING_VERBS:
        return True
    return bool(verbs & lexicon.OBTAIN_VERBS) and _names_desk(tokens)


def _names_desk(tokens: Sequence[Token]) -> bool:
    return any(t.norm in lexicon.DESK_NOUNS or t.kind == _LABEL for t in tokens)


_INDEXES: dict[int, dict[str, list[tuple[int, tuple[str, ...]]]]] = {}


def _index(phrases: Sequence[tuple[str, ...]]) -> dict[str, list[tuple[int, tuple[str, ...]]]]:
    """The phrases by their first word, with their rank (built once per phrase table)."""
    found = _INDEXES.get(id(phrases))
    if found is None:
        found = {}
        for rank, phrase in enumerate(phrases):
            found.setdefault(phrase[0], []).append((rank, phrase))
        _INDEXES[id(phrases)] = found
    return found


# The last token list read and its words: one parse asks several phrase tables about the same
# list (notify, negated wish, resource, usual desk, follow-ups...). Token lists are not changed
# once the parser has built them; the length is checked too, and the list is held, so its id
# cannot be reused by another list while it is cached.
_LAST_WORDS: tuple[Sequence[Token], int, tuple[list[int], list[str]]] | None = None


def _words(tokens: Sequence[Token]) -> tuple[list[int], list[str]]:
    """Word tokens (an unknown place expanded into its words) as (token index, norm) lists."""
    global _LAST_WORDS
    last = _LAST_WORDS
    if last is not None and last[0] is tokens and last[1] == len(tokens):
        return last[2]
    found = _read_words(tokens)
    _LAST_WORDS = (tokens, len(tokens), found)
    return found


def word_norms(tokens: Sequence[Token]) -> list[str]:
    """The words of `tokens` as the phrase tables read them (an unknown place's words too)."""
    return _words(tokens)[1]


def _read_words(tokens: Sequence[Token]) -> tuple[list[int], list[str]]:
    index: list[int] = []
    norms: list[str] = []
    for k, token in enumerate(tokens):
        if token.kind == _WORD:
            index.append(k)
            norms.append(token.norm)
        elif token.kind == _PLACE:  # an unknown place may be a resource ("a meeting room")
            for word in fold_for_matching(token.raw).split():
                index.append(k)
                norms.append(word)
    return index, norms


def _find(
    norms: Sequence[str], phrases: Sequence[tuple[str, ...]]
) -> tuple[int, tuple[str, ...]] | None:
    """The first phrase found (in the table's order), with the position where it starts."""
    by_first = _index(phrases)
    if by_first.keys().isdisjoint(norms):
        return None  # no word of the sentence starts a phrase of the table (most tables)
    best: tuple[int, int, tuple[str, ...]] | None = None
    for k, norm in enumerate(norms):
        candidates = by_first.get(norm)
        if not candidates:
            continue
        for rank, phrase in candidates:
            if (best is None or rank < best[0]) and tuple(norms[k : k + len(phrase)]) == phrase:
                best = (rank, k, phrase)
    return (best[1], best[2]) if best else None


def has_phrase(tokens: Sequence[Token], phrases: Sequence[tuple[str, ...]]) -> str | None:
    """The first of `phrases` found as consecutive words (joined by spaces), or None."""
    found = _find(_words(tokens)[1], phrases)
    return " ".join(found[1]) if found else None


def phrase_span(tokens: Sequence[Token], phrases: Sequence[tuple[str, ...]]) -> range | None:
    """Token indices of the first of `phrases` found."""
    index, norms = _words(tokens)
    found = _find(norms, phrases)
    if found is None:
        return None
    k, phrase = found
    return range(index[k], index[k + len(phrase) - 1] + 1)


def notify_wish(tokens: Sequence[Token]) -> bool:
    """ "dis-moi quand un bureau se libère", "let me know when a desk is free"."""
    return has_phrase(tokens, lexicon.NOTIFY_PHRASES) is not None


def negated_wish(tokens: Sequence[Token]) -> bool:
    """ "je ne veux pas de bureau", "pas besoin de bureau mardi", "I don't need a desk"."""
    return has_phrase(tokens, lexicon.NEGATED_WISH_PHRASES) is not None


def unmanaged_resource(tokens: Sequence[Token]) -> str | None:
    """The resource named ("salle de réunion", "parking") when the text names no desk."""
    span = phrase_span(tokens, lexicon.UNMANAGED_RESOURCES)
    if span is None:
        return None
    if any(
        (t.norm in lexicon.DESK_NOUNS or t.kind == _LABEL) and k not in span
        for k, t in enumerate(tokens)
    ):
        return None
    return " ".join(tokens[k].raw for k in span)
