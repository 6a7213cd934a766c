"""The scheduler's job for issue 12: each site's check-in deadlines and the waitlist's lapses.

Every tick it runs the release sweeps whose deadline has passed today without a sweep (so one
missed while the bot was down runs at start-up, and each runs once across processes: the
`release_sweeps` row is its claim), then drops the waits whose time has passed. The DMs are in
the outbox, written by the sweep's transaction; the delivery worker is woken.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.core import Storage

log = logging.getLogger(__name__)

LAPSE_EVERY = timedelta(minutes=1)


class SweepJob:
    """Releases no-shows at each deadline and serves the line (see the module's docstring)."""

    def __init__(self, storage: Storage, written: Callable[[], None] | None = None) -> None:
        self.storage = storage
        self._written = written
        self._lapsed_at: datetime | None = None

    async def __call__(self, now: datetime) -> None:
        results = await self.storage.waitlist.sweep_due()
        for result in results:
            log.info(
                "check-in deadline %s %s %s: %d released, %d given to the line, %d waits lapsed",
                result.site,
                result.day,
                result.half,
                len(result.released),
                len(result.served),
                result.lapsed,
            )
        if self._written is not None and any(r.released or r.served for r in results):
            self._written()
        if self._lapsed_at is None or now - self._lapsed_at >= LAPSE_EVERY:
            self._lapsed_at = now
            if lapsed := await self.storage.waitlist.lapse():
                log.info("waitlist: %d waits lapsed", lapsed)
