"""Which owned desks others may book: the SQL the desk choice and the free-desk counts share.

A desk with an owner (`desks.owner_id`, issue 12) is its owner's on every open day. Anyone else
may book it on a half-day only when the owner is away then: they lent it (`desk_loans`, for that
owner), declared a status (remote, leave, travel), or hold a booking of another desk. A whole
day needs both halves away. The owner may always book their own desk. Kept apart from
`storage.owners` (the operations) so that `storage.booking` can import it without a cycle.
"""

from __future__ import annotations

from storage.domain import Slot

_COVERS = {"am": "covers_am", "pm": "covers_pm"}


def owner_away_sql(half: str, desk: str = "d") -> str:
    """SQL true when the owner of desk alias `desk` is away on `:day`'s `half`."""
    return f"""(EXISTS (SELECT 1 FROM desk_loans AS l
                         WHERE l.desk_id = {desk}.id AND l.day = :day AND l.half = '{half}'
                           AND l.owner_id = {desk}.owner_id)
              OR EXISTS (SELECT 1 FROM presence_statuses AS s
                          WHERE s.member_id = {desk}.owner_id AND s.day = :day
                            AND s.half = '{half}')
              OR EXISTS (SELECT 1 FROM reservations AS o
                          WHERE o.member_id = {desk}.owner_id AND o.day = :day
                            AND o.status = 'active' AND o.{_COVERS[half]}
                            AND o.desk_id <> {desk}.id))"""


def bookable_by_sql(slot: Slot, booker: str | None, desk: str = "d") -> str:
    """SQL true when desk alias `desk` may be booked for `slot` by `booker` (the SQL of a member
    id, None for anyone: the free-desk counts): unowned, the booker's own, or its owner away for
    every half the slot covers."""
    halves = [h for h, covered in (("am", slot.covers_am), ("pm", slot.covers_pm)) if covered]
    away = " AND ".join(owner_away_sql(half, desk) for half in halves)
    mine = f" OR {desk}.owner_id = {booker}" if booker else ""
    return f"({desk}.owner_id IS NULL{mine} OR ({away}))"


def owned_first_sql(booker: str | None, desk: str = "d") -> str:
    """ORDER BY term putting the booker's own desk first (empty without a booker)."""
    return f"CASE WHEN {desk}.owner_id = {booker} THEN 0 ELSE 1 END, " if booker else ""
