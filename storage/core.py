"""`Storage`: the reservation core's one entry point. Each method is one named transaction.

    async with Storage.open(url, clock=clock, horizon_days=56) as storage:
        outcomes = await storage.reserve("@jeanne:example.org", "Metz", [day], Slot.AM)

Members are Matrix ids, sites are names (or aliases), desks are labels. Methods return frozen
dataclasses from `storage.types` and raise the typed errors of `storage.errors`. The topic
modules (`booking`, `presence`, `sites`, `members`, `teams`, `digests`, `follows`,
`conversation`) hold the SQL.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage import (
    attendance,
    booking,
    calendar_tokens,
    conversation,
    desks,
    digests,
    follows,
    moves,
    people,
    presence,
    stats,
    teams,
    turns,
)
from storage import inbox as inbox_ops
from storage import members as members_ops
from storage import sites as sites_ops
from storage.checkin import CheckInStore
from storage.clock import Clock
from storage.domain import RoomId, UserId
from storage.engine import READ_ONLY, create_engine, is_retryable
from storage.errors import SchemaOutOfDate
from storage.models import DISPLAY_NAME_LENGTH
from storage.names import clip
from storage.outbox import OutboxStore
from storage.owners import OwnersStore
from storage.personal import PersonalDataStore
from storage.queries import SiteDirectory, Tx
from storage.schema import check_schema, upgrade
from storage.sites_file import parse_sites, read_source
from storage.types import (
    Availability,
    Booking,
    DayOutcome,
    ImportReport,
    MemberInfo,
    PendingQuestion,
    Presence,
    Role,
    SiteInfo,
    Slot,
    StatusChange,
    StatusKind,
    Team,
    TeamDay,
    TeamMember,
)
from storage.waitlist import Notices, PlainNotices, WaitlistStore

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")
# Attempts of one transaction in all (the first and its retries), on transient errors.
MAX_ATTEMPTS = 4


SITE_LIST_TTL = 60.0  # seconds


class Storage:
    """The reservation core over one database (SQLite or PostgreSQL)."""

    def __init__(
        self,
        engine: AsyncEngine,
        clock: Clock,
        horizon_days: int = 56,
        timezone: str = "Europe/Paris",
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.horizon_days = horizon_days
        self.timezone = ZoneInfo(timezone)
        self._sites = SiteDirectory()
        # The chat side lists the sites on every message: kept like the site directory.
        self._site_list: tuple[float, list[SiteInfo]] | None = None
        # How the waitlist's and the sweep's DMs are worded (the chat side sets its own).
        self.notices: Notices = PlainNotices()

    @classmethod
    @asynccontextmanager
    async def open(
        cls,
        url: str,
        clock: Clock | None = None,
        horizon_days: int = 56,
        migrate: bool = False,
        *,
        timezone: str = "Europe/Paris",
        pool_size: int | None = None,
    ) -> AsyncIterator[Storage]:
        """Connect; with `migrate` upgrade the schema first, else refuse a schema that is not
        the code's (`SchemaOutOfDate`, `SchemaTooNew`). The engine is closed on exit."""
        engine = create_engine(url, pool_size=pool_size)
        try:
            try:
                await check_schema(engine)
            except SchemaOutOfDate:
                if not migrate:
                    raise
                await upgrade(engine)
                await check_schema(engine)
            yield cls(engine, clock or Clock(), horizon_days, timezone)
        finally:
            await engine.dispose()

    @functools.cached_property
    def outbox(self) -> OutboxStore:
        """The outbox of messages for others, and the changes that write to it (issue 11)."""
        return OutboxStore(self)

    @functools.cached_property
    def waitlist(self) -> WaitlistStore:
        """The waitlist and the release of no-shows (issue 12)."""
        return WaitlistStore(self)

    @functools.cached_property
    def checkin(self) -> CheckInStore:
        """Check-in, reactions and what the bot's messages are about (issue 12)."""
        return CheckInStore(self)

    @functools.cached_property
    def personal(self) -> PersonalDataStore:
        """Personal data: retention, export, erasure, and the audit log (issue 11)."""
        return PersonalDataStore(self)

    @functools.cached_property
    def owners(self) -> OwnersStore:
        """Desks with an owner, and their loans (issue 12, section 3)."""
        return OwnersStore(self)

    @property
    def dialect(self) -> str:
        """ "postgresql" or "sqlite"."""
        return self.engine.dialect.name

    async def _write(
        self,
        operation: Callable[Concatenate[Tx, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run `operation` in one write transaction, named after the operation."""
        return await self._transaction(operation.__name__, False, operation, *args, **kwargs)

    async def _read(
        self,
        operation: Callable[Concatenate[Tx, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run `operation` in one transaction that only reads (SQLite: no write lock), named
        after the operation."""
        return await self._transaction(operation.__name__, True, operation, *args, **kwargs)

    async def _write_one(
        self,
        operation: Callable[Concatenate[Tx, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """`_write` for an operation that sends exactly one statement: on PostgreSQL it runs
        without BEGIN and COMMIT (one statement alone is a transaction: one round trip instead
        of three); on SQLite in a write transaction as `_write` does."""
        autocommit = self.dialect == "postgresql"
        return await self._attempts(
            operation.__name__,
            functools.partial(self._once, False, autocommit, operation, *args, **kwargs),
        )

    async def _write_managed(
        self,
        operation: Callable[Concatenate[Tx, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """PostgreSQL: run `operation` on a connection in AUTOCOMMIT, for an operation that
        opens and ends its transaction itself (to send BEGIN with its first statements, as
        `booking.reserve_pg` does), with the same timing, retries and logging as the others."""
        return await self._attempts(
            operation.__name__,
            functools.partial(self._once, False, True, operation, *args, **kwargs),
        )

    async def _transaction(
        self,
        name: str,
        read_only: bool,
        operation: Callable[..., Awaitable[T]],
        *args: Any,
        **kwargs: Any,
    ) -> T:
        """Run `operation(tx, ...)` in one transaction (`_attempts`: timing, retries, logging)."""
        return await self._attempts(
            name, functools.partial(self._once, read_only, False, operation, *args, **kwargs)
        )

    async def _once(
        self,
        read_only: bool,
        autocommit: bool,
        operation: Callable[..., Awaitable[T]],
        *args: Any,
        **kwargs: Any,
    ) -> T:
        """One attempt: `operation(tx, ...)` on a pooled connection, in a transaction."""
        async with self.engine.connect() as conn:
            if read_only:
                conn = await conn.execution_options(**{READ_ONLY: True})
            if autocommit:
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                return await operation(self._tx(conn), *args, **kwargs)
            async with conn.begin():
                return await operation(self._tx(conn), *args, **kwargs)

    def _tx(self, conn: AsyncConnection) -> Tx:
        return Tx(
            conn, self.clock.now(), self.horizon_days, self.timezone, self._sites, self.notices
        )

    async def _attempts(self, name: str, attempt: Callable[[], Awaitable[T]]) -> T:
        """The one transaction helper: `attempt()` runs a whole transaction; it is retried (at
        most MAX_ATTEMPTS attempts in all) when the database reports a deadlock, a
        serialization failure or a busy file, and its time is logged under `name`."""
        for number in range(1, MAX_ATTEMPTS + 1):
            started = time.perf_counter()
            try:
                result = await attempt()
            except (DBAPIError, asyncpg.PostgresError) as error:
                if number == MAX_ATTEMPTS or not is_retryable(error):
                    raise
                reason = getattr(error, "orig", error)
                log.info("%s: transient database error, retry %d: %s", name, number, reason)
                await asyncio.sleep(0.005 * 2**number)
                continue
            log.debug("%s: %.1f ms", name, (time.perf_counter() - started) * 1000)
            return result
        raise AssertionError("unreachable")

    # Members -------------------------------------------------------------------------------

    async def ensure_member(
        self, matrix_id: UserId, display_name: str | None = None
    ) -> MemberInfo:
        """Create the member on first contact (role agent); refresh their display name."""
        return await self._write(
            members_ops.ensure_member,
            matrix_id,
            clip(display_name, DISPLAY_NAME_LENGTH),
        )

    async def get_member(self, matrix_id: UserId) -> MemberInfo | None:
        """The member, or None if unknown."""
        return await self._read(members_ops.get_member, matrix_id)

    async def set_default_site(self, matrix_id: UserId, site: str | None) -> MemberInfo:
        """Set the member's default site (None clears it; the last booked site then applies)."""
        return await self._write(members_ops.set_default_site, matrix_id, site)

    async def set_locale(self, matrix_id: UserId, locale: str | None) -> MemberInfo:
        """Set the member's language ("fr", "en"; None = the bot's default)."""
        return await self._write(members_ops.set_locale, matrix_id, locale)

    async def set_role(self, matrix_id: UserId, role: Role) -> MemberInfo:
        """Set the member's role."""
        return await self._write(members_ops.set_role, matrix_id, Role(role))

    # Sites -------------------------------------------------------------------------------

    @asynccontextmanager
    async def _changing_sites(self) -> AsyncIterator[None]:
        """Around a write that changes sites, desks or managers: the cached site list and site
        directory are dropped once it ends (after the commit: a reader cannot cache the old
        list; also on failure, which costs one reload). The one place that invalidates them:
        the other stores' writes (outbox, personal data) use it too."""
        try:
            yield
        finally:
            self._sites.invalidate()
            self._site_list = None

    async def list_sites(self) -> list[SiteInfo]:
        """Every site, by name, with aliases, managers and active desk counts.

        Cached for SITE_LIST_TTL seconds; an import, an opening or a change of managers in this
        process refreshes it at once (another process's, within the TTL).
        """
        cached = self._site_list
        if cached is not None and time.monotonic() - cached[0] < SITE_LIST_TTL:
            return list(cached[1])
        found = await self._read(sites_ops.list_sites)
        self._site_list = (time.monotonic(), found)
        return list(found)

    async def get_site(self, name: str) -> SiteInfo | None:
        """The site with this name or alias (any case, accents), or None."""
        return await self._read(sites_ops.get_site, name)

    async def managers_of(self, site: str) -> tuple[UserId, ...]:
        """Matrix ids of the site's managers."""
        return await self._read(sites_ops.managers_of, site)

    async def open_desks(
        self,
        site: str,
        labels: Sequence[str] | None = None,
        count: int | None = None,
        from_day: date | None = None,
    ) -> list[str]:
        """Open desks by label, or `count` new ones continuing the site's numbering; bookable
        from `from_day` (at once when None). Existing inactive desks are reactivated; labels
        already open are left alone. Returns the labels made bookable."""
        async with self._changing_sites():
            return await self._write(sites_ops.open_desks, site, labels, count, from_day)

    async def close_site(
        self, site: str, days: Sequence[date], reason: str | None = None
    ) -> list[Booking]:
        """Close the site on `days` (past days are ignored) and cancel the bookings there;
        returns the cancelled bookings so that the caller can tell each member."""
        return await self._write(booking.close_site, site, days, reason)

    async def reopen_site(self, site: str, days: Sequence[date]) -> list[date]:
        """Lift closures; returns the days that were closed (cancelled bookings stay so)."""
        return await self._write(booking.reopen_site, site, days)

    async def add_manager(self, site: str, matrix_id: UserId) -> SiteInfo:
        """Appoint `matrix_id` manager of the site (an admin's "nomme @x responsable de Metz").

        The member is created if unknown; their role becomes manager unless they are admin.
        Appointed managers are kept by later imports of the sites file, even one that lists
        other managers or no longer lists them: only `remove_manager` undoes an appointment.
        Returns the site with its managers. `ValueError` for a malformed Matrix id.
        """
        async with self._changing_sites():
            return await self._write(sites_ops.add_manager, site, matrix_id)

    async def remove_manager(self, site: str, matrix_id: UserId) -> bool:
        """Remove a manager of the site (appointed or from the file); False if not one. A
        member who manages no site any more goes back to lead (if leading a team) or agent."""
        async with self._changing_sites():
            return await self._write(sites_ops.remove_manager, site, matrix_id)

    async def bookings_at(self, site: str, days: Sequence[date]) -> list[Booking]:
        """Active bookings at the site on `days` from today on: exactly what `close_site`
        would cancel (ask before closing)."""
        return await self._read(booking.bookings_at, site, days)

    async def import_sites(self, path_or_text: str | Path) -> ImportReport:
        """Import a sites file (a path, or the YAML text): an idempotent upsert by site name.

        Desks absent from the file are deactivated (their history kept; existing bookings are
        honoured), desks back in the file are reactivated. A file with any error is rejected
        whole with `SitesFileError(line, reason)` and nothing is written.
        """
        specs = parse_sites(read_source(path_or_text))
        async with self._changing_sites():
            return await self._write(sites_ops.import_sites, specs)

    # Bookings ----------------------------------------------------------------------------

    async def reserve(
        self,
        member: UserId,
        site: str,
        days: Sequence[date],
        slot: Slot,
        desk: str | None = None,
        source_event_id: str | None = None,
    ) -> list[DayOutcome]:
        """Book `slot` at `site` on each of `days`; one `DayOutcome` per day, in order.

        Without `desk`, the member's last desk at that site when free, else the first free desk
        in natural label order. Weekends, holidays, closed weekdays, closures, past days and
        days beyond the horizon are refused with their outcome. A new booking replaces the
        member's status (remote...) on the same half-days (`DayOutcome.replaced_status`).
        """
        slot = Slot(slot)
        desk = desk.strip() or None if desk else None
        if self.dialect == "postgresql":  # three round trips for a booking (see the function)
            booked = await self._write_managed(
                booking.reserve_pg,
                member=member,
                site=site,
                days=days,
                slot=slot,
                desk=desk,
                source_event_id=source_event_id,
            )
            if booked is not None:
                return booked
        return await self._write(booking.reserve, member, site, days, slot, desk, source_event_id)

    async def cancel(
        self,
        member: UserId,
        days: Sequence[date],
        slot: Slot | None = None,
        site: str | None = None,
    ) -> list[Booking]:
        """Cancel the member's bookings on `days` (today or later), optionally only one half or
        one site. Cancelling one half of a whole-day booking keeps the other half: the booking
        becomes an am/pm booking (same id, same desk) and the released half is returned as a
        Booking with the released slot."""
        return await self._write(booking.cancel, member, days, Slot(slot) if slot else None, site)

    async def list_bookings(self, member: UserId, from_day: date, to_day: date) -> list[Booking]:
        """The member's active bookings from `from_day` to `to_day` inclusive, in order."""
        return await self._read(booking.list_bookings, member, from_day, to_day)

    async def availability(self, site: str, day: date, slot: Slot) -> Availability:
        """Free desks at `site` for `slot` on `day` (`blocked` says why none can be)."""
        return await self._read(booking.availability, site, day, Slot(slot))

    # Presence ----------------------------------------------------------------------------

    async def who(
        self, day: date, site: str | None = None, members: Sequence[UserId] | None = None
    ) -> list[Presence]:
        """Whereabouts on `day`: bookings (onsite) and statuses, sorted by name.

        `site` keeps only the bookings at that site (statuses have no site); `members` keeps
        only those Matrix ids. Members who said nothing are absent (the digest adds them).
        """
        return await self._read(presence.who, day, site, members)

    async def conflicting_bookings(
        self, member: UserId, days: Sequence[date], slot: Slot
    ) -> list[Booking]:
        """Bookings a `set_status(member, days, slot, ...)` would cancel: ask before."""
        return await self._read(presence.conflicting_bookings, member, days, Slot(slot))

    async def set_status(
        self,
        member: UserId,
        days: Sequence[date],
        slot: Slot,
        kind: StatusKind,
        replace_bookings: bool = False,
    ) -> list[StatusChange]:
        """Declare remote/leave/travel on `days` (today or later; earlier days are ignored).

        Overlapping bookings raise `StatusConflict` (listing them) unless `replace_bookings`,
        which cancels them (a whole-day booking under a half-day status keeps its other half).
        One StatusChange per day, or per replaced booking when a day had several.
        """
        return await self._write(
            presence.set_status,
            member,
            days,
            Slot(slot),
            StatusKind(kind),
            replace_bookings,
        )

    async def clear_status(
        self, member: UserId, days: Sequence[date], slot: Slot | None = None
    ) -> int:
        """Remove statuses on `days` (one half with `slot`); returns the days that had one."""
        return await self._write(presence.clear_status, member, days, Slot(slot) if slot else None)

    # Teams and the morning digest --------------------------------------------------------

    async def subscribe_digest(
        self,
        room_id: RoomId,
        digest_time: str,
        lead: UserId,
        timezone: str = "Europe/Paris",
        locale: str = "fr",
    ) -> Team:
        """Subscribe the room to the morning digest at `digest_time` ("HH:MM" in `timezone`),
        written in `locale`; a second call updates it. `lead` (created if unknown) leads the
        team and gets the role lead if they were an agent. `ValueError` for a bad time or zone.
        """
        return await self._write(
            teams.subscribe_digest,
            room_id,
            digest_time,
            lead,
            timezone,
            locale,
        )

    async def unsubscribe_digest(self, room_id: RoomId) -> bool:
        """Stop the room's digest; False if it had none."""
        return await self._write(teams.unsubscribe_digest, room_id)

    async def get_team(self, room_id: RoomId) -> Team | None:
        """The room's digest subscription with its lead and usual site, or None."""
        return await self._read(teams.get_team, room_id)

    async def list_teams(self) -> list[Team]:
        """Every subscribed room, by room id (one query)."""
        return await self._read(teams.list_teams)

    async def set_room_members(
        self, room_id: RoomId, members: Sequence[tuple[UserId, str | None]]
    ) -> None:
        """Replace the room's stored joined members by `members` (Matrix id, display name):
        unknown members are created (role agent), display names refreshed (None keeps the
        known one). The transport calls it on subscription and when membership changes."""
        members = [(member, clip(name, DISPLAY_NAME_LENGTH)) for member, name in members]
        await self._write(teams.set_room_members, room_id, members)

    async def desks_of(self, site: str) -> list[desks.DeskInfo]:
        """The site's active desks with their zone and features, in label order."""
        return await self._read(desks.desks_of, site)

    async def usual_desk(self, member: UserId, site: str) -> str | None:
        """The desk the member booked most often at `site`, or None."""
        return await self._read(desks.usual_desk, member, site)

    async def list_people(self) -> list[TeamMember]:
        """Every member the bot knows (Matrix id, display name), to find someone by name."""
        return await self._read(people.list_people)

    async def room_members(self, room_id: RoomId) -> list[TeamMember]:
        """The room's stored members, by display name."""
        return await self._read(teams.get_room_members, room_id)

    async def team_days(self, day: date, room_ids: Sequence[RoomId]) -> list[TeamDay]:
        """Everything the digests of `room_ids` need for `day`: each subscribed room's team,
        members and their presences (bookings and statuses), in the order given; rooms that
        are not subscribed are skipped. Four queries whatever the number of rooms and members.
        """
        return await self._read(teams.team_days, day, room_ids)

    async def claim_digest(self, room_id: RoomId, day: date, owner: str, lease: timedelta) -> bool:
        """True for exactly one caller per room and day, across processes: the one that must
        post the digest. A claim not marked sent within `lease` may be taken over (a crash
        between claim and send does not lose the day); once sent, never."""
        return await self._write(digests.claim_digest, room_id, day, owner, lease)

    async def claim_digests(
        self, room_ids: Sequence[RoomId], day: date, owner: str, lease: timedelta
    ) -> list[RoomId]:
        """`claim_digest` for many rooms in one transaction; returns the rooms won."""
        return await self._write(digests.claim_digests, list(room_ids), day, owner, lease)

    async def digests_sent(self, room_ids: Sequence[RoomId], day: date) -> set[RoomId]:
        """The rooms among `room_ids` whose digest of `day` was marked sent."""
        return await self._read(digests.sent_among, list(room_ids), day)

    async def mark_digest_sent(self, room_id: RoomId, day: date) -> None:
        """Record that the room's digest of `day` was posted."""
        await self._write(digests.mark_digest_sent, room_id, day)

    async def digest_sent(self, room_id: RoomId, day: date) -> bool:
        """True once the room's digest of `day` was marked sent."""
        return await self._read(digests.digest_sent, room_id, day)

    async def prune_digest_runs(self, before: date) -> int:
        """Forget the digest runs of days before `before`; returns how many were forgotten."""
        return await self._write(digests.prune_digest_runs, before)

    # Follows -----------------------------------------------------------------------------

    async def follow_site(self, room_id: RoomId, site: str) -> bool:
        """The room follows the site's news; False if it already did."""
        return await self._write(follows.follow_site, room_id, site)

    async def unfollow_site(self, room_id: RoomId, site: str) -> bool:
        """The room stops following the site; False if it did not follow it explicitly."""
        return await self._write(follows.unfollow_site, room_id, site)

    async def rooms_following(self, site: str) -> list[RoomId]:
        """Rooms to tell about the site, sorted and unique: those following it explicitly, and
        digest rooms having a member whose default site (set, else last booked) it is or who
        has a booking there from today on."""
        return await self._read(follows.rooms_following, site)

    # Conversation state ------------------------------------------------------------------

    async def claim_event(self, event_id: str) -> bool:
        """True the first time `event_id` is claimed, False ever after (also under races)."""
        return await self._write_one(conversation.claim_event, event_id)

    async def claim_command(
        self, event_id: str, owner: str, payload: dict[str, Any], lease: timedelta
    ) -> bool:
        """`claim_event` with a lease and the command itself (storage.inbox): a command whose
        claimer died before answering is taken over by another process after `lease`."""
        return await self._write_one(inbox_ops.claim_command, event_id, owner, payload, lease)

    async def command_done(self, event_id: str) -> None:
        """The command was answered: never taken over."""
        await self._write_one(inbox_ops.command_done, event_id)

    async def take_over_commands(
        self, owner: str, lease: timedelta, limit: int = 50
    ) -> list[dict[str, Any]]:
        """The commands whose claim expired unanswered, now claimed by `owner`, oldest first."""
        return await self._write(inbox_ops.take_over, owner, lease, limit)

    async def ping(self) -> None:
        """One round trip to the database (health checks); raises when it does not answer."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def prune_events(self, older_than: datetime) -> int:
        """Forget events claimed before `older_than`; returns how many were forgotten."""
        return await self._write(conversation.prune_events, older_than)

    async def save_pending(
        self,
        member: UserId,
        room: RoomId,
        kind: str,
        payload: dict[str, Any],
        expires_at: datetime,
    ) -> None:
        """Keep a question waiting for the member's answer in `room` (replaces the previous
        one). `payload` is JSON plus dates and datetimes."""
        await self._write_one(conversation.save_pending, member, room, kind, payload, expires_at)

    async def save_dialogue(
        self, member: UserId, room: RoomId, state: dict[str, Any], expires_at: datetime
    ) -> None:
        """Keep the member's dialogue state in `room` (JSON plus dates), until `expires_at`."""
        await self._write_one(conversation.save_dialogue, member, room, state, expires_at)

    async def load_dialogue(self, member: UserId, room: RoomId) -> dict[str, Any] | None:
        """The member's dialogue state in `room`; None when there is none or it expired."""
        return await self._read(conversation.load_dialogue, member, room)

    async def begin_turn(
        self, member: UserId, room: RoomId
    ) -> tuple[dict[str, Any] | None, PendingQuestion | None]:
        """At the start of a message: the dialogue state (None when expired) and the pending
        question, removed (None when there is none or it expired), in one transaction."""
        return await self._write(conversation.begin_turn, member, room)

    async def open_turn(
        self, member: UserId, display_name: str | None, room: RoomId
    ) -> tuple[MemberInfo, dict[str, Any] | None, PendingQuestion | None]:
        """At the start of a message: `ensure_member` and `begin_turn` in one transaction
        (on PostgreSQL one statement, `storage.turns`)."""
        display_name = clip(display_name, DISPLAY_NAME_LENGTH)
        if self.dialect == "postgresql":
            opened = await self._write_one(turns.open_turn_pg, member, display_name, room)
            if opened is not None:
                return opened
        return await self._write(conversation.open_turn, member, display_name, room)

    async def end_turn(
        self,
        member: UserId,
        room: RoomId,
        state: dict[str, Any] | None,
        state_expires_at: datetime,
        question: PendingQuestion | None = None,
    ) -> None:
        """At the end of a message: keep the dialogue state until `state_expires_at` (`{}`
        forgets it, None leaves it as it is) and the question asked for a yes/no, if any
        (replacing the previous one), in one transaction; on PostgreSQL one statement
        (`storage.turns`). `UnknownMember` when the member does not exist."""
        if state is None and question is None:
            return
        if self.dialect == "postgresql":
            await self._write_one(
                turns.end_turn_pg, member, room, state, state_expires_at, question
            )
            return
        await self._write(conversation.end_turn, member, room, state, state_expires_at, question)

    async def clear_dialogue(self, member: UserId, room: RoomId) -> None:
        """Forget the member's dialogue state in `room`."""
        await self._write_one(conversation.clear_dialogue, member, room)

    async def move(
        self,
        member: UserId,
        from_day: date,
        to_day: date,
        *,
        from_slot: Slot | None = None,
        from_site: str | None = None,
        to_slot: Slot | None = None,
        to_site: str | None = None,
    ) -> moves.MoveResult:
        """Move the member's booking of `from_day` to `to_day` (and `to_site`, `to_slot`) in
        one transaction: same desk when free, else another at that site; when the new day
        cannot be booked, nothing changes and `MoveResult.new` says why."""
        try:
            return await self._write(
                moves.move,
                member,
                from_day,
                Slot(from_slot) if from_slot else None,
                from_site,
                to_day,
                Slot(to_slot) if to_slot else None,
                to_site,
            )
        except moves.Refused as refused:  # raised inside to roll the release back
            return refused.result

    async def take_pending(self, member: UserId, room: RoomId) -> PendingQuestion | None:
        """Remove and return the waiting question; None if there is none or it expired."""
        return await self._write_one(conversation.take_pending, member, room)

    # Statistics and calendars (issue 13) --------------------------------------------------

    async def occupancy(
        self, site: str | None, start: date, end: date, retention_days: int = 730
    ) -> stats.Comparison:
        """The occupancy figures of a site (None: every site) from `start` to `end`, with the
        previous period of equal length; `BadPeriod`, `UnknownSite` for bad input."""
        return await self._read(stats.compare, site, start, end, retention_days)

    async def occupancy_period(
        self, site: str | None, start: date, end: date, retention_days: int = 730
    ) -> stats.PeriodFigures:
        """The figures of one period, without the comparison."""
        return await self._read(stats.period, site, start, end, retention_days)

    async def occupancy_today(self) -> list[stats.SiteToday]:
        """Per site, today's desks, booked half-days, check-ins and released bookings."""
        return await self._read(stats.today_by_site)

    async def mark_checked_in(self, booking_id: int) -> bool:
        """Record the agent's arrival for an active booking; False if it is not active."""
        return await self._write(attendance.mark_checked_in, booking_id)

    async def release_no_show(self, booking_id: int) -> bool:
        """Release an active booking not checked in (its desk is free again)."""
        return await self._write(attendance.release_no_show, booking_id)

    async def calendar_token(self, matrix_id: UserId, renew: bool = False) -> str:
        """A new private feed token for the member; `renew` revokes the previous ones."""
        return await self._write(calendar_tokens.new_token, matrix_id, renew)

    async def calendar_member(self, token: str) -> UserId | None:
        """The member a live feed token belongs to, or None (unknown or revoked)."""
        return await self._read(calendar_tokens.member_of_token, token)

    async def calendar_feed(
        self, token: str, start: date, end: date
    ) -> calendar_tokens.Feed | None:
        """A live token's member, language and bookings from `start` to `end`, in one read;
        None for an unknown or revoked token."""
        return await self._read(calendar_tokens.feed_for_token, token, start, end)

    async def calendar_bookings(
        self, matrix_id: UserId, start: date, end: date
    ) -> list[calendar_tokens.FeedBooking]:
        """The member's active bookings from `start` to `end`, for a calendar feed."""
        return await self._read(calendar_tokens.feed_bookings, matrix_id, start, end)
