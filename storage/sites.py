"""Sites and desks: listing, opening desks, and importing the sites file."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from storage.calendar import mask_from_weekdays, weekdays_from_mask
from storage.domain import UserId
from storage.errors import SitesFileError, UnknownSite
from storage.freed import desk_freed
from storage.members import upsert_members
from storage.models import (
    desks,
    members,
    site_aliases,
    site_managers,
    sites,
    teams,
    waitlist_entries,
)
from storage.names import fold_name, natural_key, next_labels
from storage.owners import sync_owners
from storage.queries import Tx, upsert
from storage.sites_file import MATRIX_ID, MAX_LABEL, SiteSpec
from storage.types import CheckInRule, ImportReport, Role, SiteInfo

log = logging.getLogger(__name__)


async def list_sites(tx: Tx, site_ids: Sequence[int] | None = None) -> list[SiteInfo]:
    """Every site (or those of `site_ids`), by name, with aliases, managers and desk counts."""
    query = select(sites)
    if site_ids is not None:
        query = query.where(sites.c.id.in_(site_ids))
    rows = (await tx.conn.execute(query)).all()
    ids = [row.id for row in rows]
    aliases: dict[int, list[str]] = defaultdict(list)
    for site_id, alias in await tx.conn.execute(
        select(site_aliases.c.site_id, site_aliases.c.alias)
        .where(site_aliases.c.site_id.in_(ids))
        .order_by(site_aliases.c.alias)
    ):
        aliases[site_id].append(alias)
    managers: dict[int, list[UserId]] = defaultdict(list)
    for site_id, matrix_id in await tx.conn.execute(
        select(site_managers.c.site_id, site_managers.c.matrix_id)
        .where(site_managers.c.site_id.in_(ids))
        .order_by(site_managers.c.matrix_id)
    ):
        managers[site_id].append(matrix_id)
    counts: dict[int, int] = dict(
        (
            await tx.conn.execute(
                select(desks.c.site_id, func.count())
                .where(desks.c.site_id.in_(ids), desks.c.active)
                .group_by(desks.c.site_id)
            )
        ).all()
    )
    infos = [
        SiteInfo(
            name=row.name,
            aliases=tuple(aliases[row.id]),
            department=row.department,
            timezone=row.timezone,
            managers=tuple(managers[row.id]),
            open_weekdays=tuple(sorted(weekdays_from_mask(row.open_weekdays))),
            desk_count=int(counts.get(row.id, 0)),
            check_in=check_in_rule(row),
        )
        for row in rows
    ]
    return sorted(infos, key=lambda info: fold_name(info.name))


async def get_site(tx: Tx, name: str) -> SiteInfo | None:
    """The site with this name or alias, or None."""
    try:
        cal = await tx.site(name)
    except UnknownSite:
        return None
    found = await list_sites(tx, [cal.site_id])
    return found[0] if found else None


async def managers_of(tx: Tx, name: str) -> tuple[UserId, ...]:
    """Matrix ids of the site's managers (`UnknownSite` when there is no such site)."""
    cal = await tx.site(name)
    rows = await tx.conn.execute(
        select(site_managers.c.matrix_id)
        .where(site_managers.c.site_id == cal.site_id)
        .order_by(site_managers.c.matrix_id)
    )
    return tuple(rows.scalars())


async def open_desks(
    tx: Tx,
    site: str,
    labels: Sequence[str] | None,
    count: int | None,
    from_day: date | None,
) -> list[str]:
    """Create (or reactivate) desks; returns the labels made bookable, in natural order."""
    if (labels is None) == (count is None):
        raise ValueError("open_desks needs labels or a count, not both")
    cal = await tx.site(site)
    existing = {
        row.label.casefold(): row
        for row in await tx.conn.execute(
            select(desks.c.id, desks.c.label, desks.c.active).where(desks.c.site_id == cal.site_id)
        )
    }
    if labels is None:
        assert count is not None
        if count < 1:
            raise ValueError("count must be at least 1")
        wanted = next_labels([row.label for row in existing.values()], count)
    else:
        wanted = list(dict.fromkeys(label.strip() for label in labels))
        for label in wanted:
            if not label or len(label) > MAX_LABEL:
                raise ValueError(f"a desk label must have 1 to {MAX_LABEL} characters: {label!r}")
    opened: list[str] = []
    for label in wanted:
        row = existing.get(label.casefold())
        if row is None:
            await tx.conn.execute(
                insert(desks).values(
                    site_id=cal.site_id,
                    label=label,
                    sort_key=natural_key(label),
                    active=True,
                    bookable_from=from_day,
                    created_at=tx.now,
                )
            )
            opened.append(label)
        elif not row.active:
            await tx.conn.execute(
                update(desks)
                .where(desks.c.id == row.id)
                .values(active=True, bookable_from=from_day)
            )
            opened.append(row.label)
    if opened:  # the new desks go to the waitlist first
        await serve_waiting(tx, cal.site_id, max(tx.today(cal.tz), from_day or date.min))
    return sorted(opened, key=natural_key)


async def serve_waiting(tx: Tx, site_id: int | None, first: date) -> None:
    """Desks were added: each day from `first` with people waiting (at `site_id`, or at any
    site) is served (`desk_freed`)."""
    e = waitlist_entries.c
    query = select(e.site_id, e.day).distinct().where(e.day >= first)
    if site_id is not None:
        query = query.where(e.site_id == site_id)
    for waited_site, day in sorted((await tx.conn.execute(query)).all()):
        await desk_freed(tx, waited_site, day, True, True)


async def add_manager(tx: Tx, site: str, matrix_id: UserId) -> SiteInfo:
    """Appoint a manager of the site (see `Storage.add_manager`)."""
    if not MATRIX_ID.match(matrix_id):
        raise ValueError(f"not a Matrix id (@name:server): {matrix_id!r}")
    cal = await tx.site(site)
    appoint = upsert(tx)(site_managers).values(
        site_id=cal.site_id, matrix_id=matrix_id, appointed_at=tx.now
    )
    await tx.conn.execute(
        appoint.on_conflict_do_update(
            index_elements=["site_id", "matrix_id"],
            # A manager from the file becomes an appointed one; an earlier appointment stays.
            set_={"appointed_at": appoint.excluded.appointed_at},
            where=site_managers.c.appointed_at.is_(None),
        )
    )
    await upsert_members(tx, [(matrix_id, None)], role=Role.MANAGER)
    await tx.conn.execute(
        update(members)
        .where(
            members.c.matrix_id == matrix_id,
            members.c.role.in_([role.value for role in Role if role < Role.MANAGER]),
        )
        .values(role=Role.MANAGER.value, updated_at=tx.now)
    )
    log.info("%s appointed manager of %s", matrix_id, cal.name)
    (info,) = await list_sites(tx, [cal.site_id])
    return info


async def remove_manager(tx: Tx, site: str, matrix_id: UserId) -> bool:
    """Remove a manager of the site (from the file or appointed); False if they were not one.

    A member left managing no site goes back to lead if they lead a digest room, else agent.
    """
    cal = await tx.site(site)
    removed = (
        await tx.conn.execute(
            delete(site_managers)
            .where(site_managers.c.site_id == cal.site_id, site_managers.c.matrix_id == matrix_id)
            .returning(site_managers.c.matrix_id)
        )
    ).first()
    if removed is None:
        return False
    still = await tx.conn.scalar(
        select(func.count())
        .select_from(site_managers)
        .where(site_managers.c.matrix_id == matrix_id)
    )
    if not still:
        member_id = await tx.conn.scalar(
            select(members.c.id).where(members.c.matrix_id == matrix_id)
        )
        leads = await tx.conn.scalar(
            select(func.count()).select_from(teams).where(teams.c.lead_id == member_id)
        )
        await tx.conn.execute(
            update(members)
            .where(members.c.id == member_id, members.c.role == Role.MANAGER.value)
            .values(role=(Role.LEAD if leads else Role.AGENT).value, updated_at=tx.now)
        )
    log.info("%s no longer manager of %s", matrix_id, cal.name)
    return True


@dataclass
class _Counts:
    sites_created: int = 0
    sites_updated: int = 0
    desks_created: int = 0
    desks_deactivated: int = 0
    desks_reactivated: int = 0


async def import_sites(tx: Tx, specs: Sequence[SiteSpec]) -> ImportReport:
    """Upsert the sites of a validated file (see `Storage.import_sites`)."""
    counts = _Counts()
    existing = {row.name_key: row for row in await tx.conn.execute(select(sites))}
    alias_owner = dict(
        (await tx.conn.execute(select(site_aliases.c.alias_key, site_aliases.c.site_id))).all()
    )
    in_file = {fold_name(spec.name) for spec in specs}
    _check_against_database(specs, existing, alias_owner, in_file)
    for spec in specs:
        row = existing.get(fold_name(spec.name))
        if row is None:
            site_id = await _create_site(tx, spec)
            counts.sites_created += 1
            changed = False
        else:
            site_id = row.id
            changed = await _update_site(tx, row, spec)
        changed |= await _replace_aliases(tx, site_id, spec)
        changed |= await _replace_managers(tx, site_id, spec)
        changed |= await _sync_desks(tx, site_id, spec, counts)
        changed |= await sync_owners(tx, site_id, spec)
        # A site counts as updated when anything in it changed: fields, aliases, managers, desks.
        if row is not None and changed:
            counts.sites_updated += 1
    tx.sites.invalidate()
    if counts.desks_created or counts.desks_reactivated:  # the waitlist first (issue 12)
        await serve_waiting(tx, None, tx.today() - timedelta(days=1))
    return ImportReport(
        sites_created=counts.sites_created,
        sites_updated=counts.sites_updated,
        desks_created=counts.desks_created,
        desks_deactivated=counts.desks_deactivated,
        desks_reactivated=counts.desks_reactivated,
    )


def _check_against_database(
    specs: Sequence[SiteSpec],
    existing: dict[str, Any],
    alias_owner: dict[str, int],
    in_file: set[str],
) -> None:
    """Names and aliases must not collide with sites that the file does not mention."""
    name_by_id = {row.id: row.name for row in existing.values()}

    def foreign_owner(key: str) -> str | None:
        """The site outside the file that already uses `key` as an alias, if any."""
        owner = alias_owner.get(key)
        if owner is None or fold_name(name_by_id[owner]) in in_file:
            return None
        return str(name_by_id[owner])

    for spec in specs:
        other = foreign_owner(fold_name(spec.name))
        if other is not None:
            raise SitesFileError(spec.line, f"{spec.name!r} is already an alias of {other}")
        for alias, line in zip(spec.aliases, spec.alias_lines):
            key = fold_name(alias)
            if key in existing and key not in in_file:
                raise SitesFileError(
                    line, f"alias {alias!r} is the name of another site ({existing[key].name})"
                )
            other = foreign_owner(key)
            if other is not None:
                raise SitesFileError(line, f"alias {alias!r} already belongs to {other}")


def check_in_rule(row: Any) -> CheckInRule | None:
    """The check-in rule stored on a `sites` row (None: no check-in at that site)."""
    if row.check_in_morning is None and row.check_in_afternoon is None:
        return None
    return CheckInRule(
        morning=_clock(row.check_in_morning),
        afternoon=_clock(row.check_in_afternoon),
        remind=bool(row.check_in_remind),
    )


def _clock(value: str | None) -> time | None:
    return None if value is None else time.fromisoformat(value)


def _check_in_columns(rule: CheckInRule | None) -> dict[str, Any]:
    def clock(value: time | None) -> str | None:
        return None if value is None else value.strftime("%H:%M")

    return {
        "check_in_morning": clock(rule.morning) if rule else None,
        "check_in_afternoon": clock(rule.afternoon) if rule else None,
        "check_in_remind": bool(rule and rule.remind),
    }


async def _create_site(tx: Tx, spec: SiteSpec) -> int:
    result = await tx.conn.execute(
        insert(sites)
        .values(
            name=spec.name,
            name_key=fold_name(spec.name),
            department=spec.department,
            timezone=spec.timezone,
            open_weekdays=mask_from_weekdays(spec.open_weekdays),
            hours=spec.hours,
            **_check_in_columns(spec.check_in),
            created_at=tx.now,
            updated_at=tx.now,
        )
        .returning(sites.c.id)
    )
    return int(result.scalar_one())


async def _update_site(tx: Tx, row: Any, spec: SiteSpec) -> bool:
    values = {
        "name": spec.name,
        "department": spec.department,
        "timezone": spec.timezone,
        "open_weekdays": mask_from_weekdays(spec.open_weekdays),
        "hours": spec.hours,
        **_check_in_columns(spec.check_in),
    }
    if all(getattr(row, key) == value for key, value in values.items()):
        return False
    await tx.conn.execute(
        update(sites).where(sites.c.id == row.id).values(**values, updated_at=tx.now)
    )
    return True


async def _replace_aliases(tx: Tx, site_id: int, spec: SiteSpec) -> bool:
    wanted = {fold_name(alias): alias for alias in spec.aliases}
    current = dict(
        (
            await tx.conn.execute(
                select(site_aliases.c.alias_key, site_aliases.c.alias).where(
                    site_aliases.c.site_id == site_id
                )
            )
        ).all()
    )
    if current == wanted:
        return False
    # An alias may move from one site of the file to another: free the keys first.
    await tx.conn.execute(delete(site_aliases).where(site_aliases.c.site_id == site_id))
    if wanted:
        await tx.conn.execute(
            delete(site_aliases).where(site_aliases.c.alias_key.in_(list(wanted)))
        )
        await tx.conn.execute(
            insert(site_aliases),
            [{"alias_key": k, "alias": a, "site_id": site_id} for k, a in wanted.items()],
        )
    return True


async def _replace_managers(tx: Tx, site_id: int, spec: SiteSpec) -> bool:
    """Make the file's managers those of the file; managers appointed in the chat are kept
    (listed in the file or not: only `remove_manager` undoes an appointment)."""
    rows = (
        await tx.conn.execute(
            select(site_managers.c.matrix_id, site_managers.c.appointed_at).where(
                site_managers.c.site_id == site_id
            )
        )
    ).all()
    from_file = {row.matrix_id for row in rows if row.appointed_at is None}
    appointed = {row.matrix_id for row in rows if row.appointed_at is not None}
    wanted = set(spec.managers) - appointed
    if from_file == wanted:
        return False
    if from_file - wanted:
        await tx.conn.execute(
            delete(site_managers).where(
                site_managers.c.site_id == site_id,
                site_managers.c.matrix_id.in_(sorted(from_file - wanted)),
            )
        )
    if wanted - from_file:
        await tx.conn.execute(
            insert(site_managers),
            [{"site_id": site_id, "matrix_id": m} for m in sorted(wanted - from_file)],
        )
    return True


async def _sync_desks(tx: Tx, site_id: int, spec: SiteSpec, counts: _Counts) -> bool:
    """Make the site's active desks those of the file; True if anything changed."""
    rows = {
        row.label.casefold(): row
        for row in await tx.conn.execute(
            select(
                desks.c.id, desks.c.label, desks.c.zone, desks.c.features, desks.c.active
            ).where(desks.c.site_id == site_id)
        )
    }
    changed = False
    new_rows: list[dict[str, Any]] = []
    for desk in spec.desks:
        features = list(desk.features) or None
        row = rows.pop(desk.label.casefold(), None)
        if row is None:
            new_rows.append(
                {
                    "site_id": site_id,
                    "label": desk.label,
                    "sort_key": natural_key(desk.label),
                    "zone": desk.zone,
                    "features": features,
                    "active": True,
                    "created_at": tx.now,
                }
            )
            counts.desks_created += 1
            continue
        values: dict[str, Any] = {}
        if not row.active:
            values.update(active=True, bookable_from=None)
            counts.desks_reactivated += 1
            changed = True
        if (row.zone, row.features or None, row.label) != (desk.zone, features, desk.label):
            values.update(
                zone=desk.zone,
                features=features,
                label=desk.label,
                sort_key=natural_key(desk.label),
            )
            changed = True
        if values:
            await tx.conn.execute(update(desks).where(desks.c.id == row.id).values(**values))
    if new_rows:
        await tx.conn.execute(insert(desks), new_rows)
        changed = True
    # Desks absent from the file are deactivated, never deleted: their history stays.
    gone = [row.id for row in rows.values() if row.active]
    if gone:
        await tx.conn.execute(update(desks).where(desks.c.id.in_(gone)).values(active=False))
        counts.desks_deactivated += len(gone)
        changed = True
    return changed
