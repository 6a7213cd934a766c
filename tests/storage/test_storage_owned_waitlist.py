"""Where owned desks meet the waitlist (issue 12, sections 2 and 3), on SQLite and PostgreSQL:
a desk its owner lends, or leaves by declaring a status, goes to the first person waiting."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from storage import Storage
from storage.owners import LoanOutcome
from storage.types import Slot, StatusKind
from storage.waitlist import JoinOutcome
from tests.storage.storage_helpers import ALICE, BOB, CAROL, DAVE, TUESDAY, add_members, overlaps

SITES = f"""
sites:
  - name: Nantes
    department: "44"
    desks: [N-1, {{label: N-2, owner: "{ALICE}"}}]
"""


@pytest.fixture(autouse=True)
async def _sites(storage: Storage) -> None:
    await add_members(storage, ALICE, BOB, CAROL, DAVE)
    await storage.import_sites(SITES)
    booked = await storage.reserve(BOB, "Nantes", [TUESDAY], Slot.DAY)  # N-1, the only free one
    assert booked[0].booking is not None and booked[0].booking.desk == "N-1"
    for waiter in (CAROL, DAVE):
        joined = await storage.waitlist.join(waiter, "Nantes", TUESDAY, Slot.DAY)
        assert joined.outcome is JoinOutcome.JOINED, joined


async def holders(storage: Storage) -> list[tuple[str, str, bool]]:
    """(member, desk, from the waitlist) of Tuesday's active bookings at Nantes."""
    query = text(
        "SELECT m.matrix_id, d.label, r.from_waitlist FROM reservations r"
        " JOIN members m ON m.id = r.member_id JOIN desks d ON d.id = r.desk_id"
        " WHERE r.status = 'active' AND r.day = :day ORDER BY d.label"
    )
    async with storage.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(query, {"day": TUESDAY})]


async def told(storage: Storage) -> list[str]:
    return [item.recipient or "" for item in await storage.outbox.rows(("pending",))]


async def test_a_lent_desk_goes_to_the_first_waiter(storage: Storage) -> None:
    [lent] = await storage.owners.lend(ALICE, [TUESDAY], Slot.DAY)
    assert lent.outcome is LoanOutcome.LENT
    assert await holders(storage) == [(BOB, "N-1", False), (CAROL, "N-2", True)]
    assert CAROL in await told(storage) and DAVE not in await told(storage)
    [dave] = await storage.waitlist.entries(DAVE)
    assert dave.position == 1  # next in line
    assert await overlaps(storage) == (0, 0)


async def test_a_status_of_the_owner_gives_their_desk_to_the_first_waiter(
    storage: Storage,
) -> None:
    await storage.set_status(ALICE, [TUESDAY], Slot.DAY, StatusKind.REMOTE, replace_bookings=False)
    assert await holders(storage) == [(BOB, "N-1", False), (CAROL, "N-2", True)]
    assert await storage.waitlist.entries(CAROL) == []
    assert await overlaps(storage) == (0, 0)
