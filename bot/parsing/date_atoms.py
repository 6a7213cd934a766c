"""Date expressions, first pass: normalised tokens to atoms (see `bot.parsing.dates`).

`Scanner` reads relative days, weekdays with their modifiers, day numbers, "the nth weekday of
a month", weeks, months and the connectors between them; each becomes an `Atom`. The words it
matches are in `lexicon`; the dates are resolved by `bot.parsing.date_resolve`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.parsing import lexicon
from bot.parsing.text import Token, TokenKind

# Token kinds as module constants: reading `TokenKind.X` goes through the enum's metaclass
# (about 100 ns a time, and the hot loops read them per token).
_DATE = TokenKind.DATE
_NUM = TokenKind.NUM
_ORD = TokenKind.ORD
_PUNCT = TokenKind.PUNCT
_TIME = TokenKind.TIME
_WORD = TokenKind.WORD


MAX_DAY_NUMBER = 31


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


# Atom kinds as module constants, for the same reason as the token kinds above; the other
# date modules import them.
A_AND = AtomKind.AND
A_BUT = AtomKind.BUT
A_DAY = AtomKind.DAY
A_EVERY = AtomKind.EVERY
A_EVERYDAY = AtomKind.EVERYDAY
A_EXCEPT = AtomKind.EXCEPT
A_FIX = AtomKind.FIX
A_FOR = AtomKind.FOR
A_FROM = AtomKind.FROM
A_GAP = AtomKind.GAP
A_MONTH = AtomKind.MONTH
A_NOT = AtomKind.NOT
A_NTH = AtomKind.NTH
A_OR = AtomKind.OR
A_QUALIFIER = AtomKind.QUALIFIER
A_REL = AtomKind.REL
A_START = AtomKind.START
A_TO = AtomKind.TO
A_UNTIL = AtomKind.UNTIL
A_WD = AtomKind.WD
A_WEEK = AtomKind.WEEK
A_WEEKEND = AtomKind.WEEKEND


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


DATE_KINDS = frozenset(
    {
        A_REL,
        A_WD,
        A_DAY,
        A_NTH,
        A_WEEK,
        A_MONTH,
        A_EVERYDAY,
        A_WEEKEND,
    }
)
CONNECTOR_KINDS = frozenset(
    {
        A_AND,
        A_TO,
        A_UNTIL,
        A_FROM,
        A_START,
        A_FOR,
        A_EVERY,
        A_GAP,
        A_EXCEPT,
        A_OR,
    }
)

_SET_ASIDE_KINDS = frozenset({A_NOT, A_BUT, A_FIX})


def drop_set_aside(atoms: list[Atom]) -> list[Atom]:
    """ "pas demain mais jeudi", "lundi, pas mardi" and "demain, non jeudi": the dates set
    aside go, when others remain ("je ne viens pas demain" keeps its date)."""
    for atom in atoms:
        if atom.kind in _SET_ASIDE_KINDS:
            break
    else:
        return atoms[:]  # nothing set aside (most sentences)
    keep = [True] * len(atoms)
    n = len(atoms)
    for k, atom in enumerate(atoms):
        if atom.kind == A_NOT and k + 1 < n and atoms[k + 1].kind in DATE_KINDS:
            end = next((j for j in range(k + 1, n) if atoms[j].kind == A_BUT), None)
            if end is not None and any(a.kind in DATE_KINDS for a in atoms[end:]):
                for j in range(k, end + 1):
                    keep[j] = False
            elif (
                k
                and atoms[k - 1].kind == A_AND
                and any(a.kind in DATE_KINDS for a in atoms[: k - 1])
            ):  # "lundi, pas mardi"
                j = k
                while j < n and atoms[j].kind not in (
                    A_GAP,
                    A_OR,
                    A_AND,
                    A_BUT,
                ):
                    keep[j] = False
                    j += 1
        elif (
            atom.kind == A_FIX
            and date_near(atoms, k, -1, (A_GAP, A_AND))
            and date_near(atoms, k, 1, (A_GAP, A_AND))
        ):
            j = k - 1
            while j >= 0 and atoms[j].kind not in (A_GAP, A_OR):
                keep[j] = False
                j -= 1
            keep[k] = False
    return [
        a
        for a, kept in zip(atoms, keep, strict=True)
        if kept and a.kind not in (A_NOT, A_BUT, A_FIX)
    ]


def date_near(atoms: list[Atom], k: int, step: int, skip: tuple[AtomKind, ...] = (A_GAP,)) -> bool:
    """Whether the nearest atom before/after `k` (across unrelated words) is a date."""
    k += step
    while 0 <= k < len(atoms) and atoms[k].kind in skip:
        k += step
    return 0 <= k < len(atoms) and atoms[k].kind in DATE_KINDS


# --- Pass 1: tokens -> atoms ---------------------------------------------------------------------


# Every table `Scanner.scan_at` tests a word against ("norm in lexicon.X"): a word in none of
# them is no part of a date, and is skipped at once (most words of a sentence). A test checks
# that this list names every table the method reads.
SCAN_WORD_TABLES = (
    lexicon.AFTER_TOMORROW,
    lexicon.AND_WORDS,
    lexicon.BEFORE_YESTERDAY,
    lexicon.BUT_WORDS,
    lexicon.DAILY_WORDS,
    lexicon.EVERY_WORDS,
    lexicon.EXCEPT_WORDS,
    lexicon.FIX_WORDS,
    lexicon.FOLLOWING_WORDS,
    lexicon.FOR_WORDS,
    lexicon.FROM_WORDS,
    lexicon.HOLIDAYS,
    lexicon.IN_WORDS,
    lexicon.MONTHS,
    lexicon.MONTH_PHRASES,
    lexicon.NOT_WORDS,
    lexicon.NUMBER_WORDS,
    lexicon.ORDINAL_WORDS,
    lexicon.OR_WORDS,
    lexicon.PERIOD_PARTS,
    lexicon.RANGE_START_WORDS,
    lexicon.THIS_WORDS,
    lexicon.TODAY,
    lexicon.TOMORROW,
    lexicon.TO_WORDS,
    lexicon.UNTIL_WORDS,
    lexicon.WEEKDAYS,
    lexicon.WEEKDAYS_PLURAL,
    lexicon.WEEKDAY_ABBREVIATIONS,
    lexicon.WEEKEND_WORDS,
    lexicon.WEEK_PHRASES,
    lexicon.WEEK_UNITS,
    lexicon.YESTERDAY,
)
_DATE_WORDS: frozenset[str] = frozenset().union(*SCAN_WORD_TABLES)


class Scanner:
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
            self.atoms.append(Atom(A_GAP, self.last_end, atom.start))
        self.atoms.append(atom)
        self.last_end = atom.end

    def scan(self) -> list[Atom]:
        i = 0
        tokens = self.tokens
        n = len(tokens)
        while i < n:
            token = tokens[i]
            if token.kind == _WORD and token.norm not in _DATE_WORDS:
                i += 1  # most words: no part of a date (what `scan_at` would find too)
                continue
            consumed = self.scan_at(i)
            i = consumed if consumed > i else i + 1
        return self.atoms

    def scan_at(self, i: int) -> int:
        token = self.tokens[i]
        norm = token.norm
        if token.kind == _DATE:
            return self.emit_day_token(i, weekday=None, start=i)
        if token.kind in (_NUM, _ORD):
            return self.scan_number(i)
        if token.kind == _PUNCT:
            if norm in (",", "&", "+", ";"):
                self.emit(Atom(A_AND, i, i + 1))
            elif norm == "-":
                self.emit(Atom(A_TO, i, i + 1))
            return i + 1
        if token.kind != _WORD or norm not in _DATE_WORDS:
            return i + 1
        if norm in lexicon.WEEKDAYS:
            return self.scan_weekday(i, lexicon.WEEKDAYS[norm], plural=False)
        if norm in lexicon.WEEKDAY_ABBREVIATIONS and self.abbreviated_weekday(i):
            return self.scan_weekday(i, lexicon.WEEKDAY_ABBREVIATIONS[norm], plural=False)
        if norm in lexicon.WEEKEND_WORDS:
            return self.scan_weekend(i)
        if norm in lexicon.FOLLOWING_WORDS:
            return self.scan_following(i)
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
            self.emit(Atom(A_WEEK, i, i + 1, mod=kind))
            return i + 1
        if norm in lexicon.WEEK_UNITS:
            return self.scan_week(i)
        if norm in lexicon.MONTH_PHRASES:
            self.emit(Atom(A_MONTH, i, i + 1, mod=lexicon.MONTH_PHRASE_MODS.get(norm, "this")))
            return i + 1
        if norm in lexicon.MONTHS:
            return self.scan_month(i)
        if norm in lexicon.ORDINAL_WORDS:
            return self.scan_ordinal_word(i)
        if norm in lexicon.NUMBER_WORDS and self.coming(i):
            return self.scan_coming(i, lexicon.NUMBER_WORDS[norm])
        if norm in lexicon.EVERY_WORDS:
            if (self.number_at(i + 1) or 0) > 1 and self.unit_at(i + 2):
                # "tous les 15 jours", "every 2 weeks": from which day? Asked.
                raise DateProblem("vague_date", text=self.span_text_of(i, i + 3))
            if self.norm(i + 1) in lexicon.DAY_UNITS or self.norm(i + 1) in lexicon.DAYS_WORDS:
                self.emit(Atom(A_EVERYDAY, i, i + 2))
                return i + 2
            if self.norm(i + 1) in lexicon.WEEK_UNITS:
                return i + 2  # "toutes les semaines": every week, i.e. a plain recurrence
            if self.norm(i + 1) in lexicon.ALTERNATE_WORDS:  # "every other Tuesday"
                self.emit(Atom(A_EVERY, i, i + 2, count=2))
                return i + 2
            self.emit(Atom(A_EVERY, i, i + 1))
            return i + 1
        if norm in lexicon.DAILY_WORDS and self.atoms:
            return i + 1
        if norm in lexicon.NOT_WORDS:  # "pas demain mais jeudi"
            self.emit(Atom(A_NOT, i, i + 1))
        elif norm in lexicon.BUT_WORDS:
            self.emit(Atom(A_BUT, i, i + 1))
        elif norm in lexicon.FIX_WORDS and (
            token.raw.isalpha()  # a typed "non", not a ❌
        ):
            self.emit(Atom(A_FIX, i, i + 1))  # "demain, non jeudi"
        elif norm in lexicon.OR_WORDS:
            self.emit(Atom(A_OR, i, i + 1))
        elif norm in lexicon.EXCEPT_WORDS:
            self.emit(Atom(A_EXCEPT, i, i + 1))
        elif norm in lexicon.AND_WORDS:
            self.emit(Atom(A_AND, i, i + 1))
        elif norm in lexicon.UNTIL_WORDS:
            self.check_bound(i)
            self.emit(Atom(A_UNTIL, i, i + 1))
        elif norm in lexicon.FROM_WORDS:
            self.emit(Atom(A_FROM, i, i + 1))
        elif norm in lexicon.RANGE_START_WORDS:
            self.emit(Atom(A_START, i, i + 1))
        elif norm in lexicon.TO_WORDS and not token.elided:
            self.emit(Atom(A_TO, i, i + 1))
        return i + 1

    def check_bound(self, i: int) -> None:
        """A period ended by an absence ("jusqu'à mes congés", "until the holidays") is asked
        about: the parser does not know when it starts."""
        j = i + 1
        while self.norm(j) in lexicon.BOUND_FILLERS:
            j += 1
        if j <= i + 2 and self.norm(j) in lexicon.STATUS_WORDS:
            end = j + 1
            while self.norm(end) in lexicon.OF_WORDS and self.norm(end + 1) in lexicon.HOLIDAYS:
                end += 2  # "jusqu'aux vacances de Noël"
            text = self.text[self.tokens[i].start : self.tokens[end - 1].end]
            raise DateProblem("vague_date", text=text)

    def abbreviated_weekday(self, i: int) -> bool:
        """ "tt ven", "lun-mer", "WFH Mon and Fri" -- but not "à la mer", "avec Sam", "Mar 3"."""
        norm = self.norm(i)
        numbered = self.kind(i + 1) in (_NUM, _ORD) or self.kind(i - 1) in (
            _NUM,
            _ORD,
        )
        if norm in lexicon.TUESDAY_OR_MARCH and (
            self.kind(i - 1) in (_NUM, _ORD)
            or (self.kind(i + 1) in (_NUM, _ORD) and self.lang == "en")
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
        return self.kind(j) == _WORD and (
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
        if norm in lexicon.PRONOUN_WEEKEND_WORDS and prev not in lexicon.WEEKEND_LEADS:
            return i + 1  # English "we"
        if prev in lexicon.WISHING_WORDS:
            return i + 1  # "bon week-end !"
        end = i + 1
        mod = "this"
        if prev in lexicon.NEXT_LEADS or self.norm(i + 1) in lexicon.NEXT_WORDS:
            mod = "next"
            end = i + 2 if self.norm(i + 1) in lexicon.NEXT_WORDS else i + 1
        plural = norm in lexicon.WEEKEND_PLURALS or bool(
            self.atoms and self.atoms[-1].kind == A_EVERY and self.atoms[-1].end >= i - 1
        )
        self.emit(Atom(A_WEEKEND, i, end, mod=mod, plural=plural))
        return end

    def scan_part(self, i: int) -> int:
        """ "en début de semaine (prochaine)" -> Monday-Tuesday, "fin de semaine" -> Thursday-
        Friday; "début décembre", "mi-décembre", "milieu de semaine" are asked about."""
        part = lexicon.PERIOD_PARTS[self.norm(i)]
        last = self.atoms[-1] if self.atoms else None
        if last is not None and last.kind == A_UNTIL and last.end >= i - 1:
            j = i + 1
            while self.norm(j) in lexicon.PART_FILLERS:
                j += 1
            unit = self.norm(j)
            if unit in lexicon.MONTH_UNITS or unit in lexicon.MONTH_PHRASES:
                # "jusqu'à la fin du mois (prochain)": to the last day of that month
                mod = "next" if unit in lexicon.NEXT_MONTH_PHRASES else "this"
                self.emit(Atom(A_MONTH, i, j + 1, mod=mod))
                return j + 1
            return i + 1  # "jusqu'à fin décembre": the end of the month is precise
        j = i + 1
        while self.norm(j) in lexicon.PART_FILLERS:
            j += 1
        norm = self.norm(j)
        weekly = norm in lexicon.WEEK_UNITS or norm in lexicon.WEEK_PHRASES
        monthly = (
            norm in lexicon.MONTHS or norm in lexicon.MONTH_UNITS or norm in lexicon.MONTH_PHRASES
        )
        if not (weekly or monthly) or (
            norm in lexicon.AMBIGUOUS_MONTHS and norm not in lexicon.MONTHS_CLEAR_AFTER_PART
        ):
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
        if len(self.atoms) > before and self.atoms[-1].kind == A_WEEK:
            atom = self.atoms[-1]
            atom.start, atom.part = i, part
            return end
        self.emit(Atom(A_WEEK, i, j + 1, mod="this", part=part))  # "en début de semaine"
        return j + 1

    def scan_following(self, i: int) -> int:
        """ "mardi prochain et le suivant": the same weekday a week after the one just named.
        After anything else ("lundi et les deux jours suivants") the word is left unread."""
        atoms = self.atoms
        if not (
            len(atoms) >= 2
            and atoms[-1].kind == A_AND
            and atoms[-2].kind == A_WD
            and not atoms[-2].plural
            and self.norm(i - 1) in lexicon.THE_WORDS
            and self.norm(i - 2) in lexicon.AND_WORDS
        ):
            return i + 1
        base = atoms[-2]
        later = lexicon.WEEK_LATER_MODS.get(base.mod)
        if later is None:  # "jeudi de la semaine prochaine et le suivant": asked
            raise DateProblem("vague_date", text=self.span_text_of(base.start, i + 1))
        self.emit(Atom(A_WD, i - 1, i + 1, weekday=base.weekday, mod=later))
        return i + 1

    def span_text_of(self, start: int, end: int) -> str:
        """The text of tokens `start` to `end` (excluded), as written."""
        end = min(end, len(self.tokens))
        return self.text[self.tokens[start].start : self.tokens[end - 1].end]

    def emit_rel(self, start: int, end: int, offset: int) -> int:
        self.emit(Atom(A_REL, start, end, offset=offset))
        return end

    def number_at(self, i: int) -> int | None:
        """A quantity: digits or a number word ("trois", "une", "a week")."""
        token = self.tokens[i] if 0 <= i < len(self.tokens) else None
        if token is None:
            return None
        if token.kind == _NUM:
            return token.value[0] if token.value else None
        if token.kind == _WORD:
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
        if nxt in lexicon.FORTNIGHT_WORDS:
            return self.emit_rel(i, i + 2, 14)
        if nxt in lexicon.EIGHT_DAYS_WORDS:
            return self.emit_rel(i, i + 2, 7)
        count = self.number_at(i + 1)
        if count is not None:
            unit = self.unit_at(i + 2)
            if unit:
                self.emit(Atom(A_REL, i, i + 3, offset=count * unit, mod="in"))
                return i + 3
            if self.norm(i + 2) in lexicon.MONTH_UNITS:  # "dans un mois": same day, N months on
                self.emit(Atom(A_REL, i, i + 3, mod="months", count=count))
                return i + 3
        if nxt in lexicon.MONTHS and nxt not in lexicon.AMBIGUOUS_MONTHS:
            return i + 1  # "in December": the month atom is read next
        return i + 1

    def scan_for(self, i: int) -> int:
        """ "pour 3 jours", "pendant deux semaines", "for a week", "pour quinze jours"."""
        nxt = self.norm(i + 1)
        if self.norm(i) in lexicon.ONE_IN_LINKS and self.unit_at(i - 1) and self.number_at(i + 1):
            # "un jour sur deux", "une semaine sur deux": which ones? Asked.
            raise DateProblem("vague_date", text=self.span_text_of(max(0, i - 2), i + 2))
        if nxt in lexicon.FORTNIGHT_WORDS:
            self.emit(Atom(A_FOR, i, i + 2, count=14, unit=1))
            return i + 2
        if nxt in lexicon.EIGHT_DAYS_WORDS:
            self.emit(Atom(A_FOR, i, i + 2, count=1, unit=7))
            return i + 2
        count = self.number_at(i + 1)
        if count is not None and self.unit_at(i + 2):
            self.emit(Atom(A_FOR, i, i + 3, count=count, unit=self.unit_at(i + 2)))
            return i + 3
        j = i + 1
        while self.norm(j) in lexicon.PART_OF_FILLERS:
            j += 1
        last = self.atoms[-1] if self.atoms else None
        if (
            self.norm(j) in lexicon.WEEK_OR_THIS_WEEK
            and last is not None
            and last.kind in (A_WD, A_REL, A_DAY)
            and last.end >= i - 1
        ):
            # "à partir de mardi pour la semaine": to the end of that week
            self.emit(Atom(A_FOR, i, j + 1, count=0, unit=0, mod="week"))
            return j + 1
        # otherwise "pour la semaine" is a week qualifier, not a duration
        return i + 1

    def scan_weekday(self, i: int, weekday: int, plural: bool) -> int:
        prev = self.norm(i - 1)
        mod: str | None = None
        if prev in lexicon.THIS_LEADS:
            mod = "this"
        elif prev in lexicon.NEXT_OR_ENGLISH_NEXT:
            mod = "next"
        elif prev in lexicon.LAST_LEADS:
            mod = "last"
        every = 1
        first = self.counted_start(i) if plural else i
        if self.atoms and self.atoms[-1].kind == A_EVERY and self.atoms[-1].end >= i - 1:
            plural, every = True, self.atoms[-1].count or 1
        if (
            self.norm(i + 1) in lexicon.ONE_IN_LINKS
            and self.number_at(i + 2) == 2
            and self.norm(i - 1) in lexicon.ONE_IN_TWO_LEADS
        ):
            # "un mardi sur deux": every other Tuesday
            self.emit(Atom(A_WD, i, i + 3, weekday=weekday, plural=True, count=2))
            return i + 3
        if self.atoms and self.atoms[-1].kind == A_WD and self.tokens[i].joined:
            self.emit(Atom(A_TO, i, i))  # "lundi-mercredi"
        # "lundi 7", "lundi 7 décembre", "Monday the 7th", "Monday, December 7"
        j = i + 1
        while self.norm(j) in lexicon.DAY_NUMBER_LEADS:
            j += 1
        if self.kind(j) in (_NUM, _ORD) and self.day_number(j) and not self.unit_at(j + 1):
            if self.kind(j + 1) != _TIME and self.norm(j + 1) not in lexicon.DESK_NOUNS:
                return self.scan_day_from(j, weekday=weekday, start=i)
        if self.kind(j) == _DATE:
            return self.emit_day_token(j, weekday=weekday, start=i)
        if self.norm(j) in lexicon.MONTHS and self.kind(j + 1) in (_NUM, _ORD):
            if self.day_number(j + 1):
                return self.scan_month(j, weekday=weekday, start=i)
        end = i + 1
        nxt = self.norm(i + 1)
        if nxt in lexicon.NEXT_WORDS:
            mod, end = "next", i + 2
        elif (
            nxt in lexicon.COMING_LEADS and self.norm(i + 2) in lexicon.COMING_VERBS
        ):  # "lundi qui vient"
            mod, end = "next", i + 3
        elif nxt in lexicon.WEEKS_AFTER_WORDS:
            mod, end = nxt, i + 2
        elif (
            nxt in lexicon.WEEKS_LATER_LEADS
            and self.kind(i + 2) == _NUM
            and self.number_at(i + 2) in lexicon.WEEKS_LATER_DAYS
        ):
            mod, end = lexicon.WEEKS_LATER_DAYS[self.number_at(i + 2) or 0], i + 3
        elif nxt in lexicon.LAST_AFTER_WORDS:
            mod, end = "last", i + 2
        self.emit(
            Atom(
                A_WD,
                first,
                end,
                weekday=weekday,
                mod=mod,
                plural=plural,
                count=every if plural else 0,
            )
        )
        return end

    def counted_start(self, i: int) -> int:
        """Where "les deux prochains lundis", "the next 3 Tuesdays" begins, for the plural
        weekday at `i` (the count itself is applied by `refine`)."""
        before, two_before = self.norm(i - 1), self.norm(i - 2)
        if before in lexicon.NEXT_OR_ENGLISH_NEXT and (self.number_at(i - 2) or 0) > 1:
            return i - 2
        if two_before in lexicon.ENGLISH_NEXT_WORDS and (self.number_at(i - 1) or 0) > 1:
            return i - 2
        return i

    def day_number(self, i: int) -> int | None:
        token = self.tokens[i]
        value = token.value[0] if token.value else 0
        return value if 1 <= value <= MAX_DAY_NUMBER else None

    def scan_number(self, i: int) -> int:
        token = self.tokens[i]
        value = token.value[0] if token.value else 0
        nxt = self.norm(i + 1)
        # "1er lundi de décembre", "the first Monday of December"
        if token.kind == _ORD and nxt in lexicon.WEEKDAYS and 1 <= value <= 5:
            return self.scan_nth(i, value)
        if nxt in lexicon.MONTHS and 0 <= value <= 99:
            return self.scan_day_from(i, weekday=None, start=i)
        if 1 <= value <= MAX_DAY_NUMBER and self.listed_before_month(i):
            return self.scan_day_from(i, weekday=None, start=i)  # "3-5 décembre", "1,2,3 déc"
        if self.coming(i):
            return self.scan_coming(i, value)
        if nxt in lexicon.OF_WORDS and self.norm(i + 2) in lexicon.MONTHS and token.kind == _ORD:
            return self.scan_day_from(i, weekday=None, start=i, month_at=i + 2)
        if self.unit_at(i + 1):
            prev = self.norm(i - 1)
            if prev not in lexicon.IN_WORDS and prev not in lexicon.FOR_WORDS:
                # "réserve 3 jours à partir de lundi": a duration without "pour"
                self.emit(Atom(A_FOR, i, i + 2, count=value, unit=self.unit_at(i + 1)))
            return i + 2
        if not 1 <= value <= MAX_DAY_NUMBER:
            return i + 1
        if nxt in lexicon.NUMBERED_NOUNS:
            return i + 1  # "au 2e étage"
        if nxt in lexicon.DESK_NOUNS or self.kind(i + 1) == _TIME:
            return i + 1
        if nxt in lexicon.COUNTED_NOUNS:
            return i + 1
        prev = self.norm(i - 1)
        last = self.atoms[-1] if self.atoms else None
        after_day_list = (
            last is not None
            and last.kind in (A_AND, A_TO, A_UNTIL)
            and last.end == i
            and len(self.atoms) >= 2
            and self.atoms[-2].kind == A_DAY
        )
        after_range_word = (
            last is not None
            and last.end == i
            and last.kind
            in (
                A_START,
                A_UNTIL,
                A_FROM,
            )
        )
        if (
            token.kind == _ORD
            and value > 1
            and token.raw.rstrip(".").lower().endswith(lexicon.ORDINAL_SUFFIXES)
        ):
            return i + 1  # "au 3ème", "le 2e": a floor or a rank; a date is "le 3"
        if (
            token.kind == _ORD
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
            or (self.unit_at(i + 1) and self.to_come_at(i + 2))
            or (self.unit_at(i + 1) and self.norm(i - 1) in lexicon.ENGLISH_NEXT_WORDS)
        )

    def to_come_at(self, i: int) -> bool:
        """ "à venir" at `i` ("les trois semaines à venir")."""
        return all(self.norm(i + k) == word for k, word in enumerate(lexicon.TO_COME))

    def scan_coming(self, i: int, value: int) -> int:
        """The next N weeks from next Monday; the next N days (working days) from tomorrow."""
        nxt = self.norm(i + 1)
        if nxt in lexicon.NEXT_WORDS:
            end, unit = i + 3, self.unit_at(i + 2)
        elif self.to_come_at(i + 2):
            end, unit = i + 4, self.unit_at(i + 1)
        else:
            end, unit = i + 2, self.unit_at(i + 1)
        if unit == 7:
            self.emit(Atom(A_WEEK, i, end, mod="next", count=min(value, 52)))
        else:
            self.emit(Atom(A_REL, i, i + 1, offset=1))
            self.emit(Atom(A_FOR, i + 1, end, count=min(value, 400), unit=1))
        return end

    def listed_before_month(self, i: int) -> bool:
        """ "3 et 4 déc", "3-5 décembre", "1, 2, 3 déc": day numbers leading to a month."""
        j = i
        while (
            self.kind(j) in (_NUM, _ORD)
            and self.norm(j + 1) in lexicon.DAY_LIST_LINKS
            and self.kind(j + 2) in (_NUM, _ORD)
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
                A_DAY,
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
        if self.kind(k) == _NUM and self.tokens[k].value:
            value = self.tokens[k].value[0]  # type: ignore[index]  # num tokens have one
            if 2000 <= value <= 2199 and len(self.tokens[k].raw) == 4:
                return value, k + 1
        return None, j

    def emit_day_token(self, i: int, *, weekday: int | None, start: int) -> int:
        token = self.tokens[i]
        day, month, year = token.value or (0, 0, 0)
        self.emit(
            Atom(
                A_DAY,
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
        if self.kind(j) in (_NUM, _ORD) and self.day_number(j) and not self.unit_at(j + 1):
            token = self.tokens[j]
            day = token.value[0] if token.value else 0
            year, end = self.year_at(j + 1)
            chunk = self.text[self.tokens[i].start : self.tokens[end - 1].end] if year else ""
            self.emit(
                Atom(
                    A_DAY,
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
        self.emit(Atom(A_MONTH, i, end, month=month, year=year))
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
        self.emit(Atom(A_DAY, i, end, day=day, month=month, year=year))
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
        elif self.norm(j) in lexicon.NEXT_MONTH_PHRASES:
            month, end = -1, j + 1
        self.emit(Atom(A_NTH, i, end, nth=nth, weekday=weekday, month=month, year=year))
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
                A_DAY,
                A_REL,
                A_WD,
            ):
                anchor = self.atoms.pop()
                if len(self.atoms) > before:  # a "gap" inserted before the anchor
                    self.atoms.pop()
                self.emit(Atom(A_WEEK, i, end, mod="of", anchor=anchor))
                return end
            return i + 1
        number = self.tokens[j].value if self.kind(j) == _NUM else None
        if number and 1 <= number[0] <= 53:
            prev = self.norm(i - 1)
            if prev not in lexicon.IN_WORDS and prev not in lexicon.FOR_WORDS:
                self.emit(Atom(A_WEEK, i, j + 1, mod="iso", count=number[0]))
                return j + 1
        if self.norm(j) in lexicon.NEXT_WORDS:
            self.emit(Atom(A_WEEK, i, j + 1, mod="next"))
            return j + 1
        if (
            self.norm(j) in lexicon.LAST_FEMININE_WORDS
            or self.norm(i - 1) in lexicon.ENGLISH_LAST_WORDS
        ):
            # "la semaine dernière", "last week": past, asked about
            monday = "last"
            self.emit(
                Atom(
                    A_WEEK,
                    i,
                    j + 1 if self.norm(j) in lexicon.LAST_FEMININE_WORDS else j,
                    mod=monday,
                )
            )
            return j + 1 if self.norm(j) in lexicon.LAST_FEMININE_WORDS else j
        if self.norm(i) in lexicon.WEEK_WORDS and self.norm(i - 1) in lexicon.THE_FEMININE_WORDS:
            self.emit(Atom(A_WEEK, i, i + 1, mod="this"))  # "récap de la semaine"
        return i + 1
