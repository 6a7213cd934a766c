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
- What cannot be acted on as one command is asked about, never guessed: several sites
  (`multiple_sites`), "mardi ou mercredi" (`ambiguous_date`, for commands that act), a vague
  period (`vague_date`), two requests or a move (`multiple_commands`).
- Without a command word, a date or a site makes a booking only when the rest of the sentence
  is about it too ("Metz mardi", not "quel temps fera-t-il demain ?").
"""

from bot.parsing.model import Intent, KnownSite, ParsedCommand, ParseError
from bot.parsing.parser import parse

__all__ = ["Intent", "KnownSite", "ParseError", "ParsedCommand", "parse"]
