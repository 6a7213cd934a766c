"""What every command receives (`Context`) and how it declares itself (`CommandSpec`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.errors import UserError
from bot.i18n import N_, Translator
from bot.messages import Message, Reply, RoomDirectory
from bot.replies import ReplyBuilder
from storage.domain import DigestAction, Intent, Slot
from storage.types import PendingQuestion

if TYPE_CHECKING:
    from bot.parsing import ParsedCommand
    from bot.parsing.answers import Answer
    from storage.clock import Clock
    from storage.core import Storage
    from storage.types import Booking, MemberInfo, SiteInfo

CONFIRMATION_DELAY = timedelta(minutes=5)


class Permission(StrEnum):
    """Who may run a command; checked by the dispatcher before the command runs."""

    ANYONE = "anyone"
    SITE_MANAGER = "site_manager"  # a manager of the site named in the command, or an admin
    ADMIN = "admin"
    # In a group room: an admin, a room moderator (Matrix power level >= 50) or the lead who
    # subscribed that room's digest; in a direct chat, its member.
    ROOM_LEAD = "room_lead"


@dataclass
class Context:
    """Everything a command may use: the sender, the core, the clock and the reply language."""

    message: Message
    member: MemberInfo
    storage: Storage
    settings: Settings
    clock: Clock
    tr: Translator
    sites: Sequence[SiteInfo]
    is_admin: bool
    directory: RoomDirectory | None = None  # who is in a room (the transport knows)
    # Replies to other rooms or people (direct messages), sent along with the answer.
    extra_replies: list[Reply] = field(default_factory=list)
    # What the command changed (bookings made, cancelled, moved), for follow-ups and undo.
    changes: list[dict[str, Any]] = field(default_factory=list)
    # What taking back an earlier change did (`undo.revert`), as changes of its own: a
    # correction ("plutôt à Nantes") is undone by reverting these after `changes`.
    reverted: list[dict[str, Any]] = field(default_factory=list)
    # The bookings the command made: its confirmation is about them (a ✅ checks them in).
    booked: list[Booking] = field(default_factory=list)
    # The yes/no question asked (`keep_question`): stored with the dialogue state when the
    # turn ends (`Dialogue.respond`, one round trip for both), so it survives restarts.
    question: PendingQuestion | None = None
    # The message read as a short answer, by (text, language): the dialogue asks several
    # questions of one message ("is it a bare site? a fragment? a choice?"), read once.
    answers: dict[tuple[str, str], Answer] = field(default_factory=dict)

    @property
    def now(self) -> datetime:
        return self.clock.now().astimezone(self.settings.tz)

    @property
    def today(self) -> date:
        return self.now.date()

    def reply(self) -> ReplyBuilder:
        return ReplyBuilder(self.tr)

    def slot_label(self, slot: Slot) -> str:
        return self.tr.slot(slot)

    def site_names(self) -> str:
        return ", ".join(site.name for site in self.sites)

    def require_site(self, site: str | None) -> str:
        """The site named in the command, else the member's default site, else ask which one."""
        chosen = site or self.member.default_site
        if chosen is None:
            raise UserError(
                N_("Which site? Say it in your sentence (e.g. “… at Metz”). Sites: {sites}."),
                sites=self.site_names(),
            )
        return chosen

    def require_dates(self, dates: Sequence[date]) -> Sequence[date]:
        if not dates:
            raise UserError(N_("Which day? For example: “tomorrow”, “Tuesday”, “3 December”."))
        return dates

    def keep_question(self, kind: str, payload: Mapping[str, Any], expires_at: datetime) -> None:
        """The yes/no question this message asks (replacing any asked before in it): stored
        when the turn ends, until `expires_at`. `payload` is JSON plus dates and datetimes."""
        self.question = PendingQuestion(
            self.message.sender, self.message.room_id, kind, dict(payload), expires_at
        )

    async def ask(
        self, kind: str, payload: Mapping[str, Any], builder: ReplyBuilder
    ) -> ReplyBuilder:
        """Keep a yes/no question (stored when the turn ends: it survives restarts) and end the
        reply with how to answer."""
        self.keep_question(kind, payload, self.clock.now() + CONFIRMATION_DELAY)
        return builder.say(N_("Reply “yes” to confirm within 5 minutes; anything else cancels."))


Run = Callable[[Context, "ParsedCommand"], Awaitable[ReplyBuilder]]
Confirm = Callable[[Context, Mapping[str, Any]], Awaitable[ReplyBuilder]]


@dataclass(frozen=True)
class CommandSpec:
    """A command: its intent, handler, help text with two examples, and who may run it."""

    intent: Intent
    run: Run
    summary: str  # msgid
    examples: tuple[str, str]  # msgids: sentences users can type, translated per locale
    permission: Permission = Permission.ANYONE  # decides both running and the help
    confirm: Confirm | None = None  # runs when the user answers "yes" to a question it asked
    in_help: bool = True
    # A stricter permission for some actions of the command (e.g. subscribing a digest).
    action_permissions: Mapping[DigestAction, Permission] = field(default_factory=dict)
    # A site right without a site named means "a manager of at least one site".
    site_optional: bool = False
    refusal: str | None = None  # msgid of the refusal, when not the permission's own ({admins})

    def permission_for(self, parsed: ParsedCommand) -> Permission:
        """The permission needed to run this command as `parsed` asks it."""
        if parsed.action is not None and parsed.action in self.action_permissions:
            return self.action_permissions[parsed.action]
        return self.permission
