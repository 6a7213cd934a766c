"""`bureau-volant chat --jsonl` as a real subprocess with piped stdin, on a temp SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_chat(tmp_path: Path, script: str, *args: str) -> list[dict[str, object]]:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'chat.sqlite3'}"}
    env.pop("BOT_LOCALE", None)
    subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"],
        env=env,
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=60,
    )
    subprocess.run(
        [sys.executable, "-m", "bot", "sites", "import", str(ROOT / "examples" / "sites.yaml")],
        env=env,
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=60,
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--jsonl", *args],
        input=script,
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_chat_jsonl_books_lists_and_switches_user(tmp_path: Path) -> None:
    script = (
        "\n".join(
            [
                "réserve un bureau à Metz mardi matin",
                "mes réservations",
                "/as @bob:localhost",
                "/room equipe-a",
                "qui est là mardi à Metz ?",
                "/quit",
                "this line is never read",
            ]
        )
        + "\n"
    )
    records = run_chat(tmp_path, script, "--now", "2026-11-23T09:00")
    assert len(records) == 3
    assert set(records[0]) == {"room", "to", "text", "html"}
    assert records[0]["room"] == "direct" and records[0]["to"] is None
    assert "✅ Bureau" in records[0]["text"] and "mardi 24 novembre (matin)" in records[0]["text"]
    assert "Votre réservation" in records[1]["text"]
    assert records[2]["room"] == "equipe-a"
    assert "Moi (" in records[2]["text"]


def test_chat_prints_replies_only_when_piped(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'c.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="aide\n",
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("👋")
    assert "Bureau Volant — la console" not in done.stdout


def test_chat_digest_follows_the_console_clock(tmp_path: Path) -> None:
    script = (
        "\n".join(
            [
                "/room equipe-a",
                "récap quotidien ici à 8h30",
                "/as @bob.durand:localhost",
                "réserve à Metz mardi matin",
                "/room direct",
                "/now 2026-11-24T08:29",
                "/now 2026-11-24T08:30",
                "/now 2026-11-24T09:30",
            ]
        )
        + "\n"
    )
    records = run_chat(tmp_path, script, "--now", "2026-11-23T17:00")
    digests = [r for r in records if r["room"] == "equipe-a" and "Présences" in str(r["text"])]
    assert len(digests) == 1, records
    assert "Présences du mardi 24 novembre" in str(digests[0]["text"])
    assert "Bob Durand (B-101, matin)" in str(digests[0]["text"])
    assert "<table>" in str(digests[0]["html"])


def test_chat_react_checks_in_and_unreact_takes_it_back(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "réserve un bureau à Metz aujourd'hui",
            "/react ✅",
            "/unreact ✅",
            "aide",
            "/react ✅",  # on the help: nothing happens
            "/quit",
        ]
    )
    replies = run_chat(tmp_path, script + "\n", "--now", "2026-11-23T09:15")
    texts = [str(r["text"]) for r in replies]
    assert "📍" in texts[0] and "10:00" in texts[0]
    assert texts[1].startswith("✅ Arrivée enregistrée")
    assert texts[2].startswith("↩️ Arrivée annulée")
    assert len(texts) == 4  # the help, and nothing for the reaction on it
