"""Closed-world accounting: every word of a message is used, known filler, or unknown.

The grammar modules read dates, sites, parts of the day and command words; whatever they did
not read is checked here against the vocabulary and the filler words of `lexicon`. A word that
is neither (or a content word such as "écran", "étage", "salle") is unknown, and a command that
acts is then asked about instead of being carried out (see `bot.dialogue`).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.parsing import lexicon
from bot.parsing.model import Intent
from bot.parsing.text import Token, TokenKind, fold_for_matching
from storage.domain import StatusKind

# Token kinds as module constants: reading `TokenKind.X` goes through the enum's metaclass
# (about 100 ns a time, and the hot loops read them per token).
_DATE = TokenKind.DATE
_LABEL = TokenKind.LABEL
_MXID = TokenKind.MXID
_NUM = TokenKind.NUM
_ORD = TokenKind.ORD
_PLACE = TokenKind.PLACE
_PUNCT = TokenKind.PUNCT
_SITE = TokenKind.SITE
_TIME = TokenKind.TIME
_WORD = TokenKind.WORD


# Intents whose words are free text or that are whole-message answers: nothing to account for.
_FREE_TEXT = frozenset({Intent.ANNOUNCE, Intent.HELP, Intent.SET_LOCALE, Intent.CONFIRM,
                        Intent.DENY, Intent.APPOINT, Intent.UNKNOWN})  # fmt: skip
_ACCOUNTED_KINDS = frozenset(
    {
        _NUM,
        _ORD,
        _DATE,
        _TIME,
        _LABEL,
        _MXID,
        _PUNCT,
        _SITE,
    }
)


def _accounted_words() -> frozenset[str]:
    words: set[str] = set(lexicon.VOCABULARY | lexicon.POLITENESS | lexicon.FUNCTION_WORDS)
    for group in (
        lexicon.PRESENCE_WORDS,
        lexicon.PRESENCE_VERBS,  # "je pourrai pas venir": read by the negated presence
        lexicon.TELL_ME_VERBS,
        lexicon.SOMEONE_WORDS,
        lexicon.WISH_WORDS,
        lexicon.NEGATIONS,
        lexicon.MY_WORDS,
        lexicon.CONFIRM_FILLERS,
        lexicon.DENY_FILLERS,
        lexicon.PLACE_PREPOSITIONS,
        lexicon.DATE_FILLERS,
        lexicon.AND_WORDS,
        lexicon.TO_WORDS,
        lexicon.UNTIL_WORDS,
        lexicon.FROM_WORDS,
        lexicon.FOR_WORDS,
        lexicon.COMMON_WORDS,
        lexicon.FILLER_WORDS,
        lexicon.WEEKDAYS.keys(),
        lexicon.WEEKDAYS_PLURAL.keys(),
        lexicon.MONTHS.keys(),
        lexicon.NUMBER_WORDS.keys(),
        lexicon.ORDINAL_WORDS.keys(),
        lexicon.STATUS_WORDS.keys(),
        lexicon.MORNING,
        lexicon.AFTERNOON,
        lexicon.WHOLE_DAY,
        lexicon.NOON,
        lexicon.HALF_DAY,
        lexicon.ALSO_WORDS,
        lexicon.CORRECTION_WORDS,
        lexicon.MOVE_VERBS,
        lexicon.ACT_VERBS,
        lexicon.REQUEST_MODALS,
        lexicon.QUESTION_WORDS,
        lexicon.OTHER_PERSON_WORDS,
        lexicon.LIST_WORDS,
        lexicon.WHO_WORDS,
        lexicon.FREE_WORDS,
        lexicon.SET_SITE_MARKERS,
        lexicon.EXCEPT_WORDS,
        lexicon.EVERY_WORDS,
        lexicon.NEXT_WORDS - lexicon.FOLLOWING_WORDS,
        lexicon.THIS_WORDS,
        lexicon.RANGE_START_WORDS,
        lexicon.OR_WORDS,
        lexicon.WHERE_WORDS,
        lexicon.DATA_FILLERS,
        lexicon.WAITLIST_WORDS,
        lexicon.CHECK_IN_WORDS,
        lexicon.POSSIBLE_WORDS,
        lexicon.HAVE_WORDS,
        lexicon.PEOPLE_NOUNS,
        lexicon.HOLIDAYS,  # a holiday named is a date asked about (vague_date)
    ):
        words.update(group)
    for phrase in lexicon.PHRASES.values():
        if phrase:
            words.add(phrase)
    return frozenset(words - lexicon.CONTENT_WORDS)


ACCOUNTED = _accounted_words()


@dataclass(frozen=True)
class Coverage:
    """The words no rule read (`words`, as typed) and the phrases to quote back (`phrases`)."""

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()


def account(
    tokens: list[Token],
    text: str,
    covered: frozenset[int],
    intent: Intent,
    used: frozenset[int] = frozenset(),
    status: StatusKind | None = None,
) -> Coverage:
    """What is left unknown in `tokens` once the date grammar (`covered`) and the other rules
    (`used`: token indices read by a rule, such as a person's name) have been accounted for."""
    if intent in _FREE_TEXT:
        return Coverage()
    used = used | _signature(tokens, text)
    unknown = [k for k, token in enumerate(tokens)
               if k not in covered and k not in used
               and _unknown(token, intent, status is StatusKind.TRAVEL)]  # fmt: skip
    if not unknown:
        return Coverage()
    words = tuple(tokens[k].raw for k in unknown)
    return Coverage(words, tuple(_phrases(tokens, text, unknown, covered | used)))


def _signature(tokens: list[Token], text: str) -> frozenset[int]:
    """The names that sign a message after its closing formula ("Cordialement, Jean Dupont"):
    one to three capitalised words ending it, after a sign-off word and punctuation (read in
    the text: the tokens drop politeness words)."""
    end = len(tokens)
    while end and tokens[end - 1].kind == _PUNCT:
        end -= 1
    start = end
    while start and end - start < lexicon.SIGNATURE_MAX_WORDS:
        token = tokens[start - 1]
        if token.kind != _WORD or not token.raw[:1].isupper():
            break
        start -= 1
    if start == end:
        return frozenset()
    before = text[: tokens[start].start].rstrip(" \t")
    formula = before.rstrip(_SIGN_OFF_PUNCTUATION)
    if formula == before:  # "merci Karim": no punctuation or line break before the names
        return frozenset()
    words = fold_for_matching(formula).replace("'", " ").split()
    return (
        frozenset(range(start, end))
        if words and words[-1] in lexicon.SIGN_OFF_WORDS
        else frozenset()
    )


_SIGN_OFF_PUNCTUATION = ",.;:!- \t\n"


def _unknown(token: Token, intent: Intent, travel: bool) -> bool:
    if token.kind in _ACCOUNTED_KINDS:
        return False
    if token.kind == _PLACE:  # a place that is not a known site: any town for a travel
        return not (intent is Intent.STATUS and travel)
    if token.norm in ACCOUNTED and token.word not in lexicon.CONTENT_WORDS:
        return False
    return not (token.word in ACCOUNTED and token.norm not in lexicon.CONTENT_WORDS)


def _phrases(
    tokens: list[Token], text: str, unknown: list[int], covered: frozenset[int]
) -> list[str]:
    """Unknown words grouped as written: "près de la machine à café", "avec un grand écran"."""
    groups: list[list[int]] = []
    for k in unknown:
        if groups:
            last = groups[-1][-1]
            between = range(last + 1, k)
            if len(between) <= 3 and all(
                tokens[j].kind == _WORD and tokens[j].norm in lexicon.UNKNOWN_BRIDGES
                for j in between
            ):
                groups[-1].append(k)
                continue
        groups.append([k])
    out: list[str] = []
    for group in groups:
        first = group[0]
        lead = first
        while (
            lead > 0
            and first - lead < 3
            and lead - 1 not in covered
            and tokens[lead - 1].kind == _WORD
            and tokens[lead - 1].word in lexicon.UNKNOWN_LEADS
        ):
            lead -= 1
        start, end = tokens[lead].start, tokens[group[-1]].end
        phrase = text[start:end].strip(" ,;:.!?")
        if phrase and phrase not in out:
            out.append(phrase)
    return out
