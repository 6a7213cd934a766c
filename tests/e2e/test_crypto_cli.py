"""`bureau-volant crypto bootstrap|status|reset` against the real Synapse."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.bot_process import cli
from tests.e2e.homeserver import ROOT, Account, Homeserver

pytestmark = pytest.mark.e2e
MASTER = re.compile(r"master key \(the bot's identity\): ([\w+/ ]+)")


def bot_env(homeserver: Homeserver, account: Account, store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MATRIX_", "BOT_"))}
    env.update(
        MATRIX_HOMESERVER=homeserver.url,
        MATRIX_USER_ID=account.user_id,
        MATRIX_ACCESS_TOKEN=account.access_token,
        MATRIX_DEVICE_ID=account.device_id,
        MATRIX_STORE_PATH=str(store),
        DATABASE_URL=f"sqlite+aiosqlite:///{store.parent / 'unused.sqlite3'}",
    )
    return env


def test_bootstrap_prints_the_identity_and_reset_replaces_it_with_the_password(
    homeserver: Homeserver, bot_account: Account, tmp_path: Path
) -> None:
    env = bot_env(homeserver, bot_account, tmp_path / "matrix")
    out = cli("crypto", "bootstrap", env=env)
    master = MASTER.search(out)
    assert master is not None, out
    recovery = re.search(r"MATRIX_CROSS_SIGNING_KEY=(\S+)", out)
    assert recovery is not None, out
    assert (tmp_path / "matrix" / "cross_signing_key").read_text().strip() == recovery.group(1)
    assert f"device {bot_account.device_id}: signed" in out

    again = cli("crypto", "bootstrap", env=env)  # idempotent: same identity, no new key shown
    same = MASTER.search(again)
    assert same is not None and same.group(1) == master.group(1), again
    assert "MATRIX_CROSS_SIGNING_KEY=" not in again
    assert "signed" in cli("crypto", "status", env=env)

    # Elsewhere (another store) with a wrong recovery key: refused, with the way out.
    elsewhere = {
        **env,
        "MATRIX_STORE_PATH": str(tmp_path / "other"),
        "MATRIX_CROSS_SIGNING_KEY": "A" * 43,
    }
    with pytest.raises(RuntimeError, match="crypto reset"):
        cli("crypto", "bootstrap", env=elsewhere)

    def reset(password: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", "crypto", "reset", "--yes", "--password-stdin"],
            cwd=ROOT,
            env=env,
            input=password + "\n",
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    refused = reset("wrong password")
    assert refused.returncode == 1 and "failed (401)" in refused.stderr, refused.stderr
    # A refused reset changed nothing: the old identity and its stored copy still open.
    kept = MASTER.search(cli("crypto", "bootstrap", env=env))
    assert kept is not None and kept.group(1) == master.group(1)
    done = reset(bot_account.password)
    assert done.returncode == 0, done.stderr
    new_master = MASTER.search(done.stdout)
    assert new_master is not None and new_master.group(1) != master.group(1)
    assert "MATRIX_CROSS_SIGNING_KEY=" in done.stdout
    assert new_master.group(1) in cli("crypto", "status", env=env)


def test_reset_asks_for_confirmation(
    homeserver: Homeserver, bot_account: Account, tmp_path: Path
) -> None:
    env = bot_env(homeserver, bot_account, tmp_path / "matrix")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "crypto", "reset"],
        cwd=ROOT,
        env=env,
        input="no\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1 and "Nothing changed" in done.stderr
