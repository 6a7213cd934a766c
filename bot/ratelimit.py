"""Per-sender rate limit: N commands per sliding window, warned once, then dropped silently."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from storage.domain import UserId


class Verdict(StrEnum):
    ALLOW = "allow"
    WARN = "warn"  # the first refused command in a window: tell the sender once
    DROP = "drop"  # later ones: say nothing, so a runaway script cannot make the bot spam


@dataclass
class _Window:
    stamps: deque[float] = field(default_factory=deque)
    warned: bool = False


class RateLimiter:
    """Sliding-window limiter keyed by sender; memory stays bounded by sweeping idle senders."""

    def __init__(
        self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._windows: dict[UserId, _Window] = {}
        self._next_sweep = 0.0

    def check(self, sender: UserId) -> Verdict:
        now = self._clock()
        self._sweep(now)
        window = self._windows.setdefault(sender, _Window())
        while window.stamps and window.stamps[0] <= now - self.window_s:
            window.stamps.popleft()
        if len(window.stamps) < self.limit:
            window.stamps.append(now)
            window.warned = False
            return Verdict.ALLOW
        if window.warned:
            return Verdict.DROP
        window.warned = True
        return Verdict.WARN

    def _sweep(self, now: float) -> None:
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.window_s
        idle = [
            k
            for k, w in self._windows.items()
            if not w.stamps or w.stamps[-1] <= now - self.window_s
        ]
        for key in idle:
            del self._windows[key]
