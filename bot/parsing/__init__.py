"""French (and English) command understanding: pure functions, no I/O.

    from bot.parsing import parse, KnownSite, ParsedCommand, ParseError, Intent
    command = parse("réserve un bureau à Metz mardi matin", now, [KnownSite("Metz")])

See `bot.parsing.model` for the fields and error codes, `bot.parsing.dates` for the date rules.
Conventions the chat side relies on:

- `dates` is empty when the text names no date: the command decides the default (today for
  "who"/"free"/"digest" preview, ask for "reserve"). A bare "récap" is a preview with no date,
  meaning today.
- `slot` is "day" for reserve/free/status when no part of the day is named; for cancel it is
  null unless named (cancel the whole booking).
- `open` carries only its first date; with desk labels, `desks` holds them and `desk` is them
  joined by ", ".
- `site` is the canonical name of a known site; an unknown or ambiguous place is an error with
  suggestions, except for statuses (a mission may be anywhere).
"""

from bot.parsing.model import Intent, KnownSite, ParsedCommand, ParseError
from bot.parsing.parser import parse

__all__ = ["Intent", "KnownSite", "ParseError", "ParsedCommand", "parse"]
