"""Contract: managers appointed in the chat, re-imports of the sites file, and what a closure
would cancel (`bookings_at`)."""

from __future__ import annotations

import pytest

from storage import Role, Slot, UnknownSite
from tests.helpers import METZ_MANAGER, SITES_YAML
from tests.storage.storage_helpers import (
    ALICE,
    BOB,
    CAROL,
    FRIDAY,
    MONDAY,
    TUESDAY,
    WEDNESDAY,
    add_members,
    paris,
)

CHEF = METZ_MANAGER
NEW_CHEF = "@nouveau.chef:agent.interieur.tchap.gouv.fr"


@pytest.fixture(autouse=True)
async def _sites(storage, sites_yaml) -> None:
    await sites_yaml(storage)


def with_metz_managers(*managers: str) -> str:
    listed = ", ".join(f'"{m}"' for m in managers)
    return SITES_YAML.replace(f'managers: ["{CHEF}"]', f"managers: [{listed}]")


async def test_add_manager_appoints_and_sets_the_role(storage) -> None:
    info = await storage.add_manager("orléans", BOB)  # BOB never wrote to the bot
    assert info.name == "Orléans" and info.managers == (BOB,)
    assert await storage.managers_of("Orléans") == (BOB,)
    assert (await storage.get_member(BOB)).role is Role.MANAGER
    assert (await storage.add_manager("Orléans", BOB)).managers == (BOB,)  # idempotent
    await add_members(storage, ALICE, CAROL)
    await storage.set_role(ALICE, Role.ADMIN)
    await storage.add_manager("Metz", ALICE)
    assert (await storage.get_member(ALICE)).role is Role.ADMIN  # an admin stays admin
    await storage.subscribe_digest("!team:x", "08:30", lead=CAROL)
    await storage.add_manager("Metz", CAROL)
    assert (await storage.get_member(CAROL)).role is Role.MANAGER
    assert await storage.managers_of("Metz") == tuple(sorted((ALICE, CAROL, CHEF)))
    with pytest.raises(UnknownSite):
        await storage.add_manager("Atlantis", BOB)
    with pytest.raises(ValueError):
        await storage.add_manager("Metz", "bob")


async def test_imports_keep_appointed_managers(storage) -> None:
    await storage.add_manager("Metz", BOB)
    await storage.add_manager("Metz", CHEF)  # listed by the file, now also appointed
    again = await storage.import_sites(SITES_YAML)
    assert again.sites_updated == 0  # nothing changed
    report = await storage.import_sites(with_metz_managers(NEW_CHEF))
    assert report.sites_updated == 1
    assert await storage.managers_of("Metz") == tuple(sorted((BOB, CHEF, NEW_CHEF)))
    # A file manager who is not appointed leaves with the file.
    await storage.import_sites(with_metz_managers(BOB))
    assert await storage.managers_of("Metz") == tuple(sorted((BOB, CHEF)))
    await storage.import_sites(with_metz_managers())
    assert await storage.managers_of("Metz") == tuple(sorted((BOB, CHEF)))


async def test_remove_manager(storage) -> None:
    await storage.add_manager("Metz", BOB)
    await storage.add_manager("Orléans", BOB)
    assert await storage.remove_manager("Metz", BOB) is True
    assert await storage.remove_manager("Metz", BOB) is False
    assert (await storage.get_member(BOB)).role is Role.MANAGER  # still manages Orléans
    assert await storage.remove_manager("Orléans", BOB) is True
    assert (await storage.get_member(BOB)).role is Role.AGENT
    await storage.subscribe_digest("!team:x", "08:30", lead=ALICE)
    await storage.add_manager("Metz", ALICE)
    await storage.remove_manager("Metz", ALICE)
    assert (await storage.get_member(ALICE)).role is Role.LEAD  # still leads a team
    assert await storage.remove_manager("Metz", CHEF) is True  # a file manager too
    assert await storage.managers_of("Metz") == ()


async def test_bookings_at_lists_what_a_closure_would_cancel(storage, clock) -> None:
    await add_members(storage)
    await storage.reserve(ALICE, "Metz", [TUESDAY, WEDNESDAY], Slot.DAY)
    await storage.reserve(BOB, "Metz", [TUESDAY], Slot.AM)
    await storage.reserve(CAROL, "Orléans", [TUESDAY], Slot.DAY)
    await storage.reserve(CAROL, "Metz", [FRIDAY], Slot.PM)
    await storage.cancel(CAROL, [FRIDAY])
    affected = await storage.bookings_at("metz", [TUESDAY, FRIDAY, MONDAY])
    assert [(b.member, b.site, b.day, b.slot) for b in affected] == [
        (ALICE, "Metz", TUESDAY, Slot.DAY),
        (BOB, "Metz", TUESDAY, Slot.AM),
    ]
    clock.set(paris("2026-11-25 08:00"))  # Wednesday: Tuesday is history
    asked = await storage.bookings_at("Metz", [TUESDAY, WEDNESDAY])
    assert [(b.member, b.day) for b in asked] == [(ALICE, WEDNESDAY)]
    cancelled = await storage.close_site("Metz", [TUESDAY, WEDNESDAY])
    assert [b.id for b in cancelled] == [b.id for b in asked]
    assert await storage.bookings_at("Metz", [WEDNESDAY]) == []
    with pytest.raises(UnknownSite):
        await storage.bookings_at("Atlantis", [TUESDAY])
