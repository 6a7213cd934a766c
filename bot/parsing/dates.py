"""Date expressions: a small grammar over normalised tokens, resolved against today.

Two passes. `_Scanner` turns tokens into atoms: relative days ("demain", "dans 3 jours"),
weekdays with their modifiers ("ce mardi", "mardi prochain", "mardi en huit", "lundi 7"), day
numbers ("le 3", "3 déc.", "03/12/2026", "1er"), "the nth weekday of a month", weeks, months,
and the connectors between them ("du … au", "et", "jusqu'au", "à partir de", "pour 3 jours",
"tous les"). `_Combiner` then reads ranges, lists, week qualifiers ("de mardi à vendredi la
semaine prochaine") and recurrences ("les lundis et jeudis de décembre"), and resolves them.

Rules (issue 3): a bare weekday is the next occurrence strictly after today; "ce <jour>" the
next one today included; "<jour> prochain" the next occurrence; "<jour> en huit" one week
after that. Ranges, weeks, months and recurrences expand to Monday–Friday; a single named
Saturday stays, and so does a named week-end ("ce week-end": the current or coming Saturday and
Sunday). "En début de semaine" is Monday–Tuesday, "en fin de semaine" Thursday–Friday; "les 2
prochaines semaines" starts next Monday; "un mardi sur deux" keeps one week in two. A date set
aside is dropped when others remain ("pas demain mais jeudi", "demain, non jeudi").
Impossible dates raise `DateProblem`, which the parser turns into a `ParseError`; so do periods
too vague to act on ("début décembre", "mi-décembre", "pour Noël", "2 jours la semaine
prochaine": `vague_date`). "Mardi ou mercredi" is not an error here: both dates are returned with
the alternatives in `DateResult.choices`, and the parser asks only for commands that act.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.parsing import lexicon
from bot.parsing.absolute import parse_absolute
from bot.parsing.text import Token, TokenKind

log = logging.getLogger(__name__)

WORKDAYS = frozenset(range(5))
MAX_DAY_NUMBER = 31
# dateparser costs ~0.4 ms a chunk: past this many in one message, the grammar's own reading
# of day/month/year is used (a command names a handful of dates, not hundreds).
MAX_ABSOLUTE_READS = 8


class DateProblem(Exception):
    """A date expression that cannot be right: the parser asks instead of guessing."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class AtomKind(StrEnum):
    """What one piece of a date expression is (see `Atom`)."""

    AND = "and"
    BUT = "but"
    DAY = "day"
    EVERY = "every"
    EVERYDAY = "everyday"
    EXCEPT = "except"
    FIX = "fix"
    FOR = "for"
    FROM = "from"
    GAP = "gap"
    MONTH = "month"
    NOT = "not"
    NTH = "nth"
    OR = "or"
    REL = "rel"
    START = "start"
    TO = "to"
    UNTIL = "until"
    WD = "wd"
    WEEK = "week"
    WEEKEND = "weekend"
    QUALIFIER = "qualifier"


@dataclass
class Atom:
    """One piece of a date expression; `start`/`end` are token indices."""

    kind: AtomKind
    start: int
    end: int
    offset: int = 0
    weekday: int | None = None
    mod: str | None = None
    plural: bool = False
    day: int | None = None
    month: int | None = None
    year: int | None = None
    nth: int = 0
    count: int = 0
    unit: int = 1  # days per unit for "for"
    anchor: Atom | None = None
    in_week: date | None = None  # the Monday of the week a weekday was qualified with
    chunk: str = ""  # original text of an absolute date with a year, for dateparser
    part: str | None = None  # "start"/"end" of a week ("en début de semaine prochaine")


@dataclass
class DateResult:
    """The dates named by a text (sorted, unique) and whether any were named at all."""

    dates: tuple[date, ...] = ()
    named: bool = False
    recurrence: bool = False
    first: date | None = None  # the first date as written (for "open ... à partir de lundi")
    spans: list[tuple[int, int]] = field(default_factory=list)
    # "mardi ou mercredi": the alternatives as written (`dates` then holds all of them).
    choices: tuple[str, ...] = ()
    choice_text: str = ""


DATE_KINDS = frozenset(
    {
        AtomKind.REL,
        AtomKind.WD,
        AtomKind.DAY,
        AtomKind.NTH,
        AtomKind.WEEK,
        AtomKind.MONTH,
        AtomKind.EVERYDAY,
        AtomKind.WEEKEND,
    }
)
_BOUND_CONNECTORS = frozenset({AtomKind.UNTIL, AtomKind.TO, AtomKind.FROM, AtomKind.START})
CONNECTOR_KINDS = frozenset(
    {
        AtomKind.AND,
        AtomKind.TO,
        AtomKind.UNTIL,
        AtomKind.FROM,
        AtomKind.START,
        AtomKind.FOR,
        AtomKind.EVERY,
        AtomKind.GAP,
        AtomKind.EXCEPT,
        AtomKind.OR,
    }
)


def find_dates(
    tokens: list[Token], text: str, now: datetime, *, horizon_days: int = 56, lang: str = "fr"
) -> DateResult:
    """Resolve the date expressions of `tokens` against `now` (a local Europe/Paris time).

    Raises `DateProblem` for an impossible, past, contradictory or too distant date.
    """
    atoms = _Scanner(tokens, text, lang).scan()
    if not any(a.kind in DATE_KINDS for a in atoms):
        return DateResult()
    combiner = _Combiner(atoms, tokens, text, now, horizon_days, lang)
    dates, first = combiner.resolve()
    today = now.date()
    limit = add_years(today, 1)
    for d in dates:
        if d < today:
            raise DateProblem("past_date", text=combiner.span_text(), day=d.isoformat())
        if d > limit:
            raise DateProblem(
                "beyond_horizon",
                text=combiner.span_text(),
                day=d.isoformat(),
                limit=limit.isoformat(),
            )
    # Every piece of the date expression, connectors included ("du ... au", "tous les").
    spans = [(a.start, a.end) for a in atoms if a.kind != AtomKind.GAP]
    choices = _choices(atoms, tokens, text)
    return DateResult(
        tuple(sorted(set(dates))),
        True,
        combiner.recurrence,
        first,
        spans,
        choices,
        _choice_text(choices, text),
    )


def _choice_text(choices: tuple[str, ...], text: str) -> str:
    """ "mardi ou mercredi": the text from the first alternative to the last."""
    if not choices:
        return ""
    start = text.find(choices[0])
    end = text.find(choices[-1], start + len(choices[0]))
    return text[start : end + len(choices[-1])] if start >= 0 and end >= 0 else choices[0]


def _choices(atoms: list[Atom], tokens: list[Token], text: str) -> tuple[str, ...]:
    """ "mardi ou mercredi" -> ("mardi", "mercredi"); "lundi, mardi ou jeudi" -> three."""
    atoms = _drop_set_aside(atoms)
    ors = [
        k
        for k, a in enumerate(atoms)
        if a.kind == AtomKind.OR and _date_near(atoms, k, -1) and _date_near(atoms, k, 1)
    ]
    if not ors:
        return ()
    groups: list[list[Atom]] = [[]]
    for k, atom in enumerate(atoms):
        if k in ors:
            groups.append([])
        elif atom.kind != AtomKind.GAP:
            groups[-1].append(atom)
    if len(ors) == 1 and not any(_is_comma(a, tokens) for a in groups[1]):
        # "lundi, mardi ou jeudi": the commas of the first part separate choices too
        first: list[list[Atom]] = [[]]
        for atom in groups[0]:
            if _is_comma(atom, tokens):
                first.append([])
            else:
                first[-1].append(atom)
        if len(first) > 1:
            groups = first + groups[1:]
    out: list[str] = []
    for group in groups:
        dated = [k for k, a in enumerate(group) if a.kind in DATE_KINDS]
        if dated:  # from the first date to the last, connectors around them left out
            start, end = group[dated[0]].start, group[dated[-1]].end
            out.append(text[tokens[start].start : tokens[end - 1].end].strip())
    return tuple(out) if len(out) > 1 else ()


def _drop_set_aside(atoms: list[Atom]) -> list[Atom]:
    """ "pas demain mais jeudi", "lundi, pas mardi" and "demain, non jeudi": the dates set
    aside go, when others remain ("je ne viens pas demain" keeps its date)."""
    keep = [True] * len(atoms)
    n = len(atoms)
    for k, atom in enumerate(atoms):
        if atom.kind == AtomKind.NOT and k + 1 < n and atoms[k + 1].kind in DATE_KINDS:
            end = next((j for j in range(k + 1, n) if atoms[j].kind == AtomKind.BUT), None)
            if end is not None and any(a.kind in DATE_KINDS for a in atoms[end:]):
                for j in range(k, end + 1):
                    keep[j] = False
            elif (
                k
                and atoms[k - 1].kind == AtomKind.AND
                and any(a.kind in DATE_KINDS for a in atoms[: k - 1])
            ):  # "lundi, pas mardi"
                j = k
                while j < n and atoms[j].kind not in (
                    AtomKind.GAP,
                    AtomKind.OR,
                    AtomKind.AND,
                    AtomKind.BUT,
                ):
                    keep[j] = False
                    j += 1
        elif (
            atom.kind == AtomKind.FIX
            and _date_near(atoms, k, -1, (AtomKind.GAP, AtomKind.AND))
            and _date_near(atoms, k, 1, (AtomKind.GAP, AtomKind.AND))
        ):
            j = k - 1
            while j >= 0 and atoms[j].kind not in (AtomKind.GAP, AtomKind.OR):
                keep[j] = False
                j -= 1
            keep[k] = False
    return [
        a
        for a, kept in zip(atoms, keep, strict=True)
        if kept and a.kind not in (AtomKind.NOT, AtomKind.BUT, AtomKind.FIX)
    ]


def _date_near(
    atoms: list[Atom], k: int, step: int, skip: tuple[AtomKind, ...] = (AtomKind.GAP,)
) -> bool:
    """Whether the nearest atom before/after `k` (across unrelated words) is a date."""
    k += step
    while 0 <= k < len(atoms) and atoms[k].kind in skip:
        k += step
    return 0 <= k < len(atoms) and atoms[k].kind in DATE_KINDS


def _is_comma(atom: Atom, tokens: list[Token]) -> bool:
    return atom.kind == AtomKind.AND and tokens[atom.start].norm == ","


def add_years(day: date, years: int) -> date:
    """The same day `years` later (28 February for a 29 February that does not exist)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- Pass 1: tokens -> atoms ---------------------------------------------------------------------


class _Scanner:
    def __init__(self, tokens: list[Token], text: str, lang: str = "fr") -> None:
        self.tokens = tokens
        self.text = text
        self.lang = lang
        self.atoms: list[Atom] = []
        self.last_end = 0

    def norm(self, i: int) -> str:
        return self.tokens[i].norm if 0 <= i < len(self.tokens) else ""

    def kind(self, i: int) -> str:
        return self.tokens[i].kind if 0 <= i < len(self.tokens) else ""

    def emit(self, atom: Atom) -> None:
        # Words between two atoms that are not fillers separate them ("lundi à Metz et mardi").
        between = range(self.last_end, atom.start)
        if self.atoms and any(self.tokens[k].norm not in lexicon.DATE_FILLERS for k in between):
            self.atoms.append(Atom(AtomKind.GAP, self.last_end, atom.start))
        self.atoms.append(atom)
        self.last_end = atom.end

    def scan(self) -> list[Atom]:
        i = 0
        n = len(self.tokens)
        while i < n:
            consumed = self.scan_at(i)
            i = consumed if consumed > i else i + 1
        return self.atoms

    def scan_at(self, i: int) -> int:
        token = self.tokens[i]
        norm = token.norm
        if token.kind == TokenKind.DATE:
            return self.emit_day_token(i, weekday=None, start=i)
        if token.kind in (TokenKind.NUM, TokenKind.ORD):
            return self.scan_number(i)
        if token.kind == TokenKind.PUNCT:
            if norm in (",", "&", "+", ";"):
                self.emit(Atom(AtomKind.AND, i, i + 1))
            elif norm == "-":
                self.emit(Atom(AtomKind.TO, i, i + 1))
            return i + 1
        if token.kind != TokenKind.WORD:
            return i + 1
        if norm in lexicon.WEEKDAYS:
            return self.scan_weekday(i, lexicon.WEEKDAYS[norm], plural=False)
        if norm in lexicon.WEEKDAY_ABBREVIATIONS and self.abbreviated_weekday(i):
            return self.scan_weekday(i, lexicon.WEEKDAY_ABBREVIATIONS[norm], plural=False)
        if norm in lexicon.WEEKEND_WORDS:
            return self.scan_weekend(i)
        if norm in lexicon.PERIOD_PARTS:
            return self.scan_part(i)
        if norm in lexicon.HOLIDAYS and self.norm(i - 1) not in lexicon.WITH_WORDS:
            raise DateProblem("vague_date", text=token.raw)
        if norm in lexicon.WEEKDAYS_PLURAL:
            return self.scan_weekday(i, lexicon.WEEKDAYS_PLURAL[norm], plural=True)
        if norm in lexicon.TODAY:
            return self.emit_rel(i, i + 1, 0)
        if norm in lexicon.TOMORROW:
            return self.emit_rel(i, i + 1, 1)
        if norm in lexicon.AFTER_TOMORROW:
            return self.emit_rel(i, i + 1, 2)
        if norm in lexicon.YESTERDAY:
            return self.emit_rel(i, i + 1, -1)
        if norm in lexicon.BEFORE_YESTERDAY:
            return self.emit_rel(i, i + 1, -2)
        if norm in lexicon.THIS_WORDS and (
            self.norm(i + 1) in lexicon.MORNING
            or self.norm(i + 1) in lexicon.AFTERNOON
            or self.norm(i + 1) in lexicon.NOON
            or self.norm(i + 1) in lexicon.EVENING_WORDS
        ):
            return self.emit_rel(i, i + 1, 0)  # "ce matin", "cet après-midi": today
        if norm in lexicon.IN_WORDS:
            return self.scan_in(i)
        if norm in lexicon.FOR_WORDS:
            return self.scan_for(i)
        if norm in lexicon.WEEK_PHRASES:
            kind = lexicon.WEEK_PHRASE_MODS.get(norm, "after")
            self.emit(Atom(AtomKind.WEEK, i, i + 1, mod=kind))
            return i + 1
        if norm in lexicon.WEEK_UNITS:
            return self.scan_week(i)
        if norm in lexicon.MONTH_PHRASES:
            self.emit(
                Atom(AtomKind.MONTH, i, i + 1, mod="next" if norm == "moisprochain" else "this")
            )
            return i + 1
        if norm in lexicon.MONTHS:
            return self.scan_month(i)
        if norm in lexicon.ORDINAL_WORDS:
            return self.scan_ordinal_word(i)
        if norm in lexicon.NUMBER_WORDS and self.coming(i):
            return self.scan_coming(i, lexicon.NUMBER_WORDS[norm])
        if norm in lexicon.EVERY_WORDS:
            if self.norm(i + 1) in lexicon.DAY_UNITS or self.norm(i + 1) in lexicon.DAYS_WORDS:
                self.emit(Atom(AtomKind.EVERYDAY, i, i + 2))
                return i + 2
            if self.norm(i + 1) in lexicon.WEEK_UNITS:
                return i + 2  # "toutes les semaines": every week, i.e. a plain recurrence
            if self.norm(i + 1) in lexicon.ALTERNATE_WORDS:  # "every other Tuesday"
                self.emit(Atom(AtomKind.EVERY, i, i + 2, count=2))
                return i + 2
            self.emit(Atom(AtomKind.EVERY, i, i + 1))
            return i + 1
        if norm in lexicon.DAILY_WORDS and self.atoms:
            return i + 1
        if norm in lexicon.NOT_WORDS:  # "pas demain mais jeudi"
            self.emit(Atom(AtomKind.NOT, i, i + 1))
        elif norm in lexicon.BUT_WORDS:
            self.emit(Atom(AtomKind.BUT, i, i + 1))
        elif norm in lexicon.FIX_WORDS and (
            token.raw.isalpha()  # a typed "non", not a ❌
        ):
            self.emit(Atom(AtomKind.FIX, i, i + 1))  # "demain, non jeudi"
        elif norm in lexicon.OR_WORDS:
            self.emit(Atom(AtomKind.OR, i, i + 1))
        elif norm in lexicon.EXCEPT_WORDS:
            self.emit(Atom(AtomKind.EXCEPT, i, i + 1))
        elif norm in lexicon.AND_WORDS:
            self.emit(Atom(AtomKind.AND, i, i + 1))
        elif norm in lexicon.UNTIL_WORDS:
            self.emit(Atom(AtomKind.UNTIL, i, i + 1))
        elif norm in lexicon.FROM_WORDS:
            self.emit(Atom(AtomKind.FROM, i, i + 1))
        elif norm in lexicon.RANGE_START_WORDS:
            self.emit(Atom(AtomKind.START, i, i + 1))
        elif norm in lexicon.TO_WORDS and not token.elided:
            self.emit(Atom(AtomKind.TO, i, i + 1))
        return i + 1

    def abbreviated_weekday(self, i: int) -> bool:
        """ "tt ven", "lun-mer", "WFH Mon and Fri" -- but not "à la mer", "avec Sam", "Mar 3"."""
        norm = self.norm(i)
        numbered = self.kind(i + 1) in (TokenKind.NUM, TokenKind.ORD) or self.kind(i - 1) in (
            TokenKind.NUM,
            TokenKind.ORD,
        )
        if norm == "mar" and (
            self.kind(i - 1) in (TokenKind.NUM, TokenKind.ORD)
            or (self.kind(i + 1) in (TokenKind.NUM, TokenKind.ORD) and self.lang == "en")
        ):
            return False  # "3 mar", "Mar 3": March, read as a month; "mar 1er" is Tuesday
        listed = self.weekday_near(i, 1) or self.weekday_near(i, -1)
        if (
            norm in lexicon.LIST_ONLY_ABBREVIATIONS
        ):  # French "mon", English "sat": only in a list of weekdays
            linked = self.weekday_near(i, 1, linked=True) or self.weekday_near(i, -1, True)
            return linked or self.norm(i - 1) in lexicon.ENGLISH_WEEKDAY_LEADS
        if listed or numbered:
            return True
        raw = self.tokens[i].raw
        if i > 0 and raw[:1].isupper() and not raw.isupper():
            return False  # "avec Sam demain": a name
        return self.norm(i - 1) not in lexicon.ARTICLES

    def weekday_near(self, i: int, step: int, linked: bool = False) -> bool:
        """Whether a weekday is next to `i` (`linked`: with "-", "to", "and" between)."""
        j = i + step
        if self.norm(j) in lexicon.WEEKDAY_LINKS:
            j += step
        elif linked and not (
            0 <= j < len(self.tokens) and self.tokens[max(i, j)].joined
        ):  # "Mon-Wed"
            return False
        norm = self.norm(j)
        return self.kind(j) == TokenKind.WORD and (
            norm in lexicon.WEEKDAYS
            or (
                norm in lexicon.WEEKDAY_ABBREVIATIONS
                and norm not in lexicon.LIST_ONLY_ABBREVIATIONS
            )
        )

    def scan_weekend(self, i: int) -> int:
        """ "ce week-end", "le week-end prochain", "this weekend", "tous les week-ends"."""
        norm = self.norm(i)
        prev = self.norm(i - 1)
        if norm == "we" and prev not in lexicon.WEEKEND_LEADS:
            return i + 1  # English "we"
        if prev in lexicon.WISHING_WORDS:
            return i + 1  # "bon week-end !"
        end = i + 1
        mod = "this"
        if prev in lexicon.NEXT_LEADS or self.norm(i + 1) in lexicon.NEXT_WORDS:
            mod = "next"
            end = i + 2 if self.norm(i + 1) in lexicon.NEXT_WORDS else i + 1
        plural = norm == "weekends" or bool(
            self.atoms and self.atoms[-1].kind == AtomKind.EVERY and self.atoms[-1].end >= i - 1
        )
        self.emit(Atom(AtomKind.WEEKEND, i, end, mod=mod, plural=plural))
        return end

    def scan_part(self, i: int) -> int:
        """ "en début de semaine (prochaine)" -> Monday-Tuesday, "fin de semaine" -> Thursday-
        Friday; "début décembre", "mi-décembre", "milieu de semaine" are asked about."""
        part = lexicon.PERIOD_PARTS[self.norm(i)]
        last = self.atoms[-1] if self.atoms else None
        if last is not None and last.kind == AtomKind.UNTIL and last.end >= i - 1:
            return i + 1  # "jusqu'à fin décembre": the end of the month is precise
        j = i + 1
        while self.norm(j) in lexicon.PART_FILLERS:
            j += 1
        norm = self.norm(j)
        weekly = norm in lexicon.WEEK_UNITS or norm in lexicon.WEEK_PHRASES
        monthly = (
            norm in lexicon.MONTHS or norm in lexicon.MONTH_UNITS or norm in lexicon.MONTH_PHRASES
        )
        if not (weekly or monthly) or (norm in lexicon.AMBIGUOUS_MONTHS and norm != "dec"):
            return i + 1
        if monthly or part == "mid":
            end = j + 1
            if self.norm(end) in lexicon.NEXT_WORDS:
                end += 1
            raise DateProblem(
                "vague_date", text=self.text[self.tokens[i].start : self.tokens[end - 1].end]
            )
        before = len(self.atoms)
        end = self.scan_at(j)
        if len(self.atoms) > before and self.atoms[-1].kind == AtomKind.WEEK:
            atom = self.atoms[-1]
            atom.start, atom.part = i, part
            return end
        self.emit(Atom(AtomKind.WEEK, i, j + 1, mod="this", part=part))  # "en début de semaine"
        return j + 1

    def emit_rel(self, start: int, end: int, offset: int) -> int:
        self.emit(Atom(AtomKind.REL, start, end, offset=offset))
        return end

    def number_at(self, i: int) -> int | None:
        """A quantity: digits or a number word ("trois", "une", "a week")."""
        token = self.tokens[i] if 0 <= i < len(self.tokens) else None
        if token is None:
            return None
        if token.kind == TokenKind.NUM:
            return token.value[0] if token.value else None
        if token.kind == TokenKind.WORD:
            if token.norm in lexicon.INDEFINITE_ARTICLES:
                return 1
            return lexicon.NUMBER_WORDS.get(token.norm)
        return None

    def unit_at(self, i: int) -> int:
        """Days per unit for the word at `i` (0 when it is not a unit)."""
        norm = self.norm(i)
        if norm in lexicon.DAY_UNITS:
            return 1
        if norm in lexicon.WEEK_UNITS:
            return 7
        return 0

    def scan_in(self, i: int) -> int:
        """ "dans 3 jours", "in two weeks", "dans quinze jours", "dans une semaine"."""
        nxt = self.norm(i + 1)
        if nxt == "quinzejours":
            return self.emit_rel(i, i + 2, 14)
        if nxt == "huitjours":
            return self.emit_rel(i, i + 2, 7)
        count = self.number_at(i + 1)
        if count is not None:
            unit = self.unit_at(i + 2)
            if unit:
                self.emit(Atom(AtomKind.REL, i, i + 3, offset=count * unit, mod="in"))
                return i + 3
            if self.norm(i + 2) in lexicon.MONTH_UNITS:  # "dans un mois": same day, N months on
                self.emit(Atom(AtomKind.REL, i, i + 3, mod="months", count=count))
                return i + 3
        if nxt in lexicon.MONTHS and nxt not in lexicon.AMBIGUOUS_MONTHS:
            return i + 1  # "in December": the month atom is read next
        return i + 1

    def scan_for(self, i: int) -> int:
        """ "pour 3 jours", "pendant deux semaines", "for a week", "pour quinze jours"."""
        nxt = self.norm(i + 1)
        if nxt == "quinzejours":
            self.emit(Atom(AtomKind.FOR, i, i + 2, count=14, unit=1))
            return i + 2
        if nxt == "huitjours":
            self.emit(Atom(AtomKind.FOR, i, i + 2, count=1, unit=7))
            return i + 2
        count = self.number_at(i + 1)
        if count is not None and self.unit_at(i + 2):
            self.emit(Atom(AtomKind.FOR, i, i + 3, count=count, unit=self.unit_at(i + 2)))
            return i + 3
        j = i + 1
        while self.norm(j) in lexicon.PART_OF_FILLERS:
            j += 1
        last = self.atoms[-1] if self.atoms else None
        if (
            self.norm(j) in lexicon.WEEK_OR_THIS_WEEK
            and last is not None
            and last.kind in (AtomKind.WD, AtomKind.REL, AtomKind.DAY)
            and last.end >= i - 1
        ):
            # "à partir de mardi pour la semaine": to the end of that week
            self.emit(Atom(AtomKind.FOR, i, j + 1, count=0, unit=0, mod="week"))
            return j + 1
        # otherwise "pour la semaine" is a week qualifier, not a duration
        return i + 1

    def scan_weekday(self, i: int, weekday: int, plural: bool) -> int:
        prev = self.norm(i - 1)
        mod: str | None = None
        if prev in lexicon.THIS_LEADS:
            mod = "this"
        elif prev == "next" or prev in lexicon.NEXT_WORDS:
            mod = "next"
        elif prev in lexicon.LAST_LEADS:
            mod = "last"
        every = 1
        if self.atoms and self.atoms[-1].kind == AtomKind.EVERY and self.atoms[-1].end >= i - 1:
            plural, every = True, self.atoms[-1].count or 1
        if (
            self.norm(i + 1) == "sur"
            and self.number_at(i + 2) == 2
            and self.norm(i - 1) in lexicon.ONE_IN_TWO_LEADS
        ):
            # "un mardi sur deux": every other Tuesday
            self.emit(Atom(AtomKind.WD, i, i + 3, weekday=weekday, plural=True, count=2))
            return i + 3
        if self.atoms and self.atoms[-1].kind == AtomKind.WD and self.tokens[i].joined:
            self.emit(Atom(AtomKind.TO, i, i))  # "lundi-mercredi"
        # "lundi 7", "lundi 7 décembre", "Monday the 7th", "Monday, December 7"
        j = i + 1
        while self.norm(j) in lexicon.DAY_NUMBER_LEADS:
            j += 1
        if (
            self.kind(j) in (TokenKind.NUM, TokenKind.ORD)
            and self.day_number(j)
            and not self.unit_at(j + 1)
        ):
            if self.kind(j + 1) != TokenKind.TIME and self.norm(j + 1) not in lexicon.DESK_NOUNS:
                return self.scan_day_from(j, weekday=weekday, start=i)
        if self.kind(j) == TokenKind.DATE:
            return self.emit_day_token(j, weekday=weekday, start=i)
        if self.norm(j) in lexicon.MONTHS and self.kind(j + 1) in (TokenKind.NUM, TokenKind.ORD):
            if self.day_number(j + 1):
                return self.scan_month(j, weekday=weekday, start=i)
        end = i + 1
        nxt = self.norm(i + 1)
        if nxt in lexicon.NEXT_WORDS:
            mod, end = "next", i + 2
        elif nxt == "qui" and self.norm(i + 2) in lexicon.COMING_VERBS:  # "lundi qui vient"
            mod, end = "next", i + 3
        elif nxt in lexicon.WEEKS_AFTER_WORDS:
            mod, end = nxt, i + 2
        elif (
            nxt == "en" and self.kind(i + 2) == TokenKind.NUM and self.number_at(i + 2) in (8, 15)
        ):
            mod, end = ("enhuit" if self.number_at(i + 2) == 8 else "enquinze"), i + 3
        elif nxt in lexicon.LAST_AFTER_WORDS:
            mod, end = "last", i + 2
        self.emit(
            Atom(
                AtomKind.WD,
                i,
                end,
                weekday=weekday,
                mod=mod,
                plural=plural,
                count=every if plural else 0,
            )
        )
        return end

    def day_number(self, i: int) -> int | None:
        token = self.tokens[i]
        value = token.value[0] if token.value else 0
        return value if 1 <= value <= MAX_DAY_NUMBER else None

    def scan_number(self, i: int) -> int:
        token = self.tokens[i]
        value = token.value[0] if token.value else 0
        nxt = self.norm(i + 1)
        # "1er lundi de décembre", "the first Monday of December"
        if token.kind == TokenKind.ORD and nxt in lexicon.WEEKDAYS and 1 <= value <= 5:
            return self.scan_nth(i, value)
        if nxt in lexicon.MONTHS and 0 <= value <= 99:
            return self.scan_day_from(i, weekday=None, start=i)
        if 1 <= value <= MAX_DAY_NUMBER and self.listed_before_month(i):
            return self.scan_day_from(i, weekday=None, start=i)  # "3-5 décembre", "1,2,3 déc"
        if self.coming(i):
            return self.scan_coming(i, value)
        if (
            nxt in lexicon.OF_WORDS
            and self.norm(i + 2) in lexicon.MONTHS
            and token.kind == TokenKind.ORD
        ):
            return self.scan_day_from(i, weekday=None, start=i, month_at=i + 2)
        if self.unit_at(i + 1):
            prev = self.norm(i - 1)
            if prev not in lexicon.IN_WORDS and prev not in lexicon.FOR_WORDS:
                # "réserve 3 jours à partir de lundi": a duration without "pour"
                self.emit(Atom(AtomKind.FOR, i, i + 2, count=value, unit=self.unit_at(i + 1)))
            return i + 2
        if not 1 <= value <= MAX_DAY_NUMBER:
            return i + 1
        if nxt in lexicon.NUMBERED_NOUNS:
            return i + 1  # "au 2e étage"
        if nxt in lexicon.DESK_NOUNS or self.kind(i + 1) == TokenKind.TIME:
            return i + 1
        if nxt in lexicon.COUNTED_NOUNS:
            return i + 1
        prev = self.norm(i - 1)
        last = self.atoms[-1] if self.atoms else None
        after_day_list = (
            last is not None
            and last.kind in (AtomKind.AND, AtomKind.TO, AtomKind.UNTIL)
            and last.end == i
            and len(self.atoms) >= 2
            and self.atoms[-2].kind == AtomKind.DAY
        )
        after_range_word = (
            last is not None
            and last.end == i
            and last.kind
            in (
                AtomKind.START,
                AtomKind.UNTIL,
                AtomKind.FROM,
            )
        )
        if (
            token.kind == TokenKind.ORD
            and value > 1
            and token.raw.rstrip(".").lower().endswith(lexicon.ORDINAL_SUFFIXES)
        ):
            return i + 1  # "au 3ème", "le 2e": a floor or a rank; a date is "le 3"
        if (
            token.kind == TokenKind.ORD
            or prev in lexicon.DAY_NUMBER_DETERMINERS
            or after_day_list
            or after_range_word
        ):
            return self.scan_day_from(i, weekday=None, start=i)
        return i + 1

    def coming(self, i: int) -> bool:
        """ "les 2 prochaines semaines", "les trois semaines à venir", "the next 3 days"."""
        nxt = self.norm(i + 1)
        return bool(
            (nxt in lexicon.NEXT_WORDS and self.unit_at(i + 2))
            or (self.unit_at(i + 1) and self.norm(i + 2) == "a" and self.norm(i + 3) == "venir")
            or (self.unit_at(i + 1) and self.norm(i - 1) == "next")
        )

    def scan_coming(self, i: int, value: int) -> int:
        """The next N weeks from next Monday; the next N days (working days) from tomorrow."""
        nxt = self.norm(i + 1)
        if nxt in lexicon.NEXT_WORDS:
            end, unit = i + 3, self.unit_at(i + 2)
        elif self.norm(i + 2) == "a":
            end, unit = i + 4, self.unit_at(i + 1)
        else:
            end, unit = i + 2, self.unit_at(i + 1)
        if unit == 7:
            self.emit(Atom(AtomKind.WEEK, i, end, mod="next", count=min(value, 52)))
        else:
            self.emit(Atom(AtomKind.REL, i, i + 1, offset=1))
            self.emit(Atom(AtomKind.FOR, i + 1, end, count=min(value, 400), unit=1))
        return end

    def listed_before_month(self, i: int) -> bool:
        """ "3 et 4 déc", "3-5 décembre", "1, 2, 3 déc": day numbers leading to a month."""
        j = i
        while (
            self.kind(j) in (TokenKind.NUM, TokenKind.ORD)
            and self.norm(j + 1) in lexicon.DAY_LIST_LINKS
            and self.kind(j + 2) in (TokenKind.NUM, TokenKind.ORD)
        ):
            j += 2
        return j > i and self.norm(j + 1) in lexicon.MONTHS

    def scan_day_from(
        self, i: int, *, weekday: int | None, start: int, month_at: int | None = None
    ) -> int:
        """A day number at `i`, maybe followed by a month and a year."""
        token = self.tokens[i]
        day = token.value[0] if token.value else 0
        end = i + 1
        month: int | None = None
        year: int | None = None
        j = month_at if month_at is not None else i + 1
        if self.norm(j) in lexicon.MONTHS:
            month = lexicon.MONTHS[self.norm(j)]
            end = j + 1
            if self.norm(end) == ".":
                end += 1
            year, end = self.year_at(end)
        chunk = ""
        if year is not None:
            chunk = self.text[token.start : self.tokens[end - 1].end]
        self.emit(
            Atom(
                AtomKind.DAY,
                start,
                end,
                day=day,
                month=month,
                year=year,
                weekday=weekday,
                chunk=chunk,
            )
        )
        return end

    def year_at(self, j: int) -> tuple[int | None, int]:
        k = j + 1 if self.norm(j) == "," else j
        if self.kind(k) == TokenKind.NUM and self.tokens[k].value:
            value = self.tokens[k].value[0]  # type: ignore[index]  # num tokens have one
            if 2000 <= value <= 2199 and len(self.tokens[k].raw) == 4:
                return value, k + 1
        return None, j

    def emit_day_token(self, i: int, *, weekday: int | None, start: int) -> int:
        token = self.tokens[i]
        day, month, year = token.value or (0, 0, 0)
        self.emit(
            Atom(
                AtomKind.DAY,
                start,
                i + 1,
                day=day,
                month=month,
                year=year or None,
                weekday=weekday,
                chunk=token.raw if year else "",
            )
        )
        return i + 1

    def scan_month(self, i: int, weekday: int | None = None, start: int | None = None) -> int:
        norm = self.norm(i)
        month = lexicon.MONTHS[norm]
        j = i + 1
        if self.norm(j) == ".":
            j += 1
        # English order: "December 3", "Dec 3rd, 2026", "Monday, December 7"
        if (
            self.kind(j) in (TokenKind.NUM, TokenKind.ORD)
            and self.day_number(j)
            and not self.unit_at(j + 1)
        ):
            token = self.tokens[j]
            day = token.value[0] if token.value else 0
            year, end = self.year_at(j + 1)
            chunk = self.text[self.tokens[i].start : self.tokens[end - 1].end] if year else ""
            self.emit(
                Atom(
                    AtomKind.DAY,
                    i if start is None else start,
                    end,
                    day=day,
                    month=month,
                    year=year,
                    weekday=weekday,
                    chunk=chunk,
                )
            )
            return end
        if norm in lexicon.AMBIGUOUS_MONTHS:
            return i + 1
        year, end = self.year_at(j)
        self.emit(Atom(AtomKind.MONTH, i, end, month=month, year=year))
        return end

    def scan_ordinal_word(self, i: int) -> int:
        value = lexicon.ORDINAL_WORDS[self.norm(i)]
        nxt = self.norm(i + 1)
        if nxt in lexicon.WEEKDAYS:
            return self.scan_nth(i, value)
        if value == 1 and nxt in lexicon.MONTHS:  # "premier décembre"
            return self.scan_day_from_value(i, 1)
        if value == 1 and self.norm(i - 1) in lexicon.THE_WORDS:
            return self.scan_day_from_value(i, 1)
        return i + 1

    def scan_day_from_value(self, i: int, day: int) -> int:
        month: int | None = None
        year: int | None = None
        end = i + 1
        if self.norm(i + 1) in lexicon.MONTHS:
            month = lexicon.MONTHS[self.norm(i + 1)]
            year, end = self.year_at(i + 2)
        self.emit(Atom(AtomKind.DAY, i, end, day=day, month=month, year=year))
        return end

    def scan_nth(self, i: int, nth: int) -> int:
        weekday = lexicon.WEEKDAYS[self.norm(i + 1)]
        j = i + 2
        while self.norm(j) in lexicon.NTH_WEEKDAY_FILLERS:
            j += 1
        month: int | None = None
        year: int | None = None
        end = i + 2
        if self.norm(j) in lexicon.MONTHS:
            month = lexicon.MONTHS[self.norm(j)]
            year, end = self.year_at(j + 1)
        elif self.norm(j) == "moisprochain":
            month, end = -1, j + 1
        self.emit(Atom(AtomKind.NTH, i, end, nth=nth, weekday=weekday, month=month, year=year))
        return end

    def scan_week(self, i: int) -> int:
        """ "semaine du 7 décembre", "the week of December 7", "semaine 50"."""
        j = i + 1
        if self.norm(j) in lexicon.WEEK_OF_LEADS:
            j += 1
            while self.norm(j) in lexicon.WEEK_OF_FILLERS:
                j += 1
            before = len(self.atoms)
            end = self.scan_at(j) if j < len(self.tokens) else j
            if len(self.atoms) > before and self.atoms[-1].kind in (
                AtomKind.DAY,
                AtomKind.REL,
                AtomKind.WD,
            ):
                anchor = self.atoms.pop()
                if len(self.atoms) > before:  # a "gap" inserted before the anchor
                    self.atoms.pop()
                self.emit(Atom(AtomKind.WEEK, i, end, mod="of", anchor=anchor))
                return end
            return i + 1
        number = self.tokens[j].value if self.kind(j) == TokenKind.NUM else None
        if number and 1 <= number[0] <= 53:
            prev = self.norm(i - 1)
            if prev not in lexicon.IN_WORDS and prev not in lexicon.FOR_WORDS:
                self.emit(Atom(AtomKind.WEEK, i, j + 1, mod="iso", count=number[0]))
                return j + 1
        if self.norm(j) in lexicon.NEXT_WORDS:
            self.emit(Atom(AtomKind.WEEK, i, j + 1, mod="next"))
            return j + 1
        if self.norm(j) in lexicon.LAST_FEMININE_WORDS or self.norm(i - 1) == "last":
            # "la semaine dernière", "last week": past, asked about
            monday = "last"
            self.emit(
                Atom(
                    AtomKind.WEEK,
                    i,
                    j + 1 if self.norm(j) in lexicon.LAST_FEMININE_WORDS else j,
                    mod=monday,
                )
            )
            return j + 1 if self.norm(j) in lexicon.LAST_FEMININE_WORDS else j
        if self.norm(i) in lexicon.WEEK_WORDS and self.norm(i - 1) in lexicon.THE_FEMININE_WORDS:
            self.emit(Atom(AtomKind.WEEK, i, i + 1, mod="this"))  # "récap de la semaine"
        return i + 1


# --- Pass 2: atoms -> dates ---------------------------------------------------------------------


class _Combiner:
    def __init__(
        self,
        atoms: list[Atom],
        tokens: list[Token],
        text: str,
        now: datetime,
        horizon_days: int,
        lang: str,
    ) -> None:
        self.atoms = atoms
        self.all_atoms = atoms
        self.tokens = tokens
        self.text = text
        self.now = now
        self.today = now.date()
        self.horizon_days = max(1, horizon_days)
        self.lang = lang
        self.recurrence = False
        self.absolute_reads = 0

    def span_text(self, atom: Atom | None = None) -> str:
        if atom is None:
            dated = [a for a in self.all_atoms if a.kind in DATE_KINDS]
            if not dated:
                return ""
            start, end = dated[0].start, dated[-1].end
        else:
            start, end = atom.start, atom.end
        if start >= end or end > len(self.tokens):
            return ""
        return self.text[self.tokens[start].start : self.tokens[end - 1].end].strip()

    # -- shaping

    def resolve(self) -> tuple[list[date], date | None]:
        """The dates named, minus those after "sauf"/"except" ("la semaine prochaine sauf
        mercredi", "tous les lundis sauf le 21 décembre")."""
        cut = next((k for k, a in enumerate(self.atoms) if a.kind == AtomKind.EXCEPT), None)
        if cut is None:
            return self.resolve_part(self.atoms)
        included, excluded = self.atoms[:cut], self.atoms[cut + 1 :]
        if not any(a.kind in (AtomKind.WEEK, AtomKind.MONTH) for a in included):
            # "tous les jours sauf mercredi la semaine prochaine": the week bounds both parts
            periods = [a for a in excluded if a.kind in (AtomKind.WEEK, AtomKind.MONTH)]
            if periods and any(a.kind in DATE_KINDS for a in excluded if a not in periods):
                included = included + periods
                excluded = [a for a in excluded if a not in periods]
        dates, first = self.resolve_part(included)
        weeks = [a for a in included if a.kind in (AtomKind.WEEK, AtomKind.QUALIFIER)]
        if weeks and not any(a.kind == AtomKind.WEEK for a in excluded):
            monday = self.week_monday(weeks[0])
            for atom in excluded:
                if atom.kind == AtomKind.WD and atom.in_week is None:
                    atom.in_week = monday
        recurrence = self.recurrence
        removed = set(self.resolve_part(excluded)[0]) if excluded else set()
        self.recurrence = recurrence
        kept = [d for d in dates if d not in removed]
        return kept, (kept[0] if kept else None) if first in removed else first

    def resolve_part(self, atoms: list[Atom]) -> tuple[list[date], date | None]:
        atoms = _drop_set_aside(atoms)
        for k, atom in enumerate(atoms[:-1]):
            nxt = atoms[k + 1]
            if (
                atom.kind == AtomKind.WD
                and nxt.kind == AtomKind.REL
                and nxt.mod == "in"
                and (nxt.start == atom.end)
            ):  # "mardi dans 15 jours": the Tuesday of the week 15 days ahead
                atom.in_week = monday_of(self.today + timedelta(days=nxt.offset))
                atoms[k + 1] = self.retyped(nxt, AtomKind.GAP)
        atoms = [a for a in atoms if a.kind != AtomKind.GAP or a.end > a.start]
        self.atoms = atoms
        self.propagate_months()
        self.apply_week_qualifier()
        if any(
            a.kind == AtomKind.EVERYDAY or (a.kind in (AtomKind.WD, AtomKind.WEEKEND) and a.plural)
            for a in atoms
        ):
            self.recurrence = True
            dates = self.resolve_recurrence()
            return dates, (dates[0] if dates else None)
        return self.resolve_sequence()

    def propagate_months(self) -> None:
        """ "les 1er, 2 et 4 décembre", "du vendredi 4 au mardi 8 décembre": a shared month."""
        carry: tuple[int, int | None] | None = None
        for atom in reversed(self.atoms):
            if atom.kind == AtomKind.DAY:
                if atom.month is not None:
                    carry = (atom.month, atom.year)
                elif carry is not None:
                    atom.month, atom.year = carry
            elif atom.kind not in (
                AtomKind.AND,
                AtomKind.TO,
                AtomKind.UNTIL,
                AtomKind.START,
                AtomKind.FROM,
            ):
                carry = None

    def apply_week_qualifier(self) -> None:
        """ "mardi de la semaine prochaine": weekdays are read inside the named week."""
        weeks = [a for a in self.atoms if a.kind == AtomKind.WEEK]
        weekdays = [
            a for a in self.atoms if a.kind == AtomKind.WD and a.mod in (None, "this", "next")
        ]
        if not weeks or not weekdays:
            return
        week = weeks[0]
        monday = self.week_monday(week)
        for atom in weekdays:
            atom.in_week = monday
        self.atoms = [self.retyped(a, AtomKind.QUALIFIER) if a is week else a for a in self.atoms]

    def retyped(self, atom: Atom, kind: AtomKind) -> Atom:
        """A copy of `atom` read as `kind`, put in its place among all the atoms as well (the
        span of the dates named is read from them)."""
        new = replace(atom, kind=kind)
        self.all_atoms = [new if a is atom else a for a in self.all_atoms]
        return new

    # -- recurrences

    def resolve_recurrence(self) -> list[date]:
        weekdays: set[int] = set()
        start = self.today
        end = self.today + timedelta(days=self.horizon_days - 1)
        bounded_end = False
        atoms = self.atoms
        for k, atom in enumerate(atoms):
            prev = atoms[k - 1].kind if k else ""
            if atom.kind == AtomKind.EVERYDAY:
                weekdays.update(WORKDAYS)
            elif atom.kind == AtomKind.WEEKEND and atom.plural:
                weekdays.update((5, 6))
            elif atom.kind == AtomKind.WD and (atom.plural or prev not in _BOUND_CONNECTORS):
                # singular weekdays listed with plural ones join them ("tous les lundis et mardi")
                weekdays.add(atom.weekday or 0)
            elif atom.kind == AtomKind.MONTH:
                first, last = self.month_bounds(atom)
                if prev in (AtomKind.UNTIL, AtomKind.TO):  # "jusqu'à fin décembre"
                    end, bounded_end = last, True
                elif prev == AtomKind.FROM:  # "à partir de décembre"
                    start = max(first, self.today)
                else:  # "en décembre", "de décembre"
                    start, end, bounded_end = max(first, self.today), last, True
            elif atom.kind in (AtomKind.WEEK, AtomKind.QUALIFIER):
                monday = self.week_monday(atom)
                start, end, bounded_end = max(monday, self.today), monday + timedelta(6), True
            elif atom.kind in DATE_KINDS and prev in (AtomKind.UNTIL, AtomKind.TO):
                end, bounded_end = self.resolve_end(atom, start), True
            elif atom.kind in DATE_KINDS and prev in (AtomKind.FROM, AtomKind.START):
                start = max(self.resolve_start(atom), self.today)
        for atom in atoms:
            if atom.kind == AtomKind.FOR and atom.mod == "week":
                end, bounded_end = monday_of(start) + timedelta(days=6), True
            elif atom.kind == AtomKind.FOR:
                end, bounded_end = start + timedelta(days=atom.count * atom.unit - 1), True
        if not bounded_end:
            end = max(end, start + timedelta(days=self.horizon_days - 1))
            end = min(end, self.today + timedelta(days=self.horizon_days - 1))
        if end < start:
            raise DateProblem("bad_range", text=self.span_text())
        if not weekdays:
            weekdays = set(WORKDAYS)
        days = [d for d in _days(start, end) if d.weekday() in weekdays]
        if days and any(a.kind == AtomKind.WD and a.plural and a.count == 2 for a in atoms):
            # "un mardi sur deux", "every other Tuesday": from the first one, a week in two
            first = monday_of(days[0])
            days = [d for d in days if (monday_of(d) - first).days // 7 % 2 == 0]
        return days

    # -- ranges and lists

    def resolve_sequence(self) -> tuple[list[date], date | None]:
        atoms = [a for a in self.atoms if a.kind != AtomKind.EVERY]
        self.check_counted_days(atoms)
        dates: list[date] = []
        first: date | None = None
        k = 0
        n = len(atoms)

        def add(values: list[date]) -> None:
            nonlocal first
            if values and first is None:
                first = values[0]
            dates.extend(values)

        def is_date(idx: int) -> bool:
            return 0 <= idx < n and atoms[idx].kind in DATE_KINDS

        while k < n:
            atom = atoms[k]
            kind = atom.kind
            # "du X au Y", "de X à Y", "X - Y", "entre X et Y", "X through Y", "from X to Y"
            if kind in (AtomKind.START, AtomKind.FROM) and is_date(k + 1):
                x = atoms[k + 1]
                follow = atoms[k + 2].kind if k + 2 < n else ""
                between = self.tokens[atom.start].norm in lexicon.BETWEEN_WORDS
                if is_date(k + 3) and (
                    follow in (AtomKind.TO, AtomKind.UNTIL) or (follow == AtomKind.AND and between)
                ):
                    add(self.expand_range(x, atoms[k + 3]))
                    k += 4
                    continue
                if kind == AtomKind.FROM or follow == AtomKind.FOR:
                    start = self.resolve_start(x)
                    if follow == AtomKind.FOR:
                        add(self.expand_for(start, atoms[k + 2]))
                        k += 3
                        continue
                    add(
                        [start]
                        if x.kind in (AtomKind.REL, AtomKind.WD, AtomKind.DAY, AtomKind.NTH)
                        else self.expand(x)
                    )
                    k += 2
                    continue
                k += 1
                continue
            if kind in DATE_KINDS:
                follow = atoms[k + 1].kind if k + 1 < n else ""
                if follow in (AtomKind.TO, AtomKind.UNTIL) and is_date(k + 2):
                    add(self.expand_range(atom, atoms[k + 2]))
                    k += 3
                    continue
                if follow == AtomKind.FOR:
                    add(self.expand_for(self.resolve_start(atom), atoms[k + 1]))
                    k += 2
                    continue
                add(self.expand(atom))
                k += 1
                continue
            if kind == AtomKind.UNTIL and is_date(k + 1):
                # "jusqu'à vendredi": from today
                end = self.resolve_end(atoms[k + 1], self.today)
                add(_workdays(self.today, end))
                k += 2
                continue
            if (
                kind == AtomKind.FOR
                and k + 2 < n
                and atoms[k + 1].kind == AtomKind.FROM
                and is_date(k + 2)
            ):
                # "pour 3 jours à partir de lundi"
                add(self.expand_for(self.resolve_start(atoms[k + 2]), atom))
                k += 3
                continue
            k += 1
        return dates, first

    def check_counted_days(self, atoms: list[Atom]) -> None:
        """ "2 jours la semaine prochaine", "3 days in December": some days of a period, but
        which ones? Asked about ("à partir de lundi pour 3 jours" has its start)."""
        if any(a.kind == AtomKind.FROM for a in atoms):
            return
        for k, atom in enumerate(atoms):
            if atom.kind != AtomKind.FOR or atom.unit != 1 or atom.mod == "week":
                continue
            near = [atoms[j] for j in (k - 1, k + 1) if 0 <= j < len(atoms)]
            if any(a.kind in (AtomKind.WEEK, AtomKind.MONTH) for a in near):
                raise DateProblem("vague_date", text=self.span_text())

    def expand(self, atom: Atom) -> list[date]:
        """The dates of one atom on its own (a single date, or a week/month of workdays)."""
        if atom.kind == AtomKind.WEEKEND:
            saturday = self.weekend_saturday(atom)
            return [d for d in (saturday, saturday + timedelta(1)) if d >= self.today]
        if atom.kind in (AtomKind.WEEK, AtomKind.QUALIFIER):
            first, last = self.week_bounds(atom)
            days = [d for d in _workdays(first, last) if d >= self.today]
            if not days and atom.part is not None:  # "en début de semaine" on a Wednesday
                raise DateProblem("past_date", text=self.span_text(atom), day=first.isoformat())
            return days
        if atom.kind == AtomKind.MONTH:
            first, last = self.month_bounds(atom)
            return [d for d in _workdays(first, last) if d >= self.today]
        return [self.resolve_start(atom)]

    def expand_range(self, start_atom: Atom, end_atom: Atom) -> list[date]:
        start = self.resolve_start(start_atom)
        end = self.resolve_end(end_atom, start)
        if end < start:
            raise DateProblem("bad_range", text=self.span_text())
        if start < self.today and start_atom.kind not in (
            AtomKind.WEEK,
            AtomKind.QUALIFIER,
            AtomKind.MONTH,
        ):
            raise DateProblem("past_date", text=self.span_text(start_atom), day=start.isoformat())
        return [d for d in _workdays(max(start, self.today), end)]

    def expand_for(self, start: date, duration: Atom) -> list[date]:
        """ "pour 3 jours": three working days; "pour 2 semaines": two calendar weeks."""
        if duration.mod == "week":  # "pour la semaine": to its Friday
            return _workdays(start, monday_of(start) + timedelta(days=4))
        if duration.unit == 1:
            days: list[date] = []
            current = start
            limit = min(duration.count, 400)
            while len(days) < limit:
                if current.weekday() in WORKDAYS:
                    days.append(current)
                current += timedelta(days=1)
            return days
        return _workdays(start, start + timedelta(days=duration.count * duration.unit - 1))

    # -- single atoms

    def resolve_start(self, atom: Atom) -> date:
        if atom.kind == AtomKind.WEEKEND:
            return max(self.weekend_saturday(atom), self.today)
        if atom.kind in (AtomKind.WEEK, AtomKind.QUALIFIER):
            return max(self.week_bounds(atom)[0], self.today)
        if atom.kind == AtomKind.MONTH:
            return max(self.month_bounds(atom)[0], self.today)
        return self.resolve_date(atom, None)

    def resolve_end(self, atom: Atom, after: date) -> date:
        if atom.kind == AtomKind.WEEKEND:
            return self.weekend_saturday(atom) + timedelta(days=1)
        if atom.kind in (AtomKind.WEEK, AtomKind.QUALIFIER):
            return self.week_bounds(atom)[1]
        if atom.kind == AtomKind.MONTH:
            return self.month_bounds(atom)[1]
        return self.resolve_date(atom, after)

    def resolve_date(self, atom: Atom, after: date | None) -> date:
        today = self.today
        if atom.kind == AtomKind.REL and atom.mod == "months":
            year, month = today.year, today.month
            for _ in range(min(atom.count, 24)):
                year, month = _next_month(year, month)
            return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
        if atom.kind == AtomKind.REL:
            day = today + timedelta(days=atom.offset)
            if day < today:
                raise DateProblem("past_date", text=self.span_text(atom), day=day.isoformat())
            return day
        if atom.kind == AtomKind.WD:
            return self.resolve_weekday(atom, after)
        if atom.kind == AtomKind.DAY:
            return self.resolve_day(atom, after)
        if atom.kind == AtomKind.NTH:
            return self.resolve_nth(atom)
        if atom.kind == AtomKind.EVERYDAY:
            return today
        raise DateProblem("invalid_date", text=self.span_text(atom))

    def resolve_weekday(self, atom: Atom, after: date | None) -> date:
        weekday = atom.weekday or 0
        today = self.today
        if atom.in_week is not None:
            day = atom.in_week + timedelta(days=weekday)
            if day < today:
                raise DateProblem("past_date", text=self.span_text(atom), day=day.isoformat())
            return day
        if after is not None and atom.mod not in lexicon.WEEKS_AFTER_WORDS:
            return after + timedelta(days=(weekday - after.weekday()) % 7)
        if atom.mod == "last":
            back = (today.weekday() - weekday) % 7 or 7
            day = today - timedelta(days=back)
            raise DateProblem("past_date", text=self.span_text(atom), day=day.isoformat())
        ahead = (weekday - today.weekday()) % 7
        if atom.mod != "this" and ahead == 0:
            ahead = 7
        day = today + timedelta(days=ahead)
        if atom.mod == "enhuit":
            day += timedelta(days=7)
        elif atom.mod == "enquinze":
            day += timedelta(days=14)
        return day

    def resolve_day(self, atom: Atom, after: date | None) -> date:
        day_number = atom.day or 0
        month = atom.month
        year = atom.year
        today = self.today
        lower = after or today
        limit = add_years(today, 1)
        text = self.span_text(atom)
        if month is not None and not 1 <= month <= 12:
            raise DateProblem("invalid_date", text=text)
        if not 1 <= day_number <= MAX_DAY_NUMBER:
            raise DateProblem("invalid_date", text=text)
        if month is not None and day_number > _max_days(month):
            raise DateProblem("invalid_date", text=text)  # "31 novembre", "30 février"
        if year is not None and month is not None:
            found = self.absolute(atom, day_number, month, year)
            if atom.weekday is not None and found.weekday() != atom.weekday:
                raise DateProblem("date_mismatch", text=text, day=found.isoformat())
            if found < lower and after is None:
                raise DateProblem("past_date", text=text, day=found.isoformat())
            return found
        if month is not None and after is not None:
            # A range's end: in the start's year, or the next one across New Year
            # ("du 28 décembre au 8 janvier"); "du 8 au 4 décembre" ends before it starts.
            candidate = _date_or_none(after.year, month, day_number)
            if candidate is None or candidate < after:
                if month == after.month and after.year == (candidate or after).year:
                    raise DateProblem("bad_range", text=self.span_text())
                candidate = _date_or_none(after.year + 1, month, day_number)
            if candidate is None:
                raise DateProblem("invalid_date", text=text)
            if atom.weekday is not None and candidate.weekday() != atom.weekday:
                raise DateProblem("date_mismatch", text=text, day=candidate.isoformat())
            return candidate
        if month is not None:
            candidates = [
                c
                for y in (lower.year - 1, lower.year, lower.year + 1)
                if (c := _date_or_none(y, month, day_number)) is not None
            ]
            if not candidates:  # "29 février" when no February of the coming year has one
                raise DateProblem("invalid_date", text=text)
            if after is None:
                # The nearest such date: a recent past one is asked about, not moved a year on.
                nearest = min(candidates, key=lambda c: (abs((c - today).days), c < today))
                if nearest < today and (atom.weekday is None or nearest.weekday() == atom.weekday):
                    raise DateProblem("past_date", text=text, day=nearest.isoformat())
            future = [c for c in candidates if lower <= c <= max(limit, lower)]
            if atom.weekday is None:
                if future:
                    return future[0]
                raise DateProblem("past_date", text=text, day=candidates[-1].isoformat())
            for candidate in future:
                if candidate.weekday() == atom.weekday:
                    return candidate
            shown = future[0] if future else candidates[-1]
            raise DateProblem("date_mismatch", text=text, day=shown.isoformat())
        # A day number alone: the next such date (today included), with its weekday if given.
        first_seen: date | None = None
        year_, month_ = lower.year, lower.month
        for _ in range(14):
            candidate = _date_or_none(year_, month_, day_number)
            if candidate is not None and candidate >= lower:
                if candidate > max(limit, lower + timedelta(days=62)):
                    break
                first_seen = first_seen or candidate
                if atom.weekday is None or candidate.weekday() == atom.weekday:
                    return candidate
            year_, month_ = (year_ + 1, 1) if month_ == 12 else (year_, month_ + 1)
        if atom.weekday is not None:
            if first_seen is not None:
                raise DateProblem("date_mismatch", text=text, day=first_seen.isoformat())
            raise DateProblem("date_mismatch", text=text)
        raise DateProblem("invalid_date", text=text)

    def absolute(self, atom: Atom, day_number: int, month: int, year: int) -> date:
        """A full date with its year: dateparser reads the chunk as written; we check it."""
        expected = _date_or_none(year, month, day_number)
        if expected is None:
            raise DateProblem("invalid_date", text=self.span_text(atom))
        if atom.chunk and self.absolute_reads < MAX_ABSOLUTE_READS:
            self.absolute_reads += 1
            parsed = parse_absolute(atom.chunk, self.now, self.lang)
            if parsed is not None:
                if parsed != expected:
                    log.debug(
                        "dateparser read %r as %s, the grammar as %s", atom.chunk, parsed, expected
                    )
                return parsed
        return expected

    def resolve_nth(self, atom: Atom) -> date:
        weekday = atom.weekday or 0
        nth = atom.nth
        today = self.today
        if atom.month is None or atom.month == -1:
            year, month = today.year, today.month
            if atom.month == -1:
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            for _ in range(13):
                found = _nth_weekday(year, month, weekday, nth)
                if found is not None and found >= today:
                    return found
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            raise DateProblem("invalid_date", text=self.span_text(atom))
        years = [atom.year] if atom.year else [today.year, today.year + 1]
        for year in years:
            found = _nth_weekday(year, atom.month, weekday, nth)
            if found is None:
                raise DateProblem("invalid_date", text=self.span_text(atom))
            if found >= today:
                return found
        assert found is not None  # each year either returned, raised or found a past date
        raise DateProblem("past_date", text=self.span_text(atom), day=found.isoformat())

    def week_bounds(self, atom: Atom) -> tuple[date, date]:
        """First and last working day of a week atom, or of its named part."""
        monday = self.week_monday(atom)
        if atom.count > 1 and atom.mod == "next":  # "les 2 prochaines semaines"
            return monday, monday + timedelta(days=7 * (atom.count - 1) + 4)
        if atom.part == "start":
            return monday, monday + timedelta(days=1)
        if atom.part == "end":
            return monday + timedelta(days=3), monday + timedelta(days=4)
        return monday, monday + timedelta(days=4)

    def weekend_saturday(self, atom: Atom) -> date:
        """ "ce week-end": the current or coming one; "le week-end prochain": the next one
        after it when today is already in a week-end (like "<jour> prochain")."""
        today = self.today
        if today.weekday() >= 5:
            saturday = today - timedelta(days=today.weekday() - 5)
            return saturday + timedelta(days=7) if atom.mod == "next" else saturday
        return today + timedelta(days=5 - today.weekday())

    def week_monday(self, atom: Atom) -> date:
        this_monday = monday_of(self.today)
        if atom.mod == "this":
            # On a weekend, "cette semaine" is the coming one.
            return this_monday + timedelta(days=7 if self.today.weekday() >= 5 else 0)
        if atom.mod == "next":
            return this_monday + timedelta(days=7)
        if atom.mod == "after":
            return this_monday + timedelta(days=14)
        if atom.mod == "last":
            last_monday = this_monday - timedelta(days=7)
            raise DateProblem("past_date", text=self.span_text(atom), day=last_monday.isoformat())
        if atom.mod == "iso":
            year = self.today.year
            for candidate_year in (year, year + 1):
                try:
                    monday = date.fromisocalendar(candidate_year, atom.count, 1)
                except ValueError:
                    continue
                if monday + timedelta(days=4) >= self.today:
                    return monday
            raise DateProblem("invalid_date", text=self.span_text(atom))
        if atom.mod == "of" and atom.anchor is not None:
            return monday_of(self.resolve_date(atom.anchor, None))
        return this_monday

    def month_bounds(self, atom: Atom) -> tuple[date, date]:
        today = self.today
        if atom.mod == "this":
            year, month = today.year, today.month
        elif atom.mod == "next":
            year, month = _next_month(today.year, today.month)
        else:
            month = atom.month or today.month
            year = atom.year or (today.year if month >= today.month else today.year + 1)
        last = calendar.monthrange(year, month)[1]
        return date(year, month, 1), date(year, month, last)


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _days(start: date, end: date) -> list[date]:
    if end < start:
        return []
    count = min((end - start).days, 800) + 1
    return [start + timedelta(days=k) for k in range(count)]


def _workdays(start: date, end: date) -> list[date]:
    return [d for d in _days(start, end) if d.weekday() in WORKDAYS]


def _max_days(month: int) -> int:
    return 29 if month == 2 else calendar.monthrange(2001, month)[1]


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    days = [
        date(year, month, d)
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
        if date(year, month, d).weekday() == weekday
    ]
    if nth == -1:
        return days[-1]
    return days[nth - 1] if 1 <= nth <= len(days) else None
