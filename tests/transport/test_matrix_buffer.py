"""The bounded buffer of events waiting for their room key."""

from __future__ import annotations

import pytest

from bot.transport.matrix_buffer import UndecryptedBuffer


def test_events_come_back_when_their_session_key_arrives() -> None:
    buffer: UndecryptedBuffer[str] = UndecryptedBuffer(capacity=10, max_age=60)
    buffer.add("$1", "s1", "one", now=0)
    buffer.add("$2", "s2", "two", now=0)
    buffer.add("$3", "s1", "three", now=1)
    assert [w.item for w in buffer.take_session("s1")] == ["one", "three"]
    assert buffer.take_session("s1") == []
    assert len(buffer) == 1 and "$2" in buffer


def test_the_oldest_are_dropped_when_full_and_duplicates_ignored() -> None:
    buffer: UndecryptedBuffer[int] = UndecryptedBuffer(capacity=2)
    assert buffer.add("$1", "s", 1, now=0) == []
    assert buffer.add("$1", "s", 1, now=0) == []
    assert buffer.add("$2", "s", 2, now=1) == []
    dropped = buffer.add("$3", "s", 3, now=2)
    assert [w.event_id for w in dropped] == ["$1"]
    assert [w.event_id for w in buffer] == ["$2", "$3"]


def test_events_waiting_too_long_expire() -> None:
    buffer: UndecryptedBuffer[int] = UndecryptedBuffer(capacity=5, max_age=10)
    buffer.add("$old", "s", 1, now=0)
    buffer.add("$new", "s", 2, now=8)
    assert [w.event_id for w in buffer.expire(now=11)] == ["$old"]
    assert [w.event_id for w in buffer] == ["$new"]
    buffer.remove("$new")
    buffer.remove("$never-there")
    assert len(buffer) == 0


def test_capacity_must_be_positive() -> None:
    with pytest.raises(ValueError):
        UndecryptedBuffer(capacity=0)
