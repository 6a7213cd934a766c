"""From raw chat text to a list of normalised tokens.

Steps: scan the original text (so every token keeps its span, for labels and quoted text), fold
case and accents, merge English contractions, expand French elisions ("l'", "d'"), rewrite chat
spellings ("ki", "jai", "jserai", "dem1", "semaine pro"), correct one-letter typos against the
fixed vocabulary (and letters doubled in the wrong place: "anulle"), merge multi-word
expressions ("après-midi", "à partir de", "tous les") into one token, and drop politeness
("stp", "merci").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rapidfuzz.distance import OSA

from bot.parsing import lexicon

# Only the start of very long texts is typo-corrected: commands are short, and this keeps
# the parser fast on pasted pages.
MAX_CORRECTED_WORDS = 200
MIN_TYPO_LENGTH = 4
MAX_TYPO_LENGTH = 20  # longer than any vocabulary word plus one letter

# The alternatives are grouped by the first character they can match (a letter, a digit, other),
# and a word that no other alternative could begin is read first: most tokens are words, and the
# regex engine skips a group at once on its first character. The order inside each group is the
# order of precedence ("dem1" before a word, "B-12" a label, "1er" an ordinal before a number).
# A dash's look-behind comes after the dash itself, for the same reason. The spaces before a
# token are part of its match (`\s*+`), so that the engine does not try every alternative at
# each space; a token's own span is its group's.
_TOKEN_RE = re.compile(
    r"""
    \s*+(?:
    (?P<word>(?!½)[^\W\d_]++(?!-?\d))
   |(?=[^\W\d_])(?:
        (?P<tomorrow>(?<![^\W_])(?:dem1|dm1)(?![^\W_]))
       |(?P<half>½)
       |(?P<label>(?<![^\W\d_])[^\W\d_]{1,3}-?\d{1,4}(?:-\d{1,4})?[^\W\d_]?(?![^\W\d_]|\d))
       |(?P<letters>[^\W\d_]+)
    )
   |(?=\d)(?:
        (?P<tomorrow_digits>(?<![^\W_])(?:2m1|2main)(?![^\W_]))
       |(?P<half_digits>(?<!\d)1/2(?=\s?-?\s?(?:j(?![^\W\d_])|journ|day)))
       |(?P<iso>(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d))
       |(?P<numdate>(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?!\d)|(?<!\d)\d{1,2}/\d{1,2}(?![\d/])
            |(?<![\d-])(?:0[1-9]-[01]\d|[0-3]\d-0[1-9])(?![\d-]))
       |(?P<time>(?<!\d)\d{1,2}\s?[hH]\s?(?:\d{2})?(?![^\W\d_]|\d)
            |(?<!\d)\d{1,2}:\d{2}(?:\s?[apAP]\.?[mM]\b\.?)?
            |(?<!\d)\d{1,2}(?:[.:]\d{2})?\s?[apAP]\.?[mM]\b\.?)
       |(?P<ord>(?<!\d)\d{1,2}(?:er|ER|Er|re|ère|ere|e|è|eme|ème|ème|nd|st|rd|th|°)(?![^\W\d_]))
       |(?P<num>\d{1,9})
    )
   |(?P<mxid>@[A-Za-z0-9._=\-/+]+:[A-Za-z0-9.\-]+(?::\d{1,5})?)
   |(?P<punct>-+>|=>|[→⇒➡]|[?!,;:&+]|[-–—](?<=\s[-–—])(?=\s)|-(?<=[\dhHmM.]-)(?=\d))
   |(?P<ok>[\U0001F44D\U0001F44C\u2705\U0001F197])
   |(?P<no>[\U0001F44E\u274C\U0001F6AB\u26D4])
    )
    """,
    re.VERBOSE,
)
_APOSTROPHES = "'’‘`´ʼ"
_HYPHENS = "-‐‑‒–"


class TokenKind(StrEnum):
    """What a token is; a misspelled kind fails at import instead of silently not matching."""

    WORD = "word"
    NUM = "num"
    ORD = "ord"  # "1er", "2nd"
    DATE = "date"  # "12/03", "2026-03-12"
    TIME = "time"  # "8h30", "9am"
    LABEL = "label"  # a desk label, "B-12"
    MXID = "mxid"  # a Matrix user id
    PUNCT = "punct"
    SITE = "site"  # a known site, put in place of its name by the parser
    PLACE = "place"  # a place that is not a known site


@dataclass(slots=True)
class Token:
    """One unit of the command: a word, number, date, time, desk label, Matrix id or punctuation.

    `norm` is what the grammar reads (folded, typo-corrected, merged); `word` is the folded text
    before typo correction; `raw`/`start`/`end` point into the original text.
    """

    kind: TokenKind
    norm: str
    word: str
    raw: str
    start: int
    end: int
    value: tuple[int, ...] | None = None
    joined: bool = False  # glued to the previous token by a hyphen ("lundi-mercredi")
    elided: bool = False  # followed by an apostrophe ("l'", "d'")
    site: str | None = None  # canonical site name, for kind "site"


# Token kinds as module constants: reading `TokenKind.X` goes through the enum's metaclass
# (about 100 ns a time, and the hot loops read them per token).
_DATE = TokenKind.DATE
_LABEL = TokenKind.LABEL
_MXID = TokenKind.MXID
_NUM = TokenKind.NUM
_ORD = TokenKind.ORD
_PUNCT = TokenKind.PUNCT
_TIME = TokenKind.TIME
_WORD = TokenKind.WORD


def fold_for_matching(text: str) -> str:
    """Case- and accent-insensitive form: 'Décembre' -> 'decembre', 'Œuvre' -> 'oeuvre'."""
    if len(text) <= _MAX_CACHED_FOLD:
        return _fold_word(text)
    return _fold(text)


# Words repeat from one message to the next ("réserve", "à", "après-midi"): their folded form is
# kept; a word with accents costs ~2 µs to fold (NFKD), a look-up ~0.1 µs.
_MAX_CACHED_FOLD = 32


@lru_cache(maxsize=8192)
def _fold_word(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = text.casefold().replace("œ", "oe").replace("æ", "ae").replace("ø", "o")
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokenize(text: str, protected: frozenset[str] = frozenset()) -> list[Token]:
    """Normalised tokens of `text`; words in `protected` (site names) are never typo-corrected."""
    tokens = _scan(text)
    tokens = _merge_contractions(tokens)
    _expand_elisions(tokens)
    tokens = _expand_sms(tokens, protected)
    _correct_typos(tokens, protected, text)
    return _merge_phrases(tokens, text)


def _scan(text: str) -> list[Token]:
    tokens: list[Token] = []
    size = len(text)
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup or "word"
        start, end = match.span(kind)
        raw = text[start:end]
        if kind == "word":  # most tokens: built here, without `_make_token`'s tests
            folded = _fold_word(raw) if len(raw) <= _MAX_CACHED_FOLD else _fold(raw)
            token = Token(_WORD, folded, folded, raw, start, end)
        else:
            made = _make_token(kind, raw, start, end)
            if made is None:
                continue
            token = made
        if start >= 2 and text[start - 1] in _HYPHENS and text[start - 2].isalnum():
            token.joined = True
        if end < size and text[end] in _APOSTROPHES:
            token.elided = True
        tokens.append(token)
    return tokens


def _make_token(kind: str, raw: str, start: int, end: int) -> Token | None:
    folded = fold_for_matching(raw)
    if kind == _WORD or kind == "letters":
        return Token(_WORD, folded, folded, raw, start, end)
    if kind == "tomorrow" or kind == "tomorrow_digits":  # SMS "dem1", "2m1"
        return Token(_WORD, "demain", "demain", raw, start, end)
    if kind == "half" or kind == "half_digits":  # "1/2 journée"
        return Token(_WORD, "demi", "demi", raw, start, end)
    if kind == _NUM:
        return Token(_NUM, folded, folded, raw, start, end, (int(raw),))
    if kind == _ORD:
        number = int(re.match(r"\d+", raw).group())  # type: ignore[union-attr]  # "ord" starts with digits
        return Token(_ORD, folded, folded, raw, start, end, (number,))
    if kind in ("numdate", "iso"):
        parts = [int(p) for p in re.findall(r"\d+", raw)]
        if kind == "iso":
            parts = [parts[2], parts[1], parts[0]]
        day, month = parts[0], parts[1]
        year = parts[2] if len(parts) > 2 else 0
        if 0 < year < 100:
            year += 2000
        return Token(_DATE, folded, folded, raw, start, end, (day, month, year))
    if kind == _TIME:
        return _time_token(raw, folded, start, end)
    if kind == _LABEL:
        return Token(_LABEL, folded, folded, raw, start, end)
    if kind == _MXID:
        return Token(_MXID, folded, folded, raw, start, end)
    if kind == _PUNCT:
        norm = raw if raw in "?!,;:&+" else "-"  # dashes and arrows ("lundi->mercredi")
        return Token(_PUNCT, norm, norm, raw, start, end)
    if kind == "ok":
        return Token(_WORD, "ok", "ok", raw, start, end)
    if kind == "no":
        return Token(_WORD, "non", "non", raw, start, end)
    return None


def _time_token(raw: str, folded: str, start: int, end: int) -> Token:
    numbers = [int(n) for n in re.findall(r"\d+", raw)]
    hour = numbers[0]
    minute = numbers[1] if len(numbers) > 1 else 0
    meridiem = re.search(r"([ap])\.?m", folded)
    if meridiem and 1 <= hour <= 12:
        hour = hour % 12 + (12 if meridiem.group(1) == "p" else 0)
    if hour > 23 or minute > 59:
        return Token(_WORD, folded, folded, raw, start, end)
    return Token(_TIME, folded, folded, raw, start, end, (hour, minute))


def _merge_contractions(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.elided and i + 1 < len(tokens):
            merged = lexicon.CONTRACTIONS.get((token.word, tokens[i + 1].word))
            if merged:
                nxt = tokens[i + 1]
                out.append(
                    Token(
                        _WORD,
                        merged,
                        merged,
                        token.raw + "'" + nxt.raw,
                        token.start,
                        nxt.end,
                    )
                )
                i += 2
                continue
        out.append(token)
        i += 1
    return out


def _expand_elisions(tokens: list[Token]) -> None:
    for token in tokens:
        if token.elided and token.kind == _WORD:
            full = lexicon.ELISIONS.get(token.word)
            if full:
                token.norm = token.word = full


# Known words that a chat-spelling rule still reads (the others are only read by the rules
# for unknown words: "jpeux", "davoir").
_SMS_SPECIAL = frozenset(
    lexicon.SMS_WORDS.keys() | lexicon.ALL_ABBREVIATIONS | lexicon.NEXT_ABBREVIATIONS
)


def _expand_sms(tokens: list[Token], protected: frozenset[str]) -> list[Token]:
    """Chat spellings: "ki" -> "qui", "jai" -> "je ai", "jserai" -> "je serai", "semaine pro"."""
    out: list[Token] = []
    known = lexicon.KNOWN_WORDS
    for k, token in enumerate(tokens):
        word = token.word
        if (
            token.kind != _WORD
            or word in protected
            or (word in known and word not in _SMS_SPECIAL)  # what the rules below say then
        ):
            out.append(token)
            continue
        expansion = lexicon.SMS_WORDS.get(word)
        if (
            word in lexicon.ALL_ABBREVIATIONS
            and k + 1 < len(tokens)
            and tokens[k + 1].word in lexicon.DETERMINERS_AFTER_ALL
        ):
            expansion = ("tout",)  # "annule tt mes résas"
        if (
            expansion is None
            and word in lexicon.NEXT_ABBREVIATIONS
            and out
            and (
                out[-1].norm in lexicon.WEEK_UNITS
                or out[-1].norm in lexicon.MONTH_UNITS
                or out[-1].norm in lexicon.WEEKDAYS
                or out[-1].norm in lexicon.WEEKEND_WORDS
            )
        ):
            expansion = ("prochaine",)
        if (
            expansion is None
            and len(word) >= 5
            and word[0] == "j"
            and word[1] not in "aeiouy"
            and word not in lexicon.KNOWN_WORDS
            and word[1:] in lexicon.KNOWN_WORDS
        ):
            expansion = ("je", word[1:])  # "jpeux", "jviens", "jserai"
        if (
            expansion is None
            and len(word) >= 4
            and word[0] in lexicon.GLUED_ELISIONS
            and word[1] in lexicon.ELIDED_BEFORE
            and word not in lexicon.KNOWN_WORDS
            and word[1:] in lexicon.KNOWN_WORDS
        ):  # "davoir", "dune": the apostrophe left out ("d'avoir", "d'une")
            expansion = (lexicon.GLUED_ELISIONS[word[0]], word[1:])
        if expansion is None:
            out.append(token)
            continue
        for part in expansion:
            out.append(
                Token(
                    _WORD,
                    part,
                    part,
                    token.raw,
                    token.start,
                    token.end,
                    joined=token.joined,
                )
            )
    return out


def _correct_typos(tokens: list[Token], protected: frozenset[str], text: str = "") -> None:
    """Typo tolerance, except on a capitalised word inside a sentence: that is most likely a
    name ("Jeanne Martin" is not "Jeanne matin"), unless it is one letter off a weekday or a
    month, which English (and many French writers) capitalise ("Tuesdy"). ALL-CAPS words and
    the first word of a sentence are corrected as usual."""
    seen = 0
    previous = ""
    for token in tokens:
        if token.kind != _WORD:
            previous = token.norm
            continue
        seen += 1
        if seen > MAX_CORRECTED_WORDS:
            return
        word = token.norm
        if previous in lexicon.SINGULAR_SUBJECTS and word not in protected:
            silent = _silent_ending(word)
            if silent is not None:  # "je vien", "tu peu": "je viens", "tu peux"
                token.norm = previous = silent
                continue
        if (
            len(word) >= MIN_TYPO_LENGTH
            and word not in protected
            and not (
                # "au Mans" is a place, not a typo for "mars"
                previous in lexicon.STRONG_PLACE_PREPOSITIONS and _capitalised(token.raw)
            )
        ):
            fixed = correct(word)
            if fixed != word and _capitalised(token.raw) and not _sentence_start(text, token):
                if len(word) < 5 or not (
                    fixed in lexicon.WEEKDAYS
                    or fixed in lexicon.WEEKDAYS_PLURAL
                    or fixed in lexicon.MONTHS
                ):
                    fixed = word  # a name in the middle of a sentence, not a keyword
            token.norm = fixed
        previous = token.norm


def _silent_ending(word: str) -> str | None:
    """The verb `word` is once its silent final letter is put back ("vien" -> "viens")."""
    if (
        word in lexicon.SINGULAR_VERBS
        or word in lexicon.PRESENCE_WORDS
        or word in lexicon.PRESENCE_VERBS
    ):  # already a verb of its own: "je serai" is no "je serais", "je pourrai" no "pourrais"
        return None
    for ending in lexicon.SILENT_ENDINGS:
        if word + ending in lexicon.SINGULAR_VERBS:
            return word + ending
    return None


def _capitalised(raw: str) -> bool:
    return raw[:1].isupper() and not raw.isupper()


def _sentence_start(text: str, token: Token) -> bool:
    """Whether `token` opens the message or a sentence in it (after ".", "!", "?", a line)."""
    before = text[: token.start].rstrip(" \t\"'«“(*_-")
    return not before or before[-1] in ".!?:\n>" or before.endswith("...")


@lru_cache(maxsize=8192)
def correct(word: str) -> str:
    """The vocabulary word one edit away from `word` (OSA: a swap counts as one), when unique."""
    if word in lexicon.KNOWN_WORDS or not MIN_TYPO_LENGTH <= len(word) <= MAX_TYPO_LENGTH:
        return word
    if not word.isalpha():
        return word
    candidates: set[str] = set(_DELETES.get(word, ()))
    for variant in _deletions(word):
        if variant in lexicon.TYPO_TARGETS:
            candidates.add(variant)
        candidates.update(_DELETES.get(variant, ()))
    close = {c for c in candidates if OSA.distance(word, c, score_cutoff=1) <= 1}
    if len(close) > 1:  # "jeudii": a doubled letter beats "jeudis"
        undoubled = {
            word[:i] + word[i + 1 :] for i in range(1, len(word)) if word[i] == word[i - 1]
        }
        close &= undoubled or close
    if len(close) > 1 and len({_meaning(c) for c in close}) == 1:
        return min(close)  # "conger": "conge" or "conges", both mean leave
    if not close:  # "anulle", "suprimme": a letter doubled in the wrong place
        close = set(_UNDOUBLED.get(_undouble(word), ()))
    return close.pop() if len(close) == 1 else word


def _undouble(word: str) -> str:
    return "".join(c for i, c in enumerate(word) if i == 0 or c != word[i - 1])


def _meaning(word: str) -> object:
    """What a vocabulary word stands for, so that equivalent corrections are not ambiguous."""
    for table in (lexicon.STATUS_WORDS, lexicon.WEEKDAYS, lexicon.MONTHS):
        if word in table:
            return (id(table), table[word])
    for group in lexicon.SYNONYM_GROUPS:  # "reserv": "reserve" or "reserva", both book
        if word in group:
            return id(group)
    return word


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _build_deletes() -> dict[str, frozenset[str]]:
    """SymSpell-style index: each vocabulary word under itself and its one-letter deletions."""
    index: dict[str, set[str]] = {}
    for word in lexicon.TYPO_TARGETS:
        for key in _deletions(word) | {word}:
            index.setdefault(key, set()).add(word)
    return {key: frozenset(words) for key, words in index.items()}


_DELETES = _build_deletes()
_UNDOUBLED: dict[str, tuple[str, ...]] = {}
for _target in sorted(lexicon.TYPO_TARGETS):
    _UNDOUBLED.setdefault(_undouble(_target), ())
    _UNDOUBLED[_undouble(_target)] += (_target,)
# (First word, second word) -> (size, merged form, the phrase's words after the second as a
# list: compared in one go), longest first; one-word phrases apart. Keyed on two words, because
# some first words start a dozen phrases ("à partir de", "à côté de", "à venir"...).
_PHRASE_PAIRS: dict[tuple[str, str], list[tuple[int, str, list[str | None]]]] = {}
_PHRASE_SINGLES: dict[str, str] = {}
for _phrase, _merged in sorted(lexicon.PHRASES.items(), key=lambda item: -len(item[0])):
    if len(_phrase) == 1:
        _PHRASE_SINGLES[_phrase[0]] = _merged
    else:
        _PHRASE_PAIRS.setdefault((_phrase[0], _phrase[1]), []).append(
            (len(_phrase), _merged, list(_phrase[2:]))
        )


def _phrase_at(word_norms: list[str | None], i: int) -> tuple[int, str] | None:
    """The longest phrase starting at word `i`: its size in tokens and its merged form."""
    n = len(word_norms)
    first = word_norms[i] or ""
    second = word_norms[i + 1] if i + 1 < n else None
    if second is not None:
        for size, merged, rest in _PHRASE_PAIRS.get((first, second), ()):
            if i + size <= n and word_norms[i + 2 : i + size] == rest:
                return size, merged
    merged_one = _PHRASE_SINGLES.get(first)
    return (1, merged_one) if merged_one is not None else None


def _merge_phrases(tokens: list[Token], text: str) -> list[Token]:
    out: list[Token] = []
    i = 0
    n = len(tokens)
    word_norms: list[str | None] = [t.norm if t.kind == _WORD else None for t in tokens]
    while i < n:
        token = tokens[i]
        if token.kind != _WORD:
            out.append(token)
            i += 1
            continue
        found = _phrase_at(word_norms, i)
        if found is None:
            if token.norm not in lexicon.POLITENESS:
                out.append(token)
            i += 1
            continue
        size, merged = found
        if merged:  # an empty merged form drops the phrase ("merci d'avance")
            last = tokens[i + size - 1]
            words = " ".join(t.word for t in tokens[i : i + size])
            raw = text[token.start : last.end]
            out.append(
                Token(_WORD, merged, words, raw, token.start, last.end, joined=token.joined)
            )
        i += size
    return out
