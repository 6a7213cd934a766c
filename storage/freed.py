"""The one place told that a desk became free, inside the transaction that freed it (issue 12).

Every path that frees a desk for a site, day and half-day calls `desk_freed` with the
transaction of its change: a cancellation, a released no-show, a site opened or given more
desks, a desk lent by its owner. The waitlist serves its line here, so a freed desk goes to the
first person waiting before anyone else can book it, and both changes commit together.
"""

from __future__ import annotations

from datetime import date

from storage.queries import Tx


async def desk_freed(tx: Tx, site_id: int, day: date, covers_am: bool, covers_pm: bool) -> None:
    """A desk of `site_id` is free on `day` for the halves given: serve who waits for it."""
    from storage.waitlist import serve  # the waitlist imports booking, which calls us

    await serve(tx, site_id, day, covers_am, covers_pm)
