"""`parse()`: text + now + known sites -> a `ParsedCommand` (never raises)."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Flag, auto
from zoneinfo import ZoneInfo

from bot.parsing import lexicon
from bot.parsing.dates import DateProblem, DateResult, find_dates
from bot.parsing.daytime import find_slot, find_time
from bot.parsing.intents import Classification, classify
from bot.parsing.model import Intent, KnownSite, ParsedCommand, ParseError, built
from bot.parsing.people import other_person
from bot.parsing.refine import refine
from bot.parsing.sites import SiteIndex, SiteMatch, site_index
from bot.parsing.text import Token, TokenKind, fold_for_matching, tokenize
from storage.domain import DigestAction, Slot, UserId

# Token kinds as module constants: reading `TokenKind.X` goes through the enum's metaclass
# (about 100 ns a time, and the hot loops read them per token).
_KIND_LABEL = TokenKind.LABEL
_KIND_NUM = TokenKind.NUM
_KIND_PLACE = TokenKind.PLACE
_KIND_PUNCT = TokenKind.PUNCT
_KIND_SITE = TokenKind.SITE
_KIND_WORD = TokenKind.WORD


log = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")
DEFAULT_HORIZON_DAYS = 56
# Commands are short; only this much of a message is analysed, which bounds the time spent on
# pasted pages. An announcement's text is still taken whole from the original message.
MAX_ANALYSED_CHARS = 2000


class Takes(Flag):
    """What an intent reads from the sentence (the `FIELDS` table)."""

    NOTHING = 0
    SITE = auto()
    SITE_ASKED = auto()  # an unknown or ambiguous place is asked about (not for a status)
    SITE_REQUIRED = auto()  # no site named is an error
    DATES = auto()
    CHOOSES_DATES = auto()  # "mardi ou mercredi" must be settled first (who/free read both)
    FIRST_DATE = auto()  # only the first date (openings start on it)
    SLOT = auto()  # the part of the day, "day" when not said
    SLOT_IF_SAID = auto()  # the part of the day, None when not said (cancel the whole booking)
    DESK = auto()
    OPENING = auto()  # a count of places or desk labels
    STATUS = auto()
    ACTION = auto()
    REASON = auto()  # after a colon: "ferme Metz vendredi : travaux au 2e étage"
    APPOINTEE = auto()
    LOCALE = auto()
    ABOUT_SENDER = auto()  # the sender's own bookings: naming someone else is asked about


_SITED = Takes.SITE | Takes.SITE_ASKED
_ACTS_ON_DATES = Takes.DATES | Takes.CHOOSES_DATES
# Which fields each intent takes: the one place that says it.
FIELDS: dict[Intent, Takes] = {
    Intent.RESERVE: _SITED | _ACTS_ON_DATES | Takes.SLOT | Takes.DESK | Takes.ABOUT_SENDER,
    Intent.CANCEL: _SITED
    | _ACTS_ON_DATES
    | Takes.SLOT_IF_SAID
    | Takes.DESK
    | Takes.STATUS
    | Takes.ABOUT_SENDER,
    Intent.LIST: Takes.SITE | Takes.DATES | Takes.ABOUT_SENDER,
    Intent.WHO: _SITED | Takes.DATES | Takes.DESK,
    Intent.FREE: _SITED | Takes.DATES | Takes.SLOT,
    Intent.STATUS: _ACTS_ON_DATES | Takes.SLOT | Takes.STATUS | Takes.ABOUT_SENDER,
    Intent.OPEN: _SITED | _ACTS_ON_DATES | Takes.FIRST_DATE | Takes.OPENING,
    Intent.CLOSE: _SITED | _ACTS_ON_DATES | Takes.REASON,
    Intent.DIGEST: Takes.SITE | Takes.DATES | Takes.ACTION,
    Intent.SET_SITE: _SITED | Takes.SITE_REQUIRED,
    Intent.FOLLOW: _SITED | Takes.SITE_REQUIRED,
    Intent.UNFOLLOW: _SITED | Takes.SITE_REQUIRED,
    Intent.APPOINT: _SITED | Takes.SITE_REQUIRED | Takes.APPOINTEE,
    Intent.ANNOUNCE: _SITED,  # its text is read apart: see `_announce`
    Intent.SET_LOCALE: Takes.LOCALE,
    Intent.HELP: Takes.NOTHING,
    # "à Bob" is not a place there: only a known site counts.
    Intent.ASSIGN_DESK: Takes.SITE | Takes.DESK | Takes.APPOINTEE,
    Intent.UNASSIGN_DESK: Takes.SITE | Takes.DESK,
    Intent.LEND_DESK: _ACTS_ON_DATES | Takes.SLOT,
    Intent.RECLAIM_DESK: _ACTS_ON_DATES | Takes.SLOT,
    Intent.WHO_HAS_DESK: Takes.DATES,
    Intent.MY_DATA: Takes.NOTHING,
    Intent.ERASE_DATA: Takes.NOTHING,
    Intent.WAITLIST_JOIN: _SITED | _ACTS_ON_DATES | Takes.SLOT | Takes.ABOUT_SENDER,
    Intent.WAITLIST_SHOW: Takes.NOTHING,
    Intent.WAITLIST_LEAVE: Takes.SITE | Takes.DATES,
    Intent.UNDO: Takes.NOTHING,
    Intent.CHECK_IN: Takes.NOTHING,
    Intent.MOVE: Takes.NOTHING,  # built whole by `refine`
    Intent.CONFIRM: Takes.NOTHING,
    Intent.DENY: Takes.NOTHING,
    Intent.UNKNOWN: Takes.NOTHING,
}

# The same flags as plain ints, for `_parse` (a Flag's "&" costs about 2 µs, an int's 30 ns).
_ABOUT_SENDER = Takes.ABOUT_SENDER._value_
_ACTION = Takes.ACTION._value_
_APPOINTEE = Takes.APPOINTEE._value_
_CHOOSES_DATES = Takes.CHOOSES_DATES._value_
_DATES = Takes.DATES._value_
_DESK = Takes.DESK._value_
_FIRST_DATE = Takes.FIRST_DATE._value_
_LOCALE = Takes.LOCALE._value_
_OPENING = Takes.OPENING._value_
_REASON = Takes.REASON._value_
_SITE = Takes.SITE._value_
_SITE_REQUIRED = Takes.SITE_REQUIRED._value_
_SLOT = Takes.SLOT._value_
_SLOT_IF_SAID = Takes.SLOT_IF_SAID._value_
_STATUS = Takes.STATUS._value_

# Around a desk label: what ends it, and the markup characters that are part of it when present.
_LABEL_ENDS = frozenset(',.;:!?()[]{}«»"“”')
_MARKUP = frozenset("<>&")
_DESK_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{0,11}$")


def parse(
    text: str,
    now: datetime,
    sites: Sequence[KnownSite],
    *,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    lang: str | None = None,
) -> ParsedCommand:
    """Understand one chat message.

    `now` is the current time (naive means Europe/Paris); `sites` the sites the user may name;
    `horizon_days` how far an open-ended recurrence ("tous les mardis") expands; `lang` the
    user's language when the sentence alone does not tell ("ok", "Metz mardi"). Never raises:
    anything that cannot be acted upon comes back with `error` set.
    """
    try:
        return _parse(text, now, sites, horizon_days, lang)
    except Exception:  # a bug must not take the bot down: log it, answer "not understood"
        log.exception("parser failed on %r", str(text)[:200])
        return ParsedCommand(
            Intent.UNKNOWN, error=ParseError("not_understood"), lang=_lang_hint(lang)
        )


def _parse(
    text: str, now: datetime, sites: Sequence[KnownSite], horizon_days: int, lang: str | None
) -> ParsedCommand:
    text = _without_quote(text) if isinstance(text, str) else ""
    local_now = _local(now)
    index = _index_of(sites)
    analysed = text[:MAX_ANALYSED_CHARS]
    tokens = tokenize(analysed, index.protected)
    language = detect_language(tokens, lang)
    matches = index.find(tokens, analysed)
    set_aside = _set_aside(tokens, matches)
    tokens = _replace_sites(tokens, matches)

    # Dates are read before the intent is chosen (a date makes "Metz mardi" a booking), but
    # their errors only count for intents that use dates.
    date_result: DateResult | None = None
    date_error: ParseError | None = None
    try:
        date_result = find_dates(
            tokens, analysed, local_now, horizon_days=horizon_days, lang=language
        )
    except DateProblem as problem:
        date_error = ParseError(problem.code, dict(problem.params))
    has_dates = date_error is not None or (date_result is not None and date_result.named)
    read: set[int] = set()
    for start, end in date_result.spans if date_result is not None else ():
        read.update(range(start, end))
    covered = frozenset(read)

    found = classify(tokens, has_dates, covered, date_error is not None)
    intent = found.intent
    if intent is Intent.ANNOUNCE:
        return _announce(found, tokens, matches, text, language)

    takes = FIELDS[intent]
    bits: int = takes._value_  # plain ints on the hot path: a Flag's "&" costs about 2 µs
    if bits & _REASON:
        reason = _reason(tokens, text)
        if reason is not None:  # the words after the colon are the reason, not the command
            command = parse(text[: reason[0]], now, sites, horizon_days=horizon_days, lang=lang)
            # Only when the command before the colon is whole ("ferme Metz : le 24 décembre"
            # has its dates after it: no reason there).
            if command.intent is intent and (command.dates or command.error):
                return replace(command, reason=reason[1])
    error: ParseError | None = None
    site: str | None = None
    if bits & _SITE:
        site, error = _site(matches, takes, set_aside)
        if error is None and site is None and intent is Intent.SET_SITE:
            error = _unknown_trailing_place(tokens, index)
        if error is None and site is None and bits & _SITE_REQUIRED:
            error = ParseError("missing_site")
    # A digest subscription's "tous les jours" is its schedule, not dates.
    uses_dates = bool(bits & _DATES) and not (
        intent is Intent.DIGEST and found.action is not DigestAction.PREVIEW
    )
    dates: tuple[date, ...] = ()
    if uses_dates:
        if date_error is not None:
            error = error or date_error
        elif date_result is not None and date_result.choices and bits & _CHOOSES_DATES:
            error = error or ParseError(
                "ambiguous_date", {"text": date_result.choice_text}, date_result.choices
            )
        elif date_result is not None:
            dates = date_result.dates
            if bits & _FIRST_DATE:
                first = date_result.first or (date_result.dates[0] if date_result.dates else None)
                dates = (first,) if first else ()
    said = find_slot(tokens)
    slot: Slot | None = None
    if bits & _SLOT:
        slot = said or Slot.DAY
        if (
            said is None
            and intent is not Intent.FREE
            and any(t.norm in lexicon.HALF_DAY for t in tokens)
        ):
            error = error or ParseError("ambiguous_slot")  # "une demi-journée": which one?
    elif bits & _SLOT_IF_SAID:
        slot = said
    if (
        bits & (_SLOT | _SLOT_IF_SAID)
        and error is None
        # two parts of the day named (or the whole day): else nothing to pair
        and (
            (said is Slot.DAY and _slots_per_date(tokens, covered))
            or (said is not None and _slot_set_aside(tokens))
        )
    ):  # "mardi matin et jeudi aprem": the contract has one slot per command
        error = ParseError("multiple_commands")
    opening = _open_fields(tokens, analysed) if bits & _OPENING else _Opening()
    if intent is Intent.UNKNOWN:
        error = ParseError("multiple_commands" if found.several else "not_understood")
    if bits & _ABOUT_SENDER:
        # Someone else's booking must never be read as the sender's: this beats any other error.
        name = other_person(tokens, analysed)
        if name:
            error = ParseError("other_person", {"name": name})
    command = built(
        intent,
        site=site,
        desk=_desk(tokens, analysed) if bits & _DESK else opening.desk,
        desks=opening.desks,
        dates=dates,
        slot=slot,
        status=found.status if bits & _STATUS else None,
        count=opening.count,
        action=found.action if bits & _ACTION else None,
        time=find_time(tokens) if found.action is DigestAction.SUBSCRIBE else None,
        appointee=UserId(found.text) if bits & _APPOINTEE and found.text else None,
        locale=found.text if bits & _LOCALE else None,
        error=error,
        lang=language,
    )
    named = date_result.dates if date_result is not None else ()
    return refine(command, tokens, analysed, covered, local_now, horizon_days, named)


def _reason(tokens: list[Token], text: str) -> tuple[int, str] | None:
    """Where the command ends and the reason given after its colon ("ferme Metz vendredi :
    travaux au 2e étage"), or None when there is no colon followed by words."""
    for token in tokens:
        if token.norm == ":":
            reason = text[token.end :].strip()
            if not reason:
                return None
            return token.start, reason
    return None


def _slots_per_date(tokens: list[Token], covered: frozenset[int]) -> bool:
    """Whether different parts of the day go with different dates ("mardi matin et jeudi
    aprem"), rather than with one ("demain matin et aprem") or all ("mardi et jeudi matin")."""
    dated = [
        k
        for k in covered
        if tokens[k].norm not in lexicon.DATE_FILLERS
        and tokens[k].norm not in lexicon.AND_WORDS
        and tokens[k].kind != _KIND_PUNCT
        and tokens[k].norm not in lexicon.TO_WORDS
    ]
    if len(dated) < 2:
        return False
    seen: dict[str, set[int]] = {}
    for index, token in enumerate(tokens):
        norm = token.norm
        kind = (
            "am"
            if norm in lexicon.MORNING
            else "pm"
            if norm in lexicon.AFTERNOON
            else "day"
            if norm in lexicon.WHOLE_DAY
            else ""
        )
        if not kind or (norm == "am" and index and tokens[index - 1].norm in lexicon.I_WORDS):
            continue
        nearest = min(dated, key=lambda k: (abs(k - index), k > index))
        seen.setdefault(kind, set()).add(nearest)
    if len(seen) < 2:
        return False
    groups = list(seen.values())
    return any(not a & b for a in groups for b in groups if a is not b)


def _slot_set_aside(tokens: list[Token]) -> bool:
    """ "toute la semaine sauf mercredi matin": the half-day goes with the day set aside, and
    the days kept have none of their own; never read as "every morning of the week"."""
    cut = next((k for k, t in enumerate(tokens) if t.norm in lexicon.EXCEPT_WORDS), None)
    if cut is None:
        return False
    return find_slot(tokens[cut + 1 :]) is not None and find_slot(tokens[:cut]) is None


def _without_quote(text: str) -> str:
    """A reply's own words: Matrix clients put the quoted message first, as "> " lines."""
    if not text.startswith(">") or "\n" not in text:
        return text
    lines = text.split("\n")
    k = 0
    while k < len(lines) and (lines[k].startswith(">") or not lines[k].strip()):
        k += 1
    rest = "\n".join(lines[k:])
    return rest if rest.strip() else text


def detect_language(tokens: list[Token], hint: str | None = None) -> str:
    """ "en" when the sentence has more English marker words than French ones, else "fr"."""
    english = french = 0
    for token in tokens:
        if token.kind != _KIND_WORD:
            continue
        norm = token.norm
        # An accented word is French whatever it folds to: "à" folds to the English "a".
        accented = not token.raw.isascii()
        english += norm in lexicon.ENGLISH_MARKERS and not accented
        french += norm in lexicon.FRENCH_MARKERS or accented
    if english > french:
        return "en"
    if french > english:
        return "fr"
    return _lang_hint(hint)


def _lang_hint(hint: str | None) -> str:
    return hint if hint in ("fr", "en") else "fr"


def _local(now: object) -> datetime:
    if not isinstance(now, datetime):
        now = (
            datetime.combine(now, datetime.min.time())
            if isinstance(now, date)
            else (datetime.now(PARIS))
        )
    if now.tzinfo is None:
        return now
    return now.astimezone(PARIS).replace(tzinfo=None)


_LAST_INDEX: tuple[tuple[object, ...], SiteIndex] | None = None


def _index_of(sites: Sequence[KnownSite]) -> SiteIndex:
    """The site index for `sites`. Callers pass the same sites (often the same objects) again and
    again: when they equal the last ones (compared element by element, identity first), the last
    index is reused without rebuilding or hashing its key."""
    global _LAST_INDEX
    given = tuple(sites)
    last = _LAST_INDEX
    if last is not None and last[0] == given:
        return last[1]
    index = site_index(tuple(_as_site(s) for s in given))
    _LAST_INDEX = (given, index)
    return index


def _as_site(site: KnownSite | str) -> KnownSite:
    """A hashable KnownSite (callers may pass plain names, or aliases as a list)."""
    if isinstance(site, KnownSite):
        return KnownSite(str(site.name), tuple(str(a) for a in site.aliases))
    return KnownSite(str(site))


def _replace_sites(tokens: list[Token], matches: list[SiteMatch]) -> list[Token]:
    """Each site mention becomes one token (kind "site", or "place" for an unknown one)."""
    if not matches:
        return tokens
    out: list[Token] = []
    position = 0
    for match in matches:
        out.extend(tokens[position : match.start])
        first, last = tokens[match.start], tokens[match.end - 1]
        kind = _KIND_SITE if match.known and len(match.names) == 1 else _KIND_PLACE
        out.append(
            Token(
                kind,
                "@" + kind,
                first.word,
                match.typed,
                first.start,
                last.end,
                site=match.names[0] if match.names else None,
            )
        )
        position = match.end
    out.extend(tokens[position:])
    return out


def _set_aside(tokens: list[Token], matches: list[SiteMatch]) -> frozenset[int]:
    """Indices (in `matches`) of the sites set aside: "pas à Metz", "au lieu de Metz"."""
    out: set[int] = set()
    for index, match in enumerate(matches):
        k = match.start - 1
        while k >= 0 and tokens[k].norm in lexicon.SITE_LEADS:
            k -= 1
        if k >= 0 and tokens[k].norm in lexicon.SET_ASIDE_WORDS:
            out.add(index)
    return frozenset(out)


def _site(
    matches: list[SiteMatch], takes: Takes, set_aside: frozenset[int] = frozenset()
) -> tuple[str | None, ParseError | None]:
    """The one site a command names. An unknown or ambiguous place next to a known site is not
    one ("réserve au calme demain à Metz"); several known sites are asked about; a site set
    aside ("pas à Metz") does not count unless it is the only one ("je ne viens pas à Metz")."""
    known = [m for m in matches if m.known and len(m.names) == 1]
    if known:
        kept = [m for k, m in enumerate(matches) if m in known and k not in set_aside] or known
        names = tuple(dict.fromkeys(m.names[0] for m in kept))
        if len(names) > 1 and takes & Takes.SITE_ASKED:
            return None, ParseError("multiple_sites", {}, names)
        return names[0], None
    for match in matches:
        if not takes & Takes.SITE_ASKED:
            continue
        if match.known:
            return None, ParseError("ambiguous_site", {"name": match.typed}, match.names)
        return None, ParseError("unknown_site", {"name": match.typed}, match.names)
    return None, None


def _unknown_trailing_place(tokens: list[Token], index: SiteIndex) -> ParseError | None:
    """ "mon site c'est Tombouctou": the unknown words closing a set-site sentence."""
    words: list[Token] = []
    for token in reversed(tokens):
        if token.kind != _KIND_WORD or token.word in lexicon.KNOWN_WORDS or " " in token.word:
            break
        words.insert(0, token)
    if not words:
        return None
    name = " ".join(t.raw for t in words)
    return ParseError("unknown_site", {"name": name}, index.suggest(fold_for_matching(name)))


def _desk(tokens: list[Token], text: str) -> str | None:
    """ "le bureau B-204", "poste M-12", "desk 12"."""
    for i, token in enumerate(tokens):
        if token.kind == _KIND_LABEL:
            return _label_as_written(token, text)
        if token.norm in lexicon.DESK_NOUNS and i + 1 < len(tokens):
            nxt = tokens[i + 1]
            if nxt.kind == _KIND_NUM and _DESK_NUMBER.match(nxt.raw):
                after = tokens[i + 2].norm if i + 2 < len(tokens) else ""
                if after not in lexicon.MONTHS:
                    return nxt.raw
    return None


def _label_as_written(token: Token, text: str) -> str:
    """A desk label as the user wrote it: a label written with markup around it ("<b>B-1</b>",
    a desk of the sites file labelled so) is taken whole, never stripped of its "<", ">", "&"."""
    start, end = token.start, token.end
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in _LABEL_ENDS:
        start -= 1
    while end < len(text) and not text[end].isspace() and text[end] not in _LABEL_ENDS:
        end += 1
    written = text[start:end]
    return written if any(c in written for c in _MARKUP) else token.raw


@dataclass(frozen=True)
class _Opening:
    """What an opening names: a count of places, or desk labels (then also joined in `desk`,
    the JSON contract's one field, and no count)."""

    count: int | None = None
    desks: tuple[str, ...] = ()
    desk: str | None = None


def _open_fields(tokens: list[Token], text: str) -> _Opening:
    """ "ouvre 10 places", "ouvre les bureaux B-201, B-202 et B-203": a count or labels."""
    labels: list[str] = [_label_as_written(t, text) for t in tokens if t.kind == _KIND_LABEL]
    count: int | None = None
    for i, token in enumerate(tokens):
        nxt = tokens[i + 1].norm if i + 1 < len(tokens) else ""
        if nxt not in lexicon.DESK_NOUNS:
            continue
        if token.kind == _KIND_NUM and token.value:
            count = token.value[0]
        elif token.kind == _KIND_WORD and token.norm in lexicon.NUMBER_WORDS:
            count = lexicon.NUMBER_WORDS[token.norm]
    if not labels:
        # "ouvre les postes 12, 13 et 14": numbers listed right after a desk noun
        for i, token in enumerate(tokens):
            if token.norm in lexicon.DESK_NOUNS:
                j = i + 1
                while j < len(tokens) and (
                    tokens[j].kind == _KIND_NUM or tokens[j].norm in lexicon.NUMBER_LIST_LINKS
                ):
                    if tokens[j].kind == _KIND_NUM:
                        labels.append(tokens[j].raw)
                    j += 1
                if labels:
                    break
    if labels:
        return _Opening(desks=tuple(labels), desk=", ".join(labels))
    return _Opening(count=count)


def _announce(
    found: Classification,
    tokens: list[Token],
    matches: list[SiteMatch],
    text: str,
    language: str,
) -> ParsedCommand:
    start = found.announce_from if found.announce_from is not None else len(tokens)
    # The text begins right after the last token read as the command (the announce word, the
    # site, the colon), not at the next token: "<script>" keeps its "<".
    body = text[tokens[start - 1].end :].strip() if 0 < start <= len(tokens) else ""
    body = body.lstrip(":-–— ").strip()
    cut = tokens[start].start if start < len(tokens) else len(text)
    before = [m for m in matches if m.chars[1] <= cut]
    site_name, error = _site(before, FIELDS[Intent.ANNOUNCE])
    return ParsedCommand(
        Intent.ANNOUNCE, site=site_name, announcement=body or None, error=error, lang=language
    )
