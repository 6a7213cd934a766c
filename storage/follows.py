"""Rooms that follow a site: where openings, closures and managers' news are posted.

A room follows a site explicitly ("suis le site de Metz"), and a digest room also follows the
sites its members use: a member's default site (set, else last booked), or a site where a member
has a booking from today on. Derived follows are computed when asked, never stored, so they
follow the bookings without any bookkeeping.
"""

from __future__ import annotations

from sqlalchemy import delete, select, union

from storage.domain import RoomId
from storage.models import members, reservations, room_members, site_follows, teams
from storage.queries import Tx, active, default_site_id, upsert


async def follow_site(tx: Tx, room_id: RoomId, site: str) -> bool:
    """The room follows the site; False if it already did (`UnknownSite` if no such site)."""
    cal = await tx.site(site)
    result = await tx.conn.execute(
        upsert(tx)(site_follows)
        .values(site_id=cal.site_id, room_id=room_id, created_at=tx.now)
        .on_conflict_do_nothing(index_elements=["site_id", "room_id"])
        .returning(site_follows.c.room_id)
    )
    return result.first() is not None


async def unfollow_site(tx: Tx, room_id: RoomId, site: str) -> bool:
    """The room stops following the site explicitly; False if it did not follow it."""
    cal = await tx.site(site)
    result = await tx.conn.execute(
        delete(site_follows)
        .where(site_follows.c.site_id == cal.site_id, site_follows.c.room_id == room_id)
        .returning(site_follows.c.room_id)
    )
    return result.first() is not None


async def rooms_following(tx: Tx, site: str) -> list[RoomId]:
    """Rooms following the site explicitly, and digest rooms with a member whose default site
    it is or who has a booking there from today on (today in the site's time zone)."""
    cal = await tx.site(site)
    explicit = select(site_follows.c.room_id).where(site_follows.c.site_id == cal.site_id)
    by_default = (
        select(room_members.c.room_id)
        .join(teams, teams.c.room_id == room_members.c.room_id)
        .join(members, members.c.id == room_members.c.member_id)
        .where(default_site_id() == cal.site_id)
    )
    by_booking = (
        select(room_members.c.room_id)
        .join(teams, teams.c.room_id == room_members.c.room_id)
        .join(reservations, reservations.c.member_id == room_members.c.member_id)
        .where(
            reservations.c.site_id == cal.site_id,
            active(),
            reservations.c.day >= tx.today(cal.tz),
        )
    )
    rows = await tx.conn.execute(union(explicit, by_default, by_booking))
    return sorted(set(rows.scalars()))
