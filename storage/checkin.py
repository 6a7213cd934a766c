"""Check-in and reactions (issue 12, part A): what the bot's messages are about, checking a
booking in within its window, what each reaction did (so a removed reaction undoes exactly
that), and the claims of the morning reminders.

The check-in window of a booking opens one hour before its slot starts (the site's half-day
hours, "09:00-12:30,13:30-18:00" by default) and closes at the site's deadline for that slot
(`CheckInRule.deadline`), in the site's time zone. A site without a deadline for the slot needs
no check-in.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select, update

from storage import attendance
from storage.domain import RoomId, Slot, UserId
from storage.models import (
    bot_messages,
    check_in_reminders,
    members,
    reaction_effects,
    reservations,
    sites,
)
from storage.outbox import Envelope, enqueue
from storage.queries import Tx, active, booking_select, to_booking
from storage.sites import check_in_rule
from storage.subjects import Subject, SubjectKind

if TYPE_CHECKING:
    from storage.core import Storage
    from storage.types import Booking

DEFAULT_HOURS = "09:00-12:30,13:30-18:00"
OPENS_BEFORE = timedelta(hours=1)


class CheckInOutcome(StrEnum):
    """What became of a check-in attempt on one booking."""

    CHECKED_IN = "checked_in"
    ALREADY = "already"  # it was checked in before
    TOO_EARLY = "too_early"  # the window is not open yet
    TOO_LATE = "too_late"  # the deadline has passed
    NOT_NEEDED = "not_needed"  # the site asks no check-in for this booking
    GONE = "gone"  # the booking is no longer active (cancelled, released)


@dataclass(frozen=True)
class CheckInResult:
    """One booking's check-in attempt; `opens` and `deadline` are in the site's time zone."""

    outcome: CheckInOutcome
    booking: Booking
    opens: datetime | None = None
    deadline: datetime | None = None


@dataclass(frozen=True)
class Effect:
    """What the bot did for a reaction: checked bookings in, booked, or set a status."""

    reaction_event_id: str
    member: UserId
    target_event_id: str
    action: str  # "check_in", "book", "status"
    booking_ids: tuple[int, ...]
    day: date | None
    status: str | None


def slot_start(hours: str | None, slot: Slot) -> time:
    """When a slot starts at a site: the morning's start (morning, whole day) or the
    afternoon's, from "09:00-12:30,13:30-18:00" (None: those hours)."""
    parts = (hours or DEFAULT_HOURS).split(",")
    part = parts[1] if slot is Slot.PM and len(parts) > 1 else parts[0]
    return time.fromisoformat(part.split("-", 1)[0].strip())


def _window(row: Any) -> tuple[datetime, datetime] | None:
    rule = check_in_rule(row)
    slot = Slot(row.slot)
    deadline = rule.deadline(slot) if rule is not None else None
    if deadline is None:
        return None
    tz = ZoneInfo(row.timezone)
    opens = datetime.combine(row.day, slot_start(row.hours, slot), tz) - OPENS_BEFORE
    return opens, datetime.combine(row.day, deadline, tz)


def _select() -> Any:
    return booking_select().add_columns(
        reservations.c.status,
        reservations.c.checked_in_at,
        reservations.c.member_id,
        sites.c.hours,
        sites.c.check_in_morning,
        sites.c.check_in_afternoon,
        sites.c.check_in_remind,
    )


async def _attempt(tx: Tx, row: Any) -> CheckInResult:
    """Check in the booking of `row` if its window is open now."""
    booking = to_booking(row)
    window = _window(row)
    if row.status != "active":
        return CheckInResult(CheckInOutcome.GONE, booking)
    if window is None:
        return CheckInResult(CheckInOutcome.NOT_NEEDED, booking)
    opens, deadline = window
    if row.checked_in_at is not None:
        return CheckInResult(CheckInOutcome.ALREADY, booking, opens, deadline)
    if tx.now < opens:
        return CheckInResult(CheckInOutcome.TOO_EARLY, booking, opens, deadline)
    if tx.now > deadline:
        return CheckInResult(CheckInOutcome.TOO_LATE, booking, opens, deadline)
    done = await attendance.mark_checked_in(tx, booking.id)
    outcome = CheckInOutcome.CHECKED_IN if done else CheckInOutcome.ALREADY
    return CheckInResult(outcome, booking, opens, deadline)


# -- what the bot's messages are about -----------------------------------------------------------


async def remember_message(tx: Tx, event_id: str, room_id: RoomId, subject: Subject) -> None:
    """Store what the bot's message `event_id` (in `room_id`) is about (once)."""
    member_id = None
    if subject.member is not None:
        member_id = await tx.conn.scalar(
            select(members.c.id).where(members.c.matrix_id == subject.member)
        )
    exists = await tx.conn.scalar(
        select(bot_messages.c.event_id).where(bot_messages.c.event_id == event_id)
    )
    if exists is not None:
        return
    await tx.conn.execute(
        insert(bot_messages).values(
            event_id=event_id,
            room_id=room_id,
            kind=str(subject.kind),
            member_id=member_id,
            booking_ids=json.dumps(list(subject.booking_ids)),
            team_room=subject.team_room,
            day=subject.day,
            created_at=tx.now,
        )
    )


async def message_subject(tx: Tx, event_id: str, room_id: RoomId) -> Subject | None:
    """What the bot's message `event_id` in `room_id` is about; None for any other event."""
    row = (
        await tx.conn.execute(
            select(bot_messages, members.c.matrix_id)
            .outerjoin(members, members.c.id == bot_messages.c.member_id)
            .where(bot_messages.c.event_id == event_id, bot_messages.c.room_id == room_id)
        )
    ).first()
    if row is None:
        return None
    return Subject(
        SubjectKind(row.kind),
        member=row.matrix_id,
        booking_ids=tuple(json.loads(row.booking_ids)),
        team_room=row.team_room,
        day=row.day,
    )


async def last_message(tx: Tx, room_id: RoomId) -> str | None:
    """The event id of the bot's newest remembered message in a room (console, tests)."""
    found = await tx.conn.scalar(
        select(bot_messages.c.event_id)
        .where(bot_messages.c.room_id == room_id)
        .order_by(bot_messages.c.created_at.desc())
        .limit(1)
    )
    return None if found is None else str(found)


async def prune_messages(tx: Tx, before: datetime) -> int:
    """Forget what old bot messages were about (a reaction to them is then ignored)."""
    result = await tx.conn.execute(delete(bot_messages).where(bot_messages.c.created_at < before))
    return result.rowcount or 0


# -- check-in ------------------------------------------------------------------------------------


async def check_in_bookings(
    tx: Tx, member: UserId, booking_ids: tuple[int, ...]
) -> list[CheckInResult]:
    """Check in the given bookings of `member` (other people's bookings are left out)."""
    member_id = await tx.member_id(member)
    rows = (
        await tx.conn.execute(
            _select()
            .where(reservations.c.id.in_(booking_ids), reservations.c.member_id == member_id)
            .order_by(reservations.c.day, reservations.c.covers_pm, reservations.c.id)
        )
    ).all()
    return [await _attempt(tx, row) for row in rows]


async def check_in_today(tx: Tx, member: UserId) -> list[CheckInResult]:
    """ "je suis arrivé": check in the member's bookings of today whose window is open now.

    Every active booking of today (in the default time zone) is tried: those whose window is
    open are checked in, the others say why not (too early, too late, no check-in there)."""
    member_id = await tx.member_id(member)
    today = tx.today()
    rows = (
        await tx.conn.execute(
            _select()
            .where(reservations.c.member_id == member_id, reservations.c.day == today, active())
            .order_by(reservations.c.covers_pm, reservations.c.id)
        )
    ).all()
    return [await _attempt(tx, row) for row in rows]


async def undo_check_in(tx: Tx, booking_ids: tuple[int, ...]) -> list[Booking]:
    """Take back the check-in of these bookings while their deadline has not passed; returns
    the bookings that are no longer checked in."""
    rows = (await tx.conn.execute(_select().where(reservations.c.id.in_(booking_ids)))).all()
    undone: list[Booking] = []
    for row in rows:
        window = _window(row)
        if row.status != "active" or row.checked_in_at is None or window is None:
            continue
        if tx.now > window[1]:
            continue
        await tx.conn.execute(
            update(reservations).where(reservations.c.id == row.id).values(checked_in_at=None)
        )
        undone.append(to_booking(row))
    return undone


# -- reactions -----------------------------------------------------------------------------------


async def record_effect(tx: Tx, effect: Effect) -> bool:
    """Remember what a reaction did; False when that reaction was recorded already."""
    known = await tx.conn.scalar(
        select(reaction_effects.c.reaction_event_id).where(
            reaction_effects.c.reaction_event_id == effect.reaction_event_id
        )
    )
    if known is not None:
        return False
    await tx.conn.execute(
        insert(reaction_effects).values(
            reaction_event_id=effect.reaction_event_id,
            member_id=await tx.member_id(effect.member),
            target_event_id=effect.target_event_id,
            action=effect.action,
            booking_ids=json.dumps(list(effect.booking_ids)),
            day=effect.day,
            status=effect.status,
            created_at=tx.now,
        )
    )
    return True


async def take_effect(tx: Tx, reaction_event_id: str) -> Effect | None:
    """Forget and return what the reaction `reaction_event_id` did (None: it did nothing)."""
    row = (
        await tx.conn.execute(
            select(reaction_effects, members.c.matrix_id)
            .join(members, members.c.id == reaction_effects.c.member_id)
            .where(reaction_effects.c.reaction_event_id == reaction_event_id)
        )
    ).first()
    if row is None:
        return None
    await tx.conn.execute(
        delete(reaction_effects).where(reaction_effects.c.reaction_event_id == reaction_event_id)
    )
    return Effect(
        reaction_event_id=row.reaction_event_id,
        member=row.matrix_id,
        target_event_id=row.target_event_id,
        action=row.action,
        booking_ids=tuple(json.loads(row.booking_ids)),
        day=row.day,
        status=row.status,
    )


async def check_in_by_reaction(
    tx: Tx, effect: Effect, booking_ids: tuple[int, ...]
) -> list[CheckInResult]:
    """A ✅ on a confirmation or a reminder: check the bookings in and remember the reaction
    (for the bookings it checked in), in one transaction."""
    results = await check_in_bookings(tx, effect.member, booking_ids)
    done = tuple(r.booking.id for r in results if r.outcome is CheckInOutcome.CHECKED_IN)
    if done:
        await record_effect(
            tx,
            Effect(
                effect.reaction_event_id,
                effect.member,
                effect.target_event_id,
                "check_in",
                done,
                None,
                None,
            ),
        )
    return results


# -- the morning reminder ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderDue:
    """A booking whose check-in reminder is due now (claimed: it is sent once)."""

    booking: Booking
    deadline: datetime


async def claim_reminders(tx: Tx, limit: int = 500) -> list[ReminderDue]:
    """Claim the reminders due now: active bookings of today not checked in, at sites with
    `check_in.remind`, whose slot has started and whose deadline has not passed. Each booking
    is claimed once (primary key of `check_in_reminders`); the caller writes the DMs in the
    same transaction."""
    today_min = tx.today() - timedelta(days=1)
    today_max = tx.today() + timedelta(days=1)
    claimed = select(check_in_reminders.c.reservation_id).where(
        check_in_reminders.c.reservation_id == reservations.c.id
    )
    rows = (
        await tx.conn.execute(
            _select()
            .where(
                active(),
                reservations.c.checked_in_at.is_(None),
                reservations.c.day.between(today_min, today_max),
                sites.c.check_in_remind.is_(True),
                ~claimed.exists(),
            )
            .order_by(reservations.c.id)
        )
    ).all()
    due: list[ReminderDue] = []
    for row in rows:
        window = _window(row)
        if window is None:
            continue
        starts = window[0] + OPENS_BEFORE
        if not starts <= tx.now <= window[1]:
            continue
        due.append(ReminderDue(to_booking(row), window[1]))
        if len(due) >= limit:
            break
    if due:
        await tx.conn.execute(
            insert(check_in_reminders),
            [
                {"reservation_id": d.booking.id, "day": d.booking.day, "sent_at": tx.now}
                for d in due
            ],
        )
    return due


async def send_reminders(
    tx: Tx, render: Callable[[ReminderDue], Envelope], limit: int = 500
) -> int:
    """Claim the reminders due now and write their DMs (`render`, pure) to the outbox, in one
    transaction: a reminder is written once, whatever the restarts and processes."""
    due = await claim_reminders(tx, limit)
    return await enqueue(tx, [render(d) for d in due])


async def prune_reminders(tx: Tx, before: date) -> int:
    """Forget the reminder claims of days before `before`."""
    result = await tx.conn.execute(
        delete(check_in_reminders).where(check_in_reminders.c.day < before)
    )
    return result.rowcount or 0


class CheckInStore:
    """The named transactions of check-in and reactions (`storage.checkin`)."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    async def remember_message(self, event_id: str, room_id: RoomId, subject: Subject) -> None:
        """Store what a message the bot sent is about."""
        await self._storage._write(remember_message, event_id, room_id, subject)

    async def message_subject(self, event_id: str, room_id: RoomId) -> Subject | None:
        """What the bot's message is about (None: not a message the bot remembers)."""
        return await self._storage._read(message_subject, event_id, room_id)

    async def last_message(self, room_id: RoomId) -> str | None:
        """The bot's newest remembered message in a room."""
        return await self._storage._read(last_message, room_id)

    async def check_in_today(self, member: UserId) -> list[CheckInResult]:
        """Check in the member's bookings of today (a sentence: "je suis arrivé")."""
        return await self._storage._write(check_in_today, member)

    async def check_in_by_reaction(
        self, effect: Effect, booking_ids: tuple[int, ...]
    ) -> list[CheckInResult]:
        """Check in by a ✅ reaction, remembering it."""
        return await self._storage._write(check_in_by_reaction, effect, booking_ids)

    async def undo_check_in(self, booking_ids: tuple[int, ...]) -> list[Booking]:
        """Take back check-ins (a removed ✅) before the deadline."""
        return await self._storage._write(undo_check_in, booking_ids)

    async def record_effect(self, effect: Effect) -> bool:
        """Remember what a reaction did."""
        return await self._storage._write(record_effect, effect)

    async def take_effect(self, reaction_event_id: str) -> Effect | None:
        """Forget and return what a reaction did."""
        return await self._storage._write(take_effect, reaction_event_id)

    async def send_reminders(self, render: Callable[[ReminderDue], Envelope]) -> int:
        """Write the due check-in reminders to the outbox (each once)."""
        total = 0
        while n := await self._storage._write(send_reminders, render):
            total += n
        return total

    async def prune(self, messages_before: datetime, reminders_before: date) -> int:
        """Housekeeping: old bot messages and reminder claims."""
        n = await self._storage._write(prune_messages, messages_before)
        return n + await self._storage._write(prune_reminders, reminders_before)
