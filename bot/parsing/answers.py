"""A short message read as an answer to the bot's own question: "Nantes", "mardi", "le 12",
"l'après-midi", "le premier", "les deux", "B-204", "tous".

`parse_answer` finds each piece a question may ask for (a site, dates, a part of the day, a
choice among offered items) and says whether anything else was written: a message with a
command word of its own, or with unknown words, is not a bare answer (`bot.dialogue` then reads
it as a new command).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.parsing import lexicon
from bot.parsing.coverage import ACCOUNTED
from bot.parsing.dates import DateProblem, find_dates
from bot.parsing.daytime import find_slot
from bot.parsing.model import KnownSite
from bot.parsing.parser import _as_site, _local, _replace_sites, detect_language
from bot.parsing.sites import site_index
from bot.parsing.text import TokenKind, tokenize
from storage.domain import Slot

# Token kinds as module constants: reading `TokenKind.X` goes through the enum's metaclass
# (about 100 ns a time, and the hot loops read them per token).
_LABEL = TokenKind.LABEL
_NUM = TokenKind.NUM
_ORD = TokenKind.ORD
_PLACE = TokenKind.PLACE
_PUNCT = TokenKind.PUNCT
_SITE = TokenKind.SITE
_WORD = TokenKind.WORD


@dataclass(frozen=True)
class Answer:
    """The pieces of an answer; `bare` when nothing else was said."""

    site: str | None = None
    site_typed: str | None = None  # an unknown or ambiguous place, as written
    site_candidates: tuple[str, ...] = ()
    dates: tuple[date, ...] = ()
    date_error: str | None = None
    slot: Slot | None = None
    choice: int | None = None  # 1-based position; -1 the last
    choose_all: bool = False
    label: str | None = None  # "B-204"
    bare: bool = False
    lang: str = "fr"

    @property
    def empty(self) -> bool:
        return not (self.site or self.site_typed or self.dates or self.slot or self.label
                    or self.choice or self.choose_all or self.date_error)  # fmt: skip


def parse_answer(
    text: str,
    now: datetime,
    sites: Sequence[KnownSite],
    *,
    horizon_days: int = 56,
    lang: str | None = None,
) -> Answer:
    """Read `text` as an answer (see the module docstring). Never raises."""
    try:
        return _parse_answer(text[:200], now, sites, horizon_days, lang)
    except Exception:  # an answer that cannot be read is just not an answer
        return Answer()


def _parse_answer(
    text: str, now: datetime, sites: Sequence[KnownSite], horizon_days: int, lang: str | None
) -> Answer:
    index = site_index(tuple(_as_site(s) for s in sites))
    tokens = tokenize(text, index.protected)
    language = detect_language(tokens, lang)
    matches = index.find(tokens, text)
    tokens = _replace_sites(tokens, matches)
    fields: dict[str, object] = {"lang": language}
    known = [m for m in matches if m.known and len(m.names) == 1]
    if known:
        fields["site"] = known[0].names[0]
    elif matches:
        fields["site_typed"] = matches[0].typed
        fields["site_candidates"] = matches[0].names
    covered: set[int] = set()
    try:
        result = find_dates(tokens, text, _local(now), horizon_days=horizon_days, lang=language)
        if result.named and not result.choices:
            fields["dates"] = result.dates
            covered = {k for start, end in result.spans for k in range(start, end)}
    except DateProblem as problem:
        fields["date_error"] = problem.code
        covered = set(range(len(tokens)))
    slot = find_slot(tokens)
    if slot:
        fields["slot"] = slot
    other = False
    for k, token in enumerate(tokens):
        norm = token.norm
        if k in covered or token.kind in (_SITE, _PUNCT, _PLACE):
            continue
        if token.kind == _LABEL:
            fields["label"] = token.raw
        elif token.kind in (_ORD, _NUM) and token.value and "dates" not in fields:
            fields["choice"] = token.value[0]
        elif norm in lexicon.CHOICE_ORDINALS:
            fields.setdefault("choice", lexicon.CHOICE_ORDINALS[norm])
        elif norm in lexicon.CHOICE_ALL:
            fields["choose_all"] = True
        elif norm in lexicon.ANSWER_BREAKERS or (
            token.kind == _WORD and norm not in ACCOUNTED and norm not in lexicon.CHOICE_FILLERS
        ):
            other = True
    for token in tokens:  # "le premier" is also a date: the caller knows what it asked
        if token.norm in lexicon.CHOICE_ORDINALS and "choice" not in fields:
            fields["choice"] = lexicon.CHOICE_ORDINALS[token.norm]
    answer = Answer(**fields)  # type: ignore[arg-type]  # fields: Answer's own names, set above
    return Answer(**{**answer.__dict__, "bare": not other and not answer.empty})
