"""Demo data for the statistics: a month of bookings at the `make demo` sites.

    .venv/bin/python examples/demo_bookings.py [DATABASE_URL]
    .venv/bin/bureau-volant stats --site Metz --from 2026-11-02 --to 2026-11-27 --png metz.png

Uses the sites of examples/sites.yaml (imported first when missing): 60 agents book at Metz and
Orléans on the working days of November 2026 (more on Tuesdays and Thursdays, as in real flex
offices), with half-days, some check-ins, released no-shows, cancellations and "full" answers.
The bot's clock is moved back to each day's morning while booking, as if it had run all month.
"""

from __future__ import annotations

import asyncio
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from storage import Outcome, SettableClock, Slot, Storage
from storage.calendar import is_working_day

PARIS = ZoneInfo("Europe/Paris")
SITES_FILE = Path(__file__).with_name("sites.yaml")
DEFAULT_URL = "sqlite+aiosqlite:///var/bureau-volant.sqlite3"
AGENTS = [f"@agent{i:02d}:agent.example.gouv.fr" for i in range(60)]
BUSY = {0: 0.3, 1: 0.5, 2: 0.35, 3: 0.45, 4: 0.15}  # share of agents coming, by weekday


async def main(url: str) -> None:
    clock = SettableClock(datetime(2026, 10, 30, 8, 0, tzinfo=PARIS))
    rng = random.Random(13)
    async with Storage.open(url, clock=clock, migrate=True) as storage:
        if not await storage.list_sites():
            await storage.import_sites(SITES_FILE)
        for i, agent in enumerate(AGENTS):
            await storage.ensure_member(agent, f"Agent {i:02d}")
        day = date(2026, 11, 2)
        booked = 0
        while day <= date(2026, 11, 27):
            if is_working_day(day, "57") is None:
                clock.set(datetime.combine(day, datetime.min.time(), PARIS) + timedelta(hours=7))
                for agent in AGENTS:
                    if rng.random() > BUSY[day.weekday()]:
                        continue
                    site = "Metz" if rng.random() < 0.75 else "Orléans"
                    slot = rng.choice([Slot.DAY] * 6 + [Slot.AM, Slot.PM])
                    [outcome] = await storage.reserve(agent, site, [day], slot)
                    if outcome.outcome is not Outcome.BOOKED or outcome.booking is None:
                        continue
                    booked += 1
                    fate = rng.random()
                    if fate < 0.05:
                        await storage.cancel(agent, [day])
                    elif fate < 0.10:
                        await storage.release_no_show(outcome.booking.id)
                    elif fate < 0.70:
                        await storage.mark_checked_in(outcome.booking.id)
            day += timedelta(days=1)
    print(f"{booked} bookings made in November 2026 at Metz and Orléans ({url}).")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_URL))
