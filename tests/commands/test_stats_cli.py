"""`bureau-volant stats` and `bureau-volant calendar` on a SQLite file; the per-site gauges."""

from __future__ import annotations

import asyncio
import csv
from datetime import date, datetime
from zoneinfo import ZoneInfo

import aiohttp
from icalendar import Calendar
from prometheus_client import CollectorRegistry

from bot import metrics
from bot.cli import main
from bot.http import HealthServer
from bot.web_calendar import gauge_refresher
from storage import SettableClock, Slot
from tests.helpers import SITES_YAML, open_test_storage

PARIS = ZoneInfo("Europe/Paris")
ALICE = "@alice:test"
MON = date(2026, 11, 9)


async def _seed(url: str) -> None:
    clock = SettableClock(datetime(2026, 11, 2, 8, 0, tzinfo=PARIS))
    async with open_test_storage(url, clock) as storage:
        await storage.import_sites(SITES_YAML)
        await storage.ensure_member(ALICE)
        await storage.reserve(ALICE, "Metz", [MON], Slot.DAY)
        [tuesday] = await storage.reserve(ALICE, "Metz", [date(2026, 11, 10)], Slot.AM)
        await storage.reserve(ALICE, "Metz", [date(2026, 11, 12)], Slot.PM)
        await storage.release_no_show(tuesday.booking.id)


def test_stats_cli_prints_the_table_and_writes_csv_and_png(tmp_path, monkeypatch, capsys):
    url = f"sqlite+aiosqlite:///{tmp_path / 'bv.sqlite3'}"
    asyncio.run(_seed(url))
    monkeypatch.setenv("DATABASE_URL", url)
    out_csv, out_png = tmp_path / "out" / "metz.csv", tmp_path / "out" / "metz.png"
    args = ["stats", "--site", "metz", "--from", "2026-11-09", "--to", "2026-11-13"]
    assert main([*args, "--csv", str(out_csv), "--png", str(out_png)]) == 0
    printed = capsys.readouterr().out
    assert "Metz" in printed and "taux de foisonnement" in printed
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    assert [r["day"] for r in rows] == [f"2026-11-{d}" for d in ("09", "10", "11", "12", "13")]
    assert rows[0]["booked_half_days"] == "2" and rows[0]["available_half_days"] == "6"
    assert rows[1]["released"] == "1" and rows[1]["booked_half_days"] == "0"
    assert rows[2]["closed"] == "holiday" and rows[2]["occupancy"] == ""
    assert out_png.read_bytes()[:4] == b"\x89PNG"
    assert main(["stats", "--from", "2026-11-09", "--to", "2026-11-13"]) == 0  # every site
    assert "tous les sites" in capsys.readouterr().out

    assert main(["stats", "--site", "Metz", "--from", "2026-11-13", "--to", "2026-11-09"]) == 1
    assert "ends before it starts" in capsys.readouterr().err
    assert main(["stats", "--site", "Metz", "--from", "2023-01-01", "--to", "2026-11-09"]) == 1
    assert "two years" in capsys.readouterr().err
    assert main(["stats", "--site", "Brest", "--from", "2026-11-09", "--to", "2026-11-13"]) == 1
    assert "unknown site 'Brest'" in capsys.readouterr().err


def test_calendar_cli_prints_the_feed(tmp_path, monkeypatch, capsys):
    url = f"sqlite+aiosqlite:///{tmp_path / 'bv.sqlite3'}"
    asyncio.run(_seed(url))
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("BOT_CLOCK_START", "2026-11-20T09:00:00+01:00")
    assert main(["calendar", ALICE]) == 0
    feed = Calendar.from_ical(capsys.readouterr().out)
    days = sorted(e.decoded("dtstart").date() for e in feed.walk("VEVENT"))
    assert days == [MON, date(2026, 11, 12)]  # the released booking is gone
    assert main(["calendar", "@nobody:test"]) == 1


async def test_metrics_expose_todays_per_site_gauges(tmp_path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bv.sqlite3'}"
    await _seed(url)
    clock = SettableClock(datetime(2026, 11, 9, 10, 0, tzinfo=PARIS))
    registry = CollectorRegistry()
    for gauge in (metrics.SITE_DESKS, metrics.SITE_BOOKED, metrics.SITE_CHECKED_IN,
                  metrics.SITE_RELEASED):  # fmt: skip
        registry.register(gauge)
    async with open_test_storage(url, clock) as storage:
        server = HealthServer(0, {}, registry=registry, before_metrics=gauge_refresher(storage))
        async with server, aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{server.port}/metrics") as response:
                text = await response.text()
    assert 'bureau_volant_site_desks{site="Metz"} 3.0' in text
    assert 'bureau_volant_site_booked_half_days{site="Metz"} 2.0' in text
    assert 'bureau_volant_site_released{site="Metz"} 0.0' in text
    assert 'bureau_volant_site_desks{site="Orléans"} 2.0' in text
