"""The saved Matrix login: private, atomic, and only reused for the same account."""

from __future__ import annotations

import stat
from pathlib import Path

from bot.transport.matrix_session import (
    Credentials,
    credentials_path,
    forget_credentials,
    load_credentials,
    save_credentials,
)

HS = "https://matrix.agent.interieur.tchap.gouv.fr"
BOT = "@bureau-volant:agent.interieur.tchap.gouv.fr"


def test_a_saved_login_is_private_and_restored(tmp_path: Path) -> None:
    store = tmp_path / "matrix"
    saved = Credentials(HS, BOT, "DEVICE", "syt_secret")
    save_credentials(store, saved)
    mode = stat.S_IMODE(credentials_path(store).stat().st_mode)
    assert mode == 0o600
    assert load_credentials(store, HS + "/", BOT) == saved


def test_a_login_for_another_account_or_server_is_not_reused(tmp_path: Path) -> None:
    save_credentials(tmp_path, Credentials(HS, BOT, "DEVICE", "token"))
    assert load_credentials(tmp_path, HS, "@other:agent.interieur.tchap.gouv.fr") is None
    assert load_credentials(tmp_path, "https://matrix.example.org", BOT) is None


def test_missing_or_broken_files_mean_logging_in_again(tmp_path: Path) -> None:
    assert load_credentials(tmp_path, HS, BOT) is None
    credentials_path(tmp_path).write_text("{not json")
    assert load_credentials(tmp_path, HS, BOT) is None
    credentials_path(tmp_path).write_text('{"homeserver": "x"}')
    assert load_credentials(tmp_path, HS, BOT) is None
    forget_credentials(tmp_path)
    forget_credentials(tmp_path)  # twice is fine
    assert not credentials_path(tmp_path).exists()
