"""`bureau-volant outbox` lists pending and failed rows and retries them; `bureau-volant audit`
prints the managers' actions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from storage.outbox import Envelope
from tests.helpers import open_test_storage

ROOT = Path(__file__).resolve().parents[2]


def cli(url: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


async def test_outbox_lists_and_retries_failed_rows(tmp_path: Path, clock) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    async with open_test_storage(url, clock) as storage:
        await storage.outbox.enqueue(
            [
                Envelope("closure", "Metz est fermé", "", to="@gone:test"),
                Envelope("announce", "news", "", room_id="!r:test"),
            ]
        )
        bad, _ = await storage.outbox.claim_due("p1", timedelta(seconds=60))
        await storage.outbox.mark_failed(bad.id, "p1", "M_FORBIDDEN: user left")
    listed = cli(url, "outbox")
    assert "failed closure → @gone:test" in listed and "M_FORBIDDEN" in listed
    assert "1 pending, 1 failed, 0 sent" in listed
    rows = [
        json.loads(line) for line in cli(url, "outbox", "list", "--failed", "--json").splitlines()
    ]
    assert [r["destination"] for r in rows] == ["@gone:test"]
    assert "1 failed row(s) made pending again" in cli(url, "outbox", "retry", str(bad.id))
    assert "2 pending, 0 failed" in cli(url, "outbox")
    assert "No recorded action." in cli(url, "audit")
