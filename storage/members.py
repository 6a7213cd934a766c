"""Members: created on first contact, with a role, a locale and a default site.

The default site is the one the member set, else the site of their last booking (derived from
the reservations, so a booking never has to write the member row).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, func, select, update

from storage.domain import UserId
from storage.errors import UnknownMember
from storage.models import members, reservations, sites
from storage.queries import Tx, upsert
from storage.types import MemberInfo, Role


@functools.cache  # built once: constructing its subqueries cost ~2 ms on every turn
def _info_query() -> Any:
    chosen = sites.alias("chosen")
    last_site = (
        select(sites.c.name)
        .join(reservations, reservations.c.site_id == sites.c.id)
        .where(reservations.c.member_id == members.c.id)
        # "+ 0" keeps the planner from walking the primary key backwards (see booking.py):
        # a member's few rows are found by the member_id indexes, then sorted.
        .order_by((reservations.c.id + 0).desc())
        .limit(1)
        .scalar_subquery()
    )
    return select(
        members.c.matrix_id,
        members.c.display_name,
        members.c.role,
        members.c.locale,
        func.coalesce(chosen.c.name, last_site).label("default_site"),
    ).select_from(members.outerjoin(chosen, chosen.c.id == members.c.default_site_id))


async def get_member(tx: Tx, matrix_id: UserId) -> MemberInfo | None:
    """The member, or None if they never wrote to the bot."""
    row = (await tx.conn.execute(_info_query().where(members.c.matrix_id == matrix_id))).first()
    if row is None:
        return None
    return MemberInfo(
        matrix_id=row.matrix_id,
        display_name=row.display_name,
        role=Role(row.role),
        default_site=row.default_site,
        locale=row.locale,
    )


async def upsert_members(
    tx: Tx, named: Sequence[tuple[UserId, str | None]], role: Role = Role.AGENT
) -> None:
    """The one member upsert: create each (Matrix id, display name) unknown so far with `role`,
    and refresh the display name of known ones (None keeps the known name). Rows are written in
    Matrix id order, so concurrent upserts of overlapping members lock them in the same order."""
    if not named:
        return
    names: dict[UserId, str | None] = {}
    for matrix_id, display_name in named:
        names[matrix_id] = display_name or names.get(matrix_id)
    insert = upsert(tx)(members)
    rows = [
        {
            "matrix_id": matrix_id,
            "display_name": names[matrix_id],
            "role": role.value,
            "created_at": tx.now,
            "updated_at": tx.now,
        }
        for matrix_id in sorted(names)
    ]
    await tx.conn.execute(
        insert.on_conflict_do_update(
            index_elements=["matrix_id"],
            set_={"display_name": insert.excluded.display_name, "updated_at": tx.now},
            where=and_(
                insert.excluded.display_name.is_not(None),
                members.c.display_name.is_distinct_from(insert.excluded.display_name),
            ),
        ),
        rows,
    )


async def ensure_member(tx: Tx, matrix_id: UserId, display_name: str | None) -> MemberInfo:
    """Create the member on first contact; refresh the display name when it changed."""
    info = await get_member(tx, matrix_id)
    if info is not None and (display_name is None or display_name == info.display_name):
        return info
    await upsert_members(tx, [(matrix_id, display_name)])
    found = await get_member(tx, matrix_id)
    assert found is not None
    return found


async def set_locale(tx: Tx, matrix_id: UserId, locale: str | None) -> MemberInfo:
    """Set the member's language (see `Storage.set_locale`)."""
    return await update_member(tx, matrix_id, locale=locale)


async def set_role(tx: Tx, matrix_id: UserId, role: Role) -> MemberInfo:
    """Set the member's role (see `Storage.set_role`)."""
    return await update_member(tx, matrix_id, role=role.value)


async def update_member(tx: Tx, matrix_id: UserId, **values: Any) -> MemberInfo:
    """Change some columns of a member and return them (`UnknownMember` if absent)."""
    result = await tx.conn.execute(
        update(members)
        .where(members.c.matrix_id == matrix_id)
        .values(**values, updated_at=tx.now)
        .returning(members.c.id)
    )
    if result.first() is None:
        raise UnknownMember(matrix_id)
    found = await get_member(tx, matrix_id)
    assert found is not None
    return found


async def set_default_site(tx: Tx, matrix_id: UserId, site: str | None) -> MemberInfo:
    """Set (or with None, clear) the member's explicit default site."""
    site_id = (await tx.site(site)).site_id if site is not None else None
    return await update_member(tx, matrix_id, default_site_id=site_id)
