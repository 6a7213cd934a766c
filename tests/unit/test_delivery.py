"""The outbox worker with a scripted courier (the edge): pacing, rate limits, retries, bad
destinations that never block the rows behind, and the 24 h limit."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot import metrics
from bot.delivery import (
    Delivered,
    DeliveryWorker,
    TokenBucket,
    TryLater,
    Undeliverable,
    backoff_s,
)
from storage.outbox import FAILED, PENDING, SENT, Envelope, OutboxItem
from tests.helpers import open_test_storage


class ScriptedCourier:
    """Answers each destination with the outcomes given, then Delivered."""

    def __init__(self, script: dict[str, list[object]]) -> None:
        self.script = script
        self.calls: list[tuple[str, str]] = []

    async def deliver(self, item: OutboxItem) -> object:
        self.calls.append((item.destination, item.tx_id))
        outcomes = self.script.get(item.destination, [])
        return outcomes.pop(0) if outcomes else Delivered(f"$ev{item.id}", item.room_id)


def test_the_token_bucket_allows_a_burst_then_the_rate() -> None:
    now = [0.0]
    bucket = TokenBucket(rate=1.0, burst=3, now=lambda: now[0])
    assert [bucket.delay() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.delay() == 1.0
    now[0] += 1.0
    assert bucket.delay() == 0.0
    bucket.pause(5.0)
    assert bucket.delay() == 5.0
    assert TokenBucket(rate=0, burst=1).delay() == 0.0
    assert [backoff_s(n) for n in (1, 2, 3, 20)] == [2.0, 4.0, 8.0, 300.0]


async def test_bad_rooms_fail_alone_and_retries_keep_the_transaction_id(
    tmp_path: Path, clock
) -> None:
    async with open_test_storage(f"sqlite+aiosqlite:///{tmp_path / 'o.sqlite3'}", clock) as st:
        await st.outbox.enqueue(
            [
                Envelope("announce", "1", "", room_id="!gone:test"),
                Envelope("announce", "2", "", room_id="!gone:test"),
                Envelope("announce", "3", "", room_id="!busy:test"),
                Envelope("announce", "4", "", room_id="!ok:test"),
            ]
        )
        courier = ScriptedCourier(
            {
                "!gone:test": [Undeliverable("the bot is not in room !gone:test")],
                "!busy:test": [TryLater("rate limited", after_s=0.0, rate_limited=True)],
            }
        )
        failed_before = metrics.OUTBOX_FAILED.labels("destination")._value.get()
        worker = DeliveryWorker(st, lambda: courier, "w1", rate=0)
        assert await worker.run_once() == 3  # one head per destination
        assert await worker.run_once() == 2  # "2" behind the failed one, and the retried "3"
        rows = {i.text: i for i in await st.outbox.rows((PENDING, SENT, FAILED), 10)}
        assert {t: r.status for t, r in rows.items()} == {
            "1": FAILED,
            "2": SENT,
            "3": SENT,
            "4": SENT,
        }
        busy = [tx for dest, tx in courier.calls if dest == "!busy:test"]
        assert len(busy) == 2 and busy[0] == busy[1] == rows["3"].tx_id  # the same event
        assert metrics.OUTBOX_FAILED.labels("destination")._value.get() == failed_before + 1

        await st.outbox.enqueue([Envelope("digest", "5", "", room_id="!down:test")])
        courier.script["!down:test"] = [TryLater("502") for _ in range(50)]
        for _ in range(3):
            await worker.run_once()
            clock.advance(timedelta(hours=12))
        (row,) = [r for r in await st.outbox.rows((FAILED,), 10) if r.text == "5"]
        assert row.last_error == "502"
