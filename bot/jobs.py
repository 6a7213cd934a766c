"""The scheduler's jobs: the morning digest of every subscribed room, and housekeeping.

The digest is posted once per room and working day at the room's time in its timezone; the claim
in the database makes that exactly once across restarts and across several bot processes. If the
bot was down at that time it posts late (with a note) until noon, or until two hours after the
digest time when that is later; after that the day is skipped.
"""

from __future__ import annotations

import logging
import os
import socket
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.commands.week import with_team_week
from bot.digest import team_digest
from bot.i18n import Translator
from bot.messages import Outbox, RoomDirectory
from bot.reactions import digest_hint
from bot.rooms import refresh_room_members
from storage.calendar import is_working_day
from storage.domain import RoomId, UserId
from storage.outbox import SENT_KEPT, Envelope
from storage.subjects import Subject, SubjectKind

if TYPE_CHECKING:
    from storage.core import Storage
    from storage.types import Team

log = logging.getLogger(__name__)

LATE_UNTIL = time(12, 0)
LATE_AT_LEAST = timedelta(hours=2)
ON_TIME_GRACE = timedelta(minutes=5)  # a tick or two late is still "on time"
CLAIM_LEASE = timedelta(minutes=10)
HANDLED_EVENTS_KEPT = timedelta(days=7)
DIGEST_RUNS_KEPT = timedelta(days=35)  # a month of "was it sent?" for support questions


def process_owner() -> str:
    """Who claims a digest: host and pid, for the logs of a deployment with several processes."""
    return f"{socket.gethostname()}:{os.getpid()}"


class DigestJob:
    """Posts each due digest through the outbox the transport attached."""

    def __init__(
        self,
        storage: Storage,
        outbox: Callable[[], Outbox | None],
        directory: Callable[[], RoomDirectory | None],
        owner: str | None = None,
        written: Callable[[], None] | None = None,
    ) -> None:
        self.storage = storage
        self._outbox = outbox
        self._written = written  # wakes the delivery worker
        self._directory = directory
        self.owner = owner or process_owner()
        self._done: set[tuple[RoomId, date]] = set()  # posted or skipped by this process
        self._members: dict[RoomId, list[tuple[UserId, str | None]]] = {}  # last stored, per room

    async def __call__(self, now: datetime) -> None:
        outbox = self._outbox()
        if outbox is None:
            return  # no transport yet: nothing can be posted, nothing is claimed
        yesterday = now.date() - timedelta(days=1)
        self._done = {(room, day) for room, day in self._done if day >= yesterday}
        due_by_day: dict[date, dict[RoomId, str | None]] = defaultdict(dict)
        for team in await self.storage.list_teams():
            decision = self._decide(team, now)
            if decision is not None:
                day, late_after = decision
                due_by_day[day][team.room_id] = late_after
        for day, rooms in due_by_day.items():
            await self._post_day(outbox, day, rooms)

    def _decide(self, team: Team, now: datetime) -> tuple[date, str | None] | None:
        """(day, late note) when the team's digest is due now, else None."""
        local = now.astimezone(ZoneInfo(team.timezone))
        day = local.date()
        if (team.room_id, day) in self._done:
            return None
        due = datetime.combine(day, time.fromisoformat(team.digest_time), local.tzinfo)
        if local < due:
            return None
        if is_working_day(day, team.department) is not None:
            self._done.add((team.room_id, day))
            return None
        cutoff = max(datetime.combine(day, LATE_UNTIL, local.tzinfo), due + LATE_AT_LEAST)
        if local >= cutoff:
            log.warning("digest of %s for %s skipped: too late (%s)", team.room_id, day, local)
            self._done.add((team.room_id, day))
            return None
        return day, (team.digest_time if local - due > ON_TIME_GRACE else None)

    async def _post_day(self, outbox: Outbox, day: date, rooms: dict[RoomId, str | None]) -> None:
        directory = self._directory()
        # One claim statement for every room due (2,000 rooms: one transaction, not 2,000).
        claimed = await self.storage.claim_digests(list(rooms), day, self.owner, CLAIM_LEASE)
        lost = [room for room in rooms if room not in set(claimed)]
        if lost:
            self._done.update((room, day) for room in await self.storage.digests_sent(lost, day))
            # The others are held by another process (or an attempt of ours failed): when its
            # lease ends without the digest sent, a later tick claims it again.
        if directory is not None:
            for room in claimed:
                try:
                    await self._refresh_members(directory, room)
                except Exception:  # a room we cannot read still gets yesterday's members
                    log.exception("could not refresh the members of %s", room)
        for team_day in await self.storage.team_days(day, claimed):
            room = team_day.team.room_id
            tr = Translator(team_day.team.locale)
            reply = team_digest(team_day, tr, rooms[room])
            if day.weekday() == 0:  # on Mondays the digest adds the team's week (issue 13)
                reply = await with_team_week(self.storage, team_day, reply)
            reply = digest_hint(reply, tr)  # 🏢 🏠 🌴 reactions (issue 12)
            about = Subject(SubjectKind.DIGEST, team_room=room, day=day)
            # Written to the outbox with the "sent" mark, in one transaction: the delivery
            # worker posts it (paced, retried), and no other process claims the day again.
            await self.storage.outbox.digest(
                room, day, Envelope("digest", reply.text, reply.html, room_id=room, about=about)
            )
            self._done.add((room, day))
            log.info("digest queued for %s on %s", room, day)
        if claimed and self._written is not None:
            self._written()

    async def _refresh_members(self, directory: RoomDirectory, room: RoomId) -> None:
        """Store the room's members as the transport sees them now, when they changed."""
        await refresh_room_members(self.storage, directory, room, self._members)


class Housekeeping:
    """Once an hour: forgets handled Matrix event ids after a week, digest runs (one row per
    room and day) after DIGEST_RUNS_KEPT, delivered outbox rows after a week, and the personal
    data older than the retention period (BOT_RETENTION_DAYS: bookings, statuses, audit)."""

    def __init__(self, storage: Storage, retention_days: int = 400) -> None:
        self.storage = storage
        self.retention = timedelta(days=retention_days)
        self._last: datetime | None = None

    async def __call__(self, now: datetime) -> None:
        if self._last is not None and now - self._last < timedelta(hours=1):
            return
        self._last = now
        events = await self.storage.prune_events(now - HANDLED_EVENTS_KEPT)
        runs = await self.storage.prune_digest_runs(now.date() - DIGEST_RUNS_KEPT)
        if events or runs:
            log.info("housekeeping: forgot %d handled event ids, %d digest runs", events, runs)
        sent = await self.storage.outbox.prune_sent(now - SENT_KEPT)
        await self.storage.checkin.prune(now - SENT_KEPT, now.date() - timedelta(days=2))
        old = await self.storage.personal.prune_older_than(
            (now - self.retention).date(), now - self.retention
        )
        if sent or any(old.values()):
            log.info(
                "housekeeping: forgot %d delivered messages; retention: %s",
                sent,
                ", ".join(f"{n} {kind}" for kind, n in old.items()),
            )
