"""What the parser returns: the intent, its fields, and a typed error that says what to ask.

Error codes (`ParseError.code`) and their parameters:

- `invalid_date` (text): a date that does not exist ("31 novembre", "29/02/2027").
- `past_date` (text, day): a date before today ("hier", "lundi dernier", "le 20 novembre" two
  days later: a day and month without a year mean the nearest such date, and a past one is asked
  about rather than moved to next year).
- `date_mismatch` (text, day?): a weekday that contradicts the day number with no date
  satisfying both this month or the next ("lundi 3" in late November: the next Monday 3rd is
  in May), or within a year when the month is given; `day` is the next date with that day
  number.
- `beyond_horizon` (text, day, limit): a date more than a year ahead.
- `bad_range` (text): a range that ends before it starts ("du 8 au 4 décembre").
- `ambiguous_date` (text; suggestions = the alternatives as written): a choice left open
  ("mardi ou mercredi") in a command that acts (reserve, cancel, status, open, close); who,
  free and list read all the alternatives instead.
- `vague_date` (text): a period people do not all read the same way ("début décembre",
  "mi-décembre", "fin du mois", "en milieu de semaine", "pour Noël"). "En début de semaine" is
  Monday–Tuesday and "en fin de semaine" Thursday–Friday, not errors.
- `ambiguous_slot`: "une demi-journée" without saying which half (morning or afternoon).
- `unknown_site` (name; suggestions = closest known names, best first).
- `ambiguous_site` (name; suggestions = the candidates).
- `multiple_sites` (suggestions = the sites named, in order): a command naming several sites
  ("Metz lundi et Lille mardi"), which is asked about rather than one being dropped. A site
  set aside in the same sentence ("pas à Metz", "au lieu de Metz") does not count, and an
  unknown place is ignored when a known site is also named ("réserve au calme à Metz").
- `missing_site`: set_site/follow/unfollow/appoint without a site.
- `multiple_commands`: the text asks for two changes at once ("annule demain et réserve
  jeudi", "télétravail lundi et Metz mardi"; the intent is then `unknown`), to move a booking
  ("déplace ma résa de mardi à mercredi": a cancel and a booking; `unknown` too), or for a
  different part of the day on different dates ("mardi matin et jeudi aprem": the intent is
  kept). Asked to send them one at a time.
- `other_person` (name: the person or Matrix id as written): a reserve, cancel, list or status
  sentence about someone else ("annule la résa de Bob", "book a desk for @paul:x.fr", "mets
  Paul en télétravail"). The parser does not know the sender, so any Matrix id counts; the bot
  only acts on the sender's own bookings. "Je viens avec Paul" is the sender's.
- `several_desks` (count): a booking of more than one desk ("réserve 2 places", "un bureau
  pour 3 personnes"); the bot books one desk per person, for the sender only.
- `not_understood`: the intent is `unknown` (the text is empty or matches no command).

Parameters are JSON-friendly (strings; dates in ISO form) and rendered by `message()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from bot.i18n import N_, Translator
from storage.domain import DigestAction, Intent, Slot, StatusKind, UserId

__all__ = ["DigestAction", "Intent", "KnownSite", "ParseError", "ParsedCommand", "Slot"]


@dataclass(frozen=True)
class KnownSite:
    """A site the user may name: its canonical name and other names it goes by."""

    name: str
    aliases: tuple[str, ...] = ()


# English message ids (extracted with N_), French in locales/fr.
_MESSAGES: dict[str, str] = {
    "invalid_date": N_("“{text}” is not a valid date. Which day did you mean?"),
    "past_date": N_("{day} is already past. Which day did you mean?"),
    "date_mismatch": N_(
        "“{text}”: the weekday does not match the date (the next one is {day})."
        " Which date did you mean?"
    ),
    "date_mismatch_nodate": N_(
        "“{text}”: the weekday does not match the date within the coming year."
        " Which date did you mean?"
    ),
    "beyond_horizon": N_(
        "{day} is more than a year away: I can only plan up to {limit}. Which day did you mean?"
    ),
    "bad_range": N_("The period “{text}” ends before it starts. Which days did you mean?"),
    "ambiguous_date": N_("Which one do you want: {choices}?"),
    "vague_date": N_("“{text}”: which days exactly do you mean?"),
    "ambiguous_slot": N_("Which half-day do you mean: the morning or the afternoon?"),
    "unknown_site": N_("I do not know the site “{name}”. Did you mean {choices}?"),
    "unknown_site_nochoice": N_("I do not know the site “{name}”. Which site did you mean?"),
    "ambiguous_site": N_("“{name}” could be several sites: {choices}. Which one did you mean?"),
    "missing_site": N_("Which site do you mean?"),
    "multiple_sites": N_(
        "One site at a time, please: which one do you mean, {choices}?"
        " For several sites, send one message per site."
    ),
    "multiple_commands": N_(
        "One request at a time, please: send each one in its own message (one per half-day"
        " when the days differ)."
    ),
    "other_person": N_(
        "I only handle your own bookings: ask {name} to write to me (a site manager can close"
        " a site; nobody can cancel someone else's booking)."
    ),
    "not_understood": N_("Sorry, I did not understand. Write “help” to see what I can do."),
    "several_desks": N_(
        "I book one desk per person, for the person who asks: I booked nothing. Each colleague"
        " can write to me (“book a desk in Metz on Friday”), or book one desk for yourself."
    ),
    "not_a_desk": N_(
        "I only book desks: I cannot book “{name}”. For a desk, say for example “book a desk"
        " in Metz tomorrow”."
    ),
    "cannot_notify": N_(
        "I cannot tell you yet when a desk frees up. Ask me “free desks in Metz on Tuesday”"
        " to see what is free now."
    ),
    "nothing_asked": N_("All right, I am not booking anything."),
}
_OR = N_("or")


@dataclass(frozen=True)
class ParseError:
    """Why the text cannot be acted upon as it is, with what to suggest to the user."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    suggestions: tuple[str, ...] = ()

    def message(self, locale: str = "fr") -> str:
        """A polite sentence for the user, in `locale` ("fr" or "en")."""
        tr = Translator(locale)
        params = {key: _render(tr, key, value) for key, value in self.params.items()}
        msgid = _MESSAGES.get(self.code, _MESSAGES["not_understood"])
        if self.code == "unknown_site" and not self.suggestions:
            msgid = _MESSAGES["unknown_site_nochoice"]
        if self.code == "date_mismatch" and "day" not in params:
            msgid = _MESSAGES["date_mismatch_nodate"]
        if self.code in ("unknown_site", "ambiguous_site", "multiple_sites", "ambiguous_date"):
            params["choices"] = _choices(tr, self.suggestions)
        if self.code == "other_person":
            params["name"] = _addressed(params.get("name", ""), tr.locale)
        params.setdefault("name", "")
        params.setdefault("text", "")
        try:
            sentence = tr.gettext(msgid, **params)
        except (KeyError, IndexError, ValueError):  # a translation missing a placeholder
            sentence = tr.gettext(msgid)
        return sentence[:1].upper() + sentence[1:]

    def to_json(self, locale: str = "fr") -> dict[str, Any]:
        """The contract's error object: code, message, suggestions."""
        return {
            "code": self.code,
            "message": self.message(locale),
            "suggestions": list(self.suggestions),
        }


def _render(tr: Translator, key: str, value: Any) -> str:
    if key in ("day", "limit") and isinstance(value, str):
        try:
            return tr.day_with_year(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


_YOUR = {"fr": {"mon": "votre", "ma": "votre", "mes": "vos"}, "en": {"my": "your"}}


def _addressed(name: str, locale: str) -> str:
    """ "mon collègue" as the bot says it to the user: "votre collègue"."""
    if locale == "fr" and name.casefold() in ("lui", "elle", "eux", "elles"):
        return "cette personne" if name.casefold() in ("lui", "elle") else "ces personnes"
    head, _, rest = name.partition(" ")
    your = _YOUR.get(locale, {}).get(head.casefold())
    return f"{your} {rest}" if your and rest else name


def _choices(tr: Translator, names: tuple[str, ...]) -> str:
    quoted = [f"« {n} »" if tr.locale == "fr" else f"“{n}”" for n in names]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + f" {tr.gettext(_OR)} " + quoted[-1]


@dataclass(frozen=True)
class ParsedCommand:
    """A command understood from one message (see the module docstring for the error codes).

    For `open` with desk labels, `desks` holds the labels and `desk` holds them joined by ", "
    (the JSON contract has only "desk"); `count` is then null. The contract's one "text" key
    is four fields here, one per meaning: `announcement` (announce), `appointee` (appoint),
    `locale` (set_locale) and `reason` (close, after a colon: "ferme Metz vendredi : travaux").
    """

    intent: Intent
    site: str | None = None
    desk: str | None = None
    desks: tuple[str, ...] = ()
    dates: tuple[date, ...] = ()
    slot: Slot | None = None
    status: StatusKind | None = None
    count: int | None = None
    action: DigestAction | None = None
    time: str | None = None
    announcement: str | None = None
    appointee: UserId | None = None
    locale: str | None = None
    reason: str | None = None
    error: ParseError | None = None
    lang: str = "fr"
    # Closed world (issue 10): the words no rule read, and the same as phrases to quote back.
    unknown: tuple[str, ...] = ()
    unknown_phrases: tuple[str, ...] = ()
    person: str | None = None  # "où est Marc jeudi ?": the person as written
    ref: str | None = None  # "also" | "instead" | "week_after": refers to the last change
    to_dates: tuple[date, ...] = ()  # a move's new day
    asks: bool = False  # the sentence is a question (it never acts)
    features: tuple[str, ...] = ()  # desk features or zones asked for ("double ecran", "2 etage")
    usual: bool = False  # "mon bureau habituel", "comme d'habitude"
    near: str | None = None  # "près de Karim" (as written), "près de mon équipe" ("@team")
    every: bool = False  # "annule tout", "cancel all my bookings": every upcoming one

    @property
    def text(self) -> str | None:
        """The JSON contract's "text": whichever of the four text fields the intent takes."""
        return self.announcement or self.appointee or self.locale or self.reason

    def to_json(self, locale: str = "fr") -> dict[str, Any]:
        """Exactly the command-line contract's keys; the error message is in `locale`."""
        return {
            "intent": str(self.intent),
            "site": self.site,
            "desk": self.desk,
            "dates": [d.isoformat() for d in self.dates],
            "slot": None if self.slot is None else str(self.slot),
            "status": None if self.status is None else str(self.status),
            "count": self.count,
            "action": None if self.action is None else str(self.action),
            "time": self.time,
            "text": self.text,
            "error": self.error.to_json(locale) if self.error else None,
            "unknown": list(self.unknown),
            "person": self.person,
        }


_COMMAND_FIELDS = frozenset(f.name for f in fields(ParsedCommand))
_COMMAND_DEFAULTS = {f.name: f.default for f in fields(ParsedCommand) if f.name != "intent"}


def built(intent: Intent, /, **values: Any) -> ParsedCommand:
    """`ParsedCommand(intent, **values)` without the frozen `__init__` (one `object.__setattr__`
    per field, 26 of them: about 2 µs, once per message on the parser's hot path)."""
    wrong = values.keys() - _COMMAND_FIELDS
    if wrong:
        raise TypeError(f"ParsedCommand has no field {', '.join(sorted(wrong))}")
    new = object.__new__(ParsedCommand)
    attributes = new.__dict__
    attributes.update(_COMMAND_DEFAULTS)
    attributes["intent"] = intent
    attributes.update(values)
    return new


def revised(command: ParsedCommand, /, **changes: Any) -> ParsedCommand:
    """`dataclasses.replace` for a `ParsedCommand`, about seven times faster (it is on the
    parser's hot path, several times per message): the fields are copied rather than passed
    through the frozen `__init__`, which does nothing else (no `__post_init__`, no factory).
    An unknown field name is still a `TypeError`."""
    wrong = changes.keys() - _COMMAND_FIELDS
    if wrong:
        raise TypeError(f"ParsedCommand has no field {', '.join(sorted(wrong))}")
    new = object.__new__(type(command))
    values = new.__dict__
    values.update(command.__dict__)
    values.update(changes)
    return new
