"""The bot's Matrix login, kept under MATRIX_STORE_PATH so that it logs in only once.

A password login creates a device; its access token and device id are saved here (readable by
the bot's user only) and reused at every start, which keeps the same device and crypto store.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)

CREDENTIALS_FILE = "credentials.json"


@dataclass(frozen=True)
class Credentials:
    """What restores a login without the password."""

    homeserver: str
    user_id: str
    device_id: str
    access_token: str


def credentials_path(store_path: Path) -> Path:
    """Where the login is kept in a store directory."""
    return store_path / CREDENTIALS_FILE


def load_credentials(store_path: Path, homeserver: str, user_id: str) -> Credentials | None:
    """The saved login for this homeserver and user, or None (absent, unreadable, or another's)."""
    path = credentials_path(store_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        credentials = Credentials(**{k: str(data[k]) for k in Credentials.__dataclass_fields__})
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("ignoring unreadable Matrix credentials in %s: %s", path, error)
        return None
    if credentials.user_id != user_id or credentials.homeserver.rstrip("/") != homeserver.rstrip(
        "/"
    ):
        log.warning(
            "the saved Matrix login in %s is for %s on %s, not %s on %s: logging in again",
            path,
            credentials.user_id,
            credentials.homeserver,
            user_id,
            homeserver,
        )
        return None
    return credentials


def save_credentials(store_path: Path, credentials: Credentials) -> None:
    """Write the login atomically, readable by the owner only (it is as good as a password)."""
    store_path.mkdir(parents=True, exist_ok=True)
    path = credentials_path(store_path)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(asdict(credentials), handle, indent=2)
    os.replace(tmp, path)


def forget_credentials(store_path: Path) -> None:
    """Drop a saved login the homeserver no longer accepts."""
    credentials_path(store_path).unlink(missing_ok=True)
