"""The schema, as SQLAlchemy Core tables (the migrations under `migrations/` create it).

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
The operations only read and write through these tables, with Core statements. Tables, not
declarative ORM classes: nothing maps rows to objects, and building the mappers cost every start
about 50 ms.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
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


metadata = MetaData(naming_convention=NAMING_CONVENTION)


sites = Table(
    "sites",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    # Folded name (case, accents, punctuation) so that "metz" and "METZ" are the same site.
    Column("name_key", String(100), unique=True, nullable=False),
    Column("department", String(3)),
    Column("timezone", String(64), server_default="Europe/Paris", nullable=False),
    # Bit n set = weekday n (0 = Monday) is open.
    Column(
        "open_weekdays", Integer, server_default=text(str(MONDAY_TO_FRIDAY_MASK)), nullable=False
    ),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # Opening hours of the half-days for calendar feeds, "09:00-12:30,13:30-18:00" (NULL: those).
    Column("hours", String(64)),
    # Check-in deadlines "HH:MM" in the site's time zone (NULL: no check-in for those bookings),
    # and whether agents get a reminder DM each morning (issue 12).
    Column("check_in_morning", String(5)),
    Column("check_in_afternoon", String(5)),
    Column("check_in_remind", Boolean, server_default=text("false"), nullable=False),
    CheckConstraint(f"open_weekdays BETWEEN 0 AND {ALL_WEEKDAYS_MASK}", name="open_weekdays"),
)


site_aliases = Table(
    "site_aliases",
    metadata,
    Column("alias_key", String(100), primary_key=True),
    Column("alias", String(100), nullable=False),
    Column("site_id", ForeignKey("sites.id"), index=True, nullable=False),
)


site_managers = Table(
    "site_managers",
    metadata,
    Column("site_id", ForeignKey("sites.id"), primary_key=True),
    Column("matrix_id", String(255), primary_key=True),
    # NULL: listed by the sites file (an import may remove them); set: appointed in the chat by
    # an admin, which later imports keep (only `remove_manager` undoes an appointment).
    Column("appointed_at", UTCDateTime),
)


desks = Table(
    "desks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("site_id", ForeignKey("sites.id"), nullable=False),
    Column("label", String(64), nullable=False),
    # Natural order ("B-9" before "B-10"), computed once by storage.labels.natural_key.
    Column("sort_key", String(255), nullable=False),
    Column("zone", String(100)),
    Column("features", JSON),
    Column("active", Boolean, server_default=text("true"), nullable=False),
    # Desks opened "from Monday" exist before they can be booked.
    Column("bookable_from", Date),
    Column("created_at", UTCDateTime, nullable=False),
    # The member whose desk it is (issue 12): nobody else books it unless the owner is away.
    # `owner_assigned_at` is set when a manager assigned it in the chat (NULL: the sites file).
    Column("owner_id", ForeignKey("members.id"), index=True),
    Column("owner_assigned_at", UTCDateTime),
    UniqueConstraint("site_id", "label"),
    # The target of reservations' (desk_id, site_id) foreign key.
    UniqueConstraint("id", "site_id"),
)


members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("matrix_id", String(255), unique=True, nullable=False),
    Column("display_name", String(DISPLAY_NAME_LENGTH)),
    Column("role", String(16), server_default="agent", nullable=False),
    # Set explicitly by the member; the "last booked" site is derived from reservations.
    Column("default_site_id", ForeignKey("sites.id")),
    Column("locale", String(16)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    CheckConstraint("role IN ('agent', 'lead', 'manager', 'admin')", name="role"),
)


reservations = Table(
    "reservations",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("site_id", Integer, nullable=False),
    Column("desk_id", Integer, nullable=False),
    Column("day", Date, nullable=False),
    Column("slot", String(3), nullable=False),
    Column("covers_am", Boolean, nullable=False),
    Column("covers_pm", Boolean, nullable=False),
    Column("status", String(10), server_default="active", nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("cancelled_at", UTCDateTime),
    # member | closure | status | noshow (released: not checked in): who cancelled it, for the
    # history and the statistics.
    Column("cancel_reason", String(16)),
    # When the agent checked in (issue 12); NULL when they did not.
    Column("checked_in_at", UTCDateTime),
    # Given to someone waiting for a desk (issue 12's waitlist): "waiters served".
    Column("from_waitlist", Boolean, server_default=text("false"), nullable=False),
    # The Matrix event that asked for it (traceability; exactly-once is processed_events).
    Column("source_event_id", String(255)),
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


presence_statuses = Table(
    "presence_statuses",
    metadata,
    Column("member_id", ForeignKey("members.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("half", String(2), primary_key=True),
    Column("kind", String(8), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("half IN ('am', 'pm')", name="half"),
    CheckConstraint("kind IN ('remote', 'leave', 'travel')", name="kind"),
    Index("ix_presence_statuses_day", "day"),
)


# An owned desk lent for one half-day by its owner (`owner_id`: who lent it).
desk_loans = Table(
    "desk_loans",
    metadata,
    Column("desk_id", ForeignKey("desks.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("half", String(2), primary_key=True),
    Column("owner_id", ForeignKey("members.id"), index=True, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("half IN ('am', 'pm')", name="half"),
)


site_closures = Table(
    "site_closures",
    metadata,
    Column("site_id", ForeignKey("sites.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("reason", String(REASON_LENGTH)),
    Column("created_at", UTCDateTime, nullable=False),
)


# Matrix events already handled: the transport claims each one before acting on it.
processed_events = Table(
    "processed_events",
    metadata,
    Column("event_id", String(255), primary_key=True),
    Column("claimed_at", UTCDateTime, index=True, nullable=False),
    # Leased claims (storage.inbox): who handles it, until when, when it was answered, and the
    # command itself, so that another process answers it when its claimer died.
    Column("owner", String(255)),
    Column("lease_until", UTCDateTime),
    Column("done_at", UTCDateTime),
    Column("payload", TaggedJSON),
)


# A confirmation the bot is waiting for; survives restarts, one per member and room.
pending_questions = Table(
    "pending_questions",
    metadata,
    Column("member_id", ForeignKey("members.id"), primary_key=True),
    Column("room", String(255), primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("payload", TaggedJSON, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)


# The conversation with a member in a room: the command being completed and the last change made
# (for follow-ups and undo); survives restarts, expires after a few minutes.
dialogue_states = Table(
    "dialogue_states",
    metadata,
    Column("member_id", ForeignKey("members.id"), primary_key=True),
    Column("room", String(255), primary_key=True),
    Column("state", TaggedJSON, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)


# A room subscribed to the morning digest; its team is its stored members.
teams = Table(
    "teams",
    metadata,
    Column("room_id", String(255), primary_key=True),
    Column("digest_time", String(5), nullable=False),  # "HH:MM", in `timezone`
    Column("timezone", String(64), nullable=False),
    Column("locale", String(16), nullable=False),
    Column("lead_id", ForeignKey("members.id")),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)


# The joined members of a room, as the transport last reported them.
room_members = Table(
    "room_members",
    metadata,
    Column("room_id", String(255), primary_key=True),
    Column("member_id", ForeignKey("members.id"), primary_key=True),
    # The rooms of a member (derived follows: rooms whose members book a site).
    Index("ix_room_members_member_id", "member_id"),
)


# A room that asked for a site's news ("suis le site de Metz").
site_follows = Table(
    "site_follows",
    metadata,
    Column("site_id", ForeignKey("sites.id"), primary_key=True),
    Column("room_id", String(255), primary_key=True),
    Column("created_at", UTCDateTime, nullable=False),
)


# One room's digest of one day: claimed by one process (until `lease_until`), then sent.  The
# primary key makes the claim exclusive; an expired lease without `sent_at` may be taken over, so
# that a crash between claim and send does not lose the day.
digest_runs = Table(
    "digest_runs",
    metadata,
    Column("room_id", String(255), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("owner", String(255), nullable=False),
    Column("claimed_at", UTCDateTime, nullable=False),
    Column("lease_until", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
)


# A message for someone other than a command's sender, delivered by the outbox worker.
outbox = Table(
    "outbox",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),  # closure, announce, digest, appoint...
    Column("destination", String(255), nullable=False),  # the room id, or the user id (DM)
    Column("recipient", String(255)),  # set for direct messages
    Column("room_id", String(255)),  # the room, once known
    Column("body", Text, nullable=False),
    Column("html", Text, nullable=False),
    Column("mentions", Text, nullable=False),  # JSON list of user ids
    Column("tx_id", String(64), unique=True, nullable=False),
    Column("status", String(16), nullable=False),  # pending, sent, failed
    Column("attempts", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("lease_owner", String(255)),
    Column("lease_until", UTCDateTime),
    Column("sent_at", UTCDateTime),
    Column("event_id", String(255)),
    Column("last_error", Text),
    # What the message is about (storage.subjects, JSON), copied to bot_messages once sent.
    Column("about", Text),
    Index("ix_outbox_status_destination", "status", "destination", "id"),
    Index("ix_outbox_recipient", "recipient"),
)


# One manager or admin action: who, when, what it changed.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, index=True, nullable=False),
    Column("actor", String(255), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target", String(AUDIT_TARGET_LENGTH), nullable=False),
    Column("details", TaggedJSON, nullable=False),
)


# One "full" answer given by reserve: demand turned away, for the statistics.
full_answers = Table(
    "full_answers",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("site_id", ForeignKey("sites.id"), nullable=False),
    Column("day", Date, nullable=False),
    Column("slot", String(3), nullable=False),
    Column("answered_at", UTCDateTime, nullable=False),
    Index("ix_full_answers_site_id_day", "site_id", "day"),
)


# A member's private calendar feed link; only the token's SHA-256 is kept.
calendar_tokens = Table(
    "calendar_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
    Index("ix_calendar_tokens_member_id", "member_id"),
)


# An agent waiting for a desk at a site on a day and half-day (issue 12): first come (lowest id),
# first served.
waitlist_entries = Table(
    "waitlist_entries",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("site_id", ForeignKey("sites.id"), nullable=False),
    Column("day", Date, nullable=False),
    Column("slot", String(3), nullable=False),
    Column("covers_am", Boolean, nullable=False),
    Column("covers_pm", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint(
        "(slot = 'day' AND covers_am AND covers_pm)"
        " OR (slot = 'am' AND covers_am AND NOT covers_pm)"
        " OR (slot = 'pm' AND covers_pm AND NOT covers_am)",
        name="slot_covers",
    ),
    UniqueConstraint("member_id", "site_id", "day"),
    Index("ix_waitlist_entries_site_id_day", "site_id", "day", "id"),
)


# A check-in deadline whose no-shows were released (one row per site, day and half).
release_sweeps = Table(
    "release_sweeps",
    metadata,
    Column("site_id", ForeignKey("sites.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("half", String(2), primary_key=True),
    Column("swept_at", UTCDateTime, nullable=False),
    Column("released", Integer, nullable=False),
    Column("served", Integer, nullable=False),
)


# What a message of the bot is about (issue 12): a reaction to it is read with this.
bot_messages = Table(
    "bot_messages",
    metadata,
    Column("event_id", String(255), primary_key=True),
    Column("room_id", String(255), nullable=False),
    Column("kind", String(16), nullable=False),  # booking, reminder, digest
    Column("member_id", ForeignKey("members.id")),
    Column("booking_ids", Text, nullable=False),  # JSON list
    Column("team_room", String(255)),
    Column("day", Date),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_bot_messages_member_id", "member_id"),
    Index("ix_bot_messages_created_at", "created_at"),
)


# What the bot did for one reaction, so that removing the reaction undoes exactly that.
reaction_effects = Table(
    "reaction_effects",
    metadata,
    Column("reaction_event_id", String(255), primary_key=True),
    Column("member_id", ForeignKey("members.id"), nullable=False),
    Column("target_event_id", String(255), nullable=False),
    Column("action", String(16), nullable=False),  # check_in, book, status
    Column("booking_ids", Text, nullable=False),  # JSON list
    Column("day", Date),
    Column("status", String(8)),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_reaction_effects_member_id", "member_id"),
)


# The morning check-in reminder of a booking: claimed (and written) once.
check_in_reminders = Table(
    "check_in_reminders",
    metadata,
    Column("reservation_id", BigInteger, primary_key=True),
    Column("day", Date, nullable=False),
    Column("sent_at", UTCDateTime, nullable=False),
    Index("ix_check_in_reminders_day", "day"),
)
