"""Dispatcher behaviours beyond single dialogues: limits, internal errors, restarts, fuzzing."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.dispatcher import Dispatcher
from tests.commands.helpers import ALICE, BOB, active_bookings, bot_settings
from tests.commands.recording import RecordingTransport

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=PARIS)


async def test_rate_limit_warns_once_then_drops(storage, clock) -> None:
    clock.set(MONDAY)
    await storage.import_sites("sites:\n  - name: Metz\n    desks: [A]\n")
    bot = RecordingTransport(Dispatcher(storage, bot_settings(rate_limit_count=3), clock))
    for _ in range(3):
        assert await bot.say(ALICE, "mes réservations")
    warning = await bot.say(ALICE, "mes réservations")
    assert "beaucoup de messages" in warning[0].text
    assert await bot.say(ALICE, "mes réservations") == []  # dropped silently
    assert await bot.say(BOB, "mes réservations")  # others are not affected


async def test_internal_error_gives_a_reference_and_changes_nothing(
    bot, clock, storage, monkeypatch, caplog
) -> None:
    clock.set(MONDAY)

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(storage, "reserve", broken)
    with caplog.at_level(logging.ERROR, logger="bot.dispatcher"):
        replies = await bot.say(ALICE, "réserve à Metz mardi")
    text = replies[0].text
    assert "erreur interne" in text and "réf." in text
    reference = text.rsplit("réf. ", 1)[1].rstrip(".")
    assert len(reference) == 4
    assert "disk on fire" not in text and "Traceback" not in text
    assert reference in caplog.text and "disk on fire" in caplog.text
    assert await active_bookings(storage, ALICE) == set()


async def test_pending_question_survives_a_restart(bot, clock, storage) -> None:
    clock.set(MONDAY)
    await bot.say(ALICE, "réserve à Metz toute la semaine prochaine")
    asked = await bot.say(ALICE, "annule mes réservations de la semaine prochaine")
    assert "Cela annulera 5 réservations" in asked[0].text
    restarted = RecordingTransport(Dispatcher(storage, bot_settings(), clock))
    done = await restarted.say(ALICE, "oui")
    assert "5 réservations annulées" in done[0].text
    assert await active_bookings(storage, ALICE) == set()


async def test_questions_are_per_room(bot, clock, storage) -> None:
    clock.set(MONDAY)
    await bot.say(ALICE, "réserve à Metz toute la semaine prochaine")
    await bot.say(ALICE, "annule mes réservations de la semaine prochaine")
    elsewhere = await bot.say(ALICE, "oui", room="!other:test")
    assert "Aucune question" in elsewhere[0].text
    assert len(await active_bookings(storage, ALICE)) == 5


async def test_html_escapes_user_text(bot, clock) -> None:
    clock.set(MONDAY)
    replies = await bot.say(ALICE, "réserve à <script>alert(1)</script> mardi")
    assert "<script>" not in replies[0].html


async def test_replies_have_html_with_emphasis(bot, clock) -> None:
    clock.set(MONDAY)
    replies = await bot.say(ALICE, "réserve le bureau B-204 à Metz mardi")
    assert "<b>B-204</b>" in replies[0].html
    assert "<b>mardi 24 novembre</b>" in replies[0].html


async def _snapshot(storage) -> tuple[object, ...]:
    bookings = await active_bookings(storage, ALICE)
    statuses = await storage.who(MONDAY.date().replace(day=24))
    return (bookings, tuple(statuses))


@pytest.mark.parametrize("storage", ["sqlite"], indirect=True)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(max_size=300)
    | st.sampled_from(
        [
            "réserve",
            "annule",
            "oui",
            "non",
            "télétravail",
            "mon site c'est",
            "qui",
            "parle-moi en",
        ]
    ).flatmap(lambda w: st.text(max_size=40).map(lambda t: f"{w} {t}"))
)
async def test_random_input_never_leaks_a_traceback_or_changes_data_on_error(
    text: str, bot, clock, storage
) -> None:
    clock.set(MONDAY)
    before = await _snapshot(storage)
    replies = await bot.say(ALICE, text)
    said = "\n".join(r.text for r in replies)
    assert "Traceback" not in said
    assert "erreur interne" not in said, said
    outcome_ok = any(mark in said for mark in ("✅", "🗑️", "C’est noté", "📍", "🗣️"))
    if not outcome_ok:
        assert await _snapshot(storage) == before, (text, said)
