"""Who is where: presence statuses (remote, leave, travel) and the day's picture (`who`).

Statuses are stored per half-day, so a whole-day status is two rows and "cancel the morning" is
one DELETE. A member is in one place per half-day: a status never silently overlaps a booking.
`set_status` refuses (StatusConflict) unless `replace_bookings` is given, and `reserve` removes
the statuses a new booking replaces. The past is history: days before today are left unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from storage.booking import lock_member, release
from storage.domain import UserId
from storage.errors import StatusConflict
from storage.models import members, presence_statuses, reservations
from storage.owners import owner_presences, status_declared
from storage.queries import (
    Tx,
    active,
    booking_order,
    booking_select,
    halves,
    member_bookings,
    not_past,
    to_booking,
    upsert,
)
from storage.types import Booking, Presence, PresenceKind, Slot, StatusChange, StatusKind

if TYPE_CHECKING:
    from sqlalchemy.engine import Row


async def conflicting_bookings(
    tx: Tx, member: UserId, days: Sequence[date], slot: Slot
) -> list[Booking]:
    """The member's bookings (today or later) that a status on `days`/`slot` would replace."""
    member_id = await tx.member_id(member)
    rows = not_past(await member_bookings(tx, member_id, days, slot), tx)
    return sorted((to_booking(row) for row in rows), key=booking_order)


async def set_status(
    tx: Tx,
    member: UserId,
    days: Sequence[date],
    slot: Slot,
    kind: StatusKind,
    replace_bookings: bool,
) -> list[StatusChange]:
    """Declare remote/leave/travel on `days` (see `Storage.set_status`)."""
    member_id, _ = await lock_member(tx, member)
    today = tx.today()
    days = sorted({day for day in days if day >= today})
    if not days:
        return []
    conflicts = not_past(await member_bookings(tx, member_id, days, slot), tx)
    if conflicts and not replace_bookings:
        raise StatusConflict([to_booking(row) for row in conflicts])
    replaced: dict[date, list[Booking]] = defaultdict(list)
    for booking in await release(tx, conflicts, slot if slot is not Slot.DAY else None, "status"):
        replaced[booking.day].append(booking)
    for day in days:
        for half in halves(slot):
            await tx.conn.execute(
                upsert(tx)(presence_statuses)
                .values(
                    member_id=member_id, day=day, half=half, kind=kind.value, created_at=tx.now
                )
                .on_conflict_do_update(
                    index_elements=["member_id", "day", "half"],
                    set_={"kind": kind.value, "created_at": tx.now},
                )
            )
    await status_declared(tx, member_id, days, slot)  # an owner away lends their desk
    changes: list[StatusChange] = []
    for day in days:
        no_booking: list[Booking | None] = [None]
        for replaced_booking in replaced.get(day) or no_booking:
            changes.append(StatusChange(day, slot, kind, replaced_booking))
    return changes


async def clear_status(tx: Tx, member: UserId, days: Sequence[date], slot: Slot | None) -> int:
    """Remove statuses; returns the number of days on which one was removed."""
    member_id, _ = await lock_member(tx, member)
    today = tx.today()
    days = sorted({day for day in days if day >= today})
    if not days:
        return 0
    rows = await tx.conn.execute(
        delete(presence_statuses)
        .where(
            presence_statuses.c.member_id == member_id,
            presence_statuses.c.day.in_(days),
            presence_statuses.c.half.in_(halves(slot or Slot.DAY)),
        )
        .returning(presence_statuses.c.day)
    )
    return len(set(rows.scalars()))


async def who(
    tx: Tx, day: date, site: str | None, members_filter: Sequence[UserId] | None
) -> list[Presence]:
    """Everyone's whereabouts on `day` (see `Storage.who`)."""
    if members_filter is not None and not members_filter:
        return []
    query = booking_select().where(reservations.c.day == day, active())
    if site is not None:
        query = query.where(reservations.c.site_id == (await tx.site(site)).site_id)
    if members_filter is not None:
        query = query.where(members.c.matrix_id.in_(sorted(set(members_filter))))
    presences = [onsite_presence(row) for row in await tx.conn.execute(query)]
    presences += await owner_presences(tx, day, site, members_filter)  # no booking needed
    if site is None:
        statuses = (
            select(
                members.c.matrix_id,
                members.c.display_name,
                presence_statuses.c.half,
                presence_statuses.c.kind,
            )
            .join(members, members.c.id == presence_statuses.c.member_id)
            .where(presence_statuses.c.day == day)
        )
        if members_filter is not None:
            statuses = statuses.where(members.c.matrix_id.in_(sorted(set(members_filter))))
        presences += status_presences(await tx.conn.execute(statuses))
    return sorted(presences, key=presence_order)


def onsite_presence(row: Any) -> Presence:
    """The presence of a `booking_select` row: on site, at its desk."""
    return Presence(
        member=row.matrix_id,
        display_name=row.display_name,
        kind=PresenceKind.ONSITE,
        site=row.site_name,
        desk=row.desk_label,
        slot=Slot(row.slot),
    )


def status_presences(rows: Iterable[Row[Any]]) -> list[Presence]:
    """Presences from status rows (matrix_id, display_name, half, kind) of ONE day: the two
    halves of a member with the same kind become one whole-day presence."""
    halves_by_member: dict[tuple[str, str | None, str], set[str]] = defaultdict(set)
    for row in rows:
        halves_by_member[(row.matrix_id, row.display_name, row.kind)].add(row.half)
    return [
        Presence(
            member=UserId(matrix_id),
            display_name=display_name,
            kind=PresenceKind(kind),
            site=None,
            desk=None,
            slot=Slot.from_halves("am" in found, "pm" in found),
        )
        for (matrix_id, display_name, kind), found in halves_by_member.items()
    ]


def presence_order(presence: Presence) -> tuple[str, str, int]:
    """By name, then Matrix id, the morning before the afternoon."""
    return (
        (presence.display_name or presence.member).casefold(),
        presence.member,
        0 if presence.slot.covers_am else 1,
    )
