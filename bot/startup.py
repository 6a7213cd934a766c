"""How long each step of the bot's start took, for one line in its log.

Times run from the start of the process (Linux's /proc/self/stat; elsewhere from the import of
this module, which comes first in `bureau-volant run`): the imports are a large part of a start.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


def _process_age_s() -> float:
    """Seconds since this process started (0 when the system does not say)."""
    try:
        stat = Path("/proc/self/stat").read_text()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        started_ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22, `starttime`
        return max(0.0, uptime - started_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


PROCESS_STARTED = time.monotonic() - _process_age_s()


@contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """Run the block (imports) without the cyclic garbage collector.

    Imports allocate hundreds of thousands of objects that live as long as the process and free
    few: the collector's passes over them cost a tenth of a start and find nothing. With `freeze`
    (the long-running bot, once its modules are loaded) what exists at the end of the block is
    moved out of the collector's sight for good, so that later full collections skip it too.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


class StartupTimes:
    """The steps of a start, each marked when it ends: `mark("database")`, then `report()`."""

    def __init__(self, started: float = PROCESS_STARTED) -> None:
        self._started = started
        self._last = started
        self._steps: list[tuple[str, float]] = []

    def mark(self, step: str) -> None:
        """`step` ends now (it began where the previous one ended)."""
        now = time.monotonic()
        self._steps.append((step, now - self._last))
        self._last = now

    @property
    def total_s(self) -> float:
        """From the start of the process to the last mark."""
        return self._last - self._started

    def summary(self) -> str:
        """The line logged, e.g. "started in 1.42 s: imports 0.95 s, database 0.02 s, …"."""
        steps = ", ".join(f"{step} {seconds:.2f} s" for step, seconds in self._steps)
        return f"started in {self.total_s:.2f} s: {steps}"

    def report(self) -> None:
        """Log the summary at INFO (operators read it to see what a restart costs)."""
        log.info("%s", self.summary())
