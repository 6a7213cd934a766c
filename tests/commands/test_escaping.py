"""Text is escaped for display, never stripped or altered: what users write stays theirs."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.commands.recording import RecordingTransport

PARIS = ZoneInfo("Europe/Paris")
CHEF = "@chef.metz:test"
ALICE = "@alice:test"
TEAM = "!team:test"


async def test_an_announcement_starting_with_a_tag_keeps_its_angle_bracket(bot) -> None:
    await bot.say(ALICE, "suis le site de Metz", room=TEAM, is_direct=False, power_level=100)
    await bot.say(CHEF, "annonce : <script>alert(1)</script> pot vendredi")
    (posted,) = [r for r in bot.replies[-1][1] if r.room_id == TEAM]
    assert "<script>alert(1)</script> pot vendredi" in posted.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in posted.html and "<script>" not in posted.html


async def test_a_desk_labelled_with_markup_can_be_booked_by_name(
    bot: RecordingTransport, storage, clock
) -> None:
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=PARIS))
    await storage.import_sites(
        'sites:\n  - name: Metz\n    desks: ["<b>B-1</b>", "B-2"]\n'
        "  - name: Orléans\n    desks: [O-1]\n  - name: Nantes\n    desks: [N-1]\n"
    )
    replies = await bot.say(ALICE, "réserve le bureau <b>B-1</b> à Metz demain")
    said = "\n".join(r.text for r in replies)
    assert "<b>B-1</b>" in said and "réservé à Metz" in said, said
    assert "&lt;b&gt;B-1&lt;/b&gt;" in replies[0].html
    (booking,) = await storage.list_bookings(
        ALICE, clock.now().date(), clock.now().date().replace(day=30)
    )
    assert booking.desk == "<b>B-1</b>"
