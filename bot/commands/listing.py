"""Rendering lists of bookings, shared by "my bookings", cancel and closures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.i18n import N_

if TYPE_CHECKING:
    from bot.commands.base import Context
    from bot.replies import ReplyBuilder
    from storage.types import Booking


def add_booking_items(
    builder: ReplyBuilder, ctx: Context, bookings: Sequence[Booking]
) -> ReplyBuilder:
    """One bullet per booking: day — site, desk (slot)."""
    for b in bookings:
        builder.item(
            N_("{day} — {site}, desk {desk} ({slot})"),
            strong=("day",),
            day=ctx.tr.day(b.day),
            site=b.site,
            desk=b.desk,
            slot=ctx.slot_label(b.slot),
        )
    return builder
