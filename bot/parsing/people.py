"""Sentences about someone else: "annule la résa de Bob", "book a desk for @paul:x.fr".

The parser does not know who sends the message, and the bot only acts on the sender's own
bookings, so a booking, cancel, list or status sentence that names another person is asked
about (`other_person`) instead of being read as the sender's. What counts as naming someone:

- any Matrix id;
- "de / d' / pour / à la place de / au nom de / au lieu de <Name>", "for / on behalf of /
  instead of <Name>", "<Name>'s";
- "mets / inscris / put / book <Name> ...";
- a sentence whose subject is a name ("Paul sera en télétravail vendredi");
- "pour mon collègue", "for my boss", "pour lui".

A name is a capitalised word (or several: "Jeanne Martin") that is not in the vocabulary nor a
filler ("ok", "super"); a lowercase unknown word counts only where nothing else fits ("la résa
de bob", "pour bob", "mets paul en télétravail"). "Avec" does not name the subject: "je viens
avec Paul" is the sender's own booking.
"""

from __future__ import annotations

from bot.parsing import lexicon
from bot.parsing.questions import phrase_span
from bot.parsing.text import Token, TokenKind, fold_for_matching

# Token kinds as module constants: reading `TokenKind.X` goes through the enum's metaclass
# (about 100 ns a time, and the hot loops read them per token).
_MXID = TokenKind.MXID
_FOR_LEADS = lexicon.FOR_PERSON_LEADS
_PLACE = TokenKind.PLACE
_WORD = TokenKind.WORD


def other_person(tokens: list[Token], text: str) -> str | None:
    """The other person a sentence is about, as written, or None when it is about the sender."""
    for token in tokens:
        if token.kind == _MXID:
            return token.raw
    someone = phrase_span(tokens, lexicon.SOMEONE_ELSE_PHRASES)
    if someone is not None and someone[0] > 0 and tokens[someone[0] - 1].norm in _FOR_LEADS:
        return text[tokens[someone[0]].start : tokens[someone[-1]].end]  # "pour quelqu'un"
    n = len(tokens)
    for i, token in enumerate(tokens):
        norm = token.norm
        nxt = tokens[i + 1] if i + 1 < n else None
        if nxt is None:
            break
        # "<Name>'s booking"
        if nxt.norm == "s" and token.elided and _name_word(token, strict=False):
            start = i
            while start > 0 and _name_word(tokens[start - 1], strict=True):
                start -= 1
            return text[tokens[start].start : token.end]
        lead = (
            norm in lexicon.PERSON_LEADS
            and not (i > 0 and tokens[i - 1].norm in lexicon.BESIDE_WORDS)
        ) or (norm == "of" and i > 0 and tokens[i - 1].norm in lexicon.BEHALF_WORDS)
        if lead:
            after_holder = i > 0 and tokens[i - 1].norm in lexicon.HOLDER_NOUNS
            loose = norm in lexicon.FOR_PERSON_LEADS or after_holder
            name = _name_at(tokens, i + 1, text, loose)
            if name is None and norm in lexicon.OF_PERSON_LEADS:
                name = _others_at(tokens, i + 1, text, after_holder or norm != "de")
            if name:
                return name
        if norm in lexicon.PUT_VERBS and token.kind == _WORD:
            name = _name_at(tokens, i + 1, text, loose=norm in lexicon.PUT_VERBS_LOOSE)
            if name:
                return name
    # "est-ce que Paul est là demain ?": a capitalised name as the subject of a verb
    for i, token in enumerate(tokens[1:], 1):
        if _name_word(token, strict=True) and not _name_word(tokens[i - 1], strict=True):
            end = i
            while end + 1 < n and _name_word(tokens[end + 1], strict=True):
                end += 1
            if end + 1 < n and tokens[end + 1].norm in lexicon.THIRD_PERSON:
                return text[token.start : tokens[end].end]
    # "Paul sera en télétravail vendredi", "Jeanne Martin annule sa résa"
    if tokens and _name_word(tokens[0], strict=False):
        end = 0
        while end + 1 < n and _name_word(tokens[end + 1], strict=True):
            end += 1
        if (
            end + 1 < n
            and tokens[end + 1].norm in lexicon.THIRD_PERSON
            and not (
                tokens[0].norm in lexicon.ENGLISH_MARKERS
                or tokens[0].norm in lexicon.FRENCH_MARKERS
            )
        ):
            return text[tokens[0].start : tokens[end].end]
    return None


def _name_at(tokens: list[Token], j: int, text: str, loose: bool) -> str | None:
    """The name starting at token `j`: capitalised unknown words, or (when `loose`) one
    lowercase unknown word; an unknown place with no site near it counts as a name too."""
    if j >= len(tokens):
        return None
    first = tokens[j]
    if (
        first.kind == _PLACE
        and loose
        and (
            first.site is None or fold_for_matching(first.raw) not in fold_for_matching(first.site)
        )
    ):  # "pour Nancy", "le bureau de Paul" (not "pour Lyon": a site is "Lyon Part-Dieu")
        return first.raw
    if _name_word(first, strict=True):
        end = j
        while end + 1 < len(tokens) and _name_word(tokens[end + 1], strict=True):
            end += 1
        return text[first.start : tokens[end].end]
    if loose and _name_word(first, strict=False):
        return first.raw
    return None


def _others_at(tokens: list[Token], j: int, text: str, allowed: bool) -> str | None:
    """ "pour mon collègue", "for my boss", "pour lui"."""
    if not allowed or j >= len(tokens):
        return None
    k = j
    if tokens[k].norm in lexicon.DETERMINERS and k + 1 < len(tokens):
        k += 1
    if tokens[k].norm in lexicon.OTHER_PEOPLE and (
        k > j or tokens[k].norm in lexicon.PERSON_PRONOUNS
    ):
        return text[tokens[j].start : tokens[k].end]
    return None


def _name_word(token: Token, strict: bool) -> bool:
    """A word that can only be a name: not in the vocabulary, not a corrected typo; capitalised
    (not ALL CAPS) when `strict`."""
    if token.kind != _WORD or token.norm != token.word or len(token.word) < 2:
        return False
    word = token.word
    if not word.isalpha() or word in lexicon.KNOWN_WORDS or word in lexicon.HOLIDAYS:
        return False
    if word in lexicon.FILLER_WORDS:  # "ok réserve", "bon, Paul…": a filler is nobody's name
        return False
    raw = token.raw
    if strict:
        return raw[:1].isupper() and not raw.isupper()
    return True
