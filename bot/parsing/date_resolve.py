"""Date expressions, second pass: atoms to dates (see `bot.parsing.dates`).

`Combiner` reads ranges, lists, week qualifiers and recurrences from the atoms of
`bot.parsing.date_atoms`, and resolves them against today.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import pairwise

from bot.parsing import lexicon
from bot.parsing.absolute import parse_absolute
from bot.parsing.date_atoms import (
    A_AND,
    A_DAY,
    A_EVERY,
    A_EVERYDAY,
    A_EXCEPT,
    A_FOR,
    A_FROM,
    A_GAP,
    A_MONTH,
    A_NTH,
    A_QUALIFIER,
    A_REL,
    A_START,
    A_TO,
    A_UNTIL,
    A_WD,
    A_WEEK,
    A_WEEKEND,
    DATE_KINDS,
    MAX_DAY_NUMBER,
    Atom,
    AtomKind,
    DateProblem,
    drop_set_aside,
)
from bot.parsing.text import Token

log = logging.getLogger("bot.parsing.dates")

WORKDAYS = frozenset(range(5))
# dateparser costs ~0.4 ms a chunk: past this many in one message, the grammar's own reading
# of day/month/year is used (a command names a handful of dates, not hundreds).
MAX_ABSOLUTE_READS = 8
_BOUND_CONNECTORS = frozenset({A_UNTIL, A_TO, A_FROM, A_START})


def add_years(day: date, years: int) -> date:
    """The same day `years` later (28 February for a 29 February that does not exist)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- Pass 2: atoms -> dates ---------------------------------------------------------------------


# Weekday modifiers that place a weekday in a given week ("mardi prochain", "mardi en huit").
_WEEK_PLACING_MODS = frozenset({"next", "enhuit", "enquinze"})
# Atoms that name a whole week or month ("toute la semaine sauf lundi" on a Wednesday).
_PERIOD_KINDS = frozenset({A_WEEK, A_QUALIFIER, A_MONTH})
# Atoms that name one day when they are the only one (`Combiner.resolve`'s shortcut).
_LONE_KINDS = frozenset({A_REL, A_WD, A_DAY, A_NTH})
# Links that join nothing when no other date stands on their side of the one date named.
_LOOSE_LINKS = frozenset({A_TO, A_AND, A_GAP})
# How many months ahead a weekday with a day number and no month may fall ("lundi 30").
MAX_WEEKDAY_MONTHS = 2


class Combiner:
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
        lone = _lone_atom(self.atoms)
        if lone is not None:
            # One day named ("demain", "à Metz mardi", "le 3 décembre", most messages): what
            # the shaping steps below come to for a lone atom, without them.
            day = self.resolve_date(lone, None)
            return [day], day
        cut = next((k for k, a in enumerate(self.atoms) if a.kind == A_EXCEPT), None)
        if cut is None:
            return self.resolve_part(self.atoms)
        included, excluded = self.atoms[:cut], self.atoms[cut + 1 :]
        if not any(a.kind in (A_WEEK, A_MONTH) for a in included):
            # "tous les jours sauf mercredi la semaine prochaine": the week bounds both parts
            periods = [a for a in excluded if a.kind in (A_WEEK, A_MONTH)]
            if periods and any(a.kind in DATE_KINDS for a in excluded if a not in periods):
                included = included + periods
                excluded = [a for a in excluded if a not in periods]
        # A bare weekday set aside is every such day of what was named ("du 7 au 11 décembre
        # sauf mercredi"), not the next one, which may lie outside it.
        weekdays = {a.weekday for a in excluded if _is_bare_weekday(a)}
        excluded = [a for a in excluded if not _is_bare_weekday(a)]
        dates, first = self.resolve_part(included)
        weeks = [a for a in included if a.kind in (A_WEEK, A_QUALIFIER)]
        if weeks and not any(a.kind == A_WEEK for a in excluded):
            monday = self.week_monday(weeks[0])
            for atom in excluded:
                if atom.kind == A_WD and atom.in_week is None:
                    atom.in_week = monday
        recurrence = self.recurrence
        removed = set(self.resolve_part(excluded)[0]) if excluded else set()
        self.recurrence = recurrence
        kept = [d for d in dates if d not in removed and d.weekday() not in weekdays]
        whole_period = any(a.kind in _PERIOD_KINDS for a in included)  # holds every weekday
        if (
            (removed or (weekdays and not whole_period))
            and len(dates) > 1
            and len(kept) == len(dates)
        ):
            # "du 3 au 7 sauf mercredi" with no Wednesday in it: the user means other days
            # (one day "au lieu de" another sets nothing of it aside: "mardi au lieu de mercredi")
            raise DateProblem("vague_date", text=self.span_text())
        return kept, (kept[0] if kept else None) if first not in kept else first

    def resolve_part(self, atoms: list[Atom]) -> tuple[list[date], date | None]:
        atoms = drop_set_aside(atoms)
        for k, atom in enumerate(atoms[:-1]):
            nxt = atoms[k + 1]
            if (
                atom.kind == A_WD
                and nxt.kind == A_REL
                and nxt.mod == "in"
                and (nxt.start == atom.end)
            ):  # "mardi dans 15 jours": the Tuesday of the week 15 days ahead
                atom.in_week = monday_of(self.today + timedelta(days=nxt.offset))
                atoms[k + 1] = self.retyped(nxt, A_GAP)
        atoms = [a for a in atoms if a.kind != A_GAP or a.end > a.start]
        self.atoms = atoms
        self.propagate_months()
        self.apply_week_qualifier()
        self.share_weekday_week()
        self.order_weekday_list()
        if any(a.kind == A_EVERYDAY or (a.kind in (A_WD, A_WEEKEND) and a.plural) for a in atoms):
            self.recurrence = True
            dates = self.resolve_recurrence()
            return dates, (dates[0] if dates else None)
        return self.resolve_sequence()

    def propagate_months(self) -> None:
        """ "les 1er, 2 et 4 décembre", "du vendredi 4 au mardi 8 décembre": a shared month."""
        carry: tuple[int, int | None] | None = None
        for atom in reversed(self.atoms):
            if atom.kind == A_DAY:
                if atom.month is not None:
                    carry = (atom.month, atom.year)
                elif carry is not None:
                    atom.month, atom.year = carry
            elif atom.kind not in (
                A_AND,
                A_TO,
                A_UNTIL,
                A_START,
                A_FROM,
            ):
                carry = None

    def apply_week_qualifier(self) -> None:
        """ "mardi de la semaine prochaine": weekdays are read inside the named week."""
        weeks = [a for a in self.atoms if a.kind == A_WEEK]
        weekdays = [a for a in self.atoms if a.kind == A_WD and a.mod in (None, "this", "next")]
        if not weeks or not weekdays:
            return
        week = weeks[0]
        at = self.atoms.index(week)
        if at and self.atoms[at - 1].kind == A_AND:
            return  # "jeudi et la semaine prochaine": a day and a week, listed
        monday = self.week_monday(week)
        for atom in weekdays:
            atom.in_week = monday
        self.atoms = [self.retyped(a, A_QUALIFIER) if a is week else a for a in self.atoms]

    def share_weekday_week(self) -> None:
        """ "mardi prochain et mercredi", "jeudi en huit, vendredi": a bare weekday listed after
        a weekday placed in a week ("prochain", "en huit") is read in that same week, when
        that day is not already past."""
        week: date | None = None
        for k, atom in enumerate(self.atoms):
            if atom.kind != A_WD or atom.plural:
                if atom.kind not in (A_AND,):
                    week = None
                continue
            if atom.mod in _WEEK_PLACING_MODS and atom.in_week is None:
                week = monday_of(self.resolve_weekday(atom, None))
            elif (
                week is not None
                and atom.mod is None
                and atom.in_week is None
                and k
                and self.atoms[k - 1].kind == A_AND
                and week + timedelta(days=atom.weekday or 0) >= self.today
            ):
                atom.in_week = week
            else:
                week = None

    def order_weekday_list(self) -> None:
        """ "lundi et mardi" said on a Monday, "mardi et jeudi" said on a Wednesday: bare
        weekdays listed in the order of the week are read in that order, in the week of the
        first one (next Monday and the Tuesday after it), not each on its own (tomorrow, then
        next Monday), which would give the days out of the order they were written in."""
        atoms = self.atoms
        k = 0
        while k < len(atoms):
            run = [atoms[k]]
            j = k + 1
            while j + 1 < len(atoms) and atoms[j].kind == A_AND and atoms[j + 1].kind == A_WD:
                run.append(atoms[j + 1])
                j += 2
            k = j if len(run) > 1 else k + 1
            # "lundi et mardi prochains": the distributive "prochains" is read on the last one
            if len(run) < 2 or not all(
                a.kind == A_WD
                and (a.mod is None or (a is run[-1] and a.mod == "next"))
                and not a.plural
                and a.in_week is None
                for a in run
            ):
                continue
            weekdays = [a.weekday or 0 for a in run]
            if any(x >= y for x, y in pairwise(weekdays)):
                continue  # not written in the order of the week
            alone = [self.resolve_weekday(a, None) for a in run]
            if all(x < y for x, y in pairwise(alone)):
                continue  # already in order
            monday = monday_of(alone[0])
            for atom in run:
                atom.in_week = monday

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
            if atom.kind == A_EVERYDAY:
                weekdays.update(WORKDAYS)
            elif atom.kind == A_WEEKEND and atom.plural:
                weekdays.update((5, 6))
            elif atom.kind == A_WD and (atom.plural or prev not in _BOUND_CONNECTORS):
                # singular weekdays listed with plural ones join them ("tous les lundis et mardi")
                weekdays.add(atom.weekday or 0)
            elif atom.kind == A_MONTH:
                first, last = self.month_bounds(atom)
                if prev in (A_UNTIL, A_TO):  # "jusqu'à fin décembre"
                    end, bounded_end = last, True
                elif prev == A_FROM:  # "à partir de décembre"
                    start = max(first, self.today)
                else:  # "en décembre", "de décembre"
                    start, end, bounded_end = max(first, self.today), last, True
            elif atom.kind in (A_WEEK, A_QUALIFIER):
                monday = self.week_monday(atom)
                start, end, bounded_end = max(monday, self.today), monday + timedelta(6), True
            elif atom.kind in DATE_KINDS and prev in (A_UNTIL, A_TO):
                end, bounded_end = self.resolve_end(atom, start), True
            elif atom.kind in DATE_KINDS and prev in (A_FROM, A_START):
                start = max(self.resolve_start(atom), self.today)
        for atom in atoms:
            if atom.kind == A_FOR and atom.mod == "week":
                end, bounded_end = monday_of(start) + timedelta(days=6), True
            elif atom.kind == A_FOR:
                end, bounded_end = start + timedelta(days=atom.count * atom.unit - 1), True
        if not bounded_end:
            end = max(end, start + timedelta(days=self.horizon_days - 1))
            end = min(end, self.today + timedelta(days=self.horizon_days - 1))
        if end < start:
            raise DateProblem("bad_range", text=self.span_text())
        if not weekdays:
            weekdays = set(WORKDAYS)
        days = [d for d in _days(start, end) if d.weekday() in weekdays]
        if days and any(a.kind == A_WD and a.plural and a.count == 2 for a in atoms):
            # "un mardi sur deux", "every other Tuesday": from the first one, a week in two
            first = monday_of(days[0])
            days = [d for d in days if (monday_of(d) - first).days // 7 % 2 == 0]
        return days

    # -- ranges and lists

    def resolve_sequence(self) -> tuple[list[date], date | None]:
        atoms = [a for a in self.atoms if a.kind != A_EVERY]
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
            if kind in (A_START, A_FROM) and is_date(k + 1):
                x = atoms[k + 1]
                follow = atoms[k + 2].kind if k + 2 < n else ""
                between = self.tokens[atom.start].norm in lexicon.BETWEEN_WORDS
                if is_date(k + 3) and (follow in (A_TO, A_UNTIL) or (follow == A_AND and between)):
                    add(self.expand_range(x, atoms[k + 3]))
                    k += 4
                    continue
                if kind == A_FROM or follow == A_FOR:
                    start = self.resolve_start(x)
                    if follow == A_FOR:
                        add(self.expand_for(start, atoms[k + 2]))
                        k += 3
                        continue
                    add([start] if x.kind in (A_REL, A_WD, A_DAY, A_NTH) else self.expand(x))
                    k += 2
                    continue
                k += 1
                continue
            if kind in DATE_KINDS:
                follow = atoms[k + 1].kind if k + 1 < n else ""
                if follow in (A_TO, A_UNTIL) and is_date(k + 2):
                    add(self.expand_range(atom, atoms[k + 2]))
                    k += 3
                    continue
                if follow == A_FOR:
                    add(self.expand_for(self.resolve_start(atom), atoms[k + 1]))
                    k += 2
                    continue
                add(self.expand(atom))
                k += 1
                continue
            if kind == A_UNTIL and is_date(k + 1):
                # "jusqu'à vendredi": from today
                end = self.resolve_end(atoms[k + 1], self.today)
                add(_workdays(self.today, end))
                k += 2
                continue
            if kind == A_FOR and k + 2 < n and atoms[k + 1].kind == A_FROM and is_date(k + 2):
                # "pour 3 jours à partir de lundi"
                add(self.expand_for(self.resolve_start(atoms[k + 2]), atom))
                k += 3
                continue
            k += 1
        return dates, first

    def check_counted_days(self, atoms: list[Atom]) -> None:
        """ "2 jours la semaine prochaine", "3 days in December": some days of a period, but
        which ones? Asked about ("à partir de lundi pour 3 jours" has its start)."""
        if any(a.kind == A_FROM for a in atoms):
            return
        for k, atom in enumerate(atoms):
            if atom.kind != A_FOR or atom.unit != 1 or atom.mod == "week":
                continue
            near = [atoms[j] for j in (k - 1, k + 1) if 0 <= j < len(atoms)]
            if any(a.kind in (A_WEEK, A_MONTH) for a in near):
                raise DateProblem("vague_date", text=self.span_text())

    def expand(self, atom: Atom) -> list[date]:
        """The dates of one atom on its own (a single date, or a week/month of workdays)."""
        if atom.kind == A_WEEKEND:
            saturday = self.weekend_saturday(atom)
            return [d for d in (saturday, saturday + timedelta(1)) if d >= self.today]
        if atom.kind in (A_WEEK, A_QUALIFIER):
            first, last = self.week_bounds(atom)
            days = [d for d in _workdays(first, last) if d >= self.today]
            if not days and atom.part is not None:  # "en début de semaine" on a Wednesday
                raise DateProblem("past_date", text=self.span_text(atom), day=first.isoformat())
            return days
        if atom.kind == A_MONTH:
            first, last = self.month_bounds(atom)
            return [d for d in _workdays(first, last) if d >= self.today]
        return [self.resolve_start(atom)]

    def expand_range(self, start_atom: Atom, end_atom: Atom) -> list[date]:
        start = self.resolve_start(start_atom)
        end = self.resolve_end(end_atom, start)
        if end < start:
            raise DateProblem("bad_range", text=self.span_text())
        if start < self.today and start_atom.kind not in (
            A_WEEK,
            A_QUALIFIER,
            A_MONTH,
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
        if atom.kind == A_WEEKEND:
            return max(self.weekend_saturday(atom), self.today)
        if atom.kind in (A_WEEK, A_QUALIFIER):
            return max(self.week_bounds(atom)[0], self.today)
        if atom.kind == A_MONTH:
            return max(self.month_bounds(atom)[0], self.today)
        return self.resolve_date(atom, None)

    def resolve_end(self, atom: Atom, after: date) -> date:
        if atom.kind == A_WEEKEND:
            return self.weekend_saturday(atom) + timedelta(days=1)
        if atom.kind in (A_WEEK, A_QUALIFIER):
            return self.week_bounds(atom)[1]
        if atom.kind == A_MONTH:
            return self.month_bounds(atom)[1]
        return self.resolve_date(atom, after)

    def resolve_date(self, atom: Atom, after: date | None) -> date:
        today = self.today
        if atom.kind == A_REL and atom.mod == "months":
            year, month = today.year, today.month
            for _ in range(min(atom.count, 24)):
                year, month = _next_month(year, month)
            return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
        if atom.kind == A_REL:
            day = today + timedelta(days=atom.offset)
            if day < today:
                raise DateProblem("past_date", text=self.span_text(atom), day=day.isoformat())
            return day
        if atom.kind == A_WD:
            return self.resolve_weekday(atom, after)
        if atom.kind == A_DAY:
            return self.resolve_day(atom, after)
        if atom.kind == A_NTH:
            return self.resolve_nth(atom)
        if atom.kind == A_EVERYDAY:
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
        # A day number alone: the next such date (today included), with its weekday if given:
        # this month's or the next one's ("lundi 3" in late November is no Monday 3 May).
        first_seen: date | None = None
        seen = 0
        year_, month_ = lower.year, lower.month
        for _ in range(14):
            candidate = _date_or_none(year_, month_, day_number)
            if candidate is not None and candidate >= lower:
                if candidate > max(limit, lower + timedelta(days=62)):
                    break
                seen += 1
                if atom.weekday is not None and seen > MAX_WEEKDAY_MONTHS:
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


def _is_bare_weekday(atom: Atom) -> bool:
    """ "mercredi", "les mercredis": a weekday placed in no week by itself."""
    return atom.kind == A_WD and atom.in_week is None and (atom.mod is None or atom.plural)


def _lone_atom(atoms: list[Atom]) -> Atom | None:
    """The one date atom of `atoms` when the others are only loose links around it ("à" before
    a site, "et" after the date), which no step of the resolution reads: "réserve à Metz mardi"."""
    start, end = 0, len(atoms)
    while start < end and atoms[start].kind in _LOOSE_LINKS:
        start += 1
    while end > start and atoms[end - 1].kind in _LOOSE_LINKS:
        end -= 1
    if end - start != 1:
        return None
    atom = atoms[start]
    return atom if atom.kind in _LONE_KINDS and not atom.plural else None
