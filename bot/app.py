"""The composition root shared by every entry point: storage → dispatcher → scheduler.

Transports (console, Matrix) open the app, attach themselves (as outbox and room directory), and
feed it messages; the scheduler's jobs speak through whatever transport is attached.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.clock import ShiftedClock
from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.jobs import DigestJob, Housekeeping
from bot.messages import Outbox, RoomDirectory
from bot.scheduler import Scheduler
from storage.clock import Clock, SettableClock
from storage.core import Storage


@dataclass
class App:
    """The running bot, minus its transport."""

    settings: Settings
    clock: Clock
    storage: Storage
    dispatcher: Dispatcher
    scheduler: Scheduler
    outbox: Outbox | None = None
    directory: RoomDirectory | None = None

    def attach_outbox(self, outbox: Outbox, directory: RoomDirectory | None = None) -> None:
        """Give background jobs a way to speak first, and commands a way to list room members."""
        self.outbox = outbox
        self.directory = directory
        self.dispatcher.directory = directory


@asynccontextmanager
async def open_app(
    settings: Settings,
    clock: Clock | None = None,
    migrate: bool = False,
    scheduler_tick_s: float | None = None,
) -> AsyncIterator[App]:
    """Build the app from settings and start its scheduler; everything is closed on exit.

    The scheduler wakes every `scheduler_tick_s` seconds (default: BOT_SCHEDULER_TICK).
    """
    if clock is None:
        clock = ShiftedClock(settings.clock_start) if settings.clock_start else SettableClock()
    async with Storage.open(
        settings.database_url, clock=clock, horizon_days=settings.horizon_days, migrate=migrate
    ) as storage:
        tick_s = settings.scheduler_tick_s if scheduler_tick_s is None else scheduler_tick_s
        scheduler = Scheduler(clock.now, tick_s=tick_s)
        app = App(settings, clock, storage, Dispatcher(storage, settings, clock), scheduler)
        scheduler.add_job("digest", DigestJob(storage, lambda: app.outbox, lambda: app.directory))
        scheduler.add_job("housekeeping", Housekeeping(storage))
        async with scheduler:
            yield app
