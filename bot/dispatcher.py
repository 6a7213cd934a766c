"""Message → limits → parse → dialogue state → authorize → command → Reply.

Every error a user can meet is rendered here, in one place: typed `UserError`s politely, parse
errors with the parser's own sentence, and anything unexpected as a short reference that the user
can quote while the traceback goes to the log.
"""

from __future__ import annotations

import logging
import secrets
import string
import time
from typing import TYPE_CHECKING

from bot import metrics
from bot.commands.base import Context
from bot.commands.checkin import booking_subject, confirmation_hint
from bot.commands.reports import render_report_error, run_report
from bot.config import Settings
from bot.dialogue import Dialogue
from bot.errors import NotAllowed, UserError
from bot.i18n import N_, Translator
from bot.messages import Attachment, Message, Reaction, Reply, RoomDirectory
from bot.parsing import KnownSite, ParsedCommand, parse
from bot.parsing.reports import ReportRequest, parse_report
from bot.ratelimit import RateLimiter, Verdict
from bot.reactions import ReactionHandler
from bot.replies import ReplyBuilder
from bot.waitlist_notices import ChatNotices
from storage.availability import DatabaseUnavailable, is_unavailable
from storage.errors import UnknownSite
from storage.stats import BadPeriod

if TYPE_CHECKING:
    from storage.clock import Clock
    from storage.core import Storage
    from storage.types import MemberInfo, SiteInfo

log = logging.getLogger(__name__)

REFERENCE_ALPHABET = string.ascii_uppercase + string.digits


class Dispatcher:
    """Turns one incoming command message into the replies to send (a `Handler`)."""

    def __init__(self, storage: Storage, settings: Settings, clock: Clock) -> None:
        self.storage = storage
        self.settings = settings
        self.clock = clock
        self.limiter = RateLimiter(settings.rate_limit_count, settings.rate_limit_window_s)
        self.directory: RoomDirectory | None = None  # set when a transport is attached
        self.dialogue = Dialogue(storage, settings, clock)
        # The waitlist's and the release sweep's DMs, written deep in storage transactions.
        storage.notices = ChatNotices(settings.locale)
        self.reactions = ReactionHandler(storage, settings, clock)

    async def handle_reaction(self, reaction: Reaction) -> list[Reply]:
        """A reaction to one of the bot's messages, or its removal (issue 12)."""
        started = time.perf_counter()
        outcome = "ok"
        try:
            async with self.dialogue.lock(reaction.sender, reaction.room_id):
                replies = await self.reactions.handle(reaction)
        except Exception as error:
            if is_unavailable(error):
                raise DatabaseUnavailable(str(error)) from error
            log.exception("reaction %s of %s failed", reaction.event_id, reaction.sender)
            outcome, replies = "error", []
        metrics.COMMANDS.labels("reaction", outcome).inc()
        metrics.REPLY_LATENCY.observe(time.perf_counter() - started)
        return replies

    async def handle(self, message: Message) -> list[Reply]:
        started = time.perf_counter()
        intent, outcome = "none", "ok"
        replies: list[Reply] = []
        try:
            intent, outcome, replies = await self._handle(message)
        except Exception as error:
            if is_unavailable(error):
                # Not an internal error: the transport keeps the command for when it is back.
                metrics.COMMANDS.labels(intent, "unavailable").inc()
                raise DatabaseUnavailable(str(error)) from error
            reference = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4))
            log.exception(
                "internal error ref=%s sender=%s room=%s event=%s",
                reference,
                message.sender,
                message.room_id,
                message.event_id,
            )
            tr = Translator(self.settings.locale)
            builder = ReplyBuilder(tr).say(
                N_(
                    "⚠️ Sorry, something went wrong on my side and nothing was changed. "
                    "If it happens again, quote this reference to your administrator: {ref}."
                ),
                strong=("ref",),
                ref=reference,
            )
            outcome, replies = "error", [builder.build()]
        metrics.COMMANDS.labels(intent, outcome).inc()
        metrics.REPLY_LATENCY.observe(time.perf_counter() - started)
        return replies

    async def _handle(self, message: Message) -> tuple[str, str, list[Reply]]:
        default_tr = Translator(self.settings.locale)
        if len(message.text) > self.settings.max_message_chars:
            builder = ReplyBuilder(default_tr).say(
                N_(
                    "Your message is too long ({length} characters, {limit} at most): "
                    "could you say it in a shorter sentence?"
                ),
                length=len(message.text),
                limit=self.settings.max_message_chars,
            )
            return "none", "too_long", [builder.build()]
        verdict = self.limiter.check(message.sender)
        if verdict is Verdict.DROP:
            return "none", "rate_limited", []
        if verdict is Verdict.WARN:
            builder = ReplyBuilder(default_tr).say(
                N_(
                    "You are sending me a lot of messages: I will pause for a few seconds "
                    "and ignore what comes in the meantime."
                )
            )
            return "none", "rate_limited", [builder.build()]
        # Two messages of one sender in one room apply one after the other, in order.
        async with self.dialogue.lock(message.sender, message.room_id):
            return await self._understand(message)

    async def _understand(self, message: Message) -> tuple[str, str, list[Reply]]:
        # The member, the dialogue state and the pending question in one transaction. A
        # report asked while a question is pending drops that question, as any other
        # command does.
        member, state, pending = await self.storage.open_turn(
            message.sender, message.sender_name, message.room_id
        )
        sites = await self.storage.list_sites()
        report = parse_report(
            message.text,
            self.clock.now().astimezone(self.settings.tz),
            _known_sites(sites),
            lang=member.locale,
        )
        if report is not None:  # statistics, calendars, weeks (issue 13)
            return await self._report(message, member, sites, report)
        parsed = parse(
            message.text,
            self.clock.now(),
            _known_sites(sites),
            horizon_days=self.settings.horizon_days,
            lang=member.locale,
        )
        ctx = self._context(message, member, sites, parsed)
        try:
            builder = await self.dialogue.respond(ctx, parsed, (state, pending))
            outcome = "ok"
        except UserError as error:
            builder = ctx.reply().say(error.msgid, strong=error.strong, **error.params)
            outcome = "refused" if isinstance(error, NotAllowed) else "user_error"
        if ctx.booked:  # a booking confirmation: how to check in, and what a ✅ on it means
            confirmation_hint(builder, ctx.tr, sites, [(b.site, b.slot) for b in ctx.booked])
        about = booking_subject(ctx.member.matrix_id, [b.id for b in ctx.booked])
        replies = [builder.build(about=about), *ctx.extra_replies]
        return str(parsed.intent), outcome, replies

    async def _report(
        self, message: Message, member: MemberInfo, sites: list[SiteInfo], report: ReportRequest
    ) -> tuple[str, str, list[Reply]]:
        ctx = self._context(message, member, sites, None, report.lang)
        files: tuple[Attachment, ...] = ()
        try:
            builder, files = await run_report(ctx, report)
            outcome = "ok"
        except (UserError, BadPeriod, UnknownSite) as error:
            builder = ctx.reply()
            render_report_error(builder, error)
            outcome = "refused" if isinstance(error, NotAllowed) else "user_error"
        replies = [builder.build(attachments=files), *ctx.extra_replies]
        return report.kind, outcome, replies

    def _context(
        self,
        message: Message,
        member: MemberInfo,
        sites: list[SiteInfo],
        parsed: ParsedCommand | None,
        lang: str | None = None,
    ) -> Context:
        locale = member.locale or (parsed.lang if parsed else lang) or self.settings.locale
        return Context(
            message=message,
            member=member,
            storage=self.storage,
            settings=self.settings,
            clock=self.clock,
            tr=Translator(locale),
            sites=sites,
            is_admin=message.sender in self.settings.admins,
            directory=self.directory,
        )


def _known_sites(sites: list[SiteInfo]) -> list[KnownSite]:
    return [KnownSite(site.name, tuple(site.aliases)) for site in sites]
