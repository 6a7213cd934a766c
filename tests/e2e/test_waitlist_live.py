"""Issue 12 on a real Synapse: a no-show's desk released at the check-in deadline goes to the
first agent in line, who receives the DM in a new encrypted direct chat.

The booking (made at 08:00, never checked in) and the line (two waiters) are written before the
bot starts; the bot starts at 10:00:30 on its clock, after Metz's 10:00 deadline, so its first
scheduler tick runs the missed sweep (the catch-up at start-up). The real `bureau-volant run`
process; matrix-nio clients as the people.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from storage import SettableClock, Slot
from storage.core import Storage
from tests.e2e import bot_process
from tests.e2e.bot_process import BotProcess, prepare_database
from tests.e2e.homeserver import Account, Homeserver
from tests.e2e.matrix_user import NewUser

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(Homeserver.from_env() is None, reason="TEST_SYNAPSE_URL is unset"),
]

TUESDAY = date(2026, 11, 24)  # a working day in Moselle
PARIS = ZoneInfo("Europe/Paris")
SITES = (
    "sites:\n"
    "  - name: Metz\n"
    '    department: "57"\n'
    '    check_in: {morning: "10:00", afternoon: "14:30"}\n'
    "    desks: [M-01]\n"
)


async def test_a_released_desk_goes_to_the_first_waiter_who_is_told_by_dm(
    homeserver: Homeserver,
    new_user: NewUser,
    bot_account: Account,
    bot_processes: list[BotProcess],
    tmp_path: Path,
) -> None:
    absent = await new_user(homeserver, "absent")
    first = await new_user(homeserver, "first")
    second = await new_user(homeserver, "second")
    sites = tmp_path / "sites.yaml"
    sites.write_text(SITES, encoding="utf-8")
    database_url = prepare_database(tmp_path / "bot.sqlite3", sites)
    clock = SettableClock(datetime.combine(TUESDAY, time(8, 0), PARIS))
    async with Storage.open(database_url, clock=clock) as storage:
        for user in (absent, first, second):
            await storage.ensure_member(user.user_id)
        [booked] = await storage.reserve(absent.user_id, "Metz", [TUESDAY], Slot.DAY)
        assert booked.booking is not None
        clock.set(datetime.combine(TUESDAY, time(9, 30), PARIS))
        for user in (first, second):
            await storage.waitlist.join(user.user_id, "Metz", TUESDAY, Slot.AM)

    bot_process.start_bot(
        bot_processes,
        homeserver,
        bot_account,
        database_url,
        tmp_path / "bot",
        clock_start=datetime.combine(TUESDAY, time(10, 0, 30)).isoformat(),
        extra_env={"BOT_SCHEDULER_TICK": "1"},
    )
    told_in = await first.accept_invite(within=30)
    await first.wait_until(
        lambda: bool(first.notices_from(bot_account.user_id, told_in)), 30, "the waitlist DM"
    )
    notice = first.notices_from(bot_account.user_id, told_in)[0]
    assert notice.decrypted, "the direct chat must be encrypted, as on Tchap"
    assert notice.body.startswith("🎉 Une place s’est libérée"), notice.body
    assert "Metz" in notice.body and "M-01" in notice.body, notice.body
    assert not first.undecryptable
    assert set(first.client.rooms[told_in].users) == {first.user_id, bot_account.user_id}

    async with Storage.open(database_url) as storage:
        [given] = await storage.list_bookings(first.user_id, TUESDAY, TUESDAY)
        assert (given.site, given.desk, given.slot) == ("Metz", "M-01", Slot.AM)
        assert await storage.list_bookings(absent.user_id, TUESDAY, TUESDAY) == []
        assert await storage.list_bookings(second.user_id, TUESDAY, TUESDAY) == []
        assert await storage.waitlist.entries(second.user_id) == []  # lapsed at 10:00
    assert not second.invites, "the second in line is told nothing"
