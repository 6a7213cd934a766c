"""The conversation between parsing and dispatch: understood, remembered, reversible.

One dialogue state per (sender, room), stored in the database (`Storage.end_turn`), so it
survives a restart; it expires after `Settings.dialogue_ttl_s` (10 minutes by default):

- `awaiting`: the command being completed and what it misses ("site", "dates", "slot"), with
  the items offered when the bot asked to choose. A bare answer ("Nantes", "mardi", "l'après-
  midi", "le premier", "les deux", "B-204") completes it; when the bot asked which booking to
  cancel, "mardi" cancels Tuesday's, it never books it.
- `last`: the last change made (the command and what it changed). "et vendredi aussi", "pareil
  lundi", "même chose la semaine d'après" repeat it on other days; "plutôt jeudi", "finalement
  Lille", "non, l'après-midi" replace its day, site or half-day (a move, one transaction);
  "annule ça", "oups", "undo" take it back.

Closed world: a command that changes something and has words no rule read is not carried out:
the bot says what it understood and what it did not, and asks (a stored yes/no question); a
read-only one answers and says what it ignored. The dispatcher only calls `Dialogue.respond`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from bot.commands import BY_INTENT, BY_QUESTION_KIND
from bot.commands.desk_choice import site_of
from bot.commands.outcomes import SENTENCES
from bot.commands.permissions import authorize
from bot.commands.undo import revert
from bot.errors import UserError
from bot.i18n import N_, Translator
from bot.parsing import Intent, KnownSite, ParsedCommand, ParseError, lexicon
from bot.parsing.answers import Answer, parse_answer
from bot.parsing.text import fold_for_matching
from bot.smalltalk import Smalltalk, smalltalk_kind, smalltalk_reply
from storage.domain import DigestAction, Outcome, RoomId, Slot, StatusKind, UserId

if TYPE_CHECKING:
    from bot.commands.base import Context
    from bot.config import Settings
    from bot.replies import ReplyBuilder
    from storage.clock import Clock
    from storage.core import Storage
    from storage.types import PendingQuestion

# The stored yes/no question "I understood …, not « … »: shall I go ahead?".
KIND = "dialogue"
# Commands that change something: never carried out with unknown words left.
ACTING = frozenset(
    {
        Intent.RESERVE,
        Intent.CANCEL,
        Intent.STATUS,
        Intent.OPEN,
        Intent.CLOSE,
        Intent.ANNOUNCE,
        Intent.APPOINT,
        Intent.MOVE,
    }
)
# Changes that "aussi", "plutôt" and "annule ça" refer to.
_REMEMBERED = frozenset({Intent.RESERVE, Intent.CANCEL, Intent.STATUS, Intent.MOVE})
# Questions about places whose site and days a bare "réserve" that follows may take.
_LOOKING = frozenset({Intent.FREE, Intent.WHO})
# Parse errors that a short answer can settle, and what they miss (a table: `fmt: skip` keeps
# its pairs packed, several to a line).
_MISSING_BY_ERROR = {
    "unknown_site": "site", "ambiguous_site": "site", "multiple_sites": "site",
    "missing_site": "site", "ambiguous_date": "dates", "invalid_date": "dates",
    "past_date": "dates", "date_mismatch": "dates", "beyond_horizon": "dates",
    "bad_range": "dates", "vague_date": "dates", "ambiguous_slot": "slot",
}  # fmt: skip
# Errors of a text that is no command at all, said as they are ("je ne veux pas de bureau").
_SAID_AS_IS = frozenset({"nothing_asked"})
_FEW_SITES = 8  # an unknown site with no close name: all the sites are listed up to this many
_MAX_SUGGESTED = 5
_RELATIVE_DAYS = lexicon.TODAY | lexicon.TOMORROW | lexicon.AFTER_TOMORROW
_MAX_PLACE_WORDS = 3  # a bare answer to "which site?" read as a place: "paris balard"
_HELD = ("booked", "moved")  # a change after which the member holds one booking
_NEGATIONS = frozenset({"pas", "plus", "not", "no", "t"})  # "finalement pas jeudi", "not Thursday"
_MANY_DAYS = 20  # more days than this in one command are confirmed first (about a month)
_MAX_LOCKS = 10_000

_SUMMARIES = {
    Intent.RESERVE: N_("book at {site} on {days} ({slot})"),
    Intent.CANCEL: N_("cancel your bookings on {days}"),
    Intent.STATUS: N_("declare {status} on {days}"),
    Intent.MOVE: N_("move your booking of {days} to {new_day}"),
    Intent.OPEN: N_("open desks at {site} on {days}"),
    Intent.CLOSE: N_("close {site} on {days}"),
}
_GO_AHEAD = {
    Intent.RESERVE: N_("Shall I book anyway?"),
    Intent.CANCEL: N_("Shall I cancel anyway?"),
    Intent.MOVE: N_("Shall I move it anyway?"),
}


class Dialogue:
    """Completes, remembers and reverts commands for each (sender, room)."""

    def __init__(self, storage: Storage, settings: Settings, clock: Clock) -> None:
        self.storage = storage
        self.settings = settings
        self.clock = clock
        self._locks: dict[tuple[UserId, RoomId], asyncio.Lock] = {}

    def lock(self, sender: UserId, room: RoomId) -> asyncio.Lock:
        """One lock per (sender, room): two messages arriving together apply one after the
        other, in the order they arrived (asyncio locks are fair)."""
        key = (sender, room)
        found = self._locks.get(key)
        if found is None:
            if len(self._locks) > _MAX_LOCKS:
                for stale in [k for k, v in self._locks.items() if not v.locked()]:
                    del self._locks[stale]
            found = self._locks[key] = asyncio.Lock()
        return found

    async def respond(
        self,
        ctx: Context,
        parsed: ParsedCommand,
        turn: tuple[dict[str, Any] | None, PendingQuestion | None] | None = None,
    ) -> ReplyBuilder:
        """The reply to one message, with the stored state read before and saved after
        (`turn`: the state and pending question already read with the member, `open_turn`)."""
        sender, room = ctx.message.sender, ctx.message.room_id
        stored, pending = turn if turn is not None else await self.storage.begin_turn(sender, room)
        state: dict[str, Any] = dict(stored or {})
        self._forget_old_change(state)
        try:
            return await self._respond(ctx, parsed, state, pending)
        finally:
            # The state (saved, or forgotten when empty) and the question asked, if any, in one
            # write; nothing to write when neither changed.
            changed = state if state != (stored or {}) else None
            expires = self.clock.now() + timedelta(seconds=self.settings.dialogue_ttl_s)
            await self.storage.end_turn(sender, room, changed, expires, ctx.question)

    def _forget_old_change(self, state: dict[str, Any]) -> None:
        """The last change is referred to ("aussi", "plutôt", "annule ça") for
        `dialogue_ttl_s` after it was made, even when later turns kept the state alive."""
        made = (state.get("last") or {}).get("at")
        if made is None:
            return
        age = self.clock.now() - datetime.fromisoformat(made)
        if age > timedelta(seconds=self.settings.dialogue_ttl_s):
            state.pop("last", None)

    async def _respond(
        self,
        ctx: Context,
        parsed: ParsedCommand,
        state: dict[str, Any],
        pending: PendingQuestion | None,
    ) -> ReplyBuilder:
        intent = parsed.intent
        if intent in (Intent.CONFIRM, Intent.DENY):
            return await self._answer_yes_no(ctx, state, pending, intent is Intent.CONFIRM)
        if intent is Intent.UNDO:
            state.pop("awaiting", None)
            return await self._undo(ctx, state)
        if pending is not None and pending.kind == KIND:
            changed = self._changed_question(ctx, parsed, pending)
            if changed is not None:  # "je vous réserve à Nantes ?" - "Lille": no, Lille
                state.pop("awaiting", None)
                return await self._ask_again(ctx, changed)
        note = pending is not None
        awaiting = state.get("awaiting")
        if awaiting is not None and len(people := self._people_picked(ctx, awaiting)) > 1:
            state.pop("awaiting", None)  # "les deux": where each of them is
            base = decode(awaiting["command"])
            builder = ctx.reply()
            for person in people:
                asked = replace(base, person=person)
                builder.extend(await self._complete(ctx, asked, state, note=False))
            return builder
        if awaiting is not None:
            merged = self._merge_answer(ctx, awaiting)
            if merged is not None:
                state.pop("awaiting", None)
                if ctx.member.locale is None and merged.lang != ctx.tr.locale:
                    ctx.tr = Translator(merged.lang)  # "Nantes" answers in the question's tongue
                return await self._complete(ctx, merged, state, note=False)
            state.pop("awaiting", None)  # a new command replaces the one being completed
        last = state.get("last")
        if parsed.ref and last is not None and not _has_own_command(parsed, last):
            return await self._follow_up(ctx, parsed, state, last)
        if smalltalk_kind(ctx.message.text) is Smalltalk.FAREWELL:  # "à demain", "à lundi !"
            return smalltalk_reply(ctx, Smalltalk.FAREWELL)
        if parsed.intent is Intent.UNKNOWN and smalltalk_kind(ctx.message.text) is None:
            answer = self._read_answer(ctx)  # "bonsoir" is a greeting, not an evening
            asked_again = "looked" in state and self._asks_again(ctx, answer)  # "et à Lille ?"
            if (
                answer.bare
                and not answer.dates
                and (answer.site or answer.slot)
                and not asked_again
            ):
                return await self._lone_answer(ctx, answer, state, note=note)
        if self._bare_date(ctx, parsed) or self._same_booking_asked(ctx, parsed, state):
            booking = replace(parsed, intent=Intent.RESERVE)
            return await self._ask_what_to_do(ctx, booking, state, note=note)
        return await self._complete(ctx, parsed, state, note=note)

    def _same_booking_asked(
        self, ctx: Context, parsed: ParsedCommand, state: Mapping[str, Any]
    ) -> bool:
        """ "réserve à Nantes demain" then "et jeudi matin ?": no place was looked at, a booking
        was just made; a colleague hears "the same on Thursday morning?" and asks that."""
        if parsed.intent is not Intent.FREE or parsed.site is not None or "looked" in state:
            return False
        if not _bookings_made(state.get("last")):
            return False
        return self._asks_again(ctx, self._read_answer(ctx))

    # --- a bare site or half-day with nothing to complete ----------------------------------

    async def _lone_answer(
        self, ctx: Context, answer: Answer, state: dict[str, Any], *, note: bool
    ) -> ReplyBuilder:
        """ "Lille", "l'après-midi" alone, with no question of ours to answer. Right after a
        booking a colleague hears "the same, but at Lille?": the bot asks before changing it.
        With no booking just made, it asks what to do there; the day then completes a booking.
        Either way nothing is done on a word alone."""
        made = _bookings_made(state.get("last"))
        lang = decode(state["last"]["command"]).lang if made else ctx.tr.locale
        if ctx.member.locale is None and answer.slot is None and lang != ctx.tr.locale:
            ctx.tr = Translator(lang)  # a site's name alone is in no language: the booking's
        builder = ctx.reply()
        if note:
            builder.say(N_("(I dropped my previous question: nothing was changed.)"))
        if made:
            return builder.extend(await self._ask_to_change(ctx, answer, state, made))
        cmd = ParsedCommand(Intent.RESERVE, site=answer.site, slot=answer.slot, lang=ctx.tr.locale)
        state["awaiting"] = {"command": encode(cmd), "missing": "dates"}
        slot = ctx.slot_label(answer.slot) if answer.slot else None
        what = f"{answer.site} ({slot})" if answer.site and slot else answer.site or slot or ""
        return builder.say(
            N_(
                "{what}: what should I do? To book a desk, answer with the day: “tomorrow”, "
                "“Tuesday”, “3 December”."
            ),
            what=what[:1].upper() + what[1:],
        )

    async def _ask_to_change(
        self,
        ctx: Context,
        answer: Answer,
        state: Mapping[str, Any],
        made: Sequence[Mapping[str, Any]],
    ) -> ReplyBuilder:
        """The question "shall I change the booking(s) just made to that site or half-day?",
        stored: "oui" moves a single booking (one transaction, the same desk when free) or
        books the days again in place of several."""
        last = state["last"]
        if len(made) == 1:
            old = made[0]
            day, old_slot = date.fromisoformat(old["day"]), Slot(old["slot"])
            site = answer.site if answer.site != old["site"] else None
            slot = answer.slot if answer.slot != old_slot else None
            if site is None and slot is None:
                return ctx.reply().say(
                    N_("Your booking is already at {site} on {day}: I changed nothing."),
                    site=old["site"],
                    day=ctx.tr.day(day),
                )
            move = ParsedCommand(
                Intent.MOVE, site=site, dates=(day,), slot=slot, lang=ctx.tr.locale
            )
            builder = ctx.reply()
            if site is not None:
                builder.say(
                    N_(
                        "I understood: move your booking of {day} at {old_site} to {site} "
                        "({slot}). Shall I do it?"
                    ),
                    day=ctx.tr.day(day),
                    old_site=old["site"],
                    site=site,
                    slot=ctx.slot_label(slot or old_slot),
                )
            else:
                builder.say(
                    N_(
                        "I understood: change your booking of {day} at {site} from "
                        "“{old_slot}” to “{slot}”. Shall I do it?"
                    ),
                    day=ctx.tr.day(day),
                    site=old["site"],
                    old_slot=ctx.slot_label(old_slot),
                    slot=ctx.slot_label(slot or old_slot),
                )
            return self._store_question(ctx, builder, {"command": encode(move)})
        base = decode(last["command"])
        days = tuple(sorted({date.fromisoformat(c["day"]) for c in made}))
        redo = replace(
            _clean(base),
            intent=Intent.RESERVE,
            dates=days,
            to_dates=(),
            site=answer.site or made[0]["site"],
            slot=answer.slot or Slot(made[0]["slot"]),
        )
        builder = ctx.reply().say(
            N_("I understood: {summary}, in place of the bookings I just made. Shall I do it?"),
            summary=_summary(ctx, redo),
        )
        payload = {"command": encode(redo), "replaces": list(last.get("changes") or [])}
        return self._store_question(ctx, builder, payload)

    def _store_question(
        self, ctx: Context, builder: ReplyBuilder, payload: dict[str, Any]
    ) -> ReplyBuilder:
        """End `builder` with how to answer and keep the yes/no question `payload`."""
        builder.say(N_("(Reply “yes” or “no”.)"))
        keep_dialogue_question(ctx, payload)
        return builder

    # --- a bare date with nothing to complete ---------------------------------------------

    def _bare_date(self, ctx: Context, parsed: ParsedCommand) -> bool:
        """ "jeudi", "Thursday", "le 12 matin" alone, with no question of ours to answer: the
        parser reads it as a booking, but nobody said to book. A careful colleague asks."""
        if parsed.intent is not Intent.RESERVE or parsed.error is not None:
            return False
        if parsed.site or parsed.desk or parsed.desks or not parsed.dates:
            return False
        # "je voudrais venir demain", "je viens jeudi": the sender says they come, a booking
        # wish whose site is then asked for, not a bare date.
        words = set(fold_for_matching(ctx.message.text).replace("'", " ").split())
        if words & lexicon.PRESENCE_WORDS and words & (
            lexicon.FIRST_PERSON_WORDS | lexicon.WISH_WORDS
        ):
            return False
        if words & lexicon.DESK_NOUNS:  # "je voudrais un bureau mardi": a booking, site asked
            return False
        answer = self._read_answer(ctx)
        return answer.bare and bool(answer.dates) and not (answer.site or answer.label)

    async def _ask_what_to_do(
        self, ctx: Context, parsed: ParsedCommand, state: dict[str, Any], *, note: bool
    ) -> ReplyBuilder:
        builder = ctx.reply()
        if note:
            builder.say(N_("(I dropped my previous question: nothing was changed.)"))
        days = _days(ctx, parsed.dates)
        cmd = _clean(parsed)
        member = ctx.member.matrix_id
        held = await self.storage.list_bookings(member, min(cmd.dates), max(cmd.dates))
        if held and {b.day for b in held} >= set(cmd.dates):  # nothing to book: say what is
            for b in held:
                builder.say(
                    N_("ℹ️ You already have desk {desk} at {site} on {day} ({slot})."),
                    desk=b.desk,
                    site=b.site,
                    day=ctx.tr.day(b.day),
                    slot=ctx.slot_label(b.slot),
                )
            return builder
        site = ctx.member.default_site
        made = _bookings_made(state.get("last"))
        if made:  # right after a booking, "mercredi" offers the same booking that day
            said_slot = self._read_answer(ctx).slot
            site = made[0]["site"]
            cmd = replace(
                _clean(decode(state["last"]["command"])),
                intent=Intent.RESERVE,
                dates=cmd.dates,
                to_dates=(),
                site=site,
                slot=said_slot or Slot(made[0]["slot"]),
            )
        if site and (closed := _closed_days(ctx, site, cmd.dates)) is not None:
            return builder.say(closed[0], strong=("day",), **closed[1])
        if site:  # "oui" books at the usual site, anything else is a new message
            builder.say(
                N_("On {days}: shall I book you a desk at {site} ({slot})?"),
                strong=("days",),
                days=days,
                site=site,
                slot=ctx.slot_label(cmd.slot or Slot.DAY),
            )
            if len(made) == 1:
                builder.say(
                    N_(
                        "(Reply “yes” or “no”; to move your booking of {day} instead, "
                        "say “instead {days}”.)"
                    ),
                    day=ctx.tr.day(date.fromisoformat(made[0]["day"])),
                    days=days,
                )
            else:
                builder.say(
                    N_("(Reply “yes” or “no”; or ask “who is in {site} {days}?”.)"),
                    site=site,
                    days=days,
                )
            keep_dialogue_question(ctx, {"command": encode(replace(cmd, site=site))})
            return builder
        state["awaiting"] = {"command": encode(cmd), "missing": "site"}
        builder.say(
            N_("On {days}: what should I do? To book a desk, answer with the site: {sites}."),
            strong=("days",),
            days=days,
            sites=ctx.site_names(),
        )
        example = ctx.sites[0].name if ctx.sites else "Metz"
        return builder.say(
            N_("To look first: “free places at {site} {days}”, “who is there {days}?”."),
            days=days,
            site=example,
        )

    # --- yes / no ------------------------------------------------------------------------

    async def _answer_yes_no(
        self,
        ctx: Context,
        state: dict[str, Any],
        pending: PendingQuestion | None,
        confirmed: bool,
    ) -> ReplyBuilder:
        state.pop("awaiting", None)
        if pending is None:
            builder = ctx.reply().say(N_("There is nothing waiting for your answer."))
            if not confirmed and (state.get("last") or {}).get("changes"):  # "non" after one
                builder.say(N_("To take back what I just did, say “undo”."))
            return builder
        if not confirmed:
            return ctx.reply().say(N_("All right, I changed nothing."))
        if pending.kind == KIND:
            command = decode(pending.payload["command"])
            builder = ctx.reply()
            replaced = pending.payload.get("replaces")
            if replaced:  # "Lille ?" after several bookings: those days again, at Lille
                builder.extend(await revert(ctx, replaced))
            return builder.extend(await self._execute(ctx, command, state))
        spec = BY_QUESTION_KIND[pending.kind]
        assert spec.confirm is not None, spec.intent
        builder = await spec.confirm(ctx, pending.payload)
        self._remember(ctx, state, None)
        return builder

    # --- completing a command ------------------------------------------------------------

    async def _complete(
        self, ctx: Context, cmd: ParsedCommand, state: dict[str, Any], *, note: bool
    ) -> ReplyBuilder:
        builder = ctx.reply()
        if note:
            builder.say(N_("(I dropped my previous question: nothing was changed.)"))
        cmd = self._question_looked_at(ctx, cmd, state) or cmd
        spec = BY_INTENT.get(cmd.intent)
        if spec is None and cmd.error is not None and cmd.error.code in _SAID_AS_IS:
            return builder.text(cmd.error.message(ctx.tr.locale))
        if spec is None and (kind := smalltalk_kind(ctx.message.text)) is not None:
            return builder.extend(smalltalk_reply(ctx, kind))
        if spec is None:
            return builder.say(
                N_(
                    "🤔 Sorry, I did not understand. Say “help” to see what I can do, "
                    "for example “book a desk in Metz tomorrow”."
                )
            )
        if cmd.error is not None:
            return self._ask_about_error(ctx, builder, cmd, state)
        cmd = self._move_near_source(ctx, cmd)
        if cmd.intent is Intent.RESERVE and cmd.near and not cmd.site and len(cmd.dates) == 1:
            # "réserve près de Karim jeudi": where Karim is that day, before any default site
            cmd = replace(cmd, site=await site_of(ctx, cmd.near, cmd.dates[0]))
        if (looked_at := self._booking_looked_at(ctx, cmd, state)) is not None:
            return builder.extend(await self._ask_again(ctx, looked_at))
        missing = self._missing(ctx, cmd)
        if missing is not None:
            state["awaiting"] = {"command": encode(cmd), "missing": missing}
            if missing == "site":
                return builder.say(
                    N_("Which site? Just answer with its name: {sites}."), sites=ctx.site_names()
                )
            return builder.say(N_("Which day? For example: “tomorrow”, “Tuesday”, “3 December”."))
        if cmd.intent in ACTING and cmd.unknown_phrases:
            return builder.extend(await self._ask_go_ahead(ctx, cmd))
        if cmd.intent in ACTING and self._too_many_days(cmd):
            return builder.extend(await self._ask_many_days(ctx, cmd))
        result = await self._execute(ctx, cmd, state)
        builder.extend(result)
        if cmd.unknown_phrases:
            builder.say(N_("(I ignored {unknown}.)"), unknown=_quoted(ctx, cmd.unknown_phrases))
        return builder

    def _question_looked_at(
        self, ctx: Context, cmd: ParsedCommand, state: Mapping[str, Any]
    ) -> ParsedCommand | None:
        """ "y a de la place à Lille lundi ?" then "et mardi ?": the same question about another
        day, site or half-day, as a colleague hears it. A fragment that asks ("et à Nantes ?",
        "et l'après-midi ?", "and Friday?") asks the last question again, about the same person
        too; a question of its own that names no site ("qui sera là mardi ?") is about the site
        just asked about. A bare weekday is the one nearest the day just asked about."""
        looked = state.get("looked")
        if looked is None or (cmd.error is not None and cmd.intent is not Intent.UNKNOWN):
            return None
        seen = decode(looked)
        answer = self._read_answer(ctx)
        if self._asks_again(ctx, answer) and cmd.intent in _LOOKING | {Intent.UNKNOWN}:
            base, site, dates, slot = seen, answer.site, answer.dates, answer.slot
        elif cmd.intent in _LOOKING and cmd.error is None and cmd.person is None:
            base, site, dates, slot = cmd, cmd.site, cmd.dates, cmd.slot
        else:
            return None
        if len(dates) == 1 and seen.dates:
            dates = self._near_change(ctx, dates, min(seen.dates))
        return _clean(
            replace(
                base,
                site=site or seen.site,
                dates=dates or seen.dates,
                slot=slot or base.slot,
                unknown=(),
                error=None,
            )
        )

    def _asks_again(self, ctx: Context, answer: Answer) -> bool:
        """A fragment (days, a site, a half-day, nothing else) said as a question or opened by
        "et", "and", "sinon"..."""
        if not answer.bare or not (answer.site or answer.dates or answer.slot):
            return False
        words = fold_for_matching(ctx.message.text).replace("'", " ").split()
        return "?" in ctx.message.text or bool(words and words[0] in lexicon.SAME_QUESTION_OPENERS)

    def _booking_looked_at(
        self, ctx: Context, cmd: ParsedCommand, state: Mapping[str, Any]
    ) -> ParsedCommand | None:
        """ "y a de la place à Lille vendredi ?" then "ok, réserve": the booking the sender
        just looked at. The sentence's own site, days and half-day win; the rest comes from
        the question, and the bot asks before acting (it was not said in one sentence)."""
        looked = state.get("looked")
        if looked is None or cmd.intent is not Intent.RESERVE or (cmd.site and cmd.dates):
            return None
        seen = decode(looked)
        if seen.person is not None:  # "où est Marc jeudi ?" then "réserve": no site was looked at
            return None
        site, dates = cmd.site or seen.site, cmd.dates or seen.dates
        if len(cmd.dates) == 1 and seen.dates:  # "ok, réserve mardi" after next week's places
            dates = self._near_change(ctx, cmd.dates, min(seen.dates))
        if site is None or not dates:
            return None
        slot = seen.slot if cmd.slot in (None, Slot.DAY) and seen.slot else cmd.slot
        return replace(cmd, site=site, dates=dates, slot=slot)

    def _missing(self, ctx: Context, cmd: ParsedCommand) -> str | None:
        if cmd.intent is Intent.RESERVE:
            if not (cmd.site or ctx.member.default_site):
                return "site"
            if not cmd.dates:
                return "dates"
        if cmd.intent in (Intent.STATUS, Intent.MOVE) and not cmd.dates:
            return "dates"
        return None

    def _ask_about_error(
        self, ctx: Context, builder: ReplyBuilder, cmd: ParsedCommand, state: dict[str, Any]
    ) -> ReplyBuilder:
        error = cmd.error
        assert error is not None
        missing = _MISSING_BY_ERROR.get(error.code)
        if missing is None or cmd.intent not in _REMEMBERED | {Intent.FREE, Intent.WHO}:
            return builder.text(error.message(ctx.tr.locale))
        suggestions = tuple(error.suggestions)
        if error.code == "unknown_site" and len(ctx.sites) <= _FEW_SITES:
            # few sites: all of them, the closest first ("lile": Metz, Nantes or Orléans?)
            rest = tuple(s.name for s in ctx.sites if s.name not in suggestions)
            if rest:
                suggestions += rest
                error = ParseError(error.code, dict(error.params), suggestions)
        suggestions = suggestions[:_MAX_SUGGESTED]
        base = replace(cmd, error=None, site=None if missing == "site" else cmd.site)
        state["awaiting"] = {
            "command": encode(base),
            "missing": missing,
            "choices": list(suggestions),
        }
        return builder.text(error.message(ctx.tr.locale))

    def _people_picked(self, ctx: Context, awaiting: Mapping[str, Any]) -> list[str]:
        """The people an answer to "which one?" picks ("les deux", "tous": several)."""
        if awaiting.get("missing") != "person":
            return []
        answer = self._read_answer(ctx)
        return _pick(list(awaiting.get("choices") or []), answer) if answer.bare else []

    def _merge_answer(self, ctx: Context, awaiting: Mapping[str, Any]) -> ParsedCommand | None:
        """The awaited command completed by this message, or None when it is not an answer."""
        base = decode(awaiting["command"])
        choices: list[str] = list(awaiting.get("choices") or [])
        missing = awaiting.get("missing")
        if missing == "person":  # "Marc Dupont", "marc.dupont": a name among those offered
            said = fold_for_matching(ctx.message.text).strip(" ?!.")
            named = [c for c in choices if said and _names_person(said, c)]
            if len(named) == 1:
                return replace(base, person=named[0])
        answer = self._read_answer(ctx)
        if (
            missing == "site"
            and answer.empty
            and len(ctx.message.text.split()) <= _MAX_PLACE_WORDS
        ):
            # "lile": a place, read as it would be after "à" (one-letter typos, unknown names)
            answer = self._read_answer(ctx, f"{lexicon.ANSWER_PLACE_LEAD} {ctx.message.text}")
        if not answer.bare:
            return None
        fields: dict[str, Any] = {}
        picked = _pick(choices, answer)
        if picked:
            if missing == "person":
                fields["person"] = picked[0]
            elif missing == "site":
                fields["site"] = picked[0]
            elif missing == "dates":
                days: set[date] = set()
                for text in picked:  # a day offered (ISO), or a phrase to read
                    try:
                        days.add(date.fromisoformat(text))
                    except ValueError:
                        days.update(self._read_answer(ctx, text).dates)
                if days:
                    fields["dates"] = tuple(sorted(days))
        if "site" not in fields and answer.site:
            fields["site"] = answer.site
        if "dates" not in fields and answer.dates and not picked:  # "le premier" is no date
            fields["dates"] = answer.dates
        if answer.slot:
            fields["slot"] = answer.slot
        if answer.label and base.intent in (Intent.RESERVE, Intent.CANCEL):
            fields["desk"] = answer.label
        if not fields:
            if missing == "site" and answer.site_typed:
                error = ParseError(
                    "unknown_site", {"name": answer.site_typed}, answer.site_candidates
                )
                return replace(base, error=error)
            return None
        return replace(base, error=None, unknown=(), unknown_phrases=(), **fields)

    def _changed_question(
        self, ctx: Context, parsed: ParsedCommand, pending: PendingQuestion
    ) -> ParsedCommand | None:
        """A bare site, day, half-day or desk, or a correction ("plutôt vendredi"), said in
        answer to our yes/no question ("je vous réserve à Nantes ?" - "Lille"): the command of
        the question so changed, to be confirmed again; None for any other answer."""
        if pending.payload.get("replaces"):
            return None
        base = decode(pending.payload["command"])
        answer = self._read_answer(ctx)
        if not (answer.bare or parsed.ref == "instead") or answer.choice or answer.choose_all:
            return None
        if not answer.bare and parsed.intent not in (base.intent, Intent.RESERVE):
            return None  # "plutôt annule jeudi": a command of its own
        fields: dict[str, Any] = {}
        if base.intent in (Intent.RESERVE, Intent.MOVE) and answer.site not in (None, base.site):
            fields["site"] = answer.site
        dates = (parsed.dates if parsed.ref == "instead" else ()) or answer.dates
        if dates and tuple(dates) != base.dates and base.intent is not Intent.MOVE:
            fields["dates"] = tuple(dates)
        if answer.slot and answer.slot != base.slot:
            fields["slot"] = answer.slot
        if answer.label and base.intent is Intent.RESERVE:
            fields["desk"] = answer.label
        elif "site" in fields:  # the desk offered belongs to the site of the question
            fields["desk"] = None
        return replace(base, **fields) if fields else None

    def _read_answer(self, ctx: Context, text: str | None = None) -> Answer:
        """`text` (the message by default) read as a short answer, once per message."""
        said = ctx.message.text if text is None else text
        key = (said, ctx.tr.locale)
        if key not in ctx.answers:
            sites = [KnownSite(site.name, tuple(site.aliases)) for site in ctx.sites]
            ctx.answers[key] = parse_answer(
                said,
                self.clock.now(),
                sites,
                horizon_days=self.settings.horizon_days,
                lang=ctx.tr.locale,
            )
        return ctx.answers[key]

    async def _ask_go_ahead(self, ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
        builder = ctx.reply().say(
            N_("I understood: {summary}. I did not understand {unknown}."),
            summary=_summary(ctx, cmd),
            unknown=_quoted(ctx, cmd.unknown_phrases),
        )
        builder.say(_GO_AHEAD.get(cmd.intent, N_("Shall I do it anyway?")))
        return self._store_question(ctx, builder, {"command": encode(cmd)})

    async def _ask_again(self, ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
        """The command of our question, changed by the answer: asked again before acting."""
        builder = ctx.reply().say(
            N_("I understood: {summary}. Shall I do it?"), summary=_summary(ctx, cmd)
        )
        return self._store_question(ctx, builder, {"command": encode(cmd)})

    def _too_many_days(self, cmd: ParsedCommand) -> bool:
        """ "jusqu'au 14 juillet": a range that reaches past the horizon or spans more than
        `_MANY_DAYS` days is confirmed first, with the count, like an unknown word."""
        if len(cmd.dates) <= 1:
            return False
        horizon = self.clock.now().date() + timedelta(days=self.settings.horizon_days)
        return len(cmd.dates) > _MANY_DAYS or max(cmd.dates) > horizon

    async def _ask_many_days(self, ctx: Context, cmd: ParsedCommand) -> ReplyBuilder:
        builder = ctx.reply().say(N_("I understood: {summary}."), summary=_summary(ctx, cmd))
        builder.plural(
            "That is {n} day, up to {last}.",
            "That is {n} days, up to {last}.",
            len(cmd.dates),
            last=ctx.tr.day(max(cmd.dates)),
        )
        builder.say(_GO_AHEAD.get(cmd.intent, N_("Shall I do it anyway?")))
        return self._store_question(ctx, builder, {"command": encode(cmd)})

    async def _execute(
        self, ctx: Context, cmd: ParsedCommand, state: dict[str, Any]
    ) -> ReplyBuilder:
        spec = BY_INTENT[cmd.intent]
        await authorize(ctx, spec, cmd)
        try:
            builder = await spec.run(ctx, cmd)
        except UserError as error:
            choices = getattr(error, "choices", None)
            if choices:  # "several people are called Marc: which one?"
                state["awaiting"] = {
                    "command": encode(cmd),
                    "missing": getattr(error, "missing", "choice"),
                    "choices": list(choices),
                }
            elif cmd.intent is Intent.CANCEL and not cmd.dates:
                # "Which day should I cancel?": the answer ("mardi") completes the cancel
                state["awaiting"] = {"command": encode(cmd), "missing": "dates"}
            raise
        self._remember(ctx, state, cmd)
        if cmd.intent is Intent.RESERVE and len(cmd.dates) == 1 and not ctx.changes:
            # a booking that could not be made: "l'après-midi", "B-205", "Lille" try it again
            # so changed (the bot offered the other half-day or a free desk)
            state.setdefault("awaiting", {"command": encode(_clean(cmd)), "missing": "retry"})
        if cmd.intent in _LOOKING and (cmd.site or cmd.dates or cmd.person):
            # "et vendredi ?" (_question_looked_at), "ok, réserve" (_booking_looked_at) may follow
            state["looked"] = encode(cmd)
        else:
            state.pop("looked", None)
        return builder

    def _remember(self, ctx: Context, state: dict[str, Any], cmd: ParsedCommand | None) -> None:
        if ctx.changes or ctx.reverted or (cmd is not None and cmd.intent in _REMEMBERED):
            state["last"] = {
                "command": encode(cmd) if cmd is not None else None,
                "changes": list(ctx.changes),
                # what this message took back first (a correction): undo brings it back
                "reverted": list(ctx.reverted),
                "at": self.clock.now().isoformat(),
            }

    # --- follow-ups, corrections, undo ---------------------------------------------------

    async def _follow_up(
        self, ctx: Context, parsed: ParsedCommand, state: dict[str, Any], last: Mapping[str, Any]
    ) -> ReplyBuilder:
        if last.get("command") is None:
            return await self._complete(ctx, parsed, state, note=False)
        base = decode(last["command"])
        if base.intent is Intent.MOVE:
            base = replace(base, intent=Intent.RESERVE, dates=base.to_dates or base.dates)
        answer = self._read_answer(ctx)
        dates = parsed.dates or answer.dates
        if len(dates) == 1 and base.dates and parsed.ref in ("also", "instead"):
            dates = self._near_change(ctx, dates, min(base.dates))
        if not dates and base.dates and parsed.ref in ("also", "instead"):
            dates = _relative_to_change(ctx.message.text, base.dates, self.clock.now().date())
        if parsed.ref == "week_after":
            dates = tuple(d + timedelta(days=7) for d in base.dates)
        site = answer.site or parsed.site
        slot = answer.slot
        if parsed.ref == "also":
            if not dates:
                return ctx.reply().say(
                    N_("Which day? For example: “tomorrow”, “Tuesday”, “3 December”.")
                )
            follow = replace(base, dates=dates, site=site or base.site, slot=slot or base.slot)
            return await self._complete(ctx, _clean(follow), state, note=False)
        if parsed.ref == "except":  # "non pas le 2": those days out of the change just made
            changes = [c for c in last.get("changes") or [] if c["op"] == "booked"]
            if not changes and parsed.intent is not Intent.UNKNOWN:
                # "pas besoin de bureau vendredi" with no booking just made: its own command
                return await self._complete(ctx, parsed, state, note=False)
            out = [c for c in changes if date.fromisoformat(c["day"]) in set(dates)]
            if not dates or not out:
                return ctx.reply().say(N_("Which of those days should I take out?"))
            builder = await revert(ctx, out)
            kept = [c for c in changes if c not in out]
            # the same change, fewer days: its time still bounds "annule ça" and "aussi"
            state["last"] = {**last, "changes": kept}
            return builder
        if parsed.ref == "week_after":
            follow = replace(base, dates=dates)
            return await self._complete(ctx, _clean(follow), state, note=False)
        switched = _switched_kind(base, parsed, site)
        if switched is not None:  # the same days, the other kind of change
            builder = ctx.reply()
            changes = list(last.get("changes") or [])
            if changes:
                builder.extend(await revert(ctx, changes))
            redo = replace(switched, dates=dates or base.dates, slot=slot or base.slot)
            return builder.extend(await self._complete(ctx, _clean(redo), state, note=False))
        # "instead": replace the day, site or half-day of the change just made
        # "non en fait télétravail" after "en congé vendredi": the kind of status
        status = parsed.status if base.intent is Intent.STATUS else None
        if not (dates or site or slot or status):
            return ctx.reply().say(N_("What should I change: the day, the site or the half-day?"))
        changes = list(last.get("changes") or [])
        # one booking made, or one move ("finalement jeudi" then "plutôt l'après-midi"): moved
        made = _bookings_made(last)
        if len(made) == 1 and len(dates) <= 1:
            old = made[0]
            same_day = not dates or dates == (date.fromisoformat(old["day"]),)
            if same_day and site in (None, old["site"]) and slot in (None, old["slot"]):
                return await self._same_again(ctx, state, changes, old)
            move = ParsedCommand(
                Intent.MOVE,
                site=site or old["site"],
                dates=(date.fromisoformat(old["day"]),),
                to_dates=dates or (date.fromisoformat(old["day"]),),
                slot=slot or Slot(old["slot"]),
                lang=base.lang,
            )
            return await self._complete(ctx, move, state, note=False)
        builder = ctx.reply()
        if changes:
            builder.extend(await revert(ctx, changes))
        redo = replace(
            base,
            dates=dates or base.dates,
            site=site or base.site,
            slot=slot or base.slot,
            status=status or base.status,
        )
        return builder.extend(await self._complete(ctx, _clean(redo), state, note=False))

    async def _same_again(
        self,
        ctx: Context,
        state: dict[str, Any],
        changes: Sequence[Mapping[str, Any]],
        held: Mapping[str, Any],
    ) -> ReplyBuilder:
        """A correction that names the booking as it already is: "finalement pas jeudi" (a
        negation) takes it back; "non, jeudi" changes nothing, and says so."""
        words = set(fold_for_matching(ctx.message.text).replace("'", " ").split())
        if words & _NEGATIONS:
            builder = await revert(ctx, changes)
            state.pop("last", None)
            return builder
        day = date.fromisoformat(held["day"])
        return ctx.reply().say(
            N_("Your booking is already at {site} on {day}: I changed nothing."),
            site=held["site"],
            day=ctx.tr.day(day),
        )

    def _move_near_source(self, ctx: Context, cmd: ParsedCommand) -> ParsedCommand:
        """ "décale ma résa de lundi à mercredi", said when Monday's booking is next week's:
        that week's Wednesday, the one nearest to the day moved (as "plutôt mercredi" reads
        it), not this week's, before it. Only two plain weekdays are read so ("de lundi à
        demain", "du 14 au 9" stay as written)."""
        if cmd.intent is not Intent.MOVE or len(cmd.dates) != 1 or len(cmd.to_dates) != 1:
            return cmd
        source, target = cmd.dates[0], cmd.to_dates[0]
        if target >= source or any(ch.isdigit() for ch in ctx.message.text):
            return cmd
        words = fold_for_matching(ctx.message.text).replace("'", " ").split()
        if sum(w in lexicon.WEEKDAYS for w in words) != 2 or set(words) & _RELATIVE_DAYS:
            return cmd
        later = target + timedelta(days=7)
        horizon = self.clock.now().date() + timedelta(days=self.settings.horizon_days)
        if (later - source) < (source - target) and later <= horizon:
            return replace(cmd, to_dates=(later,))
        return cmd

    def _near_change(
        self, ctx: Context, dates: tuple[date, ...], changed: date
    ) -> tuple[date, ...]:
        """A bare weekday in a follow-up or a correction ("non, mardi", "pareil jeudi") is the
        one nearest to the day of the change it refers to, never in the past: "réserve lundi"
        (the 30th) then "non, mardi" is Tuesday the 1st, the day after, even when the week
        still has a Tuesday before it. The text is read again from three days before that day
        (or today, when later): its first such weekday is the nearest one to the changed day.
        Only a plain weekday moves: a reading that is not the same weekday a whole number of
        weeks away ("le 24" read in another month) keeps the ordinary reading."""
        now = self.clock.now()
        if any(ch.isdigit() for ch in ctx.message.text):  # "le 24", "mardi 1er": as written
            return dates
        anchor = max(now.date(), changed - timedelta(days=3))
        if anchor == now.date():
            shifted_now = now
        else:
            shifted_now = now.replace(year=anchor.year, month=anchor.month, day=anchor.day)
        sites = [KnownSite(site.name, tuple(site.aliases)) for site in ctx.sites]
        again = parse_answer(
            ctx.message.text,
            shifted_now,
            sites,
            horizon_days=self.settings.horizon_days,
            lang=ctx.tr.locale,
        ).dates
        if len(again) != 1 or again[0] < now.date():
            return dates
        delta = (again[0] - dates[0]).days
        if delta % 7 != 0 or again[0].weekday() != dates[0].weekday():
            return dates
        horizon = now.date() + timedelta(days=self.settings.horizon_days)
        return (again[0],) if again[0] <= horizon else dates

    async def _undo(self, ctx: Context, state: dict[str, Any]) -> ReplyBuilder:
        last = state.get("last") or {}
        # newest first: the change goes, then what it took back returns
        changes = [*(last.get("reverted") or []), *(last.get("changes") or [])]
        if not changes:
            return ctx.reply().say(N_("There is nothing recent to undo."))
        builder = await revert(ctx, changes)
        state.pop("last", None)
        return builder


def _closed_days(
    ctx: Context, site: str, days: Sequence[date]
) -> tuple[str, dict[str, Any]] | None:
    """When `site` is open on none of `days` (a weekend, its closed weekday), the sentence
    that says so, rather than offering to book there ("le 12" is a Saturday)."""
    info = next((s for s in ctx.sites if s.name == site), None)
    if info is None or any(d.weekday() in info.open_weekdays for d in days):
        return None
    day = ctx.tr.day(days[0])
    if days[0].weekday() >= 5:
        return SENTENCES[Outcome.WEEKEND], {"day": day}
    return SENTENCES[Outcome.CLOSED], {"day": day, "site": site, "because": ""}


def _bookings_made(last: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    """The bookings the last change left the member holding, when it was a booking or a move
    and nothing else (a cancellation or a status is not "the booking just made")."""
    if not last or last.get("command") is None:
        return []
    if decode(last["command"]).intent not in (Intent.RESERVE, Intent.MOVE):
        return []
    changes = list(last.get("changes") or [])
    made = [c if c["op"] == "booked" else c["to"] for c in changes if c["op"] in _HELD]
    return made if made and len(made) == len(changes) else []


def keep_dialogue_question(ctx: Context, payload: dict[str, Any]) -> None:
    """Ask the dialogue's own yes/no question (`KIND`: "oui" carries out
    `payload["command"]`), kept for the dialogue's lifetime and stored when the turn ends."""
    expires = ctx.clock.now() + timedelta(seconds=ctx.settings.dialogue_ttl_s)
    ctx.keep_question(KIND, payload, expires)


def _has_own_command(parsed: ParsedCommand, last: Mapping[str, Any]) -> bool:
    """ "plutôt annule jeudi" is its own command; "plutôt jeudi" refers to the last one, and so
    does "non, en fait télétravail" (the last change, made a status instead)."""
    if parsed.intent is Intent.STATUS and parsed.ref == "instead" and last.get("command"):
        return False
    return parsed.intent not in (Intent.RESERVE, Intent.UNKNOWN, Intent.FREE) and (
        last.get("command") is None or parsed.intent is not decode(last["command"]).intent
    )


def _switched_kind(
    base: ParsedCommand, parsed: ParsedCommand, site: str | None
) -> ParsedCommand | None:
    """ "réserve à Metz jeudi" then "non, en fait télétravail": a status instead of the
    booking; "télétravail mercredi" then "finalement je serai à Orléans": a booking instead of
    the status. None when the correction keeps the kind of change."""
    if base.intent is Intent.RESERVE and parsed.intent is Intent.STATUS and parsed.status:
        return ParsedCommand(Intent.STATUS, status=parsed.status, lang=base.lang)
    if base.intent is Intent.STATUS and parsed.intent is Intent.RESERVE and site:
        return ParsedCommand(Intent.RESERVE, site=site, lang=base.lang)
    return None


def _relative_to_change(text: str, days: Sequence[date], today: date) -> tuple[date, ...]:
    """ "le lendemain aussi", "plutôt la veille": days counted from the change's days (never
    in the past); () when the text names none."""
    said = (
        " " + " ".join(fold_for_matching(text).replace("'", " ").replace("-", " ").split()) + " "
    )
    found = [n for phrase, n in lexicon.RELATIVE_TO_CHANGE.items() if f" {phrase} " in said]
    if len(found) != 1:
        return ()
    moved = sorted({d + timedelta(days=found[0]) for d in days})
    return tuple(d for d in moved if d >= today)


def _names_person(said: str, matrix_id: str) -> bool:
    """Whether "Marc Dupont", "marc.dupont", or only "Dupont" names this person: every word
    said is a word of the Matrix id (Tchap's are "prenom.nom-ministere…")."""
    if said == fold_for_matching(matrix_id):
        return True
    words, known = said.replace(".", " ").split(), _localpart(matrix_id).split()
    return bool(words) and all(word in known for word in words)


def _localpart(matrix_id: str) -> str:
    """ "@marc.dupont:x.fr" as someone would write it: "marc dupont"."""
    local = fold_for_matching(matrix_id.lstrip("@").split(":", 1)[0])
    return local.replace(".", " ").replace("_", " ").replace("-", " ")


def _clean(cmd: ParsedCommand) -> ParsedCommand:
    return replace(cmd, error=None, unknown=(), unknown_phrases=(), ref=None)


def _pick(choices: Sequence[str], answer: Answer) -> list[str]:
    if not choices:
        return []
    if answer.choose_all:
        return list(choices)
    if answer.choice:
        index = answer.choice - 1 if answer.choice > 0 else len(choices) - 1
        if 0 <= index < len(choices):
            return [choices[index]]
    if answer.label:
        return [c for c in choices if c.casefold() == answer.label.casefold()]
    return []


def _quoted(ctx: Context, phrases: Sequence[str]) -> str:
    if ctx.tr.locale == "fr":
        return ", ".join(f"« {p} »" for p in phrases)
    return ", ".join(f"“{p}”" for p in phrases)


def _days(ctx: Context, days: Sequence[date]) -> str:
    if len(days) == 1:
        return ctx.tr.day(days[0])
    shown = ", ".join(ctx.tr.short_day(d) for d in days[:6])
    return shown + (" …" if len(days) > 6 else "")


def _summary(ctx: Context, cmd: ParsedCommand) -> str:
    msgid = _SUMMARIES.get(cmd.intent)
    if cmd.intent is Intent.RESERVE and cmd.desk:
        msgid = N_("book desk {desk} at {site} on {days} ({slot})")
    if msgid is None:
        return str(cmd.intent)
    site = cmd.site or ctx.member.default_site or "?"
    status = cmd.status or ""
    if cmd.status:
        from bot.commands.status import STATUS_LABELS

        status = ctx.tr.gettext(STATUS_LABELS.get(cmd.status, cmd.status))
    return ctx.tr.gettext(
        msgid,
        desk=cmd.desk or "",
        site=site,
        days=_days(ctx, cmd.dates) if cmd.dates else "?",
        slot=ctx.slot_label(cmd.slot or Slot.DAY),
        status=status,
        new_day=_days(ctx, cmd.to_dates)
        if cmd.to_dates
        else (ctx.slot_label(cmd.slot) if cmd.slot and not cmd.site else site),
    )


_E = TypeVar("_E", bound=StrEnum)


def encode(cmd: ParsedCommand) -> dict[str, Any]:
    """A command as stored JSON (no error: a stored command is complete or being completed)."""
    return {
        "intent": str(cmd.intent),
        "site": cmd.site,
        "desk": cmd.desk,
        "desks": list(cmd.desks),
        "dates": [d.isoformat() for d in cmd.dates],
        "to_dates": [d.isoformat() for d in cmd.to_dates],
        "slot": cmd.slot,
        "status": cmd.status,
        "count": cmd.count,
        "action": cmd.action,
        "time": cmd.time,
        "announcement": cmd.announcement,
        "appointee": cmd.appointee,
        "locale": cmd.locale,
        "reason": cmd.reason,
        "lang": cmd.lang,
        "person": cmd.person,
        # What is asked of the desk: a "oui" to our question must book the same desk.
        "features": list(cmd.features),
        "usual": cmd.usual,
        "near": cmd.near,
        "every": cmd.every,
    }


def decode(data: Mapping[str, Any]) -> ParsedCommand:
    """The command `encode` stored."""
    return ParsedCommand(
        Intent(data["intent"]),
        site=data.get("site"),
        desk=data.get("desk"),
        desks=tuple(data.get("desks") or ()),
        dates=tuple(date.fromisoformat(d) for d in data.get("dates") or ()),
        to_dates=tuple(date.fromisoformat(d) for d in data.get("to_dates") or ()),
        slot=_enum(Slot, data.get("slot")),
        status=_enum(StatusKind, data.get("status")),
        count=data.get("count"),
        action=_enum(DigestAction, data.get("action")),
        time=data.get("time"),
        announcement=data.get("announcement"),
        appointee=UserId(data["appointee"]) if data.get("appointee") else None,
        locale=data.get("locale"),
        reason=data.get("reason"),
        lang=data.get("lang") or "fr",
        person=data.get("person"),
        features=tuple(data.get("features") or ()),
        usual=bool(data.get("usual")),
        near=data.get("near"),
        every=bool(data.get("every")),
    )


def _enum(kind: type[_E], value: str | None) -> _E | None:
    """A stored domain value back as its enum (None stays None)."""
    return None if value is None else kind(value)
