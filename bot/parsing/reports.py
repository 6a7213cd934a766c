"""Requests for figures and schedules: statistics, calendar links, "ma semaine", the team's week.

Pure, like the rest of `bot.parsing`: a sentence, "now" and the known sites in, a `ReportRequest`
(or None when the sentence is not one of these) out. The words live in `lexicon.py` (section
"Statistics, calendars and weeks"); periods read here are calendar periods: a month ("en
novembre", "novembre 2026": a month not begun yet this year means last year's, statistics are
about the past), this/last/next week, month or year, or two dates ("du 01/11/2026 au 30/11/2026",
ISO dates too). A period that ends before it starts is reported, not swapped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rapidfuzz import fuzz, process

from bot.parsing import lexicon
from bot.parsing.model import KnownSite
from bot.parsing.text import fold_for_matching

STATS = "stats"
CALENDAR = "calendar"
CALENDAR_RENEW = "calendar_renew"
MY_WEEK = "my_week"
TEAM_WEEK = "team_week"

_SPLIT = re.compile(r"[\s'’`]+")
_PUNCT = re.compile(r"[^\w/\-\s'’]+")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_YEAR = re.compile(r"^(19|20)\d\d$")
_FUZZY_SITE = 85


@dataclass(frozen=True)
class ReportRequest:
    """What was asked: `kind` (stats, calendar, calendar_renew, my_week, team_week).

    For stats: `site` (canonical name) or `all_sites`; `start`/`end` the period (None: the
    default, this month); `unknown_site` a place named that is no known site; `bad_period` the
    two dates as written when the period ends before it starts. For weeks: `week_offset`.
    """

    kind: str
    lang: str = "fr"
    site: str | None = None
    all_sites: bool = False
    start: date | None = None
    end: date | None = None
    unknown_site: str | None = None
    bad_period: bool = False
    week_offset: int = 0


def words_of(text: str) -> list[str]:
    """Folded words, apostrophes and punctuation as separators (dates like 01/11/2026 kept)."""
    cleaned = _PUNCT.sub(" ", fold_for_matching(text))
    return [w.strip("-") for w in _SPLIT.split(cleaned) if w.strip("-")]


def parse_report(
    text: str, now: datetime, sites: Sequence[KnownSite], lang: str | None = None
) -> ReportRequest | None:
    """The report request in `text`, or None when it asks for something else."""
    words = words_of(text)
    if not words or len(words) > 16:
        return None
    phrase = " ".join(words)
    language = _language(words, lang)
    if phrase in lexicon.CALENDAR_RENEW_PHRASES:
        return ReportRequest(CALENDAR_RENEW, language)
    if phrase in lexicon.CALENDAR_PHRASES:
        return ReportRequest(CALENDAR, language)
    if phrase in lexicon.MY_WEEK_PHRASES:
        return ReportRequest(MY_WEEK, language, week_offset=lexicon.MY_WEEK_PHRASES[phrase])
    if phrase in lexicon.TEAM_WEEK_PHRASES:
        return ReportRequest(TEAM_WEEK, language, week_offset=lexicon.TEAM_WEEK_PHRASES[phrase])
    rest = _after_stats_word(words)
    if rest is None:
        return None
    return _stats(rest, now.date(), sites, language)


def _language(words: list[str], lang: str | None) -> str:
    if any(w in lexicon.ENGLISH_REPORT_WORDS for w in words):
        return "en"
    return lang if lang in ("fr", "en") and not _looks_french(words) else "fr"


def _looks_french(words: list[str]) -> bool:
    return any(w in lexicon.FRENCH_REPORT_MARKERS for w in words)


def _after_stats_word(words: list[str]) -> list[str] | None:
    """The words after the statistics keyword, when it comes first (after leads like "les")."""
    index = 0
    while index < len(words):
        for size in (3, 2, 1):
            chunk = " ".join(words[index : index + size])
            if len(words[index : index + size]) == size and chunk in lexicon.STATS_WORDS:
                return words[index + size :]
        two = " ".join(words[index : index + 2])
        if two in lexicon.STATS_LEADS and index + 2 <= len(words):
            index += 2
        elif words[index] in lexicon.STATS_LEADS:
            index += 1
        else:
            return None
    return None


def _stats(words: list[str], today: date, sites: Sequence[KnownSite], lang: str) -> ReportRequest:
    words, all_sites = _take_phrase(words, lexicon.ALL_SITES_PHRASES)
    words, site = _take_site(words, sites)
    words, period, bad = _take_period(words, today)
    leftover = [w for w in words if w not in lexicon.STATS_FILLERS]
    unknown = None
    if site is None and not all_sites and leftover:
        guess = _fuzzy_site(" ".join(leftover), sites)
        if guess is not None:
            site = guess
        else:
            unknown = " ".join(leftover)
    start, end = period if period else (None, None)
    return ReportRequest(
        STATS, lang, site=site, all_sites=all_sites, start=start, end=end,
        unknown_site=unknown, bad_period=bad,
    )  # fmt: skip


def _take_phrase(words: list[str], phrases: frozenset[str]) -> tuple[list[str], bool]:
    for size in (4, 3, 2):
        for i in range(len(words) - size + 1):
            if " ".join(words[i : i + size]) in phrases:
                return words[:i] + words[i + size :], True
    return words, False


def _site_keys(sites: Sequence[KnownSite]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for site in sites:
        for name in (site.name, *site.aliases):
            keys.setdefault(" ".join(words_of(name.replace("-", " "))), site.name)
    return keys


def _take_site(words: list[str], sites: Sequence[KnownSite]) -> tuple[list[str], str | None]:
    keys = _site_keys(sites)
    flat = [w for word in words for w in word.split("-")] if words else []
    for size in (4, 3, 2, 1):
        for i in range(len(flat) - size + 1):
            found = keys.get(" ".join(flat[i : i + size]))
            if found is not None:
                return flat[:i] + flat[i + size :], found
    return flat, None


def _fuzzy_site(text: str, sites: Sequence[KnownSite]) -> str | None:
    keys = _site_keys(sites)
    if not keys or len(text) < 4:
        return None
    match = process.extractOne(text, list(keys), scorer=fuzz.ratio, score_cutoff=_FUZZY_SITE)
    return keys[match[0]] if match else None


def _take_period(
    words: list[str], today: date
) -> tuple[list[str], tuple[date, date] | None, bool]:
    """The period named in `words` (and the words left), or None; True when it is reversed."""
    dates = [(i, d) for i, w in enumerate(words) if (d := _date(w)) is not None]
    if len(dates) >= 2:
        (i, start), (j, end) = dates[0], dates[1]
        left = [
            w for k, w in enumerate(words) if k not in (i, j) and w not in lexicon.PERIOD_LINKS
        ]
        return left, (start, end), end < start
    for size in (4, 3, 2, 1):
        for i in range(len(words) - size + 1):
            found = lexicon.PERIOD_PHRASES.get(" ".join(words[i : i + size]))
            if found is not None:
                unit, offset = found
                return words[:i] + words[i + size :], _relative(unit, offset, today), False
    for i, word in enumerate(words):
        month = lexicon.MONTHS.get(word)
        if month is None or (word in lexicon.AMBIGUOUS_MONTHS and word not in ("dec",)):
            continue
        year = today.year if month <= today.month else today.year - 1
        used = {i}
        if i + 1 < len(words) and _YEAR.match(words[i + 1]):
            year = int(words[i + 1])
            used.add(i + 1)
        left = [w for k, w in enumerate(words) if k not in used]
        return left, _month(year, month), False
    return words, None, False


def _date(word: str) -> date | None:
    for pattern, order in ((_DMY, (3, 2, 1)), (_ISO, (1, 2, 3))):
        match = pattern.match(word)
        if match:
            try:
                return date(*(int(match.group(k)) for k in order))
            except ValueError:
                return None
    return None


def _month(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return start, following - timedelta(days=1)


def _relative(unit: str, offset: int, today: date) -> tuple[date, date]:
    if unit == "week":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
        return monday, monday + timedelta(days=6)
    if unit == "month":
        index = today.year * 12 + today.month - 1 + offset
        return _month(index // 12, index % 12 + 1)
    year = today.year + offset
    return date(year, 1, 1), date(year, 12, 31)


def current_month(today: date) -> tuple[date, date]:
    """The default period of a statistics request: this calendar month."""
    return _month(today.year, today.month)
