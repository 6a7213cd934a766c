"""A closure reason can be given from the chat, after a colon, and reaches those affected."""

from __future__ import annotations

from bot.parsing import Intent
from tests.commands.recording import RecordingTransport

CHEF = "@chef.metz:test"
ALICE = "@alice:test"


async def test_the_reason_after_the_colon_is_told_to_each_agent(bot: RecordingTransport) -> None:
    await bot.say(ALICE, "réserve à Metz le 24 décembre")
    asked = await bot.say(CHEF, "ferme le site de Metz le 24 décembre : travaux au 2e étage")
    assert "annule 1 réservation" in asked[0].text
    await bot.say(CHEF, "oui")
    (notice,) = [r.text for r in bot.replies[-1][1] if r.to == ALICE]
    assert "travaux au 2e étage" in notice
    again = "\n".join(r.text for r in await bot.say(ALICE, "réserve à Metz le 24 décembre"))
    assert "(travaux au 2e étage)" in again


def test_a_colon_before_the_dates_is_not_a_reason() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.parsing import KnownSite, parse

    now = datetime(2026, 11, 23, 9, tzinfo=ZoneInfo("Europe/Paris"))
    command = parse("ferme le site de Metz : le 24 décembre", now, [KnownSite("Metz")])
    assert command.intent is Intent.CLOSE and command.reason is None
    assert [d.isoformat() for d in command.dates] == ["2026-12-24"]
    command = parse("ferme Metz vendredi : travaux au 2e étage", now, [KnownSite("Metz")])
    assert command.reason == "travaux au 2e étage" and command.to_json()["text"] == command.reason
