"""Parser benchmark: speed (warm per sentence, throughput, cold start) and correctness against
`dateparser.search_dates` on the same generated sentences.

Sentences come from templates x sites x date expressions whose expected dates are written
out below by hand (not computed by the parser), so the table also says how often each tool
finds exactly the right dates.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.common import Table, percentile

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=PARIS)  # a Sunday
ROOT = Path(__file__).resolve().parent.parent
SITE_NAMES = [
    "Metz",
    "Nantes",
    "Lille",
    "Orléans",
    "Saint-Étienne",
    "Paris Balard",
    "Rennes",
    "Toulouse",
    "Bordeaux",
    "Strasbourg",
    "Lyon Part-Dieu",
    "Clermont-Ferrand",
]


def _d(day: int, month: int, year: int = 2026) -> date:
    return date(year, month, day)


def _workdays(first: date, last: date, weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)) -> list[date]:
    out = []
    while first <= last:
        if first.weekday() in weekdays:
            out.append(first)
        first += timedelta(days=1)
    return out


# (expression, expected dates) for now = Sunday 22 November 2026.
FRENCH_WHEN: list[tuple[str, list[date]]] = [
    ("demain", [_d(23, 11)]),
    ("après-demain", [_d(24, 11)]),
    ("aujourd'hui", [_d(22, 11)]),
    ("mardi", [_d(24, 11)]),
    ("mardi matin", [_d(24, 11)]),
    ("jeudi après-midi", [_d(26, 11)]),
    ("vendredi prochain", [_d(27, 11)]),
    ("mardi en huit", [_d(1, 12)]),
    ("le 3 décembre", [_d(3, 12)]),
    ("le 3/12", [_d(3, 12)]),
    ("le 1er décembre", [_d(1, 12)]),
    ("lundi 30", [_d(30, 11)]),
    ("dans 3 jours", [_d(25, 11)]),
    ("du lundi au mercredi", _workdays(_d(23, 11), _d(25, 11))),
    ("la semaine prochaine", _workdays(_d(23, 11), _d(27, 11))),
    ("lundi et jeudi", [_d(23, 11), _d(26, 11)]),
    ("du 28 décembre au 8 janvier", _workdays(_d(28, 12), _d(8, 1, 2027))),
    ("tous les mardis jusqu'au 15 décembre", [_d(24, 11), _d(1, 12), _d(8, 12), _d(15, 12)]),
    ("le 12/01/2027", [_d(12, 1, 2027)]),
    ("le 3 déc. 2026", [_d(3, 12)]),
]
ENGLISH_WHEN: list[tuple[str, list[date]]] = [
    ("tomorrow", [_d(23, 11)]),
    ("on Tuesday", [_d(24, 11)]),
    ("next week", _workdays(_d(23, 11), _d(27, 11))),
    ("on December 3", [_d(3, 12)]),
    ("from Monday to Wednesday", _workdays(_d(23, 11), _d(25, 11))),
    ("every Tuesday until December 15", [_d(24, 11), _d(1, 12), _d(8, 12), _d(15, 12)]),
]
# (language, intent, template, the site is in the answer)
TEMPLATES = [
    ("fr", "reserve", "réserve un bureau à {site} {when}", True),
    ("fr", "reserve", "je voudrais un poste à {site} {when}", True),
    ("fr", "reserve", "résa {site} {when} stp", True),
    ("fr", "reserve", "je serai à {site} {when}", True),
    ("fr", "cancel", "annule ma résa à {site} {when}", True),
    ("fr", "who", "qui est à {site} {when} ?", True),
    ("fr", "free", "y a-t-il de la place à {site} {when} ?", True),
    ("fr", "status", "en mission à {site} {when}", False),
    ("fr", "status", "je suis en télétravail {when}, pas à {site}", False),
    # messenger style: no verb, SMS spellings
    ("fr", "reserve", "{site} {when} stp 🙏", True),
    ("fr", "status", "tt {when}", False),
    ("fr", "who", "ki est à {site} {when} ?", True),
    ("en", "reserve", "book a desk in {site} {when}", True),
    ("en", "who", "who is in {site} {when}?", True),
]


@dataclass(frozen=True)
class Sentence:
    text: str
    lang: str
    intent: str
    site: str | None
    dates: tuple[date, ...]


def sentences() -> list[Sentence]:
    """Every template with every site and every date expression of its language."""
    out: list[Sentence] = []
    for lang, intent, template, with_site in TEMPLATES:
        whens = FRENCH_WHEN if lang == "fr" else ENGLISH_WHEN
        for site in SITE_NAMES:
            for when, expected in whens:
                text = template.format(site=site, when=when)
                out.append(
                    Sentence(text, lang, intent, site if with_site else None, tuple(expected))
                )
    return out


def run() -> list[Table]:
    """Measure the parser and dateparser.search_dates on the generated sentences."""
    from bot.parsing import KnownSite, parse

    corpus = sentences()
    sites = [KnownSite(name) for name in SITE_NAMES]
    for sentence in corpus:  # warm-up: caches, and dateparser for the absolute chunks
        parse(sentence.text, NOW, sites)
    timings: list[float] = []
    ours: list[tuple[date, ...]] = []
    exact = 0
    started = time.perf_counter()
    for sentence in corpus:
        t0 = time.perf_counter()
        command = parse(sentence.text, NOW, sites)
        timings.append(time.perf_counter() - t0)
        ours.append(command.dates)
        exact += (
            str(command.intent) == sentence.intent
            and command.site == sentence.site
            and command.dates == sentence.dates
            and command.error is None
        )
    total = time.perf_counter() - started
    uncached = _timings_without_date_cache(corpus, sites)
    cold, cold_absolute = _cold_start(), _cold_start("réserve à Metz le 3 déc. 2026")

    theirs, their_timings = _search_dates(corpus)
    right_ours = sum(o == s.dates for o, s in zip(ours, corpus))
    right_theirs = sum(t == s.dates for t, s in zip(theirs, corpus))
    same = sum(t == o for t, o in zip(theirs, ours))
    n = len(corpus)

    speed = Table(
        f"parse: {n} sentences (templates x {len(SITE_NAMES)} sites x date expressions)",
        ["measure", "value", "target"],
        [
            ["warm p50 per sentence (ms)", percentile(timings, 50) * 1000, "<= 0.3"],
            ["warm p99 per sentence (ms)", percentile(timings, 99) * 1000, "<= 2"],
            ["warm max (ms)", max(timings) * 1000, ""],
            [
                "p50, dateparser cache emptied before each (ms)",
                percentile(uncached, 50) * 1000,
                "",
            ],
            [
                "p99, dateparser cache emptied before each (ms)",
                percentile(uncached, 99) * 1000,
                "",
            ],
            ["sentences per second", n / total, ""],
            ["cold start: import + first parse (s)", cold, "<= 1"],
            ["cold start, first parse needs dateparser (s)", cold_absolute, ""],
        ],
    )
    versus = Table(
        "parse vs dateparser.search_dates on the same sentences",
        ["tool", "p50 (ms)", "p99 (ms)", "dates exactly right", "same dates as parse"],
        [
            [
                "bot.parsing.parse",
                percentile(timings, 50) * 1000,
                percentile(timings, 99) * 1000,
                f"{right_ours / n:.1%}",
                "100.0%",
            ],
            [
                "dateparser.search_dates",
                percentile(their_timings, 50) * 1000,
                percentile(their_timings, 99) * 1000,
                f"{right_theirs / n:.1%}",
                f"{same / n:.1%}",
            ],
        ],
        notes=[
            f"parse got intent, site and dates all right on {exact / n:.1%} of the sentences.",
            "search_dates ran with languages=['fr'] on French sentences and ['en'] on English "
            "ones, PREFER_DATES_FROM=future, DATE_ORDER=DMY, RELATIVE_BASE=now.",
        ],
    )
    return [speed, versus]


def _timings_without_date_cache(corpus: list[Sentence], sites: list) -> list[float]:
    """Per-sentence times when every absolute chunk really goes through dateparser."""
    from bot.parsing import parse
    from bot.parsing.absolute import _parse_absolute

    timings = []
    for sentence in corpus:
        _parse_absolute.cache_clear()
        t0 = time.perf_counter()
        parse(sentence.text, NOW, sites)
        timings.append(time.perf_counter() - t0)
    return timings


def _search_dates(corpus: list[Sentence]) -> tuple[list[tuple[date, ...]], list[float]]:
    from dateparser.search import search_dates

    settings = {
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": NOW.replace(tzinfo=None),
    }
    search_dates("demain", languages=["fr"], settings=settings)  # warm-up
    search_dates("tomorrow", languages=["en"], settings=settings)
    found: list[tuple[date, ...]] = []
    timings: list[float] = []
    for sentence in corpus:
        t0 = time.perf_counter()
        try:
            result = search_dates(sentence.text, languages=[sentence.lang], settings=settings)
        except Exception:  # dateparser fails on some inputs; that counts as no dates
            result = None
        timings.append(time.perf_counter() - t0)
        found.append(tuple(sorted({moment.date() for _, moment in result or []})))
    return found, timings


def _cold_start(text: str = "réserve un bureau à Metz mardi matin", runs: int = 3) -> float:
    """Median over fresh interpreters of: import bot.parsing + the first parse."""
    code = (
        "import time; t = time.perf_counter()\n"
        "from datetime import datetime\n"
        "from bot.parsing import KnownSite, parse\n"
        f"parse({text!r}, datetime(2026, 11, 22, 10), [KnownSite('Metz')])\n"
        "print(time.perf_counter() - t)\n"
    )
    values = []
    for _ in range(runs):
        output = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        values.append(float(output.strip()))
    return statistics.median(values)


if __name__ == "__main__":
    for table in run():
        print(table.render())
