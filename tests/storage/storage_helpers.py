"""Names and days shared by the storage contract tests (the clock fixture is Monday 09:00)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text

from storage import Storage

PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2026, 11, 23)  # the clock fixture's today
TUESDAY = MONDAY + timedelta(days=1)
WEDNESDAY = MONDAY + timedelta(days=2)
THURSDAY = MONDAY + timedelta(days=3)
FRIDAY = MONDAY + timedelta(days=4)
SATURDAY = MONDAY + timedelta(days=5)
NEXT_MONDAY = MONDAY + timedelta(days=7)
CHRISTMAS = date(2026, 12, 25)

ALICE = "@alice.martin:agent.interieur.tchap.gouv.fr"
BOB = "@bob.durand:agent.finances.tchap.gouv.fr"
CAROL = "@carol.petit:agent.interieur.tchap.gouv.fr"
DAVE = "@dave.leroy:agent.dinum.tchap.gouv.fr"
NAMES = {ALICE: "Alice Martin", BOB: "Bob Durand", CAROL: "Carol Petit", DAVE: "Dave Leroy"}


def paris(iso: str) -> datetime:
    """An aware datetime from a Paris wall-clock time, e.g. paris("2026-11-23 23:30")."""
    return datetime.fromisoformat(iso).replace(tzinfo=PARIS)


async def add_members(storage: Storage, *matrix_ids: str) -> None:
    """Create the members (everyone by default) as the chat side does on first contact."""
    for matrix_id in matrix_ids or tuple(NAMES):
        await storage.ensure_member(matrix_id, NAMES.get(matrix_id))


async def overlaps(storage: Storage) -> tuple[int, int]:
    """(desk overlaps, member overlaps) among active reservations, counted in SQL."""
    sql = """
        SELECT
          (SELECT count(*) FROM reservations a JOIN reservations b
              ON a.desk_id = b.desk_id AND a.day = b.day AND a.id < b.id
             WHERE a.status = 'active' AND b.status = 'active'
               AND ((a.covers_am AND b.covers_am) OR (a.covers_pm AND b.covers_pm))),
          (SELECT count(*) FROM reservations a JOIN reservations b
              ON a.member_id = b.member_id AND a.day = b.day AND a.id < b.id
             WHERE a.status = 'active' AND b.status = 'active'
               AND ((a.covers_am AND b.covers_am) OR (a.covers_pm AND b.covers_pm)))
    """
    async with storage.engine.connect() as conn:
        desk, member = (await conn.execute(text(sql))).one()
    return int(desk), int(member)
