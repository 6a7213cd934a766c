"""Teams: rooms subscribed to the morning digest, their members, and what a digest shows.

A team is a room. `teams` holds the digest's settings and lead; `room_members` the room's joined
members as the transport last reported them. The team's usual site (and so the département whose
public holidays skip the digest) is computed when read: the site most members have as default.

`team_days` reads everything the digests of many rooms need in four queries whatever the number
of rooms and members: teams, members, bookings, statuses. Each joins on `room_members` and filters
rooms with one array parameter, never with a list of member ids.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, and_, delete, func, select, update

from storage.domain import RoomId, UserId
from storage.members import upsert_members
from storage.models import members, presence_statuses, reservations, room_members, sites, teams
from storage.owners import owner_presences
from storage.presence import onsite_presence, presence_order, status_presences
from storage.queries import Tx, active, booking_select, default_site_id, one_of, upsert
from storage.types import Presence, Role, Team, TeamDay, TeamMember

log = logging.getLogger(__name__)

_TIME = re.compile(r"^(\d{1,2})[:hH](\d{2})$")
MAX_LOCALE = 16


def digest_time(text: str) -> str:
    """ "8:30", "08:30" or "8h30" as "08:30"; `ValueError` unless a time of day."""
    match = _TIME.match(text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"not a time of day (HH:MM): {text!r}")
    return f"{int(match[1]):02d}:{match[2]}"


def _check_settings(timezone: str, locale: str) -> None:
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone: {timezone!r}") from error
    if not locale or len(locale) > MAX_LOCALE:
        raise ValueError(f"a locale has 1 to {MAX_LOCALE} characters: {locale!r}")


async def subscribe_digest(
    tx: Tx, room_id: RoomId, time: str, lead: UserId, timezone: str, locale: str
) -> Team:
    """Subscribe (or update) the room; the lead becomes a member with role lead if an agent."""
    at = digest_time(time)
    _check_settings(timezone, locale)
    lead_id = await _ensure_member(tx, lead)
    await tx.conn.execute(
        update(members)
        .where(members.c.id == lead_id, members.c.role == Role.AGENT.value)
        .values(role=Role.LEAD.value, updated_at=tx.now)
    )
    values = {
        "digest_time": at,
        "timezone": timezone,
        "locale": locale,
        "lead_id": lead_id,
        "updated_at": tx.now,
    }
    await tx.conn.execute(
        upsert(tx)(teams)
        .values(room_id=room_id, created_at=tx.now, **values)
        .on_conflict_do_update(index_elements=["room_id"], set_=values)
    )
    (team,) = await load_teams(tx, [room_id])
    log.info("digest subscribed in %s at %s %s by %s", room_id, at, timezone, lead)
    return team


async def unsubscribe_digest(tx: Tx, room_id: RoomId) -> bool:
    """Stop the room's digest; False when it had none. Its members and follows stay."""
    result = await tx.conn.execute(
        delete(teams).where(teams.c.room_id == room_id).returning(teams.c.room_id)
    )
    return result.first() is not None


async def get_team(tx: Tx, room_id: RoomId) -> Team | None:
    """The subscribed room, or None."""
    found = await load_teams(tx, [room_id])
    return found[0] if found else None


async def list_teams(tx: Tx) -> list[Team]:
    """Every subscribed room, by room id."""
    return await load_teams(tx, None)


async def load_teams(tx: Tx, room_ids: Sequence[RoomId] | None) -> list[Team]:
    """The teams among `room_ids` (all when None), by room id, in one query."""
    rows = await tx.conn.execute(_teams_query(tx, room_ids))
    return [
        Team(
            room_id=row.room_id,
            digest_time=row.digest_time,
            timezone=row.timezone,
            locale=row.locale,
            lead=row.lead,
            usual_site=row.usual_site,
            department=row.department,
        )
        for row in rows
    ]


def _teams_query(tx: Tx, room_ids: Sequence[RoomId] | None) -> Select[Any]:
    """Teams with their lead and usual site: the site most members have as default site; ties
    go to the site first in name order, members without one do not count."""
    member_sites = (
        select(room_members.c.room_id, default_site_id().label("site_id"))
        .join(teams, teams.c.room_id == room_members.c.room_id)
        .join(members, members.c.id == room_members.c.member_id)
    )
    if room_ids is not None:
        member_sites = member_sites.where(one_of(tx, room_members.c.room_id, room_ids))
    by_site = member_sites.cte("member_sites")
    ranked = (
        select(
            by_site.c.room_id,
            by_site.c.site_id,
            func.row_number()
            .over(
                partition_by=by_site.c.room_id,
                order_by=(func.count().desc(), sites.c.name_key),
            )
            .label("rank"),
        )
        .join(sites, sites.c.id == by_site.c.site_id)
        .group_by(by_site.c.room_id, by_site.c.site_id, sites.c.name_key)
        .subquery("ranked")
    )
    usual = sites.alias("usual")
    lead = members.alias("lead")
    query = (
        select(
            teams.c.room_id,
            teams.c.digest_time,
            teams.c.timezone,
            teams.c.locale,
            lead.c.matrix_id.label("lead"),
            usual.c.name.label("usual_site"),
            usual.c.department,
        )
        .select_from(
            teams.outerjoin(ranked, and_(ranked.c.room_id == teams.c.room_id, ranked.c.rank == 1))
            .outerjoin(usual, usual.c.id == ranked.c.site_id)
            .outerjoin(lead, lead.c.id == teams.c.lead_id)
        )
        .order_by(teams.c.room_id)
    )
    if room_ids is not None:
        query = query.where(one_of(tx, teams.c.room_id, room_ids))
    return query


async def _ensure_member(tx: Tx, matrix_id: UserId) -> int:
    """The member's id, creating them (role agent, no name) on first sight."""
    await upsert_members(tx, [(matrix_id, None)])
    return await tx.member_id(matrix_id)


async def set_room_members(
    tx: Tx, room_id: RoomId, joined: Sequence[tuple[UserId, str | None]]
) -> None:
    """Make the room's stored members exactly `joined` (Matrix id, display name): members are
    created on first sight and their names refreshed (None keeps a known name)."""
    names = {matrix_id for matrix_id, _ in joined}
    wanted: set[int] = set()
    if names:
        await upsert_members(tx, joined)
        wanted = set(
            (
                await tx.conn.execute(
                    select(members.c.id).where(one_of(tx, members.c.matrix_id, list(names)))
                )
            ).scalars()
        )
    current = set(
        (
            await tx.conn.execute(
                select(room_members.c.member_id).where(room_members.c.room_id == room_id)
            )
        ).scalars()
    )
    if current - wanted:
        await tx.conn.execute(
            delete(room_members).where(
                room_members.c.room_id == room_id,
                one_of(tx, room_members.c.member_id, sorted(current - wanted)),
            )
        )
    if wanted - current:
        await tx.conn.execute(
            upsert(tx)(room_members).on_conflict_do_nothing(),
            [{"room_id": room_id, "member_id": m} for m in sorted(wanted - current)],
        )


async def get_room_members(tx: Tx, room_id: RoomId) -> list[TeamMember]:
    """The room's stored members, by name."""
    rows = await tx.conn.execute(
        select(members.c.matrix_id, members.c.display_name)
        .join(room_members, room_members.c.member_id == members.c.id)
        .where(room_members.c.room_id == room_id)
    )
    return sorted((TeamMember(r.matrix_id, r.display_name) for r in rows), key=_member_order)


def _member_order(member: TeamMember) -> tuple[str, str]:
    return ((member.display_name or member.matrix_id).casefold(), member.matrix_id)


async def team_days(tx: Tx, day: date, room_ids: Sequence[RoomId]) -> list[TeamDay]:
    """The day of each subscribed room among `room_ids`, in their order (others are skipped):
    members, and their bookings and statuses that day. Five queries in all (four more when
    some members own a desk)."""
    wanted = list(dict.fromkeys(room_ids))
    if not wanted:
        return []
    found: dict[str, Team] = {team.room_id: team for team in await load_teams(tx, wanted)}
    rooms = [room for room in wanted if room in found]
    if not rooms:
        return []
    team_members: dict[str, list[TeamMember]] = defaultdict(list)
    for row in await tx.conn.execute(
        select(room_members.c.room_id, members.c.matrix_id, members.c.display_name)
        .join(members, members.c.id == room_members.c.member_id)
        .where(one_of(tx, room_members.c.room_id, rooms))
    ):
        team_members[row.room_id].append(TeamMember(row.matrix_id, row.display_name))
    presences: dict[str, list[Presence]] = defaultdict(list)
    bookings = (
        booking_select()
        .add_columns(room_members.c.room_id)
        .join(room_members, room_members.c.member_id == reservations.c.member_id)
        .where(reservations.c.day == day, active(), one_of(tx, room_members.c.room_id, rooms))
    )
    for row in await tx.conn.execute(bookings):
        presences[row.room_id].append(onsite_presence(row))
    statuses = (
        select(
            room_members.c.room_id,
            members.c.matrix_id,
            members.c.display_name,
            presence_statuses.c.half,
            presence_statuses.c.kind,
        )
        .join(room_members, room_members.c.member_id == presence_statuses.c.member_id)
        .join(members, members.c.id == presence_statuses.c.member_id)
        .where(presence_statuses.c.day == day, one_of(tx, room_members.c.room_id, rooms))
    )
    status_rows: dict[str, list[Any]] = defaultdict(list)
    for status_row in await tx.conn.execute(statuses):
        status_rows[status_row.room_id].append(status_row)
    for room, rows in status_rows.items():
        presences[room] += status_presences(rows)
    # Owners at their own desk need no booking (issue 12).
    rooms_of: dict[UserId, list[RoomId]] = defaultdict(list)
    for room in rooms:
        for member in team_members[room]:
            rooms_of[member.matrix_id].append(room)
    for presence in await owner_presences(tx, day, None, sorted(rooms_of)):
        for room in rooms_of[presence.member]:
            presences[room].append(presence)
    return [
        TeamDay(
            team=found[room],
            day=day,
            members=tuple(sorted(team_members[room], key=_member_order)),
            presences=tuple(sorted(presences[room], key=presence_order)),
        )
        for room in rooms
    ]
