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
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import (
    attendance,
    booking,
    calendar_tokens,
    conversation,
    digests,
    follows,
    presence,
    stats,
    teams,
)
from storage import members as members_ops
from storage import sites as sites_ops
from storage.clock import Clock
from storage.engine import READ_ONLY, create_engine, is_retryable
from storage.errors import SchemaOutOfDate
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

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")
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

    @property
    def dialect(self) -> str:
        """ "postgresql" or "sqlite"."""
        return self.engine.dialect.name

    async def _write(
        self,
        name: str,
        operation: Callable[Concatenate[Tx, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run `operation` in one write transaction named `name`."""
        return await self._transaction(name, False, operation, *args, **kwargs)

    async def _read(
        self,
        name: str,
        operation: Callable[Concatenate[Tx, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run `operation` in one transaction that only reads (SQLite: no write lock)."""
        return await self._transaction(name, True, operation, *args, **kwargs)

    async def _transaction(
        self,
        name: str,
        read_only: bool,
        operation: Callable[..., Awaitable[T]],
        *args: Any,
        **kwargs: Any,
    ) -> T:
        """Run `operation(tx, ...)` in one transaction, retried (a bounded number of times) when
        the database reports a deadlock, a serialization failure or a busy file."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            started = time.perf_counter()
            try:
                async with self.engine.connect() as conn:
                    if read_only:
                        conn = await conn.execution_options(**{READ_ONLY: True})
                    async with conn.begin():
                        tx = Tx(
                            conn, self.clock.now(), self.horizon_days, self.timezone, self._sites
                        )
                        result = await operation(tx, *args, **kwargs)
            except DBAPIError as error:
                if attempt == MAX_ATTEMPTS or not is_retryable(error):
                    raise
                log.info("%s: transient database error, retry %d: %s", name, attempt, error.orig)
                await asyncio.sleep(0.005 * 2**attempt)
                continue
            log.debug("%s: %.1f ms", name, (time.perf_counter() - started) * 1000)
            return result
        raise AssertionError("unreachable")

    # Members -------------------------------------------------------------------------------

    async def ensure_member(self, matrix_id: str, display_name: str | None = None) -> MemberInfo:
        """Create the member on first contact (role agent); refresh their display name."""
        return await self._write(
            "ensure_member", members_ops.ensure_member, matrix_id, display_name
        )

    async def get_member(self, matrix_id: str) -> MemberInfo | None:
        """The member, or None if unknown."""
        return await self._read("get_member", members_ops.get_member, matrix_id)

    async def set_default_site(self, matrix_id: str, site: str | None) -> MemberInfo:
        """Set the member's default site (None clears it; the last booked site then applies)."""
        return await self._write("set_default_site", members_ops.set_default_site, matrix_id, site)

    async def set_locale(self, matrix_id: str, locale: str | None) -> MemberInfo:
        """Set the member's language ("fr", "en"; None = the bot's default)."""
        return await self._write("set_locale", members_ops.update_member, matrix_id, locale=locale)

    async def set_role(self, matrix_id: str, role: Role) -> MemberInfo:
        """Set the member's role."""
        return await self._write(
            "set_role", members_ops.update_member, matrix_id, role=Role(role).value
        )

    # Sites -------------------------------------------------------------------------------

    async def list_sites(self) -> list[SiteInfo]:
        """Every site, by name, with aliases, managers and active desk counts.

        Cached for SITE_LIST_TTL seconds; an import, an opening or a change of managers in this
        process refreshes it at once (another process's, within the TTL).
        """
        cached = self._site_list
        if cached is not None and time.monotonic() - cached[0] < SITE_LIST_TTL:
            return list(cached[1])
        found = await self._read("list_sites", sites_ops.list_sites)
        self._site_list = (time.monotonic(), found)
        return list(found)

    async def get_site(self, name: str) -> SiteInfo | None:
        """The site with this name or alias (any case, accents), or None."""
        return await self._read("get_site", sites_ops.get_site, name)

    async def managers_of(self, site: str) -> tuple[str, ...]:
        """Matrix ids of the site's managers."""
        return await self._read("managers_of", sites_ops.managers_of, site)

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
        try:
            return await self._write(
                "open_desks", sites_ops.open_desks, site, labels, count, from_day
            )
        finally:
            self._site_list = None  # after the commit: a reader cannot cache the old list

    async def close_site(
        self, site: str, days: Sequence[date], reason: str | None = None
    ) -> list[Booking]:
        """Close the site on `days` (past days are ignored) and cancel the bookings there;
        returns the cancelled bookings so that the caller can tell each member."""
        return await self._write("close_site", booking.close_site, site, days, reason)

    async def reopen_site(self, site: str, days: Sequence[date]) -> list[date]:
        """Lift closures; returns the days that were closed (cancelled bookings stay so)."""
        return await self._write("reopen_site", booking.reopen_site, site, days)

    async def add_manager(self, site: str, matrix_id: str) -> SiteInfo:
        """Appoint `matrix_id` manager of the site (an admin's "nomme @x responsable de Metz").

        The member is created if unknown; their role becomes manager unless they are admin.
        Appointed managers are kept by later imports of the sites file, even one that lists
        other managers or no longer lists them: only `remove_manager` undoes an appointment.
        Returns the site with its managers. `ValueError` for a malformed Matrix id.
        """
        try:
            return await self._write("add_manager", sites_ops.add_manager, site, matrix_id)
        finally:
            self._site_list = None  # after the commit: a reader cannot cache the old list

    async def remove_manager(self, site: str, matrix_id: str) -> bool:
        """Remove a manager of the site (appointed or from the file); False if not one. A
        member who manages no site any more goes back to lead (if leading a team) or agent."""
        try:
            return await self._write("remove_manager", sites_ops.remove_manager, site, matrix_id)
        finally:
            self._site_list = None  # after the commit: a reader cannot cache the old list

    async def bookings_at(self, site: str, days: Sequence[date]) -> list[Booking]:
        """Active bookings at the site on `days` from today on: exactly what `close_site`
        would cancel (ask before closing)."""
        return await self._read("bookings_at", booking.bookings_at, site, days)

    async def import_sites(self, path_or_text: str | Path) -> ImportReport:
        """Import a sites file (a path, or the YAML text): an idempotent upsert by site name.

        Desks absent from the file are deactivated (their history kept; existing bookings are
        honoured), desks back in the file are reactivated. A file with any error is rejected
        whole with `SitesFileError(line, reason)` and nothing is written.
        """
        specs = parse_sites(read_source(path_or_text))
        try:
            return await self._write("import_sites", sites_ops.import_sites, specs)
        finally:
            self._sites.invalidate()
            self._site_list = None

    # Bookings ----------------------------------------------------------------------------

    async def reserve(
        self,
        member: str,
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
        if self.dialect == "postgresql":
            booked = await booking.reserve_fast_pg(
                self.engine, self._sites, self.clock.now(), self.horizon_days,
                member, site, days, slot, desk, source_event_id,
            )  # fmt: skip
            if booked is not None:
                return booked
        return await self._write(
            "reserve", booking.reserve, member, site, days, slot, desk, source_event_id
        )

    async def cancel(
        self,
        member: str,
        days: Sequence[date],
        slot: Slot | None = None,
        site: str | None = None,
    ) -> list[Booking]:
        """Cancel the member's bookings on `days` (today or later), optionally only one half or
        one site. Cancelling one half of a whole-day booking keeps the other half: the booking
        becomes an am/pm booking (same id, same desk) and the released half is returned as a
        Booking with the released slot."""
        return await self._write(
            "cancel", booking.cancel, member, days, Slot(slot) if slot else None, site
        )

    async def list_bookings(self, member: str, from_day: date, to_day: date) -> list[Booking]:
        """The member's active bookings from `from_day` to `to_day` inclusive, in order."""
        return await self._read("list_bookings", booking.list_bookings, member, from_day, to_day)

    async def availability(self, site: str, day: date, slot: Slot) -> Availability:
        """Free desks at `site` for `slot` on `day` (`blocked` says why none can be)."""
        return await self._read("availability", booking.availability, site, day, Slot(slot))

    # Presence ----------------------------------------------------------------------------

    async def who(
        self, day: date, site: str | None = None, members: Sequence[str] | None = None
    ) -> list[Presence]:
        """Whereabouts on `day`: bookings (onsite) and statuses, sorted by name.

        `site` keeps only the bookings at that site (statuses have no site); `members` keeps
        only those Matrix ids. Members who said nothing are absent (the digest adds them).
        """
        return await self._read("who", presence.who, day, site, members)

    async def conflicting_bookings(
        self, member: str, days: Sequence[date], slot: Slot
    ) -> list[Booking]:
        """Bookings a `set_status(member, days, slot, ...)` would cancel: ask before."""
        return await self._read(
            "conflicting_bookings", presence.conflicting_bookings, member, days, Slot(slot)
        )

    async def set_status(
        self,
        member: str,
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
            "set_status",
            presence.set_status,
            member,
            days,
            Slot(slot),
            StatusKind(kind),
            replace_bookings,
        )

    async def clear_status(
        self, member: str, days: Sequence[date], slot: Slot | None = None
    ) -> int:
        """Remove statuses on `days` (one half with `slot`); returns the days that had one."""
        return await self._write(
            "clear_status", presence.clear_status, member, days, Slot(slot) if slot else None
        )

    # Teams and the morning digest --------------------------------------------------------

    async def subscribe_digest(
        self,
        room_id: str,
        digest_time: str,
        lead: str,
        timezone: str = "Europe/Paris",
        locale: str = "fr",
    ) -> Team:
        """Subscribe the room to the morning digest at `digest_time` ("HH:MM" in `timezone`),
        written in `locale`; a second call updates it. `lead` (created if unknown) leads the
        team and gets the role lead if they were an agent. `ValueError` for a bad time or zone.
        """
        return await self._write(
            "subscribe_digest",
            teams.subscribe_digest,
            room_id,
            digest_time,
            lead,
            timezone,
            locale,
        )

    async def unsubscribe_digest(self, room_id: str) -> bool:
        """Stop the room's digest; False if it had none."""
        return await self._write("unsubscribe_digest", teams.unsubscribe_digest, room_id)

    async def get_team(self, room_id: str) -> Team | None:
        """The room's digest subscription with its lead and usual site, or None."""
        return await self._read("get_team", teams.get_team, room_id)

    async def list_teams(self) -> list[Team]:
        """Every subscribed room, by room id (one query)."""
        return await self._read("list_teams", teams.list_teams)

    async def set_room_members(
        self, room_id: str, members: Sequence[tuple[str, str | None]]
    ) -> None:
        """Replace the room's stored joined members by `members` (Matrix id, display name):
        unknown members are created (role agent), display names refreshed (None keeps the
        known one). The transport calls it on subscription and when membership changes."""
        await self._write("set_room_members", teams.set_room_members, room_id, members)

    async def room_members(self, room_id: str) -> list[TeamMember]:
        """The room's stored members, by display name."""
        return await self._read("room_members", teams.get_room_members, room_id)

    async def team_days(self, day: date, room_ids: Sequence[str]) -> list[TeamDay]:
        """Everything the digests of `room_ids` need for `day`: each subscribed room's team,
        members and their presences (bookings and statuses), in the order given; rooms that
        are not subscribed are skipped. Four queries whatever the number of rooms and members.
        """
        return await self._read("team_days", teams.team_days, day, room_ids)

    async def claim_digest(self, room_id: str, day: date, owner: str, lease: timedelta) -> bool:
        """True for exactly one caller per room and day, across processes: the one that must
        post the digest. A claim not marked sent within `lease` may be taken over (a crash
        between claim and send does not lose the day); once sent, never."""
        return await self._write("claim_digest", digests.claim_digest, room_id, day, owner, lease)

    async def mark_digest_sent(self, room_id: str, day: date) -> None:
        """Record that the room's digest of `day` was posted."""
        await self._write("mark_digest_sent", digests.mark_digest_sent, room_id, day)

    async def digest_sent(self, room_id: str, day: date) -> bool:
        """True once the room's digest of `day` was marked sent."""
        return await self._read("digest_sent", digests.digest_sent, room_id, day)

    async def prune_digest_runs(self, before: date) -> int:
        """Forget the digest runs of days before `before`; returns how many were forgotten."""
        return await self._write("prune_digest_runs", digests.prune_digest_runs, before)

    # Follows -----------------------------------------------------------------------------

    async def follow_site(self, room_id: str, site: str) -> bool:
        """The room follows the site's news; False if it already did."""
        return await self._write("follow_site", follows.follow_site, room_id, site)

    async def unfollow_site(self, room_id: str, site: str) -> bool:
        """The room stops following the site; False if it did not follow it explicitly."""
        return await self._write("unfollow_site", follows.unfollow_site, room_id, site)

    async def rooms_following(self, site: str) -> list[str]:
        """Rooms to tell about the site, sorted and unique: those following it explicitly, and
        digest rooms having a member whose default site (set, else last booked) it is or who
        has a booking there from today on."""
        return await self._read("rooms_following", follows.rooms_following, site)

    # Conversation state ------------------------------------------------------------------

    async def claim_event(self, event_id: str) -> bool:
        """True the first time `event_id` is claimed, False ever after (also under races)."""
        return await self._write("claim_event", conversation.claim_event, event_id)

    async def ping(self) -> None:
        """One round trip to the database (health checks); raises when it does not answer."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def prune_events(self, older_than: datetime) -> int:
        """Forget events claimed before `older_than`; returns how many were forgotten."""
        return await self._write("prune_events", conversation.prune_events, older_than)

    async def save_pending(
        self,
        member: str,
        room: str,
        kind: str,
        payload: dict[str, Any],
        expires_at: datetime,
    ) -> None:
        """Keep a question waiting for the member's answer in `room` (replaces the previous
        one). `payload` is JSON plus dates and datetimes."""
        await self._write(
            "save_pending", conversation.save_pending, member, room, kind, payload, expires_at
        )

    async def take_pending(self, member: str, room: str) -> PendingQuestion | None:
        """Remove and return the waiting question; None if there is none or it expired."""
        return await self._write("take_pending", conversation.take_pending, member, room)

    # Statistics and calendars (issue 13) --------------------------------------------------

    async def occupancy(
        self, site: str | None, start: date, end: date, retention_days: int = 730
    ) -> stats.Comparison:
        """The occupancy figures of a site (None: every site) from `start` to `end`, with the
        previous period of equal length; `BadPeriod`, `UnknownSite` for bad input."""
        return await self._read("occupancy", stats.compare, site, start, end, retention_days)

    async def occupancy_period(
        self, site: str | None, start: date, end: date, retention_days: int = 730
    ) -> stats.PeriodFigures:
        """The figures of one period, without the comparison."""
        return await self._read("occupancy_period", stats.period, site, start, end, retention_days)

    async def occupancy_today(self) -> list[stats.SiteToday]:
        """Per site, today's desks, booked half-days, check-ins and released bookings."""
        return await self._read("occupancy_today", stats.today_by_site)

    async def mark_checked_in(self, booking_id: int) -> bool:
        """Record the agent's arrival for an active booking; False if it is not active."""
        return await self._write("mark_checked_in", attendance.mark_checked_in, booking_id)

    async def release_no_show(self, booking_id: int) -> bool:
        """Release an active booking not checked in (its desk is free again)."""
        return await self._write("release_no_show", attendance.release_no_show, booking_id)

    async def calendar_token(self, matrix_id: str, renew: bool = False) -> str:
        """A new private feed token for the member; `renew` revokes the previous ones."""
        return await self._write("calendar_token", calendar_tokens.new_token, matrix_id, renew)

    async def calendar_member(self, token: str) -> str | None:
        """The member a live feed token belongs to, or None (unknown or revoked)."""
        return await self._read("calendar_member", calendar_tokens.member_of_token, token)

    async def calendar_feed(
        self, token: str, start: date, end: date
    ) -> calendar_tokens.Feed | None:
        """A live token's member, language and bookings from `start` to `end`, in one read;
        None for an unknown or revoked token."""
        return await self._read("calendar_feed", calendar_tokens.feed_for_token, token, start, end)

    async def calendar_bookings(
        self, matrix_id: str, start: date, end: date
    ) -> list[calendar_tokens.FeedBooking]:
        """The member's active bookings from `start` to `end`, for a calendar feed."""
        return await self._read(
            "calendar_bookings", calendar_tokens.feed_bookings, matrix_id, start, end
        )
