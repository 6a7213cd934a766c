"""Moving a booking to another day, site or half-day in one transaction (issue 10).

The new booking is made and the old one released together: the same desk when it is free
(at the same site), else the first free desk; when the new day cannot be booked, the
transaction is rolled back and the old booking stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storage import booking
from storage.domain import UserId
from storage.queries import Tx, member_bookings, not_past, to_booking
from storage.types import Booking, DayOutcome, Outcome, Slot


@dataclass(frozen=True)
class MoveResult:
    """`old`: the booking moved (None when there was none); `new`: what the new day gave
    (booked, or why not: then nothing changed)."""

    old: Booking | None
    new: DayOutcome | None

    @property
    def moved(self) -> bool:
        return self.new is not None and self.new.outcome is Outcome.BOOKED


class Refused(Exception):
    """Raised inside the transaction to roll a move back; carries the result."""

    def __init__(self, old: Booking, outcome: DayOutcome) -> None:
        super().__init__(outcome.outcome)
        self.result = MoveResult(old, outcome)


async def move(
    tx: Tx,
    member: UserId,
    from_day: date,
    from_slot: Slot | None,
    from_site: str | None,
    to_day: date,
    to_slot: Slot | None,
    to_site: str | None,
) -> MoveResult:
    """Move the member's booking of `from_day` (optionally that half, that site)."""
    member_id = await tx.member_id(member)
    site_id = (await tx.site(from_site)).site_id if from_site else None
    rows = not_past(await member_bookings(tx, member_id, [from_day], from_slot, site_id), tx)
    if not rows:
        return MoveResult(None, None)
    row = rows[0]
    old = to_booking(row)
    site = to_site or old.site
    slot = Slot(to_slot) if to_slot else old.slot
    await booking.release(tx, [row], None, "member", serve=False)
    desk = old.desk if site == old.site else None
    outcome = (await booking.reserve(tx, member, site, [to_day], slot, desk, None))[0]
    if outcome.outcome is Outcome.DESK_TAKEN:
        outcome = (await booking.reserve(tx, member, site, [to_day], slot, None, None))[0]
    if outcome.outcome is not Outcome.BOOKED:
        raise Refused(old, outcome)  # rolls the release back
    await booking.serve_released(tx, [row], [old])  # the old slot goes to the waitlist
    return MoveResult(old, outcome)
