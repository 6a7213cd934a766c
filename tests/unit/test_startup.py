"""The start of `bureau-volant run`: what it imports, and the line that says what it cost."""

from __future__ import annotations

import gc
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.startup import PROCESS_STARTED, StartupTimes, _process_age_s, collector_paused

# Each costs memory and time at every start and is needed only later, or by another subcommand:
# migrations (alembic and its templates), calendar feeds, the cross-signing crypto nio replaces
# (cryptography), charts, absolute dates in a sentence.
NOT_AT_START = ("alembic", "mako", "icalendar", "cryptography", "matplotlib", "dateparser")

# What `bureau-volant run` does up to the database, on an empty one: it is refused after the
# imports and the schema check (before Matrix). The cross-signing module is imported by the login.
START = """
import asyncio, json, sys
from bot.cli import build_parser
from bot.cli.run import serve
from bot.config import load_settings

build_parser()
status = asyncio.run(serve(load_settings()))
import bot.transport.matrix_crosssign
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def test_the_start_does_not_import_what_it_does_not_need(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MATRIX_", "BOT_"))},
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}",
        "MATRIX_HOMESERVER": "http://127.0.0.1:9",
        "MATRIX_USER_ID": "@bureau:start.test",
        "MATRIX_ACCESS_TOKEN": "token",
        "MATRIX_DEVICE_ID": "DEVICE",
        "MATRIX_STORE_PATH": str(tmp_path / "store"),
    }
    done = subprocess.run(
        [sys.executable, "-c", START],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["status"] == 1  # the empty database was refused: the schema check ran
    assert "bureau-volant db upgrade" in done.stderr
    modules = set(found["modules"])
    assert {"bot.transport.matrix", "bot.http", "storage.core"} <= modules  # it did import
    imported = sorted(m for m in modules if m.split(".")[0] in NOT_AT_START)
    assert imported == []


def test_the_start_up_line_gives_each_step_and_the_total(
    caplog: pytest.LogCaptureFixture,
) -> None:
    started = time.monotonic()
    times = StartupTimes(started=started - 1.0)  # the process began a second ago
    times.mark("imports")
    time.sleep(0.02)
    times.mark("database")
    with caplog.at_level(logging.INFO, logger="bot.startup"):
        times.report()
    (line,) = [r.getMessage() for r in caplog.records]
    assert line.startswith("started in 1.0") and ", database 0.0" in line
    steps = dict(part.rsplit(" ", 2)[:2] for part in line.split(": ", 1)[1].split(", "))
    assert float(steps["imports"]) >= 1.0 and float(steps["database"]) >= 0.02
    assert times.total_s == pytest.approx(1.02, abs=0.5)


def test_times_run_from_the_start_of_the_process() -> None:
    # Read from /proc, not from this module's import: the test process began before pytest
    # collected it, and its age is that of the process (so 0, "unknown", fails here).
    age = _process_age_s()
    assert age > 0.1
    assert PROCESS_STARTED == pytest.approx(time.monotonic() - age, abs=0.5)


def test_the_collector_is_paused_for_the_imports_and_comes_back() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    try:
        with collector_paused(freeze=True):
            kept = [[] for _ in range(100)]  # tracked objects alive at the end of the block
        assert gc.isenabled() and gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
