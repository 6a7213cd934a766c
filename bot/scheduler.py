"""All background work goes through one scheduler that names, logs and cancels its tasks.

Jobs are coroutines called with the bot's current time; each decides itself what is due (so the
console's `/now` can make them catch up at once). The loop wakes every `tick` seconds; one failing
job is logged and never stops the others or the loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime
from typing import Any

from storage.availability import is_unavailable

log = logging.getLogger(__name__)

Job = Callable[[datetime], Awaitable[None]]


class Scheduler:
    """Runs named periodic jobs and tracks one-off tasks; everything is cancelled on exit."""

    def __init__(self, now: Callable[[], datetime], tick_s: float = 20.0) -> None:
        self._now = now
        self.tick_s = tick_s
        self._jobs: dict[str, Job] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loop_task: asyncio.Task[None] | None = None
        self._run_lock = asyncio.Lock()
        self._unavailable = False  # the database is away: said once, not at every tick

    def add_job(self, name: str, job: Job) -> None:
        """Register `job` to run at every tick (and on `run_due`)."""
        self._jobs[name] = job

    def spawn(self, name: str, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run a one-off task, tracked (cancelled on exit) and logged if it fails."""
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    async def run_due(self) -> None:
        """Run every job once now, one after the other (never two runs at the same time)."""
        async with self._run_lock:
            now = self._now()
            unavailable = False
            for name, job in self._jobs.items():
                try:
                    await job(now)
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    if is_unavailable(error):
                        unavailable = True
                        if not self._unavailable:
                            log.info("scheduled jobs wait for the database")
                        self._unavailable = True
                        continue
                    log.exception("scheduled job %s failed at %s", name, now.isoformat())
            if self._unavailable and not unavailable:
                log.info("scheduled jobs run again: the database answers")
                self._unavailable = False

    async def __aenter__(self) -> Scheduler:
        self._loop_task = asyncio.create_task(self._loop(), name="scheduler")
        log.info("scheduler started with jobs: %s", ", ".join(self._jobs) or "none")
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        tasks = [t for t in (self._loop_task, *self._tasks) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        log.info("scheduler stopped")

    async def _loop(self) -> None:
        while True:
            await self.run_due()
            await asyncio.sleep(self.tick_s)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("task %s failed", task.get_name(), exc_info=task.exception())
