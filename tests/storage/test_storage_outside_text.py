"""Contract: text that comes from outside is stored safely on both databases.

Display names (Synapse allows 256 characters), closure reasons and sites files are what other
people write: too long is cut with an ellipsis, invisible characters do not make a second
"Metz", numbers are not names, and a file too big is refused with a clear message.
"""

from __future__ import annotations

import pytest

from storage import SitesFileError, Slot
from storage.sites_file import MAX_DESKS_PER_SITE, MAX_FILE_BYTES, parse_sites
from tests.storage.storage_helpers import ALICE, BOB, FRIDAY

LONG_NAME = "Jeanne " + "é" * 249  # 256 characters, as Synapse allows


async def test_a_256_character_display_name_is_kept_cut_with_an_ellipsis(storage) -> None:
    member = await storage.ensure_member(ALICE, LONG_NAME)
    assert member.display_name is not None and len(member.display_name) == 255
    assert member.display_name.endswith("…") and member.display_name.startswith("Jeanne éé")
    again = await storage.ensure_member(ALICE, LONG_NAME)  # every later command works too
    assert again.display_name == member.display_name


async def test_room_members_with_long_names_are_stored(storage) -> None:
    await storage.set_room_members("!team:test", [(ALICE, LONG_NAME), (BOB, "Bob")])
    names = {m.matrix_id: m.display_name for m in await storage.room_members("!team:test")}
    assert len(names[ALICE] or "") == 255 and names[BOB] == "Bob"


async def test_a_long_closure_reason_is_cut(storage, sites_yaml) -> None:
    await sites_yaml(storage)
    await storage.close_site("Metz", [FRIDAY], "travaux " * 100)
    availability = await storage.availability("Metz", FRIDAY, Slot.DAY)
    assert availability.reason is not None and len(availability.reason) == 500
    assert availability.reason.endswith("…")


async def test_a_long_reason_given_in_the_chat_is_cut_too(storage, sites_yaml) -> None:
    # The chat closes through the outbox (closure, notices and audit in one transaction): the
    # same column, the same bound as Storage.close_site.
    await sites_yaml(storage)
    await storage.ensure_member(ALICE)
    await storage.outbox.close_site(ALICE, "Metz", [FRIDAY], "travaux " * 100, lambda _c, _l: [])
    availability = await storage.availability("Metz", FRIDAY, Slot.DAY)
    assert availability.reason is not None and len(availability.reason) == 500
    assert availability.reason.endswith("…")


async def test_an_announcement_to_many_sites_is_audited(storage) -> None:
    # Its audit target lists the sites: twenty names of 30 characters do not fit 255.
    sites = [f"Site numéro {n:02d} de la préfecture"[:30] for n in range(20)]
    assert await storage.outbox.announce(ALICE, sites, "Parking fermé", []) == 0
    (entry,) = await storage.personal.audit_entries(action="announce")
    assert len(entry.target) == 255 and entry.target.endswith("…")
    assert entry.target.startswith("Site numéro 00 de la préfectur, Site numéro 01")


def _one_site(name_line: str, desks: str = "[A]") -> str:
    return f"sites:\n  - {name_line}\n    desks: {desks}\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (_one_site("name: 123"), "name must be text"),
        (_one_site("name: 1.5"), "name must be text"),
        (_one_site("name: 2026-12-01"), "name must be text"),
        (_one_site('name: "Metz\\0"'), "NUL"),
        ("sites:\n  - name: Metz\n    aliases: [12]\n    desks: [A]\n", "an alias must be text"),
        ("sites:\n  - name: Metz\n    desks: [{label: B, zone: 2}]\n", "zone must be text"),
        ("sites:\n  - name: Metz\n    department: 057\n    desks: [A]\n", "département"),
        (
            'sites:\n  - name: Metz\n    desks: [A]\n  - name: "Me\\u200btz"\n    desks: [B]\n',
            "already defined",
        ),
    ],
)
def test_sites_file_refuses_what_is_not_a_name(text: str, reason: str) -> None:
    with pytest.raises(SitesFileError) as error:
        parse_sites(text)
    assert reason in str(error.value)


def test_sites_file_names_are_normalised() -> None:
    (site,) = parse_sites(
        'sites:\n  - name: "Orle\\u0301ans\\u200b"\n    aliases: ["Orl\\teans"]\n'
        '    department: 45\n    desks: ["B\\u2060-1", 101]\n'
    )
    assert site.name == "Orléans" and site.aliases == ("Orl eans",)
    assert site.department == "45"
    assert [d.label for d in site.desks] == ["B-1", "101"]


def test_sites_file_is_bounded() -> None:
    with pytest.raises(SitesFileError) as error:
        parse_sites("sites:\n" + "#" * MAX_FILE_BYTES)
    assert "split it into several files" in str(error.value)
    desks = ", ".join(f"D{n}" for n in range(MAX_DESKS_PER_SITE + 1))
    with pytest.raises(SitesFileError) as error:
        parse_sites(_one_site("name: Metz", f"[{desks}]"))
    assert f"more than the {MAX_DESKS_PER_SITE:,} a site may have" in str(error.value)
