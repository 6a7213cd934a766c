"""A bounded waiting room for encrypted events the bot could not decrypt yet.

The room key of a message often arrives a moment after the message itself (or only after the bot
asks for it). Events wait here, indexed by their Megolm session, until their key arrives or they
are too old; the oldest are dropped first when the buffer is full.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Waiting(Generic[T]):
    """One undecrypted event: its id, its Megolm session, when it arrived, and the event."""

    event_id: str
    session_id: str
    arrived_at: float
    item: T


class UndecryptedBuffer(Generic[T]):
    """At most `capacity` events, each kept at most `max_age` seconds."""

    def __init__(self, capacity: int = 500, max_age: float = 600.0) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.max_age = max_age
        self._events: OrderedDict[str, Waiting[T]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._events)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._events

    def __iter__(self) -> Iterator[Waiting[T]]:
        return iter(list(self._events.values()))

    def add(self, event_id: str, session_id: str, item: T, now: float) -> list[Waiting[T]]:
        """Keep an event; returns those dropped to make room (oldest first)."""
        if event_id in self._events:
            return []
        self._events[event_id] = Waiting(event_id, session_id, now, item)
        dropped = []
        while len(self._events) > self.capacity:
            _, oldest = self._events.popitem(last=False)
            dropped.append(oldest)
        return dropped

    def take_session(self, session_id: str) -> list[Waiting[T]]:
        """Remove and return the events of one Megolm session (its key has arrived)."""
        matching = [w for w in self._events.values() if w.session_id == session_id]
        for waiting in matching:
            del self._events[waiting.event_id]
        return matching

    def remove(self, event_id: str) -> None:
        """Forget one event (decrypted by another path)."""
        self._events.pop(event_id, None)

    def expire(self, now: float) -> list[Waiting[T]]:
        """Remove and return the events that waited longer than `max_age`."""
        expired = [w for w in self._events.values() if now - w.arrived_at > self.max_age]
        for waiting in expired:
            del self._events[waiting.event_id]
        return expired
