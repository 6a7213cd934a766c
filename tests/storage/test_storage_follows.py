"""Contract: rooms following a site, explicitly and through their members' sites."""

from __future__ import annotations

import pytest

from storage import Slot, UnknownSite
from tests.storage.storage_helpers import (
    ALICE,
    BOB,
    CAROL,
    DAVE,
    FRIDAY,
    NAMES,
    TUESDAY,
    WEDNESDAY,
    add_members,
    paris,
)

NEWS = "!actualites-metz:x"


@pytest.fixture(autouse=True)
async def _sites(storage, sites_yaml) -> None:
    await sites_yaml(storage)
    await add_members(storage)


async def digest_room(storage, room: str, *matrix_ids: str) -> None:
    await storage.set_room_members(room, [(m, NAMES[m]) for m in matrix_ids])
    await storage.subscribe_digest(room, "08:30", lead=matrix_ids[0])


async def test_follow_and_unfollow(storage) -> None:
    assert await storage.follow_site(NEWS, "metz lizé") is True  # an alias, any case
    assert await storage.follow_site(NEWS, "Metz") is False
    assert await storage.follow_site(NEWS, "Orléans") is True
    assert await storage.rooms_following("Metz") == [NEWS]
    assert await storage.unfollow_site(NEWS, "Metz") is True
    assert await storage.unfollow_site(NEWS, "Metz") is False
    assert await storage.rooms_following("Metz") == []
    assert await storage.rooms_following("Orléans") == [NEWS]
    with pytest.raises(UnknownSite):
        await storage.follow_site(NEWS, "Atlantis")
    with pytest.raises(UnknownSite):
        await storage.rooms_following("Atlantis")


async def test_digest_rooms_follow_the_sites_their_members_use(storage, clock) -> None:
    await storage.follow_site(NEWS, "Metz")
    await storage.follow_site("!z-both:x", "Metz")
    await storage.set_default_site(ALICE, "Metz")
    await digest_room(storage, "!by-default:x", ALICE)
    await storage.set_default_site(BOB, "Orléans")
    await storage.reserve(BOB, "Metz", [FRIDAY], Slot.AM)  # explicit default elsewhere
    await digest_room(storage, "!by-booking:x", BOB)
    await storage.reserve(CAROL, "Metz", [TUESDAY], Slot.DAY)  # no default: last booked
    await digest_room(storage, "!by-last-booking:x", CAROL)
    await digest_room(storage, "!z-both:x", ALICE)  # explicit and derived: listed once
    await storage.set_room_members("!not-a-digest-room:x", [(ALICE, None)])
    await storage.reserve(DAVE, "Metz", [WEDNESDAY], Slot.DAY)
    await storage.cancel(DAVE, [WEDNESDAY])
    await storage.set_default_site(DAVE, "Orléans")
    await digest_room(storage, "!cancelled:x", DAVE)

    assert await storage.rooms_following("Metz") == [
        "!actualites-metz:x",
        "!by-booking:x",
        "!by-default:x",
        "!by-last-booking:x",
        "!z-both:x",
    ]
    assert await storage.rooms_following("Orléans") == ["!by-booking:x", "!cancelled:x"]
    assert await storage.rooms_following("Rambouillet") == []

    # Bookings count from today on: once Bob's Friday is past, his room no longer follows Metz.
    clock.set(paris("2026-11-28 09:00"))
    assert "!by-booking:x" not in await storage.rooms_following("Metz")
    # Leaving the digest, or the room, ends the derived follow.
    await storage.unsubscribe_digest("!by-default:x")
    await storage.set_room_members("!by-last-booking:x", [(DAVE, None)])
    assert await storage.rooms_following("Metz") == ["!actualites-metz:x", "!z-both:x"]
