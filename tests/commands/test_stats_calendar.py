"""Conversations of issue 13: statistics with chart and CSV, calendar links and feeds, weeks.

Real dispatcher and core (SQLite and PostgreSQL), a recording transport; the PNG and the CSV are
read back, the ICS is parsed with `icalendar`, the feed is fetched from the real HTTP server.
"""

from __future__ import annotations

import csv
import io
import struct
from datetime import date, datetime
from zoneinfo import ZoneInfo

import aiohttp
from icalendar import Calendar

from bot.commands.calendar import feed_url
from bot.http import HealthServer
from bot.web_calendar import calendar_routes
from tests.commands.helpers import ADMIN, bot_settings

PARIS = ZoneInfo("Europe/Paris")
CHEF = "@chef.metz:test"
ALICE = "@alice:test"
BOB = "@bob:test"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def _book_november(bot, clock) -> None:
    clock.set(datetime(2026, 11, 2, 8, 0, tzinfo=PARIS))
    await bot.say(ALICE, "réserve un bureau à Metz le 9 novembre")
    await bot.say(BOB, "réserve un bureau à Metz le 9 novembre au matin")
    await bot.say(ALICE, "réserve un bureau à Metz le 10 novembre")
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=PARIS))


async def test_a_manager_gets_text_chart_and_csv(bot, clock) -> None:
    await _book_november(bot, clock)
    [reply] = await bot.say(CHEF, "taux d'occupation de Metz en novembre")
    assert "Occupation de Metz" in reply.text, reply.text
    assert "1 nov. – 30 nov. 2026" in reply.text
    # 9 Nov: 3 of 6 half-days, 10 Nov: 2 of 6; 21 open days (11 Nov is a holiday) × 6.
    assert "Pic : lundi 9 novembre (50 %)" in reply.text
    assert "Agents venus : < 5" in reply.text
    image, table = reply.attachments
    assert (image.kind, image.mimetype) == ("image", "image/png")
    assert png_size(image.data) == (880, 990)
    assert table.mimetype == "text/csv" and table.filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(table.data.decode("utf-8"))))
    assert list(rows[0])[:8] == [
        "day", "site", "desks", "booked_half_days", "available_half_days", "occupancy",
        "checked_in", "released",
    ]  # fmt: skip
    by_day = {row["day"]: row for row in rows}
    assert by_day["2026-11-09"]["booked_half_days"] == "3"
    assert by_day["2026-11-09"]["occupancy"] == "0.5000"
    assert by_day["2026-11-11"]["available_half_days"] == "0"  # Armistice
    assert by_day["2026-11-11"]["closed"] == "holiday"
    assert "2026-11-07" not in by_day  # a Saturday
    assert len(rows) == 21


async def test_others_are_refused_and_bad_input_is_explained(bot, clock) -> None:
    await _book_november(bot, clock)
    [refused] = await bot.say(ALICE, "stats de Metz")
    assert "seuls les responsables" in refused.text and not refused.attachments
    [refused] = await bot.say(CHEF, "statistiques de tous les sites le mois dernier")
    assert "administrateur" in refused.text and not refused.attachments
    [allowed] = await bot.say(ADMIN, "statistiques de tous les sites le mois dernier")
    assert "tous les sites" in allowed.text and len(allowed.attachments) == 2
    [reversed_] = await bot.say(CHEF, "stats de Metz du 30/11/2026 au 01/11/2026")
    assert "se termine avant de commencer" in reversed_.text and not reversed_.attachments
    [too_long] = await bot.say(CHEF, "stats de Metz du 01/01/2024 au 30/11/2026")
    assert "deux ans au plus" in too_long.text
    [unknown] = await bot.say(CHEF, "stats de Brest")
    assert "Je ne connais pas le site « brest »" in unknown.text
    [english] = await bot.say(CHEF, "occupancy of Metz last month")
    assert english.text.startswith("📊 Occupancy of Metz"), english.text
    [week] = await bot.say(CHEF, "occupation de la semaine")  # the site they manage
    assert "Occupation de Metz" in week.text


async def test_calendar_link_feed_and_revocation(bot, storage, clock) -> None:
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=PARIS))
    await bot.say(ALICE, "réserve un bureau à Metz mardi matin")
    await bot.say(ALICE, "réserve un bureau à Metz jeudi")
    [answer, direct] = await bot.say(ALICE, "lien calendrier", room="!team:test", is_direct=False)
    assert "message direct" in answer.text and "/calendar/" not in answer.text
    assert direct.to == ALICE
    url = next(w for w in direct.text.split() if "/calendar/" in w)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    settings = bot_settings()
    async with HealthServer(0, {}, routes=calendar_routes(storage, settings, clock)) as server:
        base = f"http://127.0.0.1:{server.port}"
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/calendar/{token}.ics") as response:
                assert response.status == 200
                assert response.content_type == "text/calendar"
                feed = Calendar.from_ical(await response.read())
            events = {str(e["uid"]): e for e in feed.walk("VEVENT")}
            assert len(events) == 2
            tuesday = next(e for e in events.values() if e.decoded("dtstart").day == 24)
            assert tuesday.decoded("dtstart") == datetime(2026, 11, 24, 9, 0, tzinfo=PARIS)
            assert tuesday.decoded("dtend") == datetime(2026, 11, 24, 12, 30, tzinfo=PARIS)
            assert str(tuesday["summary"]).startswith("Bureau B-101 — Metz")
            thursday_uid = next(u for u, e in events.items() if e.decoded("dtstart").day == 26)
            await bot.say(ALICE, "annule ma réservation de jeudi")
            async with http.get(f"{base}/calendar/{token}.ics") as response:
                again = Calendar.from_ical(await response.read())
            uids = {str(e["uid"]) for e in again.walk("VEVENT")}
            assert thursday_uid not in uids and len(uids) == 1
            assert uids <= set(events)  # stable UIDs: Tuesday's event is the same one
            [renewed] = await bot.say(ALICE, "nouveau lien agenda")
            assert "ne fonctionne plus" in renewed.text
            for path in (f"/calendar/{token}.ics", "/calendar/nope.ics", "/calendar/x" * 3):
                async with http.get(base + path) as response:
                    assert response.status == 404
                    body = await response.text()
                    assert "alice" not in body.casefold() and token not in body
            new_url = next(w for w in renewed.text.split() if "/calendar/" in w)
            async with http.get(base + new_url.split(":8080", 1)[1]) as response:
                assert response.status == 200


async def test_feed_uses_the_site_hours(storage, clock) -> None:
    await storage.import_sites(
        "sites:\n  - name: Metz\n    hours: {am: '08:00-12:00', pm: '14:00-17:30'}\n"
        "    desks: [A]\n"
    )
    await storage.ensure_member(ALICE)
    await storage.reserve(ALICE, "Metz", [date(2026, 11, 24)], "day")
    [booking] = await storage.calendar_bookings(ALICE, date(2026, 11, 1), date(2026, 12, 31))
    from bot.ics import booking_times

    assert booking_times(booking) == (
        datetime(2026, 11, 24, 8, 0, tzinfo=PARIS),
        datetime(2026, 11, 24, 17, 30, tzinfo=PARIS),
    )
    # A half day spans its half only (the slot read from the database is a Slot).
    await storage.reserve(ALICE, "Metz", [date(2026, 11, 25)], "am")
    await storage.reserve(ALICE, "Metz", [date(2026, 11, 26)], "pm")
    _, morning, afternoon = await storage.calendar_bookings(
        ALICE, date(2026, 11, 1), date(2026, 12, 31)
    )
    assert booking_times(morning) == (
        datetime(2026, 11, 25, 8, 0, tzinfo=PARIS),
        datetime(2026, 11, 25, 12, 0, tzinfo=PARIS),
    )
    assert booking_times(afternoon) == (
        datetime(2026, 11, 26, 14, 0, tzinfo=PARIS),
        datetime(2026, 11, 26, 17, 30, tzinfo=PARIS),
    )
    assert feed_url.__name__ == "feed_url"


async def test_my_week_and_the_team_week(bot, clock) -> None:
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=PARIS))
    await bot.say(ALICE, "réserve un bureau à Metz mardi")
    await bot.say(ALICE, "télétravail jeudi")
    await bot.say(BOB, "réserve un bureau à Orléans mercredi après-midi")
    [week] = await bot.say(ALICE, "ma semaine")
    assert "mardi 24 novembre : Metz B-101" in week.text
    assert "jeudi 26 novembre : 🏠 télétravail" in week.text
    assert "lundi 23 novembre : —" in week.text
    team = "!team:test"
    await bot.handler.storage.set_room_members(team, [(ALICE, "Alice"), (BOB, "Bob")])
    [table] = await bot.say(BOB, "planning de la semaine", room=team, is_direct=False)
    assert "Alice: lun. 23 — | mar. 24 Metz |" in table.text, table.text
    assert "mer. 25 Orléans (après-midi)" in table.text
    assert "<table>" in table.html and "<td>Bob</td>" in table.html
    [dm] = await bot.say(BOB, "planning de la semaine")
    assert "salon de l’équipe" in dm.text


async def test_the_monday_digest_adds_the_team_week(bot, storage, clock) -> None:
    from bot.commands.week import with_team_week
    from bot.digest import team_digest
    from bot.i18n import Translator

    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=PARIS))
    await bot.say(ALICE, "réserve un bureau à Metz mardi prochain")
    team = "!team:test"
    await storage.subscribe_digest(team, "08:30", BOB)
    await storage.set_room_members(team, [(ALICE, "Alice"), (BOB, "Bob")])
    clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=PARIS))
    [team_day] = await storage.team_days(date(2026, 11, 23), [team])
    digest = team_digest(team_day, Translator("fr"))
    monday = await with_team_week(storage, team_day, digest)
    assert monday.text.startswith(digest.text)
    assert "La semaine de l’équipe" in monday.text
    assert "Alice: lun. 23 — | mar. 24 Metz |" in monday.text
    assert "<table>" in monday.html
