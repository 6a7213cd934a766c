"""Owned desks and their loans (issue 12, section 3), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from storage import Storage
from storage.owners import Holder, LoanOutcome, NotOwner, UnknownDesk
from storage.types import Outcome, PresenceKind, Slot, StatusKind
from tests.storage.storage_helpers import (
    ALICE,
    BOB,
    CAROL,
    CHRISTMAS,
    FRIDAY,
    MONDAY,
    SATURDAY,
    THURSDAY,
    TUESDAY,
    WEDNESDAY,
    add_members,
    overlaps,
)

OWNED_YAML = f"""
sites:
  - name: Nantes
    department: "44"
    desks: [N-1, {{label: N-2, owner: "{ALICE}"}}]
  - name: Lille
    department: "59"
    desks: [L-1, L-2]
"""


async def _setup(storage: Storage) -> None:
    await add_members(storage, ALICE, BOB, CAROL)
    await storage.import_sites(OWNED_YAML)


async def test_an_owned_desk_is_nobody_elses(storage: Storage) -> None:
    await _setup(storage)
    free = await storage.availability("Nantes", TUESDAY, Slot.DAY)
    assert free.free == ("N-1",) and free.total == 2
    bob = await storage.reserve(BOB, "Nantes", [TUESDAY], Slot.DAY)
    assert bob[0].booking is not None and bob[0].booking.desk == "N-1"
    carol = await storage.reserve(CAROL, "Nantes", [TUESDAY], Slot.AM)
    assert carol[0].outcome is Outcome.FULL
    named = await storage.reserve(CAROL, "Nantes", [WEDNESDAY], Slot.DAY, desk="N-2")
    assert named[0].outcome is Outcome.DESK_TAKEN
    # The owner needs no booking, but booking gives them their own desk first.
    alice = await storage.reserve(ALICE, "Nantes", [WEDNESDAY], Slot.DAY)
    assert alice[0].booking is not None and alice[0].booking.desk == "N-2"


async def test_the_owner_counts_as_present_at_their_desk(storage: Storage) -> None:
    await _setup(storage)
    present = await storage.who(TUESDAY, "Nantes")
    assert [(p.member, p.desk, p.slot) for p in present] == [(ALICE, "N-2", Slot.DAY)]
    assert await storage.who(SATURDAY, "Nantes") == []  # not an open day
    assert await storage.who(CHRISTMAS, "Nantes") == []
    await storage.set_status(ALICE, [TUESDAY], Slot.PM, StatusKind.REMOTE, replace_bookings=False)
    kinds = {(p.kind, p.slot) for p in await storage.who(TUESDAY, None, [ALICE])}
    assert kinds == {(PresenceKind.ONSITE, Slot.AM), (PresenceKind.REMOTE, Slot.PM)}
    # Booked elsewhere: there, not at the owned desk.
    await storage.reserve(ALICE, "Lille", [THURSDAY], Slot.DAY)
    where = await storage.who(THURSDAY, None, [ALICE])
    assert [(p.site, p.desk) for p in where] == [("Lille", "L-1")]


async def test_a_status_lends_the_desk_and_booking_it_then_is_possible(storage: Storage) -> None:
    await _setup(storage)
    await storage.reserve(BOB, "Nantes", [TUESDAY], Slot.DAY)  # N-1
    await storage.set_status(ALICE, [TUESDAY], Slot.DAY, StatusKind.LEAVE, replace_bookings=False)
    carol = await storage.reserve(CAROL, "Nantes", [TUESDAY], Slot.DAY)
    assert carol[0].booking is not None and carol[0].booking.desk == "N-2"
    days = await storage.owners.desk_days(ALICE, [TUESDAY])
    assert [(d.holder, d.member) for d in days] == [(Holder.BOOKED, CAROL)]
    # Leave for the morning only: the desk is free that morning, not for a whole day.
    await storage.set_status(ALICE, [WEDNESDAY], Slot.AM, StatusKind.LEAVE, replace_bookings=False)
    await storage.reserve(BOB, "Nantes", [WEDNESDAY], Slot.DAY)  # N-1
    whole = await storage.reserve(CAROL, "Nantes", [WEDNESDAY], Slot.DAY)
    assert whole[0].outcome is Outcome.FULL and whole[0].alternative_slot is Slot.AM
    morning = await storage.reserve(CAROL, "Nantes", [WEDNESDAY], Slot.AM)
    assert morning[0].booking is not None and morning[0].booking.desk == "N-2"
    assert await overlaps(storage) == (0, 0)


async def test_lend_then_take_back_while_nobody_booked(storage: Storage) -> None:
    await _setup(storage)
    lent = await storage.owners.lend(ALICE, [TUESDAY, WEDNESDAY, SATURDAY], Slot.DAY)
    assert [(d.day, d.outcome) for d in lent] == [
        (TUESDAY, LoanOutcome.LENT),
        (WEDNESDAY, LoanOutcome.LENT),
        (SATURDAY, LoanOutcome.CLOSED),
    ]
    again = await storage.owners.lend(ALICE, [TUESDAY], Slot.AM)
    assert again[0].outcome is LoanOutcome.ALREADY
    assert "N-2" in (await storage.availability("Nantes", TUESDAY, Slot.DAY)).free
    assert await storage.who(TUESDAY, "Nantes") == []  # lent: the owner is not there
    await storage.reserve(BOB, "Nantes", [TUESDAY], Slot.DAY, desk="N-2")
    back = await storage.owners.reclaim(ALICE, [TUESDAY, WEDNESDAY], Slot.DAY)
    assert [(d.day, d.outcome) for d in back] == [
        (TUESDAY, LoanOutcome.TAKEN),
        (WEDNESDAY, LoanOutcome.RECLAIMED),
    ]
    assert back[0].booking is not None and back[0].booking.member == BOB
    assert "N-2" not in (await storage.availability("Nantes", WEDNESDAY, Slot.DAY)).free
    again_back = await storage.owners.reclaim(ALICE, [WEDNESDAY], Slot.DAY)
    assert again_back[0].outcome is LoanOutcome.ALREADY


async def test_lending_cancels_the_owners_own_booking_of_it(storage: Storage) -> None:
    await _setup(storage)
    await storage.reserve(ALICE, "Nantes", [FRIDAY], Slot.DAY)
    lent = await storage.owners.lend(ALICE, [FRIDAY], Slot.DAY)
    assert lent[0].outcome is LoanOutcome.LENT and lent[0].booking is not None
    assert await storage.list_bookings(ALICE, FRIDAY, FRIDAY) == []
    bob = await storage.reserve(BOB, "Nantes", [FRIDAY], Slot.DAY, desk="N-2")
    assert bob[0].outcome is Outcome.BOOKED


async def test_lending_without_a_desk_or_in_the_past_changes_nothing(storage: Storage) -> None:
    await _setup(storage)
    with pytest.raises(NotOwner):
        await storage.owners.lend(BOB, [TUESDAY], Slot.DAY)
    with pytest.raises(NotOwner):
        await storage.owners.desk_days(BOB, [TUESDAY])
    past = await storage.owners.lend(ALICE, [MONDAY.replace(day=20)], Slot.DAY)
    assert past[0].outcome is LoanOutcome.PAST
    async with storage.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM desk_loans"))).scalar() == 0


async def test_assign_and_unassign_in_the_chat_survive_an_import(storage: Storage) -> None:
    await _setup(storage)
    desk, previous = await storage.owners.assign(CAROL, None, "L-2", BOB)
    assert (desk.site, desk.label, previous) == ("Lille", "L-2", None)
    assert [d.label for d in await storage.owners.owned_desks(BOB)] == ["L-2"]
    await storage.import_sites(OWNED_YAML)  # the file names no owner for L-2: kept
    assert [d.label for d in await storage.owners.owned_desks(BOB)] == ["L-2"]
    _, previous = await storage.owners.assign(CAROL, "Lille", "L-2", None)
    assert previous == BOB and await storage.owners.owned_desks(BOB) == []
    with pytest.raises(UnknownDesk):
        await storage.owners.assign(CAROL, None, "Z-9", BOB)
    # The file's owner goes when the file no longer names it.
    await storage.import_sites(OWNED_YAML.replace(f', owner: "{ALICE}"', ""))
    assert await storage.owners.owned_desks(ALICE) == []


async def test_a_new_owner_drops_the_previous_owners_loans(storage: Storage) -> None:
    await _setup(storage)
    await storage.owners.lend(ALICE, [TUESDAY], Slot.DAY)
    await storage.owners.assign(CAROL, "Nantes", "N-2", BOB)
    assert "N-2" not in (await storage.availability("Nantes", TUESDAY, Slot.DAY)).free


async def test_erasure_clears_the_owner_and_the_loans(storage: Storage) -> None:
    await _setup(storage)
    await storage.owners.lend(ALICE, [TUESDAY], Slot.DAY)
    exported = await storage.personal.export_member(ALICE)
    assert exported is not None and exported["desks_owned"] == [{"site": "Nantes", "desk": "N-2"}]
    assert len(exported["desk_loans"]) == 2
    removed = await storage.personal.erase_member(ALICE)
    assert removed is not None and removed["desks_owned"] == 1 and removed["desk_loans"] == 2
    assert "N-2" in (await storage.availability("Nantes", THURSDAY, Slot.DAY)).free


async def test_sites_file_refuses_an_owner_that_is_not_a_matrix_id(storage: Storage) -> None:
    from storage.errors import SitesFileError

    with pytest.raises(SitesFileError) as raised:
        await storage.import_sites(OWNED_YAML.replace(ALICE, "jean dupont"))
    assert raised.value.line == 5 and "owner" in str(raised.value)


async def test_the_team_digest_shows_the_owner_at_their_desk(storage: Storage) -> None:
    await _setup(storage)
    room = "!team:x"
    await storage.set_room_members(room, [(ALICE, "Alice Martin"), (BOB, "Bob Durand")])
    await storage.subscribe_digest(room, "08:30", lead=BOB)
    (day,) = await storage.team_days(TUESDAY, [room])
    assert [(p.member, p.desk, p.slot) for p in day.presences] == [(ALICE, "N-2", Slot.DAY)]
    await storage.owners.lend(ALICE, [WEDNESDAY], Slot.PM)
    (day,) = await storage.team_days(WEDNESDAY, [room])
    assert [(p.member, p.slot) for p in day.presences] == [(ALICE, Slot.AM)]


async def test_retention_prunes_old_loans(storage: Storage, clock) -> None:
    from datetime import timedelta

    await _setup(storage)
    await storage.owners.lend(ALICE, [TUESDAY], Slot.AM)
    clock.advance(timedelta(days=500))
    now = clock.now()
    pruned = await storage.personal.prune_older_than(
        (now - timedelta(days=400)).date(), now - timedelta(days=400)
    )
    assert pruned["desk_loans"] == 1
