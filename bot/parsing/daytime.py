"""Parts of day ("matin", "aprèm", "toute la journée", "9h-12h") and clock times ("8h30")."""

from __future__ import annotations

from bot.parsing import lexicon
from bot.parsing.text import Token, TokenKind
from storage.domain import Slot

# Token kinds as module constants: reading `TokenKind.X` goes through the enum's metaclass
# (about 100 ns a time, and the hot loops read them per token).
_NUM = TokenKind.NUM
_TIME = TokenKind.TIME
_WORD = TokenKind.WORD


NOON = 12
# A range ending by 13:00 is a morning; one starting at noon or later an afternoon.
MORNING_END = 13


def find_slot(tokens: list[Token]) -> Slot | None:
    """ "am", "pm" or "day" when the text names a part of the day, else None."""
    morning = afternoon = whole = False
    set_aside: set[Slot] = set()
    for i, token in enumerate(tokens):
        norm = token.norm
        if token.kind == _WORD:
            if norm in lexicon.MORNING:
                # "am" is English "I am" unless it follows a time or a date word
                if norm == "am" and _prev(tokens, i) in lexicon.I_WORDS:
                    continue
                morning = True
                if _negated(tokens, i):
                    set_aside.add(Slot.AM)
            elif norm in lexicon.AFTERNOON:
                afternoon = True
                if _negated(tokens, i):
                    set_aside.add(Slot.PM)
            elif norm in lexicon.WHOLE_DAY:
                whole = True
    if morning and afternoon and not whole and len(set_aside) == 1:
        # "pas le matin, l'après-midi seulement": the half-day not set aside
        return Slot.PM if Slot.AM in set_aside else Slot.AM
    if not (morning or afternoon or whole):
        hours = _hours_slot(tokens)
        if hours:
            return hours
    if whole or (morning and afternoon):
        return Slot.DAY
    if morning:
        return Slot.AM
    if afternoon:
        return Slot.PM
    return None


def _negated(tokens: list[Token], i: int) -> bool:
    """ "pas le matin", "not in the morning": a part of the day set aside."""
    k = i - 1
    while k >= 0 and tokens[k].norm in lexicon.ARTICLES_OR_IN:
        k -= 1
    return k >= 0 and tokens[k].norm in lexicon.NOT_WORDS


def _prev(tokens: list[Token], i: int) -> str:
    return tokens[i - 1].norm if i > 0 else ""


def _hour(token: Token) -> int | None:
    if token.kind == _TIME and token.value:
        return token.value[0] * 60 + token.value[1]
    if token.kind == _WORD and token.norm in lexicon.NOON:
        return NOON * 60
    return None


def _hours_slot(tokens: list[Token]) -> Slot | None:
    """ "9h-12h" -> am, "de 14h à 18h" -> pm, "à partir de 14h" -> pm, "jusqu'à midi" -> am."""
    for i, token in enumerate(tokens):
        start = _hour(token)
        if start is None:
            continue
        j = i + 1
        if j < len(tokens) and tokens[j].norm in lexicon.TIME_RANGE_LINKS:
            end = _hour(tokens[j + 1]) if j + 1 < len(tokens) else None
            if end is not None and end > start:
                if end <= MORNING_END * 60:
                    return Slot.AM
                if start >= NOON * 60:
                    return Slot.PM
                return Slot.DAY
        prev = _prev(tokens, i)
        if prev in lexicon.BEFORE_WORDS and start <= MORNING_END * 60:
            return Slot.AM
        if start >= NOON * 60 and token.kind == _TIME:
            # "dès 14h", "mardi 14h", "le 3 à 14h": arriving after noon is the afternoon
            return Slot.PM
    return None


def find_time(tokens: list[Token]) -> str | None:
    """The first clock time, as "HH:MM" ("8h30", "8:30", "8am", "à 9 heures", "midi")."""
    for i, token in enumerate(tokens):
        if token.kind == _TIME and token.value:
            return f"{token.value[0]:02d}:{token.value[1]:02d}"
        if token.kind == _NUM and token.value and i + 1 < len(tokens):
            nxt = tokens[i + 1].norm
            if nxt in lexicon.HOUR_WORDS and 0 <= token.value[0] <= 23:
                return f"{token.value[0]:02d}:00"
        if token.kind == _WORD and token.norm in lexicon.NOON:
            return "12:00"
    return None
