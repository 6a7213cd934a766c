"""Contract (SQLite and PostgreSQL): the outbox — written with the change, claimed in order per
destination, leased so that two processes never deliver one row twice, retried, failed after
24 h, listed and retried by an operator; event claims with a lease; audit and retention."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from storage import Storage
from storage.outbox import FAILED, PENDING, SENT, Envelope

LEASE = timedelta(seconds=60)
ALICE = "@alice:agent.interieur.tchap.gouv.fr"


def room(n: int) -> str:
    return f"!room{n}:test"


def news(n: int, text: str = "hello") -> Envelope:
    return Envelope("announce", f"{text} {n}", f"<p>{text} {n}</p>", room_id=room(n))


async def test_rows_are_claimed_oldest_first_one_per_destination(storage: Storage) -> None:
    await storage.outbox.enqueue([news(1, "a"), news(1, "b"), news(2, "c")])
    first = await storage.outbox.claim_due("p1", LEASE)
    assert [i.text for i in first] == ["a 1", "c 2"]  # "b 1" waits behind "a 1"
    assert all(i.tx_id.startswith("bv-") for i in first)
    assert await storage.outbox.claim_due("p2", LEASE) == []  # leased, and the head is taken
    assert await storage.outbox.mark_sent(first[0].id, "p1", "$ev1")
    second = await storage.outbox.claim_due("p2", LEASE)
    assert [i.text for i in second] == ["b 1"]
    assert await storage.outbox.mark_sent(first[0].id, "p1", "$again") is False  # once


async def test_a_lease_that_ends_is_taken_over_with_the_same_transaction_id(
    storage: Storage, clock
) -> None:
    await storage.outbox.enqueue([Envelope("closure", "x", "x", to=ALICE)])
    (crashed,) = await storage.outbox.claim_due("dead", LEASE)
    assert await storage.outbox.claim_due("alive", LEASE) == []
    clock.advance(LEASE + timedelta(seconds=1))
    (taken,) = await storage.outbox.claim_due("alive", LEASE)
    assert taken.id == crashed.id and taken.tx_id == crashed.tx_id  # the same event
    assert taken.attempts == 2
    assert await storage.outbox.mark_sent(crashed.id, "dead", "$late") is False
    assert await storage.outbox.mark_sent(taken.id, "alive", "$ev", "!dm:test")
    assert await storage.outbox.known_direct_room(ALICE) == "!dm:test"


async def test_two_processes_racing_deliver_each_row_once(storage: Storage) -> None:
    await storage.outbox.enqueue([news(n) for n in range(40)])
    claims = await asyncio.gather(
        *(storage.outbox.claim_due(f"p{k}", LEASE, limit=7) for k in range(6))
    )
    ids = [item.id for batch in claims for item in batch]
    assert len(ids) == len(set(ids)) == 40


async def test_retries_then_failed_after_a_day_and_an_operator_retries(
    storage: Storage, clock
) -> None:
    await storage.outbox.enqueue([news(1)])
    (row,) = await storage.outbox.claim_due("p1", LEASE)
    status = await storage.outbox.mark_retry(row.id, "p1", timedelta(seconds=30), "502")
    assert status == PENDING
    assert [i.id for i in await storage.outbox.claim_due("p1", LEASE)] == []  # not due yet
    clock.advance(timedelta(hours=24))
    (again,) = await storage.outbox.claim_due("p1", LEASE)
    assert again.id == row.id
    assert await storage.outbox.mark_retry(row.id, "p1", timedelta(seconds=30), "502") == FAILED
    listed = await storage.outbox.rows()
    assert (listed[0].id, listed[0].status, listed[0].last_error) == (row.id, FAILED, "502")
    assert (await storage.outbox.counts())[FAILED] == 1
    assert await storage.outbox.retry() == 1
    (retried,) = await storage.outbox.claim_due("p1", LEASE)
    assert retried.id == row.id and retried.attempts == 1


async def test_a_bad_destination_fails_without_blocking_the_rows_behind(
    storage: Storage,
) -> None:
    await storage.outbox.enqueue([news(1, "bad"), news(1, "next")])
    (bad,) = await storage.outbox.claim_due("p1", LEASE)
    await storage.outbox.mark_failed(bad.id, "p1", "the bot is not in room")
    (following,) = await storage.outbox.claim_due("p1", LEASE)
    assert following.text == "next 1"
    await storage.outbox.mark_sent(following.id, "p1", "$e")
    assert (await storage.outbox.counts()) == {PENDING: 0, SENT: 1, FAILED: 1}


async def test_release_on_stop_leaves_rows_due_at_once(storage: Storage) -> None:
    await storage.outbox.enqueue([news(1)])
    await storage.outbox.claim_due("stopping", LEASE)
    assert await storage.outbox.release("stopping") == 1
    assert len(await storage.outbox.claim_due("next", LEASE)) == 1


async def test_closing_writes_notices_and_audit_in_its_transaction(
    storage: Storage, sites_yaml, clock
) -> None:
    await sites_yaml(storage)
    day = date(2026, 11, 26)
    await storage.ensure_member(ALICE)
    await storage.set_locale(ALICE, "en")
    await storage.reserve(ALICE, "Metz", [day], "day")

    def compose(cancelled, locales):
        return [
            Envelope("closure", f"{b.desk} {locales[b.member]}", "", to=b.member)
            for b in cancelled
        ] + [Envelope("closure", "news", "", room_id="!follow:test")]

    cancelled = await storage.outbox.close_site("@chef:test", "Metz", [day], "travaux", compose)
    assert len(cancelled) == 1
    rows = await storage.outbox.rows((PENDING,))
    assert [(r.recipient, r.room_id, r.text) for r in rows] == [
        (ALICE, None, "B-101 en"),
        (None, "!follow:test", "news"),
    ]
    (entry,) = await storage.personal.audit_entries()
    assert (entry.actor, entry.action, entry.target) == ("@chef:test", "close", "Metz")
    assert entry.details["told"] == [ALICE]

    def broken(cancelled, locales):
        raise RuntimeError("composing failed")

    try:
        await storage.outbox.close_site("@chef:test", "Metz", [date(2026, 11, 27)], None, broken)
    except RuntimeError:
        pass
    assert len(await storage.outbox.rows((PENDING,))) == 2  # nothing of the failed closure
    assert await storage.bookings_at("Metz", [date(2026, 11, 27)]) == []


async def test_digest_claims_in_one_batch(storage: Storage) -> None:
    rooms = [room(n) for n in range(1200)]
    day = date(2026, 11, 24)
    won = await storage.claim_digests(rooms, day, "p1", timedelta(minutes=10))
    assert won == rooms
    assert await storage.claim_digests(rooms[:10], day, "p2", timedelta(minutes=10)) == []
    await storage.outbox.digest(rooms[0], day, Envelope("digest", "d", "d", room_id=rooms[0]))
    assert await storage.digests_sent(rooms[:3], day) == {rooms[0]}


async def test_commands_claimed_by_a_dead_process_are_taken_over(storage: Storage, clock) -> None:
    payload = {"sender": ALICE, "room_id": "!r:test", "text": "mes réservations"}
    assert await storage.claim_command("$a", "dead", payload, LEASE)
    assert await storage.claim_command("$a", "alive", payload, LEASE) is False
    assert await storage.claim_command("$b", "dead", payload, LEASE)
    await storage.command_done("$b")
    assert await storage.take_over_commands("alive", LEASE) == []
    clock.advance(LEASE + timedelta(seconds=1))
    assert await storage.take_over_commands("alive", LEASE) == [payload]
    assert await storage.take_over_commands("other", LEASE) == []  # leased again


async def test_export_erase_and_retention(storage: Storage, sites_yaml, clock) -> None:
    await sites_yaml(storage)
    await storage.ensure_member(ALICE, "Alice")
    await storage.reserve(ALICE, "Metz", [date(2026, 11, 24)], "am")
    await storage.reserve(ALICE, "Metz", [date(2026, 12, 1)], "day")
    data = await storage.personal.export_member(ALICE)
    assert data is not None and data["profile"]["display_name"] == "Alice"
    assert [b["day"] for b in data["bookings"]] == ["2026-11-24", "2026-12-01"]
    removed = await storage.personal.erase_member(ALICE)
    assert removed is not None and removed["future_bookings_cancelled"] == 2
    assert await storage.get_member(ALICE) is None
    assert await storage.personal.export_member(ALICE) is None
    assert await storage.bookings_at("Metz", [date(2026, 12, 1)]) == []

    bob = "@bob:test"
    await storage.ensure_member(bob)
    await storage.reserve(bob, "Metz", [date(2026, 11, 24)], "am")
    clock.advance(timedelta(days=500))
    now = clock.now()
    pruned = await storage.personal.prune_older_than(
        (now - timedelta(days=400)).date(), now - timedelta(days=400)
    )
    assert pruned["bookings"] == 1
    assert (await storage.personal.export_member(bob))["bookings"] == []
