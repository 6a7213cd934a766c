"""The schema, as SQLAlchemy 2 declarative models (the migrations under `migrations/` create it).

The rules that must hold under concurrency live here, in the database itself:
- reservations carry `covers_am` / `covers_pm` (a CHECK ties them to `slot`), and four partial
  unique indexes over active rows forbid a desk, or a member, from being held twice on the same
  half-day ("day" covers both halves, so it collides with am and with pm);
- a reservation's desk belongs to its site (composite foreign key), so `site_id` can be kept on
  the reservation for the per-site queries without ever disagreeing with the desk;
- presence statuses are stored per half-day, so a member has at most one per half-day by primary
  key and a whole-day status is simply both halves;
- a room's digest of a day is one `digest_runs` row (primary key room and day), claimed by one
  conditional upsert, so that two bot processes never both post it.
The operations only read and write through these tables; they never see ORM instances.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import JSON, TypeDecorator

# Deterministic constraint names, so that migrations can name what they alter.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")

ACTIVE = "status = 'active'"
ACTIVE_AM = "status = 'active' AND covers_am"
ACTIVE_PM = "status = 'active' AND covers_pm"
ALL_WEEKDAYS_MASK = 0b1111111
MONDAY_TO_FRIDAY_MASK = 0b0011111


# Text from outside (Matrix display names, reasons typed in the chat) is cut to these lengths
# with an ellipsis before it is stored (`storage.names.clip`), the same on every database.
DISPLAY_NAME_LENGTH = 255
REASON_LENGTH = 500
AUDIT_TARGET_LENGTH = 255  # a site, a member, or the sites an announcement went to


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both engines (SQLite stores them naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class TaggedJSON(TypeDecorator[dict[str, Any]]):
    """JSON text in which dates and datetimes survive the round trip (callers store days)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: dict[str, Any] | None, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(value, default=_encode, ensure_ascii=False)

    def process_result_value(self, value: str | None, dialect: Dialect) -> dict[str, Any] | None:
        return None if value is None else json.loads(value, object_hook=_decode)


def _encode(value: object) -> object:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot store {type(value).__name__} in a pending question")


def _decode(obj: dict[str, Any]) -> object:
    if len(obj) == 1:
        if "$date" in obj:
            return date.fromisoformat(obj["$date"])
        if "$datetime" in obj:
            return datetime.fromisoformat(obj["$datetime"])
    return obj


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Site(Base):
    __tablename__ = "sites"
    __table_args__ = (
        CheckConstraint(f"open_weekdays BETWEEN 0 AND {ALL_WEEKDAYS_MASK}", name="open_weekdays"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # Folded name (case, accents, punctuation) so that "metz" and "METZ" are the same site.
    name_key: Mapped[str] = mapped_column(String(100), unique=True)
    department: Mapped[str | None] = mapped_column(String(3))
    timezone: Mapped[str] = mapped_column(String(64), server_default="Europe/Paris")
    # Bit n set = weekday n (0 = Monday) is open.
    open_weekdays: Mapped[int] = mapped_column(
        Integer, server_default=text(str(MONDAY_TO_FRIDAY_MASK))
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Opening hours of the half-days for calendar feeds, "09:00-12:30,13:30-18:00" (NULL: those).
    hours: Mapped[str | None] = mapped_column(String(64))
    # Check-in deadlines "HH:MM" in the site's time zone (NULL: no check-in for those bookings),
    # and whether agents get a reminder DM each morning (issue 12).
    check_in_morning: Mapped[str | None] = mapped_column(String(5))
    check_in_afternoon: Mapped[str | None] = mapped_column(String(5))
    check_in_remind: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class SiteAlias(Base):
    __tablename__ = "site_aliases"

    alias_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    alias: Mapped[str] = mapped_column(String(100))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)


class SiteManager(Base):
    __tablename__ = "site_managers"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    matrix_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    # NULL: listed by the sites file (an import may remove them); set: appointed in the chat by
    # an admin, which later imports keep (only `remove_manager` undoes an appointment).
    appointed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Desk(Base):
    __tablename__ = "desks"
    __table_args__ = (
        UniqueConstraint("site_id", "label"),
        # The target of reservations' (desk_id, site_id) foreign key.
        UniqueConstraint("id", "site_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    label: Mapped[str] = mapped_column(String(64))
    # Natural order ("B-9" before "B-10"), computed once by storage.labels.natural_key.
    sort_key: Mapped[str] = mapped_column(String(255))
    zone: Mapped[str | None] = mapped_column(String(100))
    features: Mapped[list[str] | None] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    # Desks opened "from Monday" exist before they can be booked.
    bookable_from: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The member whose desk it is (issue 12): nobody else books it unless the owner is away.
    # `owner_assigned_at` is set when a manager assigned it in the chat (NULL: the sites file).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    owner_assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (
        CheckConstraint("role IN ('agent', 'lead', 'manager', 'admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    matrix_id: Mapped[str] = mapped_column(String(255), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(DISPLAY_NAME_LENGTH))
    role: Mapped[str] = mapped_column(String(16), server_default="agent")
    # Set explicitly by the member; the "last booked" site is derived from reservations.
    default_site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    locale: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Reservation(Base):
    __tablename__ = "reservations"
    __table_args__ = (
        ForeignKeyConstraint(
            ["desk_id", "site_id"], ["desks.id", "desks.site_id"], name="fk_reservations_desk"
        ),
        CheckConstraint(
            "(slot = 'day' AND covers_am AND covers_pm)"
            " OR (slot = 'am' AND covers_am AND NOT covers_pm)"
            " OR (slot = 'pm' AND covers_pm AND NOT covers_am)",
            name="slot_covers",
        ),
        CheckConstraint(
            "(status = 'active' AND cancelled_at IS NULL)"
            " OR (status = 'cancelled' AND cancelled_at IS NOT NULL)"
            " OR (status = 'released' AND cancelled_at IS NOT NULL AND cancel_reason = 'noshow')",
            name="status_cancelled_at",
        ),
        CheckConstraint(
            "cancel_reason IS NULL OR cancel_reason IN ('member', 'closure', 'status', 'noshow')",
            name="cancel_reason",
        ),
        Index(
            "uq_reservations_desk_am",
            "desk_id",
            "day",
            unique=True,
            sqlite_where=text(ACTIVE_AM),
            postgresql_where=text(ACTIVE_AM),
        ),
        Index(
            "uq_reservations_desk_pm",
            "desk_id",
            "day",
            unique=True,
            sqlite_where=text(ACTIVE_PM),
            postgresql_where=text(ACTIVE_PM),
        ),
        Index(
            "uq_reservations_member_am",
            "member_id",
            "day",
            unique=True,
            sqlite_where=text(ACTIVE_AM),
            postgresql_where=text(ACTIVE_AM),
        ),
        Index(
            "uq_reservations_member_pm",
            "member_id",
            "day",
            unique=True,
            sqlite_where=text(ACTIVE_PM),
            postgresql_where=text(ACTIVE_PM),
        ),
        # Who holds what at a site on a day: only active rows matter (smaller, and the obvious
        # index for the planner even before the table has statistics).
        Index(
            "ix_reservations_site_id_day",
            "site_id",
            "day",
            sqlite_where=text(ACTIVE),
            postgresql_where=text(ACTIVE),
        ),
        Index("ix_reservations_member_id_day", "member_id", "day"),
        # The statistics read every status of a site's days (cancelled and released too).
        Index("ix_reservations_site_id_day_all", "site_id", "day"),
        # The member's last desk at a site (newest reservation first), without a full scan.
        Index("ix_reservations_member_id_site_id_id", "member_id", "site_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    site_id: Mapped[int] = mapped_column(Integer)
    desk_id: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)
    slot: Mapped[str] = mapped_column(String(3))
    covers_am: Mapped[bool] = mapped_column(Boolean)
    covers_pm: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(10), server_default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # member | closure | status | noshow (released: not checked in): who cancelled it, for the
    # history and the statistics.
    cancel_reason: Mapped[str | None] = mapped_column(String(16))
    # When the agent checked in (issue 12); NULL when they did not.
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Given to someone waiting for a desk (issue 12's waitlist): "waiters served".
    from_waitlist: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    # The Matrix event that asked for it (traceability; exactly-once is processed_events).
    source_event_id: Mapped[str | None] = mapped_column(String(255))


class PresenceStatus(Base):
    __tablename__ = "presence_statuses"
    __table_args__ = (
        CheckConstraint("half IN ('am', 'pm')", name="half"),
        CheckConstraint("kind IN ('remote', 'leave', 'travel')", name="kind"),
        Index("ix_presence_statuses_day", "day"),
    )

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    half: Mapped[str] = mapped_column(String(2), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeskLoan(Base):
    """An owned desk lent for one half-day by its owner (`owner_id`: who lent it)."""

    __tablename__ = "desk_loans"
    __table_args__ = (CheckConstraint("half IN ('am', 'pm')", name="half"),)

    desk_id: Mapped[int] = mapped_column(ForeignKey("desks.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    half: Mapped[str] = mapped_column(String(2), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SiteClosure(Base):
    __tablename__ = "site_closures"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    reason: Mapped[str | None] = mapped_column(String(REASON_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProcessedEvent(Base):
    """Matrix events already handled: the transport claims each one before acting on it."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # Leased claims (storage.inbox): who handles it, until when, when it was answered, and the
    # command itself, so that another process answers it when its claimer died.
    owner: Mapped[str | None] = mapped_column(String(255))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    payload: Mapped[dict[str, Any] | None] = mapped_column(TaggedJSON)


class PendingQuestionRow(Base):
    """A confirmation the bot is waiting for; survives restarts, one per member and room."""

    __tablename__ = "pending_questions"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    room: Mapped[str] = mapped_column(String(255), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(TaggedJSON)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DialogueStateRow(Base):
    """The conversation with a member in a room: the command being completed and the last
    change made (for follow-ups and undo); survives restarts, expires after a few minutes."""

    __tablename__ = "dialogue_states"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    room: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(TaggedJSON)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TeamRow(Base):
    """A room subscribed to the morning digest; its team is its stored members."""

    __tablename__ = "teams"

    room_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    digest_time: Mapped[str] = mapped_column(String(5))  # "HH:MM", in `timezone`
    timezone: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(16))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RoomMember(Base):
    """The joined members of a room, as the transport last reported them."""

    __tablename__ = "room_members"
    __table_args__ = (
        # The rooms of a member (derived follows: rooms whose members book a site).
        Index("ix_room_members_member_id", "member_id"),
    )

    room_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)


class SiteFollow(Base):
    """A room that asked for a site's news ("suis le site de Metz")."""

    __tablename__ = "site_follows"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    room_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DigestRun(Base):
    """One room's digest of one day: claimed by one process (until `lease_until`), then sent.

    The primary key makes the claim exclusive; an expired lease without `sent_at` may be taken
    over, so that a crash between claim and send does not lose the day.
    """

    __tablename__ = "digest_runs"

    room_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    owner: Mapped[str] = mapped_column(String(255))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxRow(Base):
    """A message for someone other than a command's sender, delivered by the outbox worker."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_destination", "status", "destination", "id"),
        Index("ix_outbox_recipient", "recipient"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))  # closure, announce, digest, appoint...
    destination: Mapped[str] = mapped_column(String(255))  # the room id, or the user id (DM)
    recipient: Mapped[str | None] = mapped_column(String(255))  # set for direct messages
    room_id: Mapped[str | None] = mapped_column(String(255))  # the room, once known
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    mentions: Mapped[str] = mapped_column(Text)  # JSON list of user ids
    tx_id: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16))  # pending, sent, failed
    attempts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(255))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    event_id: Mapped[str | None] = mapped_column(String(255))
    last_error: Mapped[str | None] = mapped_column(Text)
    # What the message is about (storage.subjects, JSON), copied to bot_messages once sent.
    about: Mapped[str | None] = mapped_column(Text)


class AuditEntry(Base):
    """One manager or admin action: who, when, what it changed."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(AUDIT_TARGET_LENGTH))
    details: Mapped[dict[str, Any]] = mapped_column(TaggedJSON)


class FullAnswer(Base):
    """One "full" answer given by reserve: demand turned away, for the statistics."""

    __tablename__ = "full_answers"
    __table_args__ = (Index("ix_full_answers_site_id_day", "site_id", "day"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    day: Mapped[date] = mapped_column(Date)
    slot: Mapped[str] = mapped_column(String(3))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CalendarToken(Base):
    """A member's private calendar feed link; only the token's SHA-256 is kept."""

    __tablename__ = "calendar_tokens"
    __table_args__ = (Index("ix_calendar_tokens_member_id", "member_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WaitlistEntry(Base):
    """An agent waiting for a desk at a site on a day and half-day (issue 12): first come
    (lowest id), first served."""

    __tablename__ = "waitlist_entries"
    __table_args__ = (
        CheckConstraint(
            "(slot = 'day' AND covers_am AND covers_pm)"
            " OR (slot = 'am' AND covers_am AND NOT covers_pm)"
            " OR (slot = 'pm' AND covers_pm AND NOT covers_am)",
            name="slot_covers",
        ),
        UniqueConstraint("member_id", "site_id", "day"),
        Index("ix_waitlist_entries_site_id_day", "site_id", "day", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    day: Mapped[date] = mapped_column(Date)
    slot: Mapped[str] = mapped_column(String(3))
    covers_am: Mapped[bool] = mapped_column(Boolean)
    covers_pm: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReleaseSweep(Base):
    """A check-in deadline whose no-shows were released (one row per site, day and half)."""

    __tablename__ = "release_sweeps"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    half: Mapped[str] = mapped_column(String(2), primary_key=True)
    swept_at: Mapped[datetime] = mapped_column(UTCDateTime)
    released: Mapped[int] = mapped_column(Integer)
    served: Mapped[int] = mapped_column(Integer)


class BotMessage(Base):
    """What a message of the bot is about (issue 12): a reaction to it is read with this."""

    __tablename__ = "bot_messages"
    __table_args__ = (
        Index("ix_bot_messages_member_id", "member_id"),
        Index("ix_bot_messages_created_at", "created_at"),
    )

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    room_id: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))  # booking, reminder, digest
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    booking_ids: Mapped[str] = mapped_column(Text)  # JSON list
    team_room: Mapped[str | None] = mapped_column(String(255))
    day: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReactionEffect(Base):
    """What the bot did for one reaction, so that removing the reaction undoes exactly that."""

    __tablename__ = "reaction_effects"
    __table_args__ = (Index("ix_reaction_effects_member_id", "member_id"),)

    reaction_event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    target_event_id: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(16))  # check_in, book, status
    booking_ids: Mapped[str] = mapped_column(Text)  # JSON list
    day: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CheckInReminder(Base):
    """The morning check-in reminder of a booking: claimed (and written) once."""

    __tablename__ = "check_in_reminders"
    __table_args__ = (Index("ix_check_in_reminders_day", "day"),)

    reservation_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)


def _table(model: type[Base]) -> Table:
    """The Core table of a model (typed as a Table, which `insert`/`update`/`delete` take)."""
    return cast(Table, model.__table__)


sites = _table(Site)
site_aliases = _table(SiteAlias)
site_managers = _table(SiteManager)
desks = _table(Desk)
members = _table(Member)
reservations = _table(Reservation)
presence_statuses = _table(PresenceStatus)
site_closures = _table(SiteClosure)
processed_events = _table(ProcessedEvent)
pending_questions = _table(PendingQuestionRow)
teams = _table(TeamRow)
room_members = _table(RoomMember)
site_follows = _table(SiteFollow)
digest_runs = _table(DigestRun)
dialogue_states = _table(DialogueStateRow)
outbox = _table(OutboxRow)
audit_log = _table(AuditEntry)
full_answers = _table(FullAnswer)
calendar_tokens = _table(CalendarToken)
desk_loans = _table(DeskLoan)
waitlist_entries = _table(WaitlistEntry)
release_sweeps = _table(ReleaseSweep)
bot_messages = _table(BotMessage)
reaction_effects = _table(ReactionEffect)
check_in_reminders = _table(CheckInReminder)
