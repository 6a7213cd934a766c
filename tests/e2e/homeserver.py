"""The test homeserver: where it is, registering accounts, and extra Synapse instances.

`scripts/synapse.sh` starts the shared instance for `make test` and exports TEST_SYNAPSE_*; tests
that stop a homeserver or need strict rate limits start their own with `SynapseInstance`.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import os
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
SYNAPSE_SCRIPT = ROOT / "scripts" / "synapse.sh"
_counter = itertools.count(1)


@dataclass(frozen=True)
class Homeserver:
    """A running Synapse: its client URL, server name and registration shared secret."""

    url: str
    server_name: str
    secret: str
    directory: Path | None = None

    @classmethod
    def from_env(cls) -> Homeserver | None:
        """The instance `make test` started (TEST_SYNAPSE_*), or None outside `make test`."""
        url = os.environ.get("TEST_SYNAPSE_URL")
        if not url:
            return None
        directory = os.environ.get("TEST_SYNAPSE_DIR")
        return cls(
            url=url.rstrip("/"),
            server_name=os.environ["TEST_SYNAPSE_SERVER_NAME"],
            secret=os.environ["TEST_SYNAPSE_SECRET"],
            directory=Path(directory) if directory else None,
        )

    def user_id(self, localpart: str) -> str:
        return f"@{localpart}:{self.server_name}"


@dataclass(frozen=True)
class Account:
    """A registered user and a logged-in device."""

    user_id: str
    password: str
    access_token: str
    device_id: str


def unique_name(prefix: str) -> str:
    """A localpart no other test (nor an earlier run on the same server) has used."""
    return f"{prefix}{next(_counter)}x{secrets.token_hex(3)}"


async def register(homeserver: Homeserver, localpart: str, admin: bool = False) -> Account:
    """Register through Synapse's shared-secret admin API (no open registration needed)."""
    password = secrets.token_urlsafe(12)
    endpoint = f"{homeserver.url}/_synapse/admin/v1/register"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        async with session.get(endpoint) as response:
            response.raise_for_status()
            nonce = (await response.json())["nonce"]
        body = {
            "nonce": nonce,
            "username": localpart,
            "password": password,
            "admin": admin,
            "mac": _hmac_hex(homeserver.secret, nonce, localpart, password, admin),
        }
        async with session.post(endpoint, json=body) as response:
            data = await response.json()
            if response.status != 200:
                raise RuntimeError(f"registration of {localpart} failed: {data}")
    return Account(data["user_id"], password, data["access_token"], data["device_id"])


def _hmac_hex(secret: str, nonce: str, user: str, password: str, admin: bool) -> str:
    mac = hmac.new(secret.encode(), digestmod=hashlib.sha1)
    mac.update(nonce.encode())
    mac.update(b"\x00")
    mac.update(user.encode())
    mac.update(b"\x00")
    mac.update(password.encode())
    mac.update(b"\x00")
    mac.update(b"admin" if admin else b"notadmin")
    return mac.hexdigest()


async def exempt_from_rate_limits(homeserver: Homeserver, admin: Account, user_id: str) -> None:
    """Lift message rate limits for one user (the people in a rate-limit test are not tested)."""
    endpoint = f"{homeserver.url}/_synapse/admin/v1/users/{user_id}/override_ratelimit"
    headers = {"Authorization": f"Bearer {admin.access_token}"}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        body = {"messages_per_second": 0, "burst_count": 0}
        async with session.post(endpoint, json=body, headers=headers) as response:
            if response.status != 200:
                raise RuntimeError(f"override_ratelimit failed: {await response.text()}")


class SynapseInstance:
    """A private Synapse started with scripts/synapse.sh; stop()/start() keep its data."""

    def __init__(self, directory: Path, strict_rate_limits: bool = False) -> None:
        self.directory = directory
        self.strict_rate_limits = strict_rate_limits
        self.homeserver: Homeserver | None = None

    def start(self) -> Homeserver:
        args = [str(SYNAPSE_SCRIPT), "start", str(self.directory)]
        if self.strict_rate_limits:
            args.append("--strict-rate-limits")
        done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"synapse.sh start failed:\n{done.stderr[-3000:]}")
        values = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
        self.homeserver = Homeserver(
            url=values["TEST_SYNAPSE_URL"],
            server_name=values["TEST_SYNAPSE_SERVER_NAME"],
            secret=values["TEST_SYNAPSE_SECRET"],
            directory=self.directory,
        )
        return self.homeserver

    def stop(self) -> None:
        subprocess.run(
            [str(SYNAPSE_SCRIPT), "stop", str(self.directory)],
            capture_output=True,
            timeout=60,
            check=False,
        )


async def set_account_expiry(
    homeserver: Homeserver, admin: Account, user_id: str, expires_at_ms: int
) -> None:
    """Move an account's expiry date (Synapse's account validity, what Tchap relies on)."""
    endpoint = f"{homeserver.url}/_synapse/admin/v1/account_validity/validity"
    headers = {"Authorization": f"Bearer {admin.access_token}"}
    body = {"user_id": user_id, "expiration_ts": expires_at_ms, "enable_renewal_emails": False}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        async with session.post(endpoint, json=body, headers=headers) as response:
            if response.status != 200:
                raise RuntimeError(f"account_validity failed: {await response.text()}")
