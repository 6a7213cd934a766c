"""Phrasings that failed after the conversation work of issue 10 (its list of gaps)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot.parsing import KnownSite, parse

SITES = [KnownSite(n) for n in ("Metz", "Nantes", "Lille", "Paris Balard", "Orléans")]
TUESDAY = datetime(2026, 11, 24, 10, 0)


def d(day: int, month: int = 11) -> date:
    return date(2026, month, day)


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("tu peux me dire qui est là demain ?", None),
        ("dis-moi qui est à Metz jeudi", None),
        ("pouvez-vous me dire qui sera à Lille demain ?", None),
        ("can you tell me who is in Metz tomorrow?", None),
        ("je voudrais savoir qui vient demain à Nantes", None),
        ("il est où Marc jeudi ?", "Marc"),
    ],
)
def test_who_after_a_request_to_be_told(text: str, person: str | None) -> None:
    command = parse(text, TUESDAY, SITES)
    assert str(command.intent) == "who", command
    assert command.person == person
    assert command.unknown == ()


@pytest.mark.parametrize(
    "text",
    [
        "quelle est la couleur du cheval blanc d'Henri IV ?",
        "what is the plan for tomorrow?",
        "le chef est là demain ?",
    ],
)
def test_a_question_about_a_thing_names_no_person(text: str) -> None:
    assert parse(text, TUESDAY, SITES).person is None


@pytest.mark.parametrize(
    ("text", "now", "days"),
    [
        ("réserve à Metz mardi prochain et mercredi", TUESDAY, [d(1, 12), d(2, 12)]),
        (
            "réserve à Metz mardi prochain, mercredi et jeudi",
            TUESDAY,
            [d(1, 12), d(2, 12), d(3, 12)],
        ),
        ("réserve à Metz jeudi en huit et vendredi", TUESDAY, [d(3, 12), d(4, 12)]),
        # listed in the order of the week: read in that order (not tomorrow, then next Tuesday)
        ("réserve à Metz mardi et mercredi", TUESDAY, [d(1, 12), d(2, 12)]),
        ("réserve à Metz mercredi et jeudi", TUESDAY, [d(25), d(26)]),  # already in order
        ("réserve à Metz jeudi et mardi", TUESDAY, [d(26), d(1, 12)]),  # as written
        ("tt lundi et mardi", TUESDAY - timedelta(days=1), [d(30), d(1, 12)]),  # on a Monday
        ("WFH Mon, Tue and Wed", TUESDAY, [d(30), d(1, 12), d(2, 12)]),
        ("réserve à Metz mardi", TUESDAY, [d(1, 12)]),  # today's name: next week
        ("réserve à Metz aujourd'hui", TUESDAY, [d(24)]),
        ("réserve à Metz jusqu'à la fin du mois", TUESDAY, [d(24), d(25), d(26), d(27), d(30)]),
        ("book Metz until the end of the month", TUESDAY, [d(24), d(25), d(26), d(27), d(30)]),
    ],
)
def test_dates(text: str, now: datetime, days: list[date]) -> None:
    command = parse(text, now, SITES)
    assert command.error is None, command.error
    assert list(command.dates) == days


def test_until_the_end_of_next_month() -> None:
    command = parse("réserve à Metz jusqu'à la fin du mois prochain", TUESDAY, SITES)
    assert (command.dates[0], command.dates[-1]) == (d(24), d(31, 12))


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("passe ma résa de mardi à l'après-midi", "pm"),
        ("décale ma résa de mardi à l'après-midi", "pm"),
        ("change ma résa de mardi matin à l'aprem", "pm"),
        ("change ma résa de mardi au matin", "am"),
        ("move my booking on Tuesday to the afternoon", "pm"),
    ],
)
def test_a_move_of_the_half_day_only(text: str, slot: str) -> None:
    command = parse(text, TUESDAY, SITES)
    assert str(command.intent) == "move", command
    assert command.dates == (d(1, 12),) and command.to_dates == ()
    assert str(command.slot) == slot


def test_a_move_keeps_its_half_day_to_another_day() -> None:
    command = parse("décale ma résa de mardi matin à jeudi", TUESDAY, SITES)
    assert (command.dates, command.to_dates, str(command.slot)) == ((d(1, 12),), (d(26),), "am")


def test_a_wish_to_come_is_a_booking() -> None:
    command = parse("je voudrais venir demain", TUESDAY, SITES)
    assert (str(command.intent), command.dates, command.error) == ("reserve", (d(25),), None)


@pytest.mark.parametrize(
    ("text", "intent", "status"),
    [
        ("annule tt mes resas de la semaine pro", "cancel", None),  # "tout", not télétravail
        ("annule ts mes résas", "cancel", None),
        ("tt demain", "status", "remote"),
        ("tt le 3", "status", "remote"),
        ("tt les mardis", "status", "remote"),
        ("annule tt", "cancel", "remote"),
    ],
)
def test_sms_tt(text: str, intent: str, status: str | None) -> None:
    command = parse(text, TUESDAY, SITES)
    assert (str(command.intent), command.status and str(command.status)) == (intent, status)


@pytest.mark.parametrize("text", ["y a qqn a metz mercredi ?", "qqn a nantes demain ?"])
def test_sms_someone_asks_who(text: str) -> None:
    command = parse(text, TUESDAY, SITES)
    assert (str(command.intent), command.unknown) == ("who", ())
