"""Undo: "annule ça", "oups", "undo" take back exactly the change just made.

Commands record what they changed in `ctx.changes` (`record_booked`, `record_cancelled`,
`record_status`, `record_moved`); `bot.dialogue` keeps the record as the dialogue state's last
change, and `revert` takes it back: bookings made are cancelled, bookings cancelled are booked
again (the same desk when it is still free, else another at the same site, said so), moves are
moved back, a status a booking replaced is declared again, and a declared status is withdrawn
(the statuses it overwrote and the bookings it cancelled come back). What a revert did is
itself recorded in `ctx.reverted`, in the same form, so that a correction (a revert then a new
change) is undone whole: the new change goes, the old one comes back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.i18n import N_
from storage.domain import Outcome, Slot, StatusKind

if TYPE_CHECKING:
    from bot.commands.base import Context
    from bot.replies import ReplyBuilder
    from storage.moves import MoveResult
    from storage.types import Booking, DayOutcome, StatusChange


def _booking(b: Booking) -> dict[str, Any]:
    return {"site": b.site, "desk": b.desk, "day": b.day.isoformat(), "slot": str(b.slot)}


def record_booked(ctx: Context, outcomes: Sequence[DayOutcome]) -> None:
    """Remember the bookings a reserve made (and the statuses they replaced)."""
    for outcome in outcomes:
        if outcome.outcome is Outcome.BOOKED and outcome.booking is not None:
            change = {"op": "booked", **_booking(outcome.booking)}
            if outcome.replaced_status is not None:
                change["replaced_status"] = str(outcome.replaced_status)
            ctx.changes.append(change)
            ctx.booked.append(outcome.booking)


def record_cancelled(ctx: Context, bookings: Sequence[Booking]) -> None:
    """Remember the bookings a cancel released."""
    ctx.changes.extend({"op": "cancelled", **_booking(b)} for b in bookings)


def record_status(
    ctx: Context,
    changes: Sequence[StatusChange],
    previous: Mapping[str, Sequence[tuple[str, str]]],
) -> None:
    """Remember a declared status: the bookings it replaced (as cancellations, so undo books
    them again) then the status itself with the statuses it overwrote (`previous`: day ->
    (slot, kind) pairs). Undo goes newest first: the status goes, then the bookings return."""
    replaced = [c.replaced for c in changes if c.replaced is not None]
    record_cancelled(ctx, replaced)
    for day in sorted({c.day for c in changes}):
        slot = next(str(c.slot) for c in changes if c.day == day)
        kind = next(str(c.kind) for c in changes if c.day == day)
        ctx.changes.append(
            {
                "op": "status",
                "day": day.isoformat(),
                "slot": slot,
                "kind": kind,
                "previous": [list(p) for p in previous.get(day.isoformat(), ())],
            }
        )


def record_moved(ctx: Context, result: MoveResult) -> None:
    """Remember a move (the old booking and the new one)."""
    if result.moved and result.old is not None and result.new and result.new.booking:
        ctx.changes.append(
            {"op": "moved", "from": _booking(result.old), "to": _booking(result.new.booking)}
        )


async def revert(ctx: Context, changes: Sequence[Mapping[str, Any]]) -> ReplyBuilder:
    """Take back `changes` (the last change's record), newest first; say what was done."""
    builder = ctx.reply()
    member = ctx.member.matrix_id
    for change in reversed(changes):
        op = change["op"]
        if op == "booked":
            day = date.fromisoformat(change["day"])
            gone = await ctx.storage.cancel(
                member, [day], slot=change["slot"], site=change["site"]
            )
            ctx.reverted.extend({"op": "cancelled", **_booking(b)} for b in gone)
            builder.say(
                N_("↩️ Undone: the booking of desk {desk} at {site} on {day} is cancelled."),
                strong=("day",),
                desk=change["desk"],
                site=change["site"],
                day=ctx.tr.day(day),
            )
            if change.get("replaced_status"):
                await ctx.storage.set_status(
                    member, [day], change["slot"], change["replaced_status"]
                )
                builder.say(N_("Your previous status on that day is back."))
        elif op == "cancelled":
            await _rebook(ctx, builder, change)
        elif op == "status":
            day = date.fromisoformat(change["day"])
            await ctx.storage.clear_status(member, [day], Slot(change["slot"]))
            withdrawn = [[change["slot"], change["kind"]]]
            ctx.reverted.append({**change, "previous": withdrawn, "restores": True})
            for slot, kind in change.get("previous") or ():
                await ctx.storage.set_status(member, [day], Slot(slot), StatusKind(kind))
            if not change.get("restores"):  # a status taken back by a correction: it returns
                builder.say(
                    N_("↩️ Undone: your status on {day} is withdrawn."),
                    strong=("day",),
                    day=ctx.tr.day(day),
                )
            if change.get("previous"):
                builder.say(N_("Your previous status on that day is back."))
        elif op == "moved":
            old, new = change["from"], change["to"]
            result = await ctx.storage.move(
                member,
                date.fromisoformat(new["day"]),
                date.fromisoformat(old["day"]),
                from_slot=new["slot"],
                from_site=new["site"],
                to_slot=old["slot"],
                to_site=old["site"],
            )
            if result.moved and result.new is not None and result.new.booking is not None:
                back = result.new.booking
                ctx.reverted.append({"op": "moved", "from": new, "to": _booking(back)})
                builder.say(
                    N_("↩️ Undone: you are back at {site} on {day}, desk {desk}."),
                    strong=("day",),
                    site=back.site,
                    day=ctx.tr.day(back.day),
                    desk=back.desk,
                )
            else:
                builder.say(N_("⚠️ I could not move your booking back: it stays as it is."))
    return builder


async def _rebook(ctx: Context, builder: ReplyBuilder, change: Mapping[str, Any]) -> None:
    day = date.fromisoformat(change["day"])
    member, site, slot = ctx.member.matrix_id, change["site"], change["slot"]
    outcome = (await ctx.storage.reserve(member, site, [day], slot, desk=change["desk"]))[0]
    if outcome.outcome is Outcome.DESK_TAKEN:
        outcome = (await ctx.storage.reserve(member, site, [day], slot))[0]
    if outcome.outcome in (Outcome.BOOKED, Outcome.ALREADY_BOOKED) and outcome.booking is not None:
        desk = outcome.booking.desk
        if desk == change["desk"]:
            builder.say(
                N_("↩️ Undone: desk {desk} at {site} on {day} is booked for you again."),
                strong=("day",),
                desk=desk,
                site=site,
                day=ctx.tr.day(day),
            )
        else:
            builder.say(
                N_(
                    "↩️ Undone: desk {old} was taken in the meantime, so I booked desk {desk} at"
                    " {site} on {day}."
                ),
                strong=("day", "desk"),
                old=change["desk"],
                desk=desk,
                site=site,
                day=ctx.tr.day(day),
            )
        ctx.reverted.append(
            {"op": "booked", "site": site, "desk": desk, "day": day.isoformat(), "slot": slot}
        )
    else:
        builder.say(
            N_("⚠️ I could not book {site} again on {day}: no desk is free any more."),
            strong=("day",),
            site=site,
            day=ctx.tr.day(day),
        )
