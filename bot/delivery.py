"""The outbox's delivery worker: claims due rows, sends them through the transport, paced.

One worker per process, started by the scheduler. It leases the oldest pending row of each
destination (`storage.outbox`), sends it through the attached `Courier` with the row's own
transaction id, and records what happened:
- delivered: marked sent;
- the homeserver asks to slow down (`M_LIMIT_EXCEEDED`): every send waits `retry_after_ms`, the
  row is tried again then;
- a network or server error: tried again with exponential backoff (at most 5 minutes apart);
  after 24 h of failures the row is marked failed, logged and counted;
- a destination that cannot work (unknown or deleted room, a person who left the server): marked
  failed at once, logged and counted, and the rows behind it go on.
Pacing is a token bucket (BOT_SEND_RATE per second, BOT_SEND_BURST at once; rate 0: unpaced).
On stop the worker gives its leases back: undelivered rows wait for the next start.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

from bot import metrics
from bot.messages import Handler, Message, Reaction, Reply
from storage.availability import is_unavailable
from storage.domain import RoomId
from storage.outbox import FAILED, OutboxItem

if TYPE_CHECKING:
    from storage.core import Storage

log = logging.getLogger(__name__)

IDLE_POLL_S = 1.0  # how often an idle worker looks for rows written by another process
MIN_LEASE = timedelta(seconds=60)
MAX_BACKOFF_S = 300.0
UNAVAILABLE_PAUSE_S = 2.0


@dataclass(frozen=True)
class Delivered:
    event_id: str | None
    room_id: RoomId | None = None


@dataclass(frozen=True)
class TryLater:
    """Not delivered this time; `after_s` is the server's own delay (rate limit) when given."""

    reason: str
    after_s: float | None = None
    rate_limited: bool = False


@dataclass(frozen=True)
class Undeliverable:
    """This destination cannot receive the message: failed at once."""

    reason: str


Outcome = Delivered | TryLater | Undeliverable


class Courier(Protocol):
    """What a transport provides to deliver outbox rows."""

    async def deliver(self, item: OutboxItem) -> Outcome: ...


class TokenBucket:
    """`rate` tokens per second, at most `burst` saved; rate 0 never waits."""

    def __init__(self, rate: float, burst: int, now: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._now = now
        self._tokens = float(self.burst)
        self._stamp = now()
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        """The homeserver asked to wait: nothing is sent for `seconds`."""
        self._paused_until = max(self._paused_until, self._now() + seconds)
        self._tokens = 0.0

    def delay(self) -> float:
        """Seconds to wait before the next send (0: now); takes the token when 0."""
        now = self._now()
        if now < self._paused_until:
            self._stamp = now
            return self._paused_until - now
        if self.rate <= 0:
            return 0.0
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return 0.0
        return (1.0 - self._tokens) / self.rate

    async def take(self) -> None:
        wait = self.delay()
        while wait > 0:  # a pace, not an event to wait for
            await asyncio.sleep(wait)
            wait = self.delay()


def backoff_s(attempts: int) -> float:
    """2, 4, 8 ... seconds, at most MAX_BACKOFF_S."""
    return min(MAX_BACKOFF_S, 2.0 ** max(1, attempts))


class DeliveryWorker:
    """Delivers the outbox until cancelled (`scheduler.spawn("outbox", worker.run())`)."""

    def __init__(
        self,
        storage: Storage,
        courier: Callable[[], Courier | None],
        owner: str,
        rate: float = 1.0,
        burst: int = 10,
        idle_poll_s: float = IDLE_POLL_S,
    ) -> None:
        self.storage = storage
        self._courier = courier
        self.owner = owner
        self.bucket = TokenBucket(rate, burst)
        self.idle_poll_s = idle_poll_s
        self._wake = asyncio.Event()
        self._db_down = False
        # A batch is what the pace sends in about 20 s, and its lease covers twice that.
        self.batch = 200 if rate <= 0 else max(burst, int(burst + rate * 20))
        self.lease = max(MIN_LEASE, timedelta(seconds=2 * self.batch / rate if rate > 0 else 0))

    def wake(self) -> None:
        """New rows were written in this process: look at once."""
        self._wake.set()

    async def run(self) -> None:
        try:
            while True:
                try:
                    sent = await self.run_once()
                except Exception as error:  # the worker outlives any one failure
                    if is_unavailable(error):
                        self._database_down(error)
                    else:
                        log.exception("outbox delivery failed; trying again in a few seconds")
                    await asyncio.sleep(UNAVAILABLE_PAUSE_S)
                    continue
                if sent == 0:
                    try:
                        async with asyncio.timeout(self.idle_poll_s):
                            await self._wake.wait()
                    except TimeoutError:
                        pass
                    self._wake.clear()
        finally:
            await self._release()

    async def run_once(self) -> int:
        """Claim one batch and deliver it; returns how many rows were handled."""
        courier = self._courier()
        if courier is None:
            return 0
        try:
            items = await self.storage.outbox.claim_due(self.owner, self.lease, self.batch)
        except Exception as error:
            if not is_unavailable(error):
                raise
            self._database_down(error)
            await asyncio.sleep(UNAVAILABLE_PAUSE_S)
            return 0
        self._database_up()
        for item in items:
            await self.bucket.take()
            await self._deliver(courier, item)
        if items:
            await self._count()
        return len(items)

    async def _deliver(self, courier: Courier, item: OutboxItem) -> None:
        try:
            outcome = await courier.deliver(item)
        except Exception as error:  # a transport bug must not stop the outbox
            log.exception("outbox row %d: delivery raised", item.id)
            outcome = TryLater(f"internal: {error!r}")
        outbox = self.storage.outbox
        if isinstance(outcome, Delivered):
            await outbox.mark_sent(item.id, self.owner, outcome.event_id, outcome.room_id)
            metrics.OUTBOX_SENT.labels(item.kind).inc()
            if item.kind == "digest":
                log.info("digest posted in %s", item.destination)
            else:
                log.debug("outbox row %d delivered to %s", item.id, item.destination)
        elif isinstance(outcome, Undeliverable):
            await outbox.mark_failed(item.id, self.owner, outcome.reason)
            metrics.OUTBOX_FAILED.labels("destination").inc()
            log.warning(
                "outbox row %d to %s failed: %s", item.id, item.destination, outcome.reason
            )
        else:
            if outcome.rate_limited:
                wait = outcome.after_s if outcome.after_s is not None else 5.0
                self.bucket.pause(wait)
                delay = wait
                metrics.OUTBOX_RETRIES.labels("rate_limited").inc()
            else:
                delay = (
                    outcome.after_s if outcome.after_s is not None else backoff_s(item.attempts)
                )
                metrics.OUTBOX_RETRIES.labels("error").inc()
            status = await outbox.mark_retry(
                item.id, self.owner, timedelta(seconds=delay), outcome.reason
            )
            if status == FAILED:
                metrics.OUTBOX_FAILED.labels("expired").inc()
                log.error(
                    "outbox row %d to %s failed after 24 h of attempts: %s",
                    item.id,
                    item.destination,
                    outcome.reason,
                )
            else:
                log.info(
                    "outbox row %d to %s: %s; again in %.1f s",
                    item.id,
                    item.destination,
                    outcome.reason,
                    delay,
                )

    async def _count(self) -> None:
        for status, n in (await self.storage.outbox.counts()).items():
            metrics.OUTBOX_ROWS.labels(status).set(n)

    async def _release(self) -> None:
        try:
            released = await asyncio.shield(self.storage.outbox.release(self.owner))
        except Exception:
            log.debug("outbox leases not released (they expire on their own)", exc_info=True)
            return
        if released:
            log.info("outbox: %d undelivered rows left for the next start", released)

    def _database_down(self, error: BaseException) -> None:
        if not self._db_down:
            log.info("outbox: waiting for the database (%s)", error)
        self._db_down = True

    def _database_up(self) -> None:
        if self._db_down:
            log.info("outbox: the database answers again")
        self._db_down = False


class ReplyCourier:
    """A courier that hands each row to `send` as a `Reply` (the console prints it; tests
    record it): the outbox of transports without a homeserver."""

    def __init__(
        self, send: Callable[[Reply], Awaitable[None]], direct_room: RoomId | None = None
    ) -> None:
        self._send = send
        self._direct_room = direct_room  # where direct messages show (console, tests)

    async def deliver(self, item: OutboxItem) -> Outcome:
        # A stable event id of its own, so that a reaction to it can be told (issue 12).
        event_id = f"${item.tx_id}"
        await self._send(dataclasses.replace(as_reply(item), event_id=event_id))
        room_id = item.room_id if item.room_id is not None else self._direct_room
        return Delivered(event_id, room_id)


def as_reply(item: OutboxItem) -> Reply:
    """The outbox row as the `Reply` it was written from."""
    return Reply(
        text=item.text,
        html=item.html,
        mentions=item.mentions,
        room_id=None if item.recipient else item.room_id,
        to=item.recipient,
    )


async def drain(storage: Storage, courier: Courier, owner: str) -> int:
    """Deliver every due row now, unpaced (console, tests); returns how many."""
    worker = DeliveryWorker(storage, lambda: courier, owner, rate=0)
    total = 0
    while n := await worker.run_once():
        total += n
    return total


class DeliverAfter:
    """A `Handler` that delivers the outbox right after each command and returns what it
    delivered after the command's own replies (console and conversation tests: the order a
    person reads them in)."""

    def __init__(
        self,
        inner: Handler,
        storage: Storage,
        owner: str = "console",
        direct_room: RoomId | None = None,
    ) -> None:
        self.inner = inner
        self.storage = storage
        self.owner = owner
        self.direct_room = direct_room  # where its direct messages show (ReplyCourier)

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    async def handle(self, message: Message) -> list[Reply]:
        replies = await self.inner.handle(message)
        delivered: list[Reply] = []

        async def keep(reply: Reply) -> None:
            delivered.append(reply)

        await drain(self.storage, ReplyCourier(keep, self.direct_room), self.owner)
        return [*replies, *delivered]

    async def handle_reaction(self, reaction: Reaction) -> list[Reply]:
        replies = await self.inner.handle_reaction(reaction)
        delivered: list[Reply] = []

        async def keep(reply: Reply) -> None:
            delivered.append(reply)

        await drain(self.storage, ReplyCourier(keep, self.direct_room), self.owner)
        return [*replies, *delivered]
