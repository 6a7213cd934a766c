"""An Element-engine client (matrix-js-sdk with its Rust crypto) for the end-to-end tests.

The npm packages pinned by tests/e2e/js/package-lock.json are installed once per machine into
~/.cache/bureau-volant/js-client-<hash of the lock> (`npm ci`, nothing global), like the Synapse
venv; `run_element_client` runs tests/e2e/js/element_client.mjs there with Node and returns the
JSON it prints.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from tests.e2e.homeserver import Account, Homeserver

JS_DIR = Path(__file__).resolve().parent / "js"
SCRIPT = JS_DIR / "element_client.mjs"


def cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bureau-volant"


def node_modules_dir() -> Path:
    """The folder holding node_modules for the committed package-lock.json (installed once)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise RuntimeError("the Element-engine tests need Node.js 20+ and npm on the PATH")
    lock = (JS_DIR / "package-lock.json").read_bytes()
    folder = cache_root() / f"js-client-{hashlib.sha256(lock).hexdigest()[:16]}"
    folder.parent.mkdir(parents=True, exist_ok=True)
    with (folder.parent / "js-client.lock").open("w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)  # one installer at a time
        if not (folder / ".installed").exists():
            folder.mkdir(exist_ok=True)
            for name in ("package.json", "package-lock.json"):
                shutil.copy(JS_DIR / name, folder / name)
            done = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=folder,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(f"npm ci failed:\n{done.stderr[-3000:]}")
            (folder / ".installed").write_text("ok\n")
    return folder


def run_element_client(
    homeserver: Homeserver,
    account: Account,
    bot_user_id: str,
    commands: list[str],
    *,
    isolation: str = "only_signed",
    blacklist_unverified: bool = False,
    reply_timeout_s: float = 60,
    timeout_s: float = 240,
) -> dict[str, Any]:
    """Run the js-sdk client once (login, own cross-signing, DM with the bot, commands)."""
    folder = node_modules_dir()
    request = {
        "homeserver": homeserver.url,
        "user_id": account.user_id,
        "password": account.password,
        "bot_user_id": bot_user_id,
        "commands": commands,
        "isolation": isolation,
        "blacklist_unverified": blacklist_unverified,
        "reply_timeout_s": reply_timeout_s,
        "total_timeout_s": timeout_s,
    }
    # The script runs from the folder of its node_modules (ES modules resolve from there).
    with tempfile.NamedTemporaryFile("w", suffix=".mjs", dir=folder, delete=False) as copy:
        copy.write(SCRIPT.read_text(encoding="utf-8"))
    try:
        done = subprocess.run(
            ["node", copy.name, json.dumps(request)],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=timeout_s + 30,
            check=False,
        )
    finally:
        Path(copy.name).unlink(missing_ok=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"the js-sdk client printed no result:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    result["stderr"] = done.stderr[-4000:]
    return result
