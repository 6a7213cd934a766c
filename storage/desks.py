"""Desks as a person asks for them (issue 10): their zone and features, and one's usual desk."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from storage.domain import UserId
from storage.models import desks, members, reservations, sites
from storage.queries import Tx


@dataclass(frozen=True)
class DeskInfo:
    """An active desk of a site with what the sites file says of it."""

    label: str
    zone: str | None
    features: tuple[str, ...]


async def desks_of(tx: Tx, site: str) -> list[DeskInfo]:
    """The site's active desks, in label order."""
    site_id = (await tx.site(site)).site_id
    rows = await tx.conn.execute(
        select(desks.c.label, desks.c.zone, desks.c.features)
        .where(desks.c.site_id == site_id, desks.c.active.is_(True))
        .order_by(desks.c.sort_key)
    )
    return [DeskInfo(r.label, r.zone, tuple(r.features or ())) for r in rows]


async def usual_desk(tx: Tx, member: UserId, site: str) -> str | None:
    """The desk the member booked most often at `site` (the latest on a tie), or None."""
    site_id = (await tx.site(site)).site_id
    count = func.count(reservations.c.id)
    row = (
        await tx.conn.execute(
            select(desks.c.label)
            .join(reservations, reservations.c.desk_id == desks.c.id)
            .join(members, members.c.id == reservations.c.member_id)
            .join(sites, sites.c.id == desks.c.site_id)
            .where(members.c.matrix_id == member, desks.c.site_id == site_id)
            .group_by(desks.c.label)
            .order_by(count.desc(), func.max(reservations.c.day).desc())
            .limit(1)
        )
    ).first()
    return row.label if row else None
