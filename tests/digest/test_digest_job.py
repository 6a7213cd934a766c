"""The morning digest job with a controllable clock: working days, holidays, lateness, DST,
several rooms, restarts, and two bot processes sharing one PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.delivery import ReplyCourier, drain
from bot.jobs import DigestJob, Housekeeping
from bot.messages import Reply
from storage.clock import SettableClock
from storage.core import Storage
from tests.helpers import SITES_YAML, open_test_storage, postgres_url

PARIS = ZoneInfo("Europe/Paris")
TEAM_A = [("@alice:test", "Alice"), ("@bob:test", "Bob")]
TEAM_B = [("@carol:test", "Carol")]


class Outbox:
    def __init__(self) -> None:
        self.sent: list[Reply] = []

    async def send(self, reply: Reply) -> None:
        self.sent.append(reply)

    def rooms(self) -> list[str]:
        return [r.room_id or "" for r in self.sent]


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


async def subscribe(
    storage: Storage,
    room: str,
    members: list[tuple[str, str | None]],
    at: str = "08:30",
    site: str = "Orléans",
) -> None:
    await storage.set_room_members(room, members)
    for mxid, _ in members:
        await storage.set_default_site(mxid, site)
    await storage.subscribe_digest(room, at, lead=members[0][0], timezone="Europe/Paris")


@pytest.fixture
async def team(storage) -> Storage:
    await storage.import_sites(SITES_YAML)
    await subscribe(storage, "!a:test", TEAM_A)
    return storage


def make_job(storage: Storage, outbox: Outbox, owner: str = "p1") -> Callable[[datetime], Any]:
    """The digest job, followed by the delivery of what it wrote to the outbox."""
    job = DigestJob(storage, lambda: outbox, lambda: None, owner=owner)

    async def run(now: datetime) -> None:
        await job(now)
        await drain(storage, ReplyCourier(outbox.send), owner)

    return run


async def test_one_digest_per_working_day_holiday_and_weekend_skipped(team) -> None:
    # 9-15 November 2026: Wednesday 11 is Armistice day.
    outbox = Outbox()
    job = make_job(team, outbox)
    posted_days = []
    for offset in range(7):
        day = date(2026, 11, 9) + timedelta(days=offset)
        for hour, minute in ((8, 0), (8, 30), (8, 31), (9, 15)):
            before = len(outbox.sent)
            await job(paris(day.year, day.month, day.day, hour, minute))
            if len(outbox.sent) > before:
                posted_days.append((day.isoformat(), f"{hour:02}:{minute:02}"))
    assert posted_days == [
        ("2026-11-09", "08:30"),
        ("2026-11-10", "08:30"),
        ("2026-11-12", "08:30"),
        ("2026-11-13", "08:30"),
    ]
    assert "Présences du lundi 9 novembre" in outbox.sent[0].text
    assert "retard" not in outbox.sent[0].text


async def test_regional_holiday_follows_the_teams_usual_site(storage) -> None:
    await storage.import_sites(SITES_YAML)
    await subscribe(storage, "!metz:test", TEAM_A, site="Metz")
    await subscribe(storage, "!orleans:test", TEAM_B, site="Orléans")
    outbox = Outbox()
    await make_job(storage, outbox)(paris(2027, 3, 26, 8, 30))  # Good Friday 2027
    assert outbox.rooms() == ["!orleans:test"]  # a holiday in Moselle only


async def test_late_start_before_noon_posts_with_a_note_after_noon_skips(team) -> None:
    outbox = Outbox()
    await make_job(team, outbox)(paris(2026, 11, 24, 10, 40))
    assert len(outbox.sent) == 1
    assert "envoyé en retard" in outbox.sent[0].text and "08:30" in outbox.sent[0].text

    late = Outbox()
    await make_job(team, late)(paris(2026, 11, 25, 12, 5))
    assert late.sent == []
    await make_job(team, late)(paris(2026, 11, 26, 8, 32))  # the next day is on time again
    assert len(late.sent) == 1 and "retard" not in late.sent[0].text


@pytest.mark.parametrize(
    ("utc_due", "label"),
    [
        # Monday 29 March 2027 is Easter Monday: the Tuesday is the first working day after it.
        (datetime(2027, 3, 30, 6, 30, tzinfo=UTC), "after the spring change (UTC+2)"),
        (datetime(2026, 10, 26, 7, 30, tzinfo=UTC), "after the autumn change (UTC+1)"),
    ],
)
async def test_daylight_saving_changes_keep_local_time(
    team, utc_due: datetime, label: str
) -> None:
    outbox = Outbox()
    job = make_job(team, outbox)
    await job(utc_due - timedelta(minutes=1))
    assert outbox.sent == [], label
    await job(utc_due)
    assert len(outbox.sent) == 1, label


async def test_two_rooms_each_get_theirs_once(team) -> None:
    await subscribe(team, "!b:test", TEAM_B, at="09:00")
    outbox = Outbox()
    job = make_job(team, outbox)
    for minute in range(0, 60, 10):
        await job(paris(2026, 11, 24, 8, minute))
        await job(paris(2026, 11, 24, 9, minute))
    assert sorted(outbox.rooms()) == ["!a:test", "!b:test"]
    assert "(1 membre)" in next(r.text for r in outbox.sent if r.room_id == "!b:test")


async def test_a_restart_does_not_post_twice(team) -> None:
    outbox = Outbox()
    await make_job(team, outbox, owner="before-restart")(paris(2026, 11, 24, 8, 30))
    await make_job(team, outbox, owner="after-restart")(paris(2026, 11, 24, 8, 45))
    assert outbox.rooms() == ["!a:test"]


async def test_unsubscribed_room_gets_nothing(team) -> None:
    await team.unsubscribe_digest("!a:test")
    outbox = Outbox()
    await make_job(team, outbox)(paris(2026, 11, 24, 8, 30))
    assert outbox.sent == []


@pytest.mark.postgres
async def test_two_bot_processes_on_one_postgresql_post_once_per_room() -> None:
    url = postgres_url()
    if not url:
        pytest.skip("TEST_DATABASE_URL is not set")
    clock = SettableClock(paris(2026, 11, 24, 8, 30))
    # Two engines on one server, as two bot processes would have.
    async with open_test_storage(url, clock) as first, Storage.open(url, clock=clock) as second:
        await first.import_sites(SITES_YAML)
        rooms = [f"!team{i}:test" for i in range(12)]
        for i, room in enumerate(rooms):
            await subscribe(first, room, [(f"@m{i}:test", f"M{i}")])
        outbox_1, outbox_2 = Outbox(), Outbox()
        job_1, job_2 = make_job(first, outbox_1, "p1"), make_job(second, outbox_2, "p2")
        now = paris(2026, 11, 24, 8, 30)
        await asyncio.gather(job_1(now), job_2(now), job_1(now), job_2(now))
        posted = outbox_1.rooms() + outbox_2.rooms()
        assert sorted(posted) == sorted(rooms)


class FlakyOutbox(Outbox):
    """Fails for one room the first time, as a room the bot was kicked from would."""

    def __init__(self, failing_room: str) -> None:
        super().__init__()
        self.failing_room = failing_room
        self.failures = 0

    async def send(self, reply: Reply) -> None:
        if reply.room_id == self.failing_room and self.failures == 0:
            self.failures += 1
            raise ConnectionError("homeserver unreachable")
        await super().send(reply)


async def test_a_failed_send_costs_neither_the_other_rooms_nor_the_day(team, clock) -> None:
    await subscribe(team, "!b:test", TEAM_B)
    outbox = FlakyOutbox("!a:test")
    job = make_job(team, outbox)

    async def tick(hour: int, minute: int) -> None:
        clock.set(paris(2026, 11, 24, hour, minute))  # the claims' leases follow the bot clock
        await job(clock.now())

    await tick(8, 30)
    assert outbox.rooms() == ["!b:test"]  # the other room got its digest
    # The failed row stays in the outbox and is tried again after its backoff: the same
    # digest (written at 8:30, so not "late"), never a second one.
    await tick(8, 35)
    assert outbox.rooms() == ["!b:test", "!a:test"]
    assert "retard" not in outbox.sent[-1].text
    await tick(9, 0)
    assert len(outbox.sent) == 2


async def test_housekeeping_forgets_old_runs_and_events_once_an_hour(team, clock) -> None:
    outbox = Outbox()
    clock.set(paris(2026, 11, 24, 8, 30))
    await make_job(team, outbox)(clock.now())
    assert await team.digest_sent("!a:test", date(2026, 11, 24))
    assert await team.claim_event("$old-event")
    housekeeping = Housekeeping(team)
    clock.set(paris(2026, 12, 20, 9, 0))
    await housekeeping(clock.now())
    assert await team.digest_sent("!a:test", date(2026, 11, 24)) is True  # 26 days: kept
    clock.set(paris(2027, 1, 5, 9, 0))
    await housekeeping(clock.now())
    assert await team.digest_sent("!a:test", date(2026, 11, 24)) is False  # 42 days: forgotten
    assert await team.claim_event("$old-event")  # forgotten too: it could be claimed again


class Directory:
    """A transport's view of rooms: only the rooms it is in."""

    def __init__(self, rooms: dict[str, list[tuple[str, str | None]]]) -> None:
        self.rooms = rooms

    async def room_members(self, room_id: str) -> list[tuple[str, str | None]] | None:
        return list(self.rooms[room_id]) if room_id in self.rooms else None


async def test_members_follow_the_transport_but_an_unknown_room_keeps_its_team(team) -> None:
    directory = Directory({"!b:test": [("@dan:test", "Dan")]})
    await subscribe(team, "!b:test", TEAM_B)
    outbox = Outbox()
    job = DigestJob(team, lambda: outbox, lambda: directory, owner="p1")
    await job(paris(2026, 11, 24, 8, 30))
    await drain(team, ReplyCourier(outbox.send), "p1")
    texts = {r.room_id: r.text for r in outbox.sent}
    assert "(2 membres)" in texts["!a:test"]  # not seen by the transport: stored team kept
    assert "(1 membre)" in texts["!b:test"]
    assert [m.matrix_id for m in await team.room_members("!b:test")] == ["@dan:test"]
