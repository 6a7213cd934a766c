"""Reactions as input (issue 12): ✅ checks a booking in, 🏢 🏠 🌴 on a team digest say where a
member is, and removing the reaction undoes what it did.

Only reactions to the bot's own messages that it remembers (`storage.checkin`'s bot messages)
mean anything; any other reaction is ignored. A reaction on a confirmation or a reminder is
answered in its room; a reaction on a digest is answered by direct message (the team room is
not the place for one member's booking).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

from bot.commands.base import Context
from bot.commands.checkin import add_results, booking_subject, confirmation_hint
from bot.commands.outcomes import add_outcome
from bot.commands.status import STATUS_LABELS
from bot.i18n import N_, Translator
from bot.messages import Message, Reaction, Reply
from bot.replies import ReplyBuilder
from storage.checkin import CheckInOutcome, Effect
from storage.domain import Outcome, Slot, StatusKind
from storage.errors import StatusConflict
from storage.subjects import Subject, SubjectKind

if TYPE_CHECKING:
    from bot.config import Settings
    from storage.clock import Clock
    from storage.core import Storage
    from storage.types import MemberInfo, SiteInfo

log = logging.getLogger(__name__)

# ✅ and its variants (✔️ ☑️ ✔ ☑, with or without the emoji presentation selector).
CHECK_KEYS = frozenset({"✅", "✔", "☑"})
BOOK_KEY = "🏢"
STATUS_KEYS = {"🏠": StatusKind.REMOTE, "🌴": StatusKind.LEAVE}
# Emoji modifiers a client may add: presentation selectors, skin tones.
_MODIFIERS = frozenset({"\ufe0f", "\ufe0e", *(chr(c) for c in range(0x1F3FB, 0x1F400))})


def normalize_key(key: str) -> str:
    """The emoji of a reaction without its presentation selector or skin tone."""
    return "".join(ch for ch in key.strip() if ch not in _MODIFIERS)


def digest_hint(reply: Reply, tr: Translator) -> Reply:
    """The team digest with its one line on reacting (🏢 books, 🏠 télétravail, 🌴 congé)."""
    line = tr.gettext(
        N_(
            "React to this message: 🏢 books your usual site for today, 🏠 remote work, "
            "🌴 leave (remove the reaction to undo it)."
        )
    )
    return Reply(
        text=f"{reply.text}\n{line}",
        html=f"{reply.html}<br><i>{line}</i>",
        mentions=reply.mentions,
        room_id=reply.room_id,
        to=reply.to,
        attachments=reply.attachments,
        about=reply.about,
    )


class ReactionHandler:
    """Turns one reaction (or its removal) into changes and the replies to send."""

    def __init__(self, storage: Storage, settings: Settings, clock: Clock) -> None:
        self.storage = storage
        self.settings = settings
        self.clock = clock

    async def handle(self, reaction: Reaction) -> list[Reply]:
        member = await self.storage.ensure_member(reaction.sender, reaction.sender_name)
        tr = Translator(member.locale or self.settings.locale)
        if reaction.removed:
            return await self._removed(reaction, member, tr)
        if reaction.target_event_id is None:
            return []
        subject = await self.storage.checkin.message_subject(
            reaction.target_event_id, reaction.room_id
        )
        if subject is None:
            return []  # not a message of the bot it remembers: an ordinary reaction
        key = normalize_key(reaction.key)
        if subject.kind in (SubjectKind.BOOKING, SubjectKind.REMINDER):
            if key not in CHECK_KEYS:
                return []
            return await self._check_in(reaction, subject, tr)
        if subject.kind is SubjectKind.DIGEST and (key == BOOK_KEY or key in STATUS_KEYS):
            return await self._digest(reaction, subject, member, key, tr)
        return []

    # -- ✅ on a confirmation or a reminder ---------------------------------------------------

    async def _check_in(self, reaction: Reaction, subject: Subject, tr: Translator) -> list[Reply]:
        builder = ReplyBuilder(tr)
        if subject.member != reaction.sender:
            builder.say(N_("ℹ️ This booking is not yours: only its holder can check in for it."))
            return [builder.build()]
        effect = _effect(reaction, "check_in")
        results = await self.storage.checkin.check_in_by_reaction(effect, subject.booking_ids)
        if not results:
            return []
        add_results(builder, tr, results)
        if any(r.outcome is CheckInOutcome.TOO_LATE for r in results):
            builder.say(N_("If a desk is still free, you can book one again."))
        return [builder.build()]

    # -- 🏢 🏠 🌴 on a team digest ----------------------------------------------------------

    async def _digest(
        self,
        reaction: Reaction,
        subject: Subject,
        member: MemberInfo,
        key: str,
        tr: Translator,
    ) -> list[Reply]:
        assert subject.team_room is not None and subject.day is not None
        day = subject.day
        if day < self.clock.now().astimezone(self.settings.tz).date():
            return []  # yesterday's digest: too old to act on
        team = await self.storage.room_members(subject.team_room)
        if reaction.sender not in {m.matrix_id for m in team}:
            return []  # not a member of that team: ignored
        if key == BOOK_KEY:
            return await self._book(reaction, member, day, tr)
        return await self._status(reaction, member, day, STATUS_KEYS[key], tr)

    async def _book(
        self, reaction: Reaction, member: MemberInfo, day: date, tr: Translator
    ) -> list[Reply]:
        ctx = self._context(reaction, member, tr, await self.storage.list_sites())
        builder = ctx.reply()
        site = member.default_site
        if site is None:
            builder.say(
                N_(
                    "🏢 Which site is yours? Tell me once (e.g. “my site is {example}”), "
                    "then react again."
                ),
                example=ctx.sites[0].name if ctx.sites else "Metz",
            )
            return [builder.build(to=reaction.sender)]
        outcomes = await self.storage.reserve(
            member.matrix_id, site, [day], Slot.DAY, source_event_id=reaction.event_id
        )
        outcome = outcomes[0]
        add_outcome(builder, ctx, outcome, site, None)
        about = None
        if outcome.outcome is Outcome.BOOKED and outcome.booking is not None:
            booking = outcome.booking
            await self.storage.checkin.record_effect(_effect(reaction, "book", (booking.id,), day))
            confirmation_hint(builder, tr, ctx.sites, [(booking.site, booking.slot)])
            about = booking_subject(member.matrix_id, [booking.id])
        return [builder.build(to=reaction.sender, about=about)]

    async def _status(
        self,
        reaction: Reaction,
        member: MemberInfo,
        day: date,
        kind: StatusKind,
        tr: Translator,
    ) -> list[Reply]:
        builder = ReplyBuilder(tr)
        try:
            changes = await self.storage.set_status(member.matrix_id, [day], Slot.DAY, kind)
        except StatusConflict as conflict:
            booking = conflict.bookings[0]
            builder.say(
                N_(
                    "ℹ️ You hold desk {desk} at {site} on {day}: nothing changed. To replace "
                    "it, tell me in a sentence (e.g. “remote work today”)."
                ),
                strong=("desk",),
                desk=booking.desk,
                site=booking.site,
                day=tr.day(booking.day),
            )
            return [builder.build(to=reaction.sender)]
        if not changes:
            return []
        await self.storage.checkin.record_effect(_effect(reaction, "status", (), day, str(kind)))
        builder.say(
            N_("✅ Noted: {status} on {day}."),
            strong=("day",),
            status=tr.gettext(STATUS_LABELS[kind]),
            day=tr.day(day),
        )
        return [builder.build(to=reaction.sender)]

    # -- a removed reaction -----------------------------------------------------------------

    async def _removed(
        self, reaction: Reaction, member: MemberInfo, tr: Translator
    ) -> list[Reply]:
        effect = await self.storage.checkin.take_effect(reaction.event_id)
        if effect is None:
            return []  # the reaction did nothing (or was not one the bot acted on)
        builder = ReplyBuilder(tr)
        if effect.action == "check_in":
            undone = await self.storage.checkin.undo_check_in(effect.booking_ids)
            if not undone:
                return []  # past the deadline: the check-in stands
            for booking in undone:
                builder.say(
                    N_("↩️ Check-in withdrawn: desk {desk} at {site}, {day} ({slot})."),
                    strong=("desk", "day"),
                    desk=booking.desk,
                    site=booking.site,
                    day=tr.day(booking.day),
                    slot=tr.slot(booking.slot),
                )
            return [builder.build()]
        assert effect.day is not None
        if effect.action == "book":
            bookings = await self.storage.list_bookings(effect.member, effect.day, effect.day)
            mine = [b for b in bookings if b.id in effect.booking_ids]
            if not mine:
                return []
            booking = mine[0]
            await self.storage.cancel(effect.member, [booking.day], booking.slot, booking.site)
            builder.say(
                N_("↩️ Booking cancelled: desk {desk} at {site}, {day}."),
                strong=("desk", "day"),
                desk=booking.desk,
                site=booking.site,
                day=tr.day(booking.day),
            )
            return [builder.build(to=effect.member)]
        if await self.storage.clear_status(effect.member, [effect.day]):
            builder.say(N_("↩️ Status removed for {day}."), strong=("day",), day=tr.day(effect.day))
            return [builder.build(to=effect.member)]
        return []

    def _context(
        self, reaction: Reaction, member: MemberInfo, tr: Translator, sites: list[SiteInfo]
    ) -> Context:
        message = Message(
            sender=reaction.sender,
            room_id=reaction.room_id,
            text="",
            event_id=reaction.event_id,
            is_direct=reaction.is_direct,
        )
        return Context(
            message=message,
            member=member,
            storage=self.storage,
            settings=self.settings,
            clock=self.clock,
            tr=tr,
            sites=sites,
            is_admin=reaction.sender in self.settings.admins,
        )


def _effect(
    reaction: Reaction,
    action: str,
    booking_ids: tuple[int, ...] = (),
    day: date | None = None,
    status: str | None = None,
) -> Effect:
    return Effect(
        reaction.event_id,
        reaction.sender,
        reaction.target_event_id or "",
        action,
        booking_ids,
        day,
        status,
    )
