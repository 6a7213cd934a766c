"""Date expressions: a small grammar over normalised tokens, resolved against today.

Two passes. `Scanner` turns tokens into atoms: relative days ("demain", "dans 3 jours"),
weekdays with their modifiers ("ce mardi", "mardi prochain", "mardi en huit", "lundi 7"), day
numbers ("le 3", "3 déc.", "03/12/2026", "1er"), "the nth weekday of a month", weeks, months,
and the connectors between them ("du … au", "et", "jusqu'au", "à partir de", "pour 3 jours",
"tous les"). `Combiner` then reads ranges, lists, week qualifiers ("de mardi à vendredi la
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

The first pass is `bot.parsing.date_atoms`, the second `bot.parsing.date_resolve`; this module
joins them and keeps the public names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.parsing.date_atoms import (
    A_AND,
    A_GAP,
    A_OR,
    DATE_KINDS,
    Atom,
    DateProblem,
    Scanner,
    date_near,
    drop_set_aside,
)
from bot.parsing.date_resolve import Combiner, add_years, monday_of
from bot.parsing.text import Token

__all__ = ["DateProblem", "DateResult", "add_years", "find_dates", "monday_of"]


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


def find_dates(
    tokens: list[Token], text: str, now: datetime, *, horizon_days: int = 56, lang: str = "fr"
) -> DateResult:
    """Resolve the date expressions of `tokens` against `now` (a local Europe/Paris time).

    Raises `DateProblem` for an impossible, past, contradictory or too distant date.
    """
    atoms = Scanner(tokens, text, lang).scan()
    if not any(a.kind in DATE_KINDS for a in atoms):
        return DateResult()
    combiner = Combiner(atoms, tokens, text, now, horizon_days, lang)
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
    spans = [(a.start, a.end) for a in atoms if a.kind != A_GAP]
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
    if not any(a.kind == A_OR for a in atoms):
        return ()  # no "ou" among the date words (most messages)
    atoms = drop_set_aside(atoms)
    ors = [
        k
        for k, a in enumerate(atoms)
        if a.kind == A_OR and date_near(atoms, k, -1) and date_near(atoms, k, 1)
    ]
    if not ors:
        return ()
    groups: list[list[Atom]] = [[]]
    for k, atom in enumerate(atoms):
        if k in ors:
            groups.append([])
        elif atom.kind != A_GAP:
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


def _is_comma(atom: Atom, tokens: list[Token]) -> bool:
    return atom.kind == A_AND and tokens[atom.start].norm == ","
