"""`bureau-volant run` refuses to start on missing or contradictory Matrix settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_bot(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MATRIX_", "BOT_"))}
    env.update(settings, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'unused.sqlite3'}")
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,  # no .env there
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({}, "MATRIX_HOMESERVER"),
        ({"MATRIX_HOMESERVER": "https://hs.example", "MATRIX_USER_ID": "bot"}, "MATRIX_USER_ID"),
        (
            {"MATRIX_HOMESERVER": "https://hs.example", "MATRIX_USER_ID": "@bot:hs.example"},
            "MATRIX_PASSWORD or MATRIX_ACCESS_TOKEN",
        ),
        (
            {
                "MATRIX_HOMESERVER": "https://hs.example",
                "MATRIX_USER_ID": "@bot:hs.example",
                "MATRIX_ACCESS_TOKEN": "syt_x",
            },
            "MATRIX_DEVICE_ID",
        ),
    ],
)
def test_a_missing_setting_stops_the_start_with_one_line_naming_it(
    tmp_path: Path, settings: dict[str, str], named: str
) -> None:
    done = run_bot(tmp_path, **settings)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], done.stderr
    assert not (tmp_path / "var").exists()  # nothing was created before failing
