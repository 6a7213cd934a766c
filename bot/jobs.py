"""The scheduler's jobs: housekeeping for now."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.core import Storage

log = logging.getLogger(__name__)

HANDLED_EVENTS_KEPT = timedelta(days=7)


class PruneHandledEvents:
    """Forgets handled Matrix event ids after a week, once an hour."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self._last: datetime | None = None

    async def __call__(self, now: datetime) -> None:
        if self._last is not None and now - self._last < timedelta(hours=1):
            return
        self._last = now
        pruned = await self.storage.prune_events(now - HANDLED_EVENTS_KEPT)
        if pruned:
            log.info("pruned %d handled event ids", pruned)
