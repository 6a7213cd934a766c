"""Contract: teams (digest subscriptions), room members, usual site, and `team_days`."""

from __future__ import annotations

import pytest

from storage import (
    Presence,
    PresenceKind,
    Role,
    Slot,
    StatusKind,
    Storage,
    Team,
    TeamMember,
)
from storage.engine import count_statements
from tests.storage.storage_helpers import (
    ALICE,
    BOB,
    CAROL,
    DAVE,
    MONDAY,
    NAMES,
    TUESDAY,
    WEDNESDAY,
    add_members,
)

ROOM_A = "!equipe-a:agent.interieur.tchap.gouv.fr"
ROOM_B = "!equipe-b:agent.interieur.tchap.gouv.fr"
EVE = "@eve.moreau:agent.interieur.tchap.gouv.fr"


@pytest.fixture(autouse=True)
async def _sites(storage, sites_yaml) -> None:
    await sites_yaml(storage)


def team_of(*matrix_ids: str) -> list[tuple[str, str | None]]:
    return [(m, NAMES.get(m)) for m in matrix_ids]


async def test_subscribe_creates_then_updates_the_team(storage) -> None:
    team = await storage.subscribe_digest(ROOM_A, "8:30", lead=ALICE)
    assert team == Team(ROOM_A, "08:30", "Europe/Paris", "fr", ALICE, None, None)
    lead = await storage.get_member(ALICE)
    assert lead is not None and lead.role is Role.LEAD  # created on first sight, made lead
    again = await storage.subscribe_digest(
        ROOM_A, "9h05", lead=BOB, timezone="America/Cayenne", locale="en"
    )
    assert again == Team(ROOM_A, "09:05", "America/Cayenne", "en", BOB, None, None)
    assert await storage.get_team(ROOM_A) == again
    assert await storage.list_teams() == [again]


async def test_subscribing_never_lowers_a_role(storage) -> None:
    await add_members(storage, ALICE, BOB)
    await storage.set_role(ALICE, Role.MANAGER)
    await storage.set_role(BOB, Role.ADMIN)
    await storage.subscribe_digest(ROOM_A, "08:30", lead=ALICE)
    await storage.subscribe_digest(ROOM_B, "08:30", lead=BOB)
    assert (await storage.get_member(ALICE)).role is Role.MANAGER
    assert (await storage.get_member(BOB)).role is Role.ADMIN


@pytest.mark.parametrize(
    ("time", "timezone", "locale"),
    [
        ("24:00", "Europe/Paris", "fr"),
        ("8:60", "Europe/Paris", "fr"),
        ("huit heures", "Europe/Paris", "fr"),
        ("08:30", "Europe/Pariss", "fr"),
        ("08:30", "Europe/Paris", ""),
    ],
)
async def test_subscribe_refuses_bad_settings(storage, time, timezone, locale) -> None:
    with pytest.raises(ValueError):
        await storage.subscribe_digest(ROOM_A, time, ALICE, timezone=timezone, locale=locale)
    assert await storage.get_team(ROOM_A) is None


async def test_unsubscribe_and_list_only_subscribed_rooms(storage) -> None:
    await storage.subscribe_digest(ROOM_B, "09:00", lead=BOB)
    await storage.subscribe_digest(ROOM_A, "08:30", lead=ALICE)
    await storage.set_room_members("!not-a-team:x", team_of(CAROL))
    assert [t.room_id for t in await storage.list_teams()] == [ROOM_A, ROOM_B]
    assert await storage.unsubscribe_digest(ROOM_A) is True
    assert await storage.unsubscribe_digest(ROOM_A) is False
    assert await storage.get_team(ROOM_A) is None
    assert await storage.get_team("!never:x") is None
    assert [t.room_id for t in await storage.list_teams()] == [ROOM_B]


async def test_room_members_are_replaced_and_names_refreshed(storage) -> None:
    await storage.set_room_members(ROOM_A, [(ALICE, "Alice"), (BOB, None), (ALICE, None)])
    assert await storage.room_members(ROOM_A) == [
        TeamMember(BOB, None),  # sorted by name; no name: by Matrix id ("@bob" < "alice")
        TeamMember(ALICE, "Alice"),
    ]
    bob = await storage.get_member(BOB)
    assert bob is not None and bob.role is Role.AGENT  # created on first sight
    await storage.set_room_members(ROOM_A, [(ALICE, None), (BOB, "Bob D."), (CAROL, "Carol")])
    assert await storage.room_members(ROOM_A) == [
        TeamMember(ALICE, "Alice"),  # None keeps the known name
        TeamMember(BOB, "Bob D."),
        TeamMember(CAROL, "Carol"),
    ]
    await storage.set_room_members(ROOM_A, [(CAROL, "Carol P.")])
    assert await storage.room_members(ROOM_A) == [TeamMember(CAROL, "Carol P.")]
    assert await storage.room_members(ROOM_B) == []
    await storage.set_room_members(ROOM_A, [])
    assert await storage.room_members(ROOM_A) == []
    assert (await storage.get_member(ALICE)).display_name == "Alice"  # members are kept


async def test_usual_site_is_the_most_common_default_site(storage) -> None:
    await add_members(storage)
    await storage.set_default_site(ALICE, "Metz")
    await storage.reserve(BOB, "Metz", [TUESDAY], Slot.DAY)  # last booked: Metz
    await storage.set_default_site(CAROL, "Orléans")
    await storage.set_room_members(ROOM_A, team_of(ALICE, BOB, CAROL, DAVE))
    team = await storage.subscribe_digest(ROOM_A, "08:30", lead=ALICE)
    assert (team.usual_site, team.department) == ("Metz", "57")
    # Computed when read: members who move take the team with them.
    await storage.set_default_site(ALICE, "Orléans")
    team = await storage.get_team(ROOM_A)
    assert (team.usual_site, team.department) == ("Orléans", "45")
    # A tie goes to the first site in name order.
    await storage.set_room_members(ROOM_A, team_of(BOB, CAROL, DAVE))
    assert (await storage.get_team(ROOM_A)).usual_site == "Metz"
    await storage.set_room_members(ROOM_A, team_of(DAVE))
    assert (await storage.get_team(ROOM_A)).usual_site is None


async def test_team_days_gives_each_rooms_members_and_presences(storage) -> None:
    await add_members(storage)
    await storage.ensure_member(EVE, "Eve Moreau")
    await storage.set_room_members(ROOM_A, team_of(ALICE, BOB, CAROL))
    await storage.set_room_members(ROOM_B, team_of(CAROL, DAVE))
    await storage.subscribe_digest(ROOM_A, "08:30", lead=ALICE)
    await storage.subscribe_digest(ROOM_B, "09:00", lead=DAVE, locale="en")
    await storage.reserve(ALICE, "Metz", [TUESDAY], Slot.DAY)
    await storage.reserve(BOB, "Orléans", [TUESDAY], Slot.AM)
    await storage.set_status(BOB, [TUESDAY], Slot.PM, StatusKind.REMOTE)
    await storage.set_status(CAROL, [TUESDAY], Slot.DAY, StatusKind.LEAVE)
    await storage.set_status(DAVE, [TUESDAY], Slot.AM, StatusKind.TRAVEL)
    await storage.reserve(DAVE, "Metz", [TUESDAY], Slot.PM)
    await storage.cancel(DAVE, [TUESDAY])  # cancelled: not shown
    await storage.reserve(EVE, "Metz", [TUESDAY], Slot.DAY)  # in no team
    await storage.reserve(ALICE, "Metz", [WEDNESDAY], Slot.DAY)  # another day

    days = await storage.team_days(TUESDAY, [ROOM_B, "!unknown:x", ROOM_A, ROOM_B])
    assert [(d.team.room_id, d.day, d.team.locale) for d in days] == [
        (ROOM_B, TUESDAY, "en"),
        (ROOM_A, TUESDAY, "fr"),
    ]
    room_b, room_a = days
    assert room_a.team == await storage.get_team(ROOM_A)
    assert room_a.members == (
        TeamMember(ALICE, "Alice Martin"),
        TeamMember(BOB, "Bob Durand"),
        TeamMember(CAROL, "Carol Petit"),
    )
    assert room_a.presences == (
        Presence(ALICE, "Alice Martin", PresenceKind.ONSITE, "Metz", "B-101", Slot.DAY),
        Presence(BOB, "Bob Durand", PresenceKind.ONSITE, "Orléans", "O-1", Slot.AM),
        Presence(BOB, "Bob Durand", PresenceKind.REMOTE, None, None, Slot.PM),
        Presence(CAROL, "Carol Petit", PresenceKind.LEAVE, None, None, Slot.DAY),
    )
    assert room_b.members == (TeamMember(CAROL, "Carol Petit"), TeamMember(DAVE, "Dave Leroy"))
    assert room_b.presences == (
        Presence(CAROL, "Carol Petit", PresenceKind.LEAVE, None, None, Slot.DAY),
        Presence(DAVE, "Dave Leroy", PresenceKind.TRAVEL, None, None, Slot.AM),
    )
    (quiet,) = await storage.team_days(MONDAY, [ROOM_A])
    assert quiet.presences == () and len(quiet.members) == 3
    assert await storage.team_days(TUESDAY, []) == []
    await storage.unsubscribe_digest(ROOM_B)
    assert [d.team.room_id for d in await storage.team_days(TUESDAY, [ROOM_B, ROOM_A])] == [ROOM_A]


async def _teams_with_presences(storage: Storage, rooms: int, size: int) -> list[str]:
    """`rooms` subscribed rooms of `size` members; each member booked or with a status."""
    room_ids = [f"!team{r:03d}:x" for r in range(rooms)]
    for r, room in enumerate(room_ids):
        people = [(f"@m{r:03d}-{i}:x", f"M {r}-{i}") for i in range(size)]
        await storage.set_room_members(room, people)
        await storage.subscribe_digest(room, "08:30", lead=people[0][0])
        await storage.reserve(people[0][0], "Metz", [TUESDAY], Slot.AM)
        await storage.set_status(people[1][0], [TUESDAY], Slot.DAY, StatusKind.REMOTE)
    return room_ids


async def test_team_days_issues_a_constant_number_of_queries(storage) -> None:
    await storage.import_sites(
        "sites:\n  - name: Metz\n    department: '57'\n    desks: ["
        + ", ".join(f"P-{n}" for n in range(40))
        + "]\n"
    )
    room_ids = await _teams_with_presences(storage, rooms=30, size=4)
    with count_statements(storage.engine) as one:
        (single,) = await storage.team_days(TUESDAY, room_ids[:1])
    with count_statements(storage.engine) as thirty:
        every = await storage.team_days(TUESDAY, room_ids)
    assert len(single.members) == 4 and len(single.presences) == 2
    assert len(every) == 30 and all(len(d.presences) == 2 for d in every)
    # teams (with usual site), members, bookings, statuses, owned desks (issue 12): whatever
    # the rooms and members.
    assert one.queries == thirty.queries == 5, thirty.statements
    with count_statements(storage.engine) as listing:
        assert len(await storage.list_teams()) == 30
    assert listing.queries == 1


async def test_a_room_larger_than_the_bind_parameter_cap(storage) -> None:
    # asyncpg allows 32,767 parameters per statement: room ids and member ids go as one array.
    people = [(f"@agent{i:05d}:x", None) for i in range(33_000)]
    await storage.set_room_members(ROOM_A, people)
    await storage.subscribe_digest(ROOM_A, "08:30", lead=people[0][0])
    (day,) = await storage.team_days(TUESDAY, [ROOM_A])
    assert len(day.members) == 33_000
    await storage.set_room_members(ROOM_A, people[:10])
    assert len(await storage.room_members(ROOM_A)) == 10
