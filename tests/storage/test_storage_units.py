"""Pure parts of the core: names, calendar rules, the clock, the sites file reader."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from storage import Outcome, SettableClock, Slot
from storage.calendar import SiteCalendar, holiday_subdivision, is_working_day
from storage.models import TaggedJSON
from storage.names import fold_name, natural_key, next_labels
from storage.sites_file import parse_sites
from tests.storage.storage_helpers import PARIS


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("St-Étienne", "st etienne"),
        ("  Paris   Balard ", "paris balard"),
        ("ORLÉANS", "orleans"),
        ("Metz Lizé", "metz lize"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
    ],
)
def test_fold(typed, folded) -> None:
    assert fold_name(typed) == folded


def test_natural_order() -> None:
    labels = ["B-10", "b-9", "B-100", "A3-2", "Poste 11", "Poste 2"]
    assert sorted(labels, key=natural_key) == [
        "A3-2",
        "b-9",
        "B-10",
        "B-100",
        "Poste 2",
        "Poste 11",
    ]


@pytest.mark.parametrize(
    ("existing", "count", "expected"),
    [
        (["B-101", "B-102", "B-204"], 2, ["B-205", "B-206"]),
        (["P01", "P02", "P04"], 2, ["P05", "P06"]),
        (["RDC-01", "RDC-02", "E1-01", "E1-02", "E1-03"], 1, ["E1-04"]),
        ([], 2, ["Poste 1", "Poste 2"]),
        (["Accueil"], 1, ["Poste 1"]),
    ],
)
def test_next_labels_continue_the_pattern(existing, count, expected) -> None:
    assert next_labels(existing, count) == expected


def test_holiday_subdivisions() -> None:
    assert holiday_subdivision("57") == "57"
    assert holiday_subdivision("67") == holiday_subdivision("68") == "6AE"
    assert holiday_subdivision("45") is None
    assert holiday_subdivision(None) is None


def test_is_working_day() -> None:
    assert is_working_day(date(2026, 11, 23), "57") is None
    assert is_working_day(date(2026, 11, 28), None) == "weekend"
    assert is_working_day(date(2026, 12, 25), None) == "Noël"
    assert is_working_day(date(2027, 3, 26), "57") == "Vendredi saint"
    assert is_working_day(date(2027, 3, 26), "45") is None


def test_calendar_block_order() -> None:
    cal = SiteCalendar(1, "Metz", "Europe/Paris", "57", frozenset(range(5)))
    today = date(2026, 11, 23)
    assert cal.block(today, today, 56) is None
    assert cal.block(today - timedelta(days=1), today, 56) == (Outcome.PAST, None)
    assert cal.block(today + timedelta(days=57), today, 56) == (Outcome.BEYOND_HORIZON, None)
    assert cal.block(date(2026, 11, 28), today, 56) == (Outcome.WEEKEND, None)
    assert cal.block(date(2026, 12, 25), today, 56) == (Outcome.HOLIDAY, "Noël")
    # 26 December 2026 is a Saturday: the weekend comes first.
    assert cal.block(date(2026, 12, 26), today, 56) == (Outcome.WEEKEND, None)


def test_settable_clock() -> None:
    clock = SettableClock(datetime(2026, 11, 23, 9, 0, tzinfo=PARIS))
    assert clock.now() == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC
    clock.set(datetime(2026, 11, 23, 23, 30, tzinfo=UTC))
    assert clock.today("Europe/Paris") == date(2026, 11, 24)
    assert clock.today("UTC") == date(2026, 11, 23)
    clock.advance(timedelta(hours=1))
    assert clock.now() == datetime(2026, 11, 24, 0, 30, tzinfo=UTC)
    with pytest.raises(ValueError):
        clock.set(datetime(2026, 11, 23, 9, 0))
    clock.set(None)
    assert not clock.is_set
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_slots() -> None:
    assert Slot.DAY.overlaps(Slot.AM) and Slot.PM.overlaps(Slot.DAY)
    assert not Slot.AM.overlaps(Slot.PM)
    assert (Slot.AM.other_half, Slot.PM.other_half, Slot.DAY.other_half) == (
        Slot.PM,
        Slot.AM,
        None,
    )
    assert Slot.from_halves(True, True) is Slot.DAY
    with pytest.raises(ValueError):
        Slot.from_halves(False, False)


def test_payload_keeps_dates() -> None:
    kind = TaggedJSON()
    payload = {
        "days": [date(2026, 11, 24)],
        "at": datetime(2026, 11, 23, 8, tzinfo=UTC),
        "slot": Slot.AM,
        "n": 1,
        "nested": {"ok": True},
    }
    stored = kind.process_bind_param(payload, None)
    assert kind.process_result_value(stored, None) == {**payload, "slot": "am"}
    with pytest.raises(TypeError):
        kind.process_bind_param({"x": object()}, None)


def test_sites_file_optional_fields() -> None:
    (site,) = parse_sites(
        "sites:\n  - name: Nancy\n    department: 54\n    timezone: Europe/Paris\n"
        "    open_weekdays: [Lundi, mardi, 2, jeu, Friday]\n"
        "    desks: [101, {label: Salle A, zone: RDC, features: [visio]}]\n"
    )
    assert (site.department, site.open_weekdays) == ("54", frozenset(range(5)))
    assert [(d.label, d.zone, d.features) for d in site.desks] == [
        ("101", None, ()),
        ("Salle A", "RDC", ("visio",)),
    ]
    (corsica,) = parse_sites("sites:\n  - name: Ajaccio\n    department: 2a\n    desks: [X]\n")
    assert corsica.department == "2A"
