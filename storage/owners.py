"""Desks with an owner, and the loans of them (issue 12, section 3).

An owned desk (`desks.owner_id`) is its owner's on every open day: nobody else books it (the
desk choice reads `storage.owned`), except on the half-days its owner is away — a loan
(`desk_loans`), a status, or a booking of another desk. The owner needs no booking of their own
desk: on the days they are not away they count as on site at it (`owner_presences`, read by
"qui est là" and the team digest), unless someone booked it while it was lent.

Whenever a loan or a status makes an owned desk free, `storage.freed.desk_freed` is called in the
same transaction (the waitlist serves its line there). Taking the desk back ("je reprends mon
bureau vendredi") is refused for the half-days someone already booked it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, exists, func, select, update

from storage import audit
from storage.booking import release, take_locks
from storage.domain import PresenceKind, Slot, UserId
from storage.errors import UnknownSite
from storage.freed import desk_freed
from storage.members import upsert_members
from storage.models import (
    desk_loans,
    desks,
    members,
    presence_statuses,
    reservations,
    site_closures,
    sites,
)
from storage.queries import Tx, active, booking_select, halves, one_of, to_booking, upsert
from storage.types import Booking, Presence

if TYPE_CHECKING:
    from storage.core import Storage
    from storage.outbox import Envelope
    from storage.sites_file import SiteSpec


class NotOwner(Exception):
    """The member owns no desk (a loan, a take-back or "qui a mon bureau" makes no sense)."""


class UnknownDesk(Exception):
    """No active desk has that label (at that site); `sites`: the sites where one has it."""

    def __init__(self, label: str, sites: Sequence[str] = ()) -> None:
        super().__init__(label)
        self.label = label
        self.sites = tuple(sites)


class LoanOutcome(StrEnum):
    """What happened to one day of a loan or of a take-back."""

    LENT = "lent"  # the desk is now free for others that day
    ALREADY = "already"  # it already was lent (or taken back) that day
    RECLAIMED = "reclaimed"  # the owner has it back
    TAKEN = "taken"  # someone booked it meanwhile: it stays theirs
    CLOSED = "closed"  # not an open day at the desk's site (weekend, holiday, closure)
    PAST = "past"


@dataclass(frozen=True)
class OwnedDesk:
    """A desk and its owner."""

    site: str
    label: str
    owner: UserId
    display_name: str | None


@dataclass(frozen=True)
class LoanDay:
    """One day of a loan or a take-back: the desk, what happened, who holds it if taken."""

    site: str
    desk: str
    day: date
    slot: Slot
    outcome: LoanOutcome
    booking: Booking | None = None  # the owner's own booking cancelled (lent), or the taker's


class Holder(StrEnum):
    """Who has an owned desk on a half-day."""

    OWNER = "owner"  # the owner (not away, or booked it)
    BOOKED = "booked"  # someone else booked it
    FREE = "free"  # lent or owner away, and nobody booked it yet
    CLOSED = "closed"  # not an open day at the site


@dataclass(frozen=True)
class DeskDay:
    """Who has an owned desk on one day (one entry per half when they differ)."""

    site: str
    desk: str
    day: date
    slot: Slot
    holder: Holder
    member: UserId | None = None
    display_name: str | None = None


# --- Managers: assigning desks --------------------------------------------------------------


async def _desk_row(tx: Tx, site: str | None, label: str) -> Any:
    """The active desk labelled `label` (at `site`, else at the one site that has it)."""
    query = (
        select(desks.c.id, desks.c.site_id, desks.c.label, desks.c.owner_id, sites.c.name)
        .join(sites, sites.c.id == desks.c.site_id)
        .where(func.lower(desks.c.label) == label.casefold(), desks.c.active)
        .order_by(sites.c.name)
    )
    rows = (await tx.conn.execute(query)).all()
    if site is not None:
        try:
            site_id = (await tx.site(site)).site_id
        except UnknownSite:
            raise UnknownDesk(label) from None
        found = [row for row in rows if row.site_id == site_id]
        if not found:
            raise UnknownDesk(label, [row.name for row in rows])
        return found[0]
    if len(rows) != 1:
        raise UnknownDesk(label, [row.name for row in rows])
    return rows[0]


async def desk_sites(tx: Tx, label: str) -> list[str]:
    """The sites having an active desk labelled `label` (any case), by name."""
    rows = await tx.conn.scalars(
        select(sites.c.name)
        .join(desks, desks.c.site_id == sites.c.id)
        .where(func.lower(desks.c.label) == label.casefold(), desks.c.active)
        .order_by(sites.c.name)
    )
    return list(rows)


async def assign_desk(
    tx: Tx,
    actor: UserId,
    site: str | None,
    label: str,
    owner: UserId | None,
    envelopes: Sequence[Envelope] = (),
) -> tuple[OwnedDesk, UserId | None]:
    """Give desk `label` to `owner` (None: it is nobody's any more), as a manager in the chat,
    with the messages for others (`envelopes`, outbox) and the audit entry; returns the desk and
    its previous owner. The previous owner's future loans of it are dropped."""
    from storage.outbox import enqueue  # storage.outbox imports storage.sites, which imports us

    row = await _desk_row(tx, site, label)
    previous = None
    if row.owner_id is not None:
        previous = await tx.conn.scalar(
            select(members.c.matrix_id).where(members.c.id == row.owner_id)
        )
    owner_id: int | None = None
    display_name: str | None = None
    if owner is not None:
        await upsert_members(tx, [(owner, None)])
        owner_id, display_name = (
            await tx.conn.execute(
                select(members.c.id, members.c.display_name).where(members.c.matrix_id == owner)
            )
        ).one()
    await tx.conn.execute(
        update(desks)
        .where(desks.c.id == row.id)
        .values(owner_id=owner_id, owner_assigned_at=tx.now if owner_id is not None else None)
    )
    if owner_id != row.owner_id:
        await tx.conn.execute(
            delete(desk_loans).where(
                desk_loans.c.desk_id == row.id, desk_loans.c.day >= tx.today()
            )
        )
    await audit.record(
        tx,
        actor,
        "assign_desk" if owner is not None else "unassign_desk",
        owner or (previous or ""),
        site=row.name,
        desk=row.label,
        previous=previous,
    )
    await enqueue(tx, envelopes)
    desk = OwnedDesk(row.name, row.label, UserId(owner or previous or ""), display_name)
    return desk, UserId(previous) if previous else None


async def owned_desks(tx: Tx, matrix_id: UserId) -> list[OwnedDesk]:
    """The active desks `matrix_id` owns, by site and label."""
    rows = await tx.conn.execute(
        select(sites.c.name, desks.c.label, members.c.matrix_id, members.c.display_name)
        .join(sites, sites.c.id == desks.c.site_id)
        .join(members, members.c.id == desks.c.owner_id)
        .where(members.c.matrix_id == matrix_id, desks.c.active)
        .order_by(sites.c.name, desks.c.sort_key)
    )
    return [OwnedDesk(r.name, r.label, UserId(r.matrix_id), r.display_name) for r in rows]


async def sync_owners(tx: Tx, site_id: int, spec: SiteSpec) -> bool:
    """Make the owners of the file's desks those it names (in the import's transaction).

    A desk the file gives an owner gets that owner; a desk it lists without one loses an owner
    the file gave, and keeps one a manager assigned in the chat. True if anything changed."""
    wanted = {desk.label.casefold(): desk.owner for desk in spec.desks}
    await upsert_members(tx, [(owner, None) for owner in wanted.values() if owner])
    ids = dict(
        (
            await tx.conn.execute(
                select(members.c.matrix_id, members.c.id).where(
                    members.c.matrix_id.in_(sorted({o for o in wanted.values() if o}))
                )
            )
        ).all()
    )
    changed = False
    for row in await tx.conn.execute(
        select(desks.c.id, desks.c.label, desks.c.owner_id, desks.c.owner_assigned_at).where(
            desks.c.site_id == site_id, desks.c.active
        )
    ):
        owner = wanted.get(row.label.casefold())
        if owner is not None:
            values = {"owner_id": ids[owner], "owner_assigned_at": None}
        elif row.owner_id is not None and row.owner_assigned_at is None:
            values = {"owner_id": None, "owner_assigned_at": None}
        else:
            continue
        if (row.owner_id, row.owner_assigned_at) == (values["owner_id"], None):
            continue
        await tx.conn.execute(update(desks).where(desks.c.id == row.id).values(**values))
        if row.owner_id != values["owner_id"]:
            await tx.conn.execute(
                delete(desk_loans).where(
                    desk_loans.c.desk_id == row.id, desk_loans.c.day >= tx.today()
                )
            )
        changed = True
    return changed


# --- Owners: lending and taking back --------------------------------------------------------


async def _owner_desks(tx: Tx, matrix_id: UserId) -> tuple[int, list[Any]]:
    """The owner's id and active desks (id, site_id, label, site name); `NotOwner` if none."""
    member_id = await tx.conn.scalar(select(members.c.id).where(members.c.matrix_id == matrix_id))
    rows: list[Any] = []
    if member_id is not None:
        rows = list(
            (
                await tx.conn.execute(
                    select(desks.c.id, desks.c.site_id, desks.c.label, sites.c.name)
                    .join(sites, sites.c.id == desks.c.site_id)
                    .where(desks.c.owner_id == member_id, desks.c.active)
                    .order_by(sites.c.name, desks.c.sort_key)
                )
            ).all()
        )
    if member_id is None or not rows:
        raise NotOwner(matrix_id)
    return int(member_id), rows


async def _closed_day(tx: Tx, site_name: str, site_id: int, day: date) -> LoanOutcome | None:
    """PAST or CLOSED when `day` is not a day the desk could be used, else None."""
    cal = await tx.site(site_name)
    if day < tx.today(cal.tz):
        return LoanOutcome.PAST
    if cal.block(day, tx.today(cal.tz), 366) is not None:
        return LoanOutcome.CLOSED
    closed = await tx.conn.scalar(
        select(site_closures.c.day).where(
            site_closures.c.site_id == site_id, site_closures.c.day == day
        )
    )
    return LoanOutcome.CLOSED if closed is not None else None


async def _desk_bookings(tx: Tx, desk_id: int, day: date, slot: Slot) -> list[Any]:
    """The active bookings of the desk on `day` overlapping `slot` (booking_select rows)."""
    wanted = [reservations.c.covers_am] if slot is Slot.AM else []
    wanted = wanted or ([reservations.c.covers_pm] if slot is Slot.PM else [])
    query = booking_select().where(
        reservations.c.desk_id == desk_id, reservations.c.day == day, active()
    )
    if wanted:
        query = query.where(wanted[0])
    return list((await tx.conn.execute(query.order_by(reservations.c.id))).all())


async def _lock_days(
    tx: Tx, owner: UserId, owned: Sequence[Any], days: Sequence[date]
) -> list[date]:
    """Lock the owned desks' site-days, then the owner (the order reserve takes them in);
    returns the days sorted, without repeats."""
    unique = sorted(set(days))
    for site_id in sorted({row.site_id for row in owned}):
        await take_locks(tx, site_id, unique, None)
    await take_locks(tx, None, (), owner)
    return unique


async def _open_desk_days(
    tx: Tx, owned: Sequence[Any], days: Sequence[date], slot: Slot, out: list[LoanDay]
) -> AsyncIterator[tuple[Any, date]]:
    """Each (desk, day) a loan or a reclaim acts on; a closed day is answered in `out`."""
    for desk in owned:
        for day in days:
            refused = await _closed_day(tx, desk.name, desk.site_id, day)
            if refused is None:
                yield desk, day
            else:
                out.append(LoanDay(desk.name, desk.label, day, slot, refused))


async def lend_desk(tx: Tx, owner: UserId, days: Sequence[date], slot: Slot) -> list[LoanDay]:
    """Lend the owner's desk(s) on `days` for `slot`: others may book it then, and the
    waitlist is served at once. An own booking of the desk those days is cancelled."""
    member_id, owned = await _owner_desks(tx, owner)
    days = await _lock_days(tx, owner, owned, days)
    out: list[LoanDay] = []
    async for desk, day in _open_desk_days(tx, owned, days, slot, out):
        existing = set(
            (
                await tx.conn.scalars(
                    select(desk_loans.c.half).where(
                        desk_loans.c.desk_id == desk.id,
                        desk_loans.c.day == day,
                        desk_loans.c.owner_id == member_id,
                    )
                )
            ).all()
        )
        missing = [half for half in halves(slot) if half not in existing]
        if not missing:
            out.append(LoanDay(desk.name, desk.label, day, slot, LoanOutcome.ALREADY))
            continue
        own = [
            row for row in await _desk_bookings(tx, desk.id, day, slot) if row.matrix_id == owner
        ]
        cancelled = await release(tx, own, slot if slot is not Slot.DAY else None, "member")
        for half in missing:
            await tx.conn.execute(
                upsert(tx)(desk_loans)
                .values(desk_id=desk.id, day=day, half=half, owner_id=member_id, created_at=tx.now)
                .on_conflict_do_update(
                    index_elements=["desk_id", "day", "half"],
                    set_={"owner_id": member_id, "created_at": tx.now},
                )
            )
        freed = Slot.from_halves("am" in missing, "pm" in missing)
        await desk_freed(tx, desk.site_id, day, freed.covers_am, freed.covers_pm)
        out.append(
            LoanDay(
                desk.name,
                desk.label,
                day,
                slot,
                LoanOutcome.LENT,
                cancelled[0] if cancelled else None,
            )
        )
    return out


async def reclaim_desk(tx: Tx, owner: UserId, days: Sequence[date], slot: Slot) -> list[LoanDay]:
    """Take the owner's desk back on `days` for `slot`: the loan is withdrawn for the
    half-days nobody booked it yet; a half-day someone booked stays theirs (TAKEN)."""
    _, owned = await _owner_desks(tx, owner)
    days = await _lock_days(tx, owner, owned, days)
    out: list[LoanDay] = []
    async for desk, day in _open_desk_days(tx, owned, days, slot, out):
        taken = [
            row for row in await _desk_bookings(tx, desk.id, day, slot) if row.matrix_id != owner
        ]
        if taken:
            out.append(
                LoanDay(
                    desk.name,
                    desk.label,
                    day,
                    slot,
                    LoanOutcome.TAKEN,
                    to_booking(taken[0]),
                )
            )
            continue
        removed = await tx.conn.execute(
            delete(desk_loans)
            .where(
                desk_loans.c.desk_id == desk.id,
                desk_loans.c.day == day,
                desk_loans.c.half.in_(halves(slot)),
            )
            .returning(desk_loans.c.half)
        )
        outcome = LoanOutcome.RECLAIMED if removed.all() else LoanOutcome.ALREADY
        out.append(LoanDay(desk.name, desk.label, day, slot, outcome))
    return out


async def desk_days(tx: Tx, owner: UserId, days: Sequence[date]) -> list[DeskDay]:
    """Who has the owner's desk(s) on each of `days` ("qui a mon bureau mardi ?")."""
    member_id, owned = await _owner_desks(tx, owner)
    out: list[DeskDay] = []
    for desk in owned:
        for day in sorted(set(days)):
            cal = await tx.site(desk.name)
            shut = cal.block(day, day, 0) is not None or (
                await _closed_day(tx, desk.name, desk.site_id, day) is LoanOutcome.CLOSED
            )
            if shut:
                out.append(DeskDay(desk.name, desk.label, day, Slot.DAY, Holder.CLOSED))
                continue
            per_half: list[tuple[str, Holder, str | None, str | None]] = []
            bookings = await _desk_bookings(tx, desk.id, day, Slot.DAY)
            for half in ("am", "pm"):
                covered = "covers_am" if half == "am" else "covers_pm"
                held = next((b for b in bookings if getattr(Slot(b.slot), covered)), None)
                if held is not None:
                    holder = Holder.OWNER if held.matrix_id == owner else Holder.BOOKED
                    per_half.append((half, holder, held.matrix_id, held.display_name))
                elif await _away(tx, member_id, desk.id, day, half):
                    per_half.append((half, Holder.FREE, None, None))
                else:
                    per_half.append((half, Holder.OWNER, owner, None))
            (_, h1, m1, n1), (_, h2, m2, n2) = per_half
            if (h1, m1) == (h2, m2):
                out.append(DeskDay(desk.name, desk.label, day, Slot.DAY, h1, _uid(m1), n1 or n2))
            else:
                out.append(DeskDay(desk.name, desk.label, day, Slot.AM, h1, _uid(m1), n1))
                out.append(DeskDay(desk.name, desk.label, day, Slot.PM, h2, _uid(m2), n2))
    return out


def _uid(value: str | None) -> UserId | None:
    return UserId(value) if value else None


async def _away(tx: Tx, member_id: int, desk_id: int, day: date, half: str) -> bool:
    """Whether the owner is away from their desk on `day`'s `half` (see `storage.owned`)."""
    cover = reservations.c.covers_am if half == "am" else reservations.c.covers_pm
    query = select(
        exists().where(
            desk_loans.c.desk_id == desk_id,
            desk_loans.c.day == day,
            desk_loans.c.half == half,
            desk_loans.c.owner_id == member_id,
        )
        | exists().where(
            presence_statuses.c.member_id == member_id,
            presence_statuses.c.day == day,
            presence_statuses.c.half == half,
        )
        | exists().where(
            reservations.c.member_id == member_id,
            reservations.c.day == day,
            active(),
            cover,
            reservations.c.desk_id != desk_id,
        )
    )
    return bool(await tx.conn.scalar(query))


async def status_declared(tx: Tx, member_id: int, days: Sequence[date], slot: Slot) -> None:
    """A status was just declared (in `tx`): on each day the member's owned desk is now free
    and nobody holds it, serve who waits for it (`desk_freed`)."""
    rows = (
        await tx.conn.execute(
            select(desks.c.id, desks.c.site_id, sites.c.name)
            .join(sites, sites.c.id == desks.c.site_id)
            .where(desks.c.owner_id == member_id, desks.c.active)
        )
    ).all()
    for desk in rows:
        for day in days:
            if await _closed_day(tx, desk.name, desk.site_id, day) is not None:
                continue
            if await _desk_bookings(tx, desk.id, day, slot):
                continue
            await desk_freed(tx, desk.site_id, day, slot.covers_am, slot.covers_pm)


# --- Presence: the owner at their desk without a booking ------------------------------------


async def owner_presences(
    tx: Tx, day: date, site: str | None = None, matrix_ids: Sequence[UserId] | None = None
) -> list[Presence]:
    """Owners at their own desk on `day` without a booking: for each half-day of an open day
    at the desk's site where they are not away and nobody booked the desk."""
    if matrix_ids is not None and not matrix_ids:
        return []
    query = (
        select(
            desks.c.id,
            desks.c.label,
            desks.c.site_id,
            desks.c.owner_id,
            sites.c.name,
            members.c.matrix_id,
            members.c.display_name,
        )
        .join(sites, sites.c.id == desks.c.site_id)
        .join(members, members.c.id == desks.c.owner_id)
        .where(
            desks.c.active,
            ~exists().where(
                site_closures.c.site_id == desks.c.site_id, site_closures.c.day == day
            ),
        )
        .order_by(sites.c.name, desks.c.sort_key)
    )
    if site is not None:
        query = query.where(desks.c.site_id == (await tx.site(site)).site_id)
    if matrix_ids is not None:
        query = query.where(one_of(tx, members.c.matrix_id, sorted(set(matrix_ids))))
    rows = (await tx.conn.execute(query)).all()
    if not rows:
        return []
    desk_ids = [row.id for row in rows]
    owner_ids = sorted({row.owner_id for row in rows})
    busy_desk: dict[int, set[str]] = defaultdict(set)
    for desk_id, am, pm in await tx.conn.execute(
        select(reservations.c.desk_id, reservations.c.covers_am, reservations.c.covers_pm).where(
            reservations.c.desk_id.in_(desk_ids), reservations.c.day == day, active()
        )
    ):
        busy_desk[desk_id] |= {h for h, c in (("am", am), ("pm", pm)) if c}
    away: dict[int, set[str]] = defaultdict(set)
    for member_id, half in await tx.conn.execute(
        select(presence_statuses.c.member_id, presence_statuses.c.half).where(
            presence_statuses.c.member_id.in_(owner_ids), presence_statuses.c.day == day
        )
    ):
        away[member_id].add(half)
    for member_id, am, pm in await tx.conn.execute(
        select(reservations.c.member_id, reservations.c.covers_am, reservations.c.covers_pm).where(
            reservations.c.member_id.in_(owner_ids), reservations.c.day == day, active()
        )
    ):  # a booking anywhere (their own desk included: that booking is their presence)
        away[member_id] |= {h for h, c in (("am", am), ("pm", pm)) if c}
    lent: dict[int, set[str]] = defaultdict(set)
    for desk_id, half in await tx.conn.execute(
        select(desk_loans.c.desk_id, desk_loans.c.half)
        .join(desks, and_(desks.c.id == desk_loans.c.desk_id))
        .where(
            desk_loans.c.desk_id.in_(desk_ids),
            desk_loans.c.day == day,
            desk_loans.c.owner_id == desks.c.owner_id,
        )
    ):
        lent[desk_id].add(half)
    out: list[Presence] = []
    seen: set[int] = set()
    for row in rows:
        cal = await tx.site(row.name)
        if cal.block(day, day, 0) is not None or row.owner_id in seen:
            continue  # not an open day; one desk per owner is where they sit
        there = [
            h
            for h in ("am", "pm")
            if h not in busy_desk[row.id] and h not in away[row.owner_id] and h not in lent[row.id]
        ]
        if not there:
            continue
        seen.add(row.owner_id)
        out.append(
            Presence(
                member=UserId(row.matrix_id),
                display_name=row.display_name,
                kind=PresenceKind.ONSITE,
                site=row.name,
                desk=row.label,
                slot=Slot.from_halves("am" in there, "pm" in there),
            )
        )
    return out


# --- The named transactions -----------------------------------------------------------------


class OwnersStore:
    """The named transactions of owned desks and loans (`storage.owners`)."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    async def assign(
        self,
        actor: UserId,
        site: str | None,
        label: str,
        owner: UserId | None,
        envelopes: Sequence[Envelope] = (),
    ) -> tuple[OwnedDesk, UserId | None]:
        """Give desk `label` to `owner`, or to nobody (None); see `assign_desk`."""
        return await self._storage._write(assign_desk, actor, site, label, owner, envelopes)

    async def desk_sites(self, label: str) -> list[str]:
        """The sites with an active desk labelled `label`."""
        return await self._storage._read(desk_sites, label)

    async def owned_desks(self, matrix_id: UserId) -> list[OwnedDesk]:
        """The desks the member owns."""
        return await self._storage._read(owned_desks, matrix_id)

    async def lend(self, owner: UserId, days: Sequence[date], slot: Slot) -> list[LoanDay]:
        """Lend the owner's desk (see `lend_desk`); `NotOwner` when they own none."""
        return await self._storage._write(lend_desk, owner, days, Slot(slot))

    async def reclaim(self, owner: UserId, days: Sequence[date], slot: Slot) -> list[LoanDay]:
        """Take the desk back (see `reclaim_desk`); `NotOwner` when they own none."""
        return await self._storage._write(reclaim_desk, owner, days, Slot(slot))

    async def desk_days(self, owner: UserId, days: Sequence[date]) -> list[DeskDay]:
        """Who has the owner's desk on `days`; `NotOwner` when they own none."""
        return await self._storage._read(desk_days, owner, days)

    async def owner_presences(
        self, day: date, site: str | None = None, matrix_ids: Sequence[UserId] | None = None
    ) -> list[Presence]:
        """Owners at their own desk on `day` without a booking (see `owner_presences`)."""
        return await self._storage._read(owner_presences, day, site, matrix_ids)
