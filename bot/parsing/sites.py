"""Finding the site named in a command among the sites the caller knows.

Names and aliases are compared as folded word sequences ("Paris-Balard", "paris balard" and
"PARIS BALARD" are one), with "st"/"ste" read as "saint"/"sainte". Then, after a place
preposition ("à", "au", "in", "site de"), a one-edit typo is tolerated when it points to one site
only ("Mets" -> Metz), a first word shared by several sites is ambiguous ("Paris"), and an unknown
word is reported with the closest names as suggestions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.parsing import lexicon
from bot.parsing.model import KnownSite
from bot.parsing.text import Token, TokenKind, fold_for_matching

# Token kinds as module constants: reading `TokenKind.X` goes through the enum's metaclass
# (about 100 ns a time, and the hot loops read them per token).
_KIND_WORD = TokenKind.WORD


_WORD_RE = re.compile(r"[^\W_]+")
MAX_PLACE_WORDS = 3
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class SiteMatch:
    """Where a site was named: token span, canonical names (one unless ambiguous), the words."""

    start: int
    end: int
    names: tuple[str, ...]
    typed: str  # the text as the user wrote it
    known: bool = True  # False: an unknown place (names are then suggestions)
    chars: tuple[int, int] = (0, 0)  # span in the original text


def site_words(name: str) -> tuple[str, ...]:
    """The folded word sequence a site name is matched on."""
    words = [
        lexicon.SAINT_ABBREVIATIONS.get(w, w) for w in _WORD_RE.findall(fold_for_matching(name))
    ]
    return tuple(words)


class SiteIndex:
    """The known sites, indexed for exact, component and fuzzy matching."""

    def __init__(self, sites: Sequence[KnownSite]) -> None:
        self.names = tuple(dict.fromkeys(s.name for s in sites))
        by_words: dict[tuple[str, ...], set[str]] = {}
        for site in sites:
            for label in (site.name, *site.aliases):
                words = site_words(label)
                if words:
                    by_words.setdefault(words, set()).add(site.name)
        self._exact = {words: tuple(sorted(names)) for words, names in by_words.items()}
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for words in sorted(self._exact, key=len, reverse=True):
            self._by_first.setdefault(words[0], []).append(words)
        # Each word of a name (>= 3 letters, not a function word) -> the sites it belongs to.
        components: dict[str, set[str]] = {}
        for words, names in self._exact.items():
            for word in words:
                if len(word) >= 3 and word not in lexicon.COMMON_WORDS:
                    components.setdefault(word, set()).update(names)
        self._components = {w: tuple(sorted(n)) for w, n in components.items()}
        self._keys = [" ".join(words) for words in self._exact]
        self._key_names = [self._exact[words] for words in self._exact]
        self.protected = frozenset(w for words in self._exact for w in words)

    def find(self, tokens: list[Token], text: str) -> list[SiteMatch]:
        """Every site mention in `tokens`, in order (unknown places included)."""
        found: list[SiteMatch] = []
        i = 0
        n = len(tokens)
        by_first = self._by_first
        while i < n:
            token = tokens[i]
            word = token.word
            if (
                token.kind == _KIND_WORD
                and word not in by_first
                and word not in lexicon.SAINT_ABBREVIATIONS
                and not _may_be_a_misspelled_site(token, i)
                and not _after_place_word(tokens, i)
            ):
                i += 1  # a word that starts no site name (what the three tests say)
                continue
            match = self._exact_at(tokens, i, text)
            if match is None and _after_place_word(tokens, i):
                match = self._place_at(tokens, i, text)
            if match is None and self._components:
                match = self._typo_at(tokens, i, text)
            if match is not None:
                chars = (tokens[match.start].start, tokens[match.end - 1].end)
                # built whole: `dataclasses.replace` costs ~5 µs a call
                found.append(
                    SiteMatch(match.start, match.end, match.names, match.typed, match.known, chars)
                )
                i = match.end
            else:
                i += 1
        return found

    def _exact_at(self, tokens: list[Token], i: int, text: str) -> SiteMatch | None:
        first = _site_word(tokens[i])
        for words in self._by_first.get(first, ()):
            end = i + len(words)
            if end > len(tokens):
                continue
            if all(_site_word(tokens[i + k]) == words[k] for k in range(1, len(words))):
                if (
                    len(words) == 1
                    and first in lexicon.KNOWN_WORDS
                    and not _after_place_word(tokens, i)
                ):
                    continue  # "tours", "nice": a site only after "à", "in", "site de"...
                return SiteMatch(i, end, self._exact[words], _typed(tokens, i, end, text))
        return None

    def _place_at(self, tokens: list[Token], i: int, text: str) -> SiteMatch | None:
        """After a place preposition: components, one-edit typos, or an unknown place."""
        words: list[str] = []
        for token in tokens[i : i + MAX_PLACE_WORDS]:
            if token.kind != _KIND_WORD or _not_a_place_word(token):
                break
            words.append(_site_word(token))
        if not words:
            return None
        first = words[0]
        for size in range(len(words), 1, -1):  # "Paris Balrd": a typo in a longer name
            names = self._closest(" ".join(words[:size]))
            if names:
                return SiteMatch(i, i + size, names, _typed(tokens, i, i + size, text))
        if first in self._components:  # "Balard" -> Paris Balard; "Paris" -> ambiguous
            return SiteMatch(i, i + 1, self._components[first], _typed(tokens, i, i + 1, text))
        names = self._closest(first)
        if names:
            return SiteMatch(i, i + 1, names, _typed(tokens, i, i + 1, text))
        prev = tokens[i - 1].norm
        if (
            tokens[i].word in lexicon.KNOWN_WORDS
            or len(first) < 3
            or not first.isalpha()
            or prev not in lexicon.STRONG_PLACE_PREPOSITIONS
            # "réserve au calme", "sur le côté": after "au"/"sur", only a capitalised name
            or (prev in lexicon.WEAK_PLACE_PREPOSITIONS and not _capitalised(tokens[i].raw))
        ):
            return None
        size = 1
        while size < len(words) and words[size] not in lexicon.KNOWN_WORDS:
            size += 1
        typed = _typed(tokens, i, i + size, text)
        return SiteMatch(i, i + size, self.suggest(" ".join(words[:size])), typed, known=False)

    def _typo_at(self, tokens: list[Token], i: int, text: str) -> SiteMatch | None:
        """Anywhere: an unknown word one edit away from exactly one site ("réserve Mets mardi")."""
        token = tokens[i]
        # "mets-moi" is a verb, "réserve Mets mardi" a site with a typo; "mardu" was read as
        # "mardi" already
        if token.kind != _KIND_WORD or not _may_be_a_misspelled_site(token, i):
            return None
        capitalised = i > 0 and token.raw[:1].isupper()
        if token.word in self._components and (
            capitalised or (len(self._components[token.word]) == 1 and _site_expected(tokens, i))
        ):  # "ferme Paris lundi", "resa bercy jeudi" (not "mon dieu" for Lyon Part-Dieu)
            names = self._components[token.word]
            return SiteMatch(i, i + 1, names, _typed(tokens, i, i + 1, text))
        names = self._closest(_site_word(token))
        if len(names) == 1:
            return SiteMatch(i, i + 1, names, _typed(tokens, i, i + 1, text))
        return None

    def _closest(self, query: str) -> tuple[str, ...]:
        """Sites whose name or alias is one edit away from `query` (several: ambiguous)."""
        if len(query) < 4:
            return ()
        hits = process.extract(query, self._keys, scorer=OSA.distance, score_cutoff=1, limit=None)
        names: set[str] = set()
        best = min((score for _, score, _ in hits), default=None)
        for _, score, index in hits:
            if score == best:
                names.update(self._key_names[index])
        return tuple(sorted(names))

    def suggest(self, query: str) -> tuple[str, ...]:
        """The known names closest to `query`, best first."""
        if not self._keys:
            return ()
        hits = process.extract(query, self._keys, scorer=fuzz.WRatio, limit=MAX_SUGGESTIONS * 3)
        names: list[str] = []
        for _, score, index in hits:
            if score < 50:
                continue
            for name in self._key_names[index]:
                if name not in names:
                    names.append(name)
        return tuple(names[:MAX_SUGGESTIONS])


@lru_cache(maxsize=64)
def site_index(sites: tuple[KnownSite, ...]) -> SiteIndex:
    """The index for a set of sites (cached: callers pass the same list again and again)."""
    return SiteIndex(sites)


def _site_word(token: Token) -> str:
    word = token.word if token.kind == _KIND_WORD else token.norm
    return lexicon.SAINT_ABBREVIATIONS.get(word, word)


def _may_be_a_misspelled_site(token: Token, i: int) -> bool:
    """Whether `_typo_at` may read the word token at `i` as a misspelled site (also asked
    first, cheaply, of the words most sentences are made of: "un", "je", "réserve")."""
    word = token.word
    if len(word) < 4 or word in lexicon.VOCABULARY or token.norm != word:
        return False
    return word not in lexicon.KNOWN_WORDS or (i > 0 and token.raw[:1].isupper())


def _after_place_word(tokens: list[Token], i: int) -> bool:
    if i == 0:
        return False
    prev = tokens[i - 1].norm
    if prev in lexicon.SITE_NAME_LINKS:
        # "le site de Metz", "sites of Metz": a place only after the word "site".
        return i >= 2 and tokens[i - 2].norm in lexicon.SITE_NOUNS
    return prev in lexicon.PLACE_PREPOSITIONS


def _not_a_place_word(token: Token) -> bool:
    norm = token.norm
    return (
        norm in lexicon.NOT_PLACES
        or norm in lexicon.WEEKDAYS
        or norm in lexicon.WEEKDAYS_PLURAL
        or norm in lexicon.MONTHS
        or norm in lexicon.STATUS_WORDS
        or norm in lexicon.MORNING
        or norm in lexicon.AFTERNOON
        or norm in lexicon.NUMBER_WORDS
        or norm in lexicon.ORDINAL_WORDS
        or norm in lexicon.DAY_UNITS
        or norm in lexicon.WEEK_UNITS
        or norm in lexicon.MONTH_UNITS
        or norm in lexicon.TODAY
        or norm in lexicon.TOMORROW
        or norm in lexicon.AFTER_TOMORROW
        or norm in lexicon.PLACE_PREPOSITIONS
        or norm in lexicon.VOCABULARY
        or norm in lexicon.MERGED_WORDS
        or (norm in lexicon.COMMON_WORDS and len(norm) <= 3)
    )


def _site_expected(tokens: list[Token], i: int) -> bool:
    """The first word, or right after a command verb: "bercy jeudi", "resa bercy jeudi"."""
    if i == 0:
        return True
    prev = tokens[i - 1].norm
    return (
        prev in lexicon.RESERVE_VERBS
        or prev in lexicon.CANCEL_VERBS
        or prev in (lexicon.OPEN_VERBS | lexicon.CLOSE_VERBS | lexicon.FOLLOW_WORDS)
    )


def _capitalised(raw: str) -> bool:
    return raw[:1].isupper()


def _typed(tokens: list[Token], start: int, end: int, text: str) -> str:
    return text[tokens[start].start : tokens[end - 1].end]
