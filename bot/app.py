"""The composition root shared by every entry point: storage → dispatcher → scheduler.

Transports (console, Matrix) open the app, attach themselves (as outbox and room directory), and
feed it messages; the scheduler's jobs speak through whatever transport is attached.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.checkin_jobs import CheckInReminderJob
from bot.clock import ShiftedClock
from bot.config import Settings
from bot.delivery import Courier, DeliveryWorker
from bot.dispatcher import Dispatcher
from bot.jobs import DigestJob, Housekeeping, process_owner
from bot.messages import Outbox, RoomDirectory
from bot.scheduler import Scheduler
from bot.sweep_job import SweepJob
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
    courier: Courier | None = None  # delivers the outbox rows (the transport's)
    worker: DeliveryWorker | None = None

    def attach_outbox(
        self,
        outbox: Outbox,
        directory: RoomDirectory | None = None,
        courier: Courier | None = None,
    ) -> None:
        """Give background jobs a way to speak first, commands a way to list room members, and
        the outbox worker a way to deliver (`courier`, else the transport's own `courier`)."""
        self.outbox = outbox
        self.directory = directory
        self.dispatcher.directory = directory
        if courier is not None:
            self.courier = courier

    def current_courier(self) -> Courier | None:
        """The courier the worker uses now (None until the transport can deliver)."""
        if self.courier is not None:
            return self.courier
        courier: Courier | None = getattr(self.outbox, "courier", None)
        return courier

    def outbox_written(self) -> None:
        """Rows were written to the outbox in this process: the worker looks at once."""
        if self.worker is not None:
            self.worker.wake()


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
        scheduler.add_job(
            "digest",
            DigestJob(
                storage, lambda: app.outbox, lambda: app.directory, written=app.outbox_written
            ),
        )
        scheduler.add_job(
            "check-in reminders",
            CheckInReminderJob(storage, settings.locale, written=app.outbox_written),
        )
        scheduler.add_job("housekeeping", Housekeeping(storage, settings.retention_days))
        scheduler.add_job("check-in sweep", SweepJob(storage, written=app.outbox_written))
        app.worker = DeliveryWorker(
            storage,
            app.current_courier,
            owner=process_owner(),
            rate=settings.send_rate,
            burst=settings.send_burst,
        )
        async with scheduler:
            scheduler.spawn("outbox delivery", app.worker.run())
            yield app
