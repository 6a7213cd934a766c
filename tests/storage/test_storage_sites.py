"""Contract: importing the sites file, listing sites, opening desks."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from storage import CheckInRule, ImportReport, Outcome, SiteInfo, SitesFileError, Slot, UnknownSite
from storage.engine import count_statements
from storage.sites_file import parse_sites
from tests.storage.storage_helpers import ALICE, MONDAY, TUESDAY, add_members

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "sites.yaml"

# The import tests edit this file by string replacement (a desk less, a manager more): their
# own, not tests/data/sites.yaml, so that a change there cannot silently weaken them.
GOOD = """
sites:
  - name: Metz
    aliases: ["Metz Lizé"]
    department: "57"
    managers: ["@chef.metz:agent.interieur.tchap.gouv.fr"]
    desks: ["B-101", "B-102", {label: "B-204", zone: "2e étage", features: ["double écran"]}]
  - name: Orléans
    department: "45"
    desks: ["RDC-01", "RDC-02"]
"""


async def test_import_creates_then_is_idempotent(storage) -> None:
    assert await storage.import_sites(GOOD) == ImportReport(sites_created=2, desks_created=5)
    assert await storage.import_sites(GOOD) == ImportReport()
    assert await storage.list_sites() == [
        SiteInfo(
            name="Metz",
            aliases=("Metz Lizé",),
            department="57",
            timezone="Europe/Paris",
            managers=("@chef.metz:agent.interieur.tchap.gouv.fr",),
            open_weekdays=(0, 1, 2, 3, 4),
            desk_count=3,
        ),
        SiteInfo("Orléans", (), "45", "Europe/Paris", (), (0, 1, 2, 3, 4), 2),
    ]


async def test_import_from_a_path(storage, tmp_path) -> None:
    path = tmp_path / "sites.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert (await storage.import_sites(path)).sites_created == 2
    assert (await storage.import_sites(str(path))).sites_created == 0


async def test_removed_desks_are_deactivated_and_come_back(storage) -> None:
    await storage.import_sites(GOOD)
    await add_members(storage, ALICE)
    await storage.reserve(ALICE, "Metz", [TUESDAY], Slot.DAY, desk="B-102")
    fewer = GOOD.replace('"B-102", ', "").replace('"RDC-02"', '"RDC-02", "RDC-03"')
    report = await storage.import_sites(fewer)
    assert report == ImportReport(sites_updated=2, desks_created=1, desks_deactivated=1)
    assert (await storage.get_site("Metz")).desk_count == 2
    # History is kept: the booking made before is still there.
    (kept,) = await storage.list_bookings(ALICE, TUESDAY, TUESDAY)
    assert kept.desk == "B-102"
    back = await storage.import_sites(GOOD)
    assert (back.sites_updated, back.desks_reactivated, back.desks_deactivated) == (2, 1, 1)
    assert (await storage.get_site("Metz")).desk_count == 3


async def test_import_updates_site_fields(storage) -> None:
    await storage.import_sites(GOOD)
    changed = GOOD.replace('aliases: ["Metz Lizé"]', 'aliases: ["Lizé", "Metz Ville"]').replace(
        'managers: ["@chef.metz:agent.interieur.tchap.gouv.fr"]',
        'managers: ["@adjointe.metz:agent.interieur.tchap.gouv.fr"]\n'
        "    open_weekdays: [lundi, mardi, jeudi]",
    )
    assert (await storage.import_sites(changed)).sites_updated == 1
    metz = await storage.get_site("Metz Ville")
    assert metz.aliases == ("Lizé", "Metz Ville")
    assert metz.managers == ("@adjointe.metz:agent.interieur.tchap.gouv.fr",)
    assert metz.open_weekdays == (0, 1, 3)
    assert await storage.get_site("Metz Lizé") is None


async def test_check_in_rules_are_imported_changed_and_removed(storage) -> None:
    await storage.import_sites(GOOD)
    assert (await storage.get_site("Metz")).check_in is None
    rules = 'check_in: {morning: "10:00", afternoon: "14:30", remind: true}'
    with_check_in = GOOD.replace('department: "57"\n', f'department: "57"\n    {rules}\n')
    assert (await storage.import_sites(with_check_in)).sites_updated == 1
    rule = (await storage.get_site("Metz")).check_in
    assert rule == CheckInRule(morning=time(10, 0), afternoon=time(14, 30), remind=True)
    assert (rule.deadline(Slot.DAY), rule.deadline(Slot.AM)) == (time(10, 0), time(10, 0))
    assert rule.deadline(Slot.PM) == time(14, 30)
    morning_only = GOOD.replace(
        '    department: "57"\n', '    department: "57"\n    check_in: {morning: "9:45"}\n'
    )
    await storage.import_sites(morning_only)
    rule = (await storage.get_site("Metz")).check_in
    assert rule == CheckInRule(morning=time(9, 45), afternoon=None, remind=False)
    assert rule.deadline(Slot.PM) is None
    assert (await storage.import_sites(GOOD)).sites_updated == 1
    assert (await storage.get_site("Metz")).check_in is None
    assert (await storage.get_site("Orléans")).check_in is None


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("sites:\n  - name: Metz\n", 2, "desks is required"),
        ("sites:\n  - desks: [A]\n", 2, "name is required"),
        ("sites:\n  - name: Metz\n    desks: [A, B]\n    colour: red\n", 4, "unknown key"),
        ("sites:\n  - name: Metz\n    desks: [A, a]\n", 3, "listed twice"),
        ("sites:\n  - name: Metz\n    desks: []\n", 3, "no desk"),
        ("sites:\n  - name: Metz\n    department: 200\n    desks: [A]\n", 3, "département"),
        ("sites:\n  - name: Metz\n    timezone: Mars/Olympus\n    desks: [A]\n", 3, "time zone"),
        ("sites:\n  - name: Metz\n    managers: [chef]\n    desks: [A]\n", 3, "Matrix id"),
        ("sites:\n  - name: Metz\n    open_weekdays: [funday]\n    desks: [A]\n", 3, "weekday"),
        ("sites:\n  - name: A\n    desks: [x]\n  - name: a\n    desks: [y]\n", 4, "already"),
        (
            "sites:\n  - name: A\n    desks: [x]\n  - name: B\n    aliases: [a]\n    desks: [y]\n",
            5,
            "already names",
        ),
        ("sites:\n  - name: Metz\n    desks: [A\n", 4, "not valid YAML"),
        ("sites: Metz\n", 1, "must be a list"),
        ("site:\n  - name: Metz\n", 1, "unknown key"),
        ("", 1, "empty"),
        ("sites:\n  - name: Metz\n    desks: [{zone: x}]\n", 3, "label is required"),
        ("sites:\n  - name: M\n    check_in: {morning: 10h}\n    desks: [A]\n", 3, "like 10:00"),
        ("sites:\n  - name: M\n    check_in: {evening: '20:00'}\n    desks: [A]\n", 3, "unknown"),
        ("sites:\n  - name: M\n    check_in: {remind: oui}\n    desks: [A]\n", 3, "true or"),
    ],
)
def test_bad_files_name_the_line_and_the_reason(text, line, reason) -> None:
    with pytest.raises(SitesFileError) as raised:
        parse_sites(text)
    assert raised.value.line == line
    assert reason in raised.value.reason
    assert str(raised.value) == f"line {line}: {raised.value.reason}"


async def test_a_bad_file_changes_nothing(storage) -> None:
    await storage.import_sites(GOOD)
    bad = GOOD.replace('"RDC-02"]', '"RDC-02"]\n  - name: Nantes\n    desks: [N-1, n-1]')
    bad = bad.replace('"B-102", ', "")  # would deactivate B-102 if it were imported
    with pytest.raises(SitesFileError) as raised:
        await storage.import_sites(bad)
    assert raised.value.line == 12
    assert [s.name for s in await storage.list_sites()] == ["Metz", "Orléans"]
    assert (await storage.get_site("Metz")).desk_count == 3
    # Also when the problem is only found against the database (Orléans is not in this file).
    metz_only = GOOD.split("  - name: Orléans")[0].replace('"B-102", ', "")
    with pytest.raises(SitesFileError) as raised:
        await storage.import_sites(
            metz_only + "  - name: Nancy\n    aliases: [Orléans]\n    desks: [x]\n"
        )
    assert raised.value.line == 9
    assert [s.name for s in await storage.list_sites()] == ["Metz", "Orléans"]
    assert (await storage.get_site("Metz")).desk_count == 3


async def test_an_alias_cannot_take_another_sites_name(storage) -> None:
    await storage.import_sites(GOOD)
    with pytest.raises(SitesFileError) as raised:
        await storage.import_sites(
            "sites:\n  - name: Nancy\n    aliases: [orleans]\n    desks: [x]\n"
        )
    assert raised.value.line == 3
    with pytest.raises(SitesFileError):
        await storage.import_sites("sites:\n  - name: Metz Lizé\n    desks: [x]\n")
    assert len(await storage.list_sites()) == 2


async def test_the_example_file_imports(storage) -> None:
    report = await storage.import_sites(EXAMPLES)
    sites = {site.name: site for site in await storage.list_sites()}
    assert report.sites_created == len(sites) >= 7
    for name in (
        "Metz",
        "Orléans",
        "Paris Balard",
        "Nantes",
        "Saint-Étienne",
        "Rambouillet",
        "Lille",
    ):
        assert 5 <= sites[name].desk_count <= 40, name
    for alias, name in (
        ("Paris-Balard", "Paris Balard"),
        ("Balard", "Paris Balard"),
        ("St-Étienne", "Saint-Étienne"),
        ("Metz Lizé", "Metz"),
    ):
        assert (await storage.get_site(alias)).name == name
    assert "@chef.metz:agent.interieur.tchap.gouv.fr" in sites["Metz"].managers


async def test_get_site_and_managers(storage) -> None:
    await storage.import_sites(GOOD)
    assert (await storage.get_site("ORLEANS")).name == "Orléans"
    assert await storage.get_site("Atlantis") is None
    assert await storage.managers_of("metz") == ("@chef.metz:agent.interieur.tchap.gouv.fr",)
    assert await storage.managers_of("Orléans") == ()
    with pytest.raises(UnknownSite):
        await storage.managers_of("Atlantis")


async def test_open_desks_by_label_and_by_count(storage) -> None:
    await storage.import_sites(GOOD)
    assert await storage.open_desks("Metz", labels=["B-301", "B-101"]) == ["B-301"]
    assert await storage.open_desks("Metz", count=2) == ["B-302", "B-303"]
    assert await storage.open_desks("Orléans", count=1) == ["RDC-03"]
    assert (await storage.get_site("Metz")).desk_count == 6
    free = (await storage.availability("Metz", TUESDAY, Slot.DAY)).free
    assert free == ("B-101", "B-102", "B-204", "B-301", "B-302", "B-303")
    with pytest.raises(ValueError):
        await storage.open_desks("Metz")


async def test_opened_desks_are_bookable_from_their_day(storage) -> None:
    await storage.import_sites("sites:\n  - name: Annexe\n    desks: [P1]\n")
    await add_members(storage)
    opening = MONDAY + timedelta(days=2)
    assert await storage.open_desks("Annexe", count=1, from_day=opening) == ["P2"]
    assert (await storage.availability("Annexe", TUESDAY, Slot.DAY)).free == ("P1",)
    assert (await storage.availability("Annexe", opening, Slot.DAY)).free == ("P1", "P2")
    (refused,) = await storage.reserve(ALICE, "Annexe", [TUESDAY], Slot.DAY, desk="P2")
    assert refused.outcome is Outcome.UNKNOWN_DESK


async def test_open_desks_reactivates_a_removed_desk(storage) -> None:
    await storage.import_sites(GOOD)
    await storage.import_sites(GOOD.replace('"B-102", ', ""))
    assert await storage.open_desks("Metz", labels=["b-102"]) == ["B-102"]
    assert (await storage.get_site("Metz")).desk_count == 3


async def test_the_site_list_is_cached_and_refreshed_by_changes_in_this_process(
    storage, sites_yaml
) -> None:
    await sites_yaml(storage)
    first = await storage.list_sites()
    with count_statements(storage.engine) as sent:
        assert await storage.list_sites() == first
    assert sent.queries == 0  # read on every chat message: served from memory
    await storage.open_desks("Orléans", count=2)
    assert {s.name: s.desk_count for s in await storage.list_sites()}["Orléans"] == 4
    await storage.add_manager("Orléans", "@lea:example.org")
    orleans = next(s for s in await storage.list_sites() if s.name == "Orléans")
    assert "@lea:example.org" in orleans.managers
    await storage.remove_manager("Orléans", "@lea:example.org")
    orleans = next(s for s in await storage.list_sites() if s.name == "Orléans")
    assert "@lea:example.org" not in orleans.managers
    await storage.import_sites("sites:\n  - name: Lille\n    desks: [L-1]\n")
    assert "Lille" in {s.name for s in await storage.list_sites()}
