"""The image as an operator runs it: podman, PostgreSQL, Synapse, the bot's data on a volume.

`scripts/container.sh` (`make container-test`) builds the image and runs this module with
BUREAU_VOLANT_IMAGE set, under scripts/with-services.sh --synapse; elsewhere it is skipped.
The container uses the host's network, so it reaches the test PostgreSQL and Synapse on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shlex
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import aiohttp
import asyncpg
import pytest

from storage.engine import create_engine
from storage.schema import current_revision, head_revision
from tests.e2e.bot_process import free_port
from tests.e2e.homeserver import Account, Homeserver
from tests.e2e.matrix_user import NewUser

IMAGE = os.environ.get("BUREAU_VOLANT_IMAGE")
PODMAN = shlex.split(os.environ.get("BUREAU_VOLANT_PODMAN", "podman"))
RUN_ARGS = shlex.split(os.environ.get("BUREAU_VOLANT_RUN_ARGS", ""))  # host-specific limits
IMAGE_UID = 10001  # the Dockerfile's `bureau` user
LOGIN_LINE = "logged in with the password"

pytestmark = [
    pytest.mark.container,
    pytest.mark.e2e,
    pytest.mark.skipif(not IMAGE, reason="BUREAU_VOLANT_IMAGE is unset (make container-test)"),
    pytest.mark.skipif(Homeserver.from_env() is None, reason="TEST_SYNAPSE_URL is unset"),
    pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="no TEST_DATABASE_URL"),
]


def podman(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> str:
    done = subprocess.run(
        [*PODMAN, *args], capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"podman {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


@dataclass
class BotContainer:
    """`bureau-volant run` in a container of the image, with /data on a named volume."""

    name: str
    volume: str
    env: dict[str, str]
    port: int

    def run(self) -> None:
        # Values travel in podman's environment (`--env NAME`), never on its command line.
        env_args = [arg for key in self.env for arg in ("--env", key)]
        podman(
            "run",
            "--detach",
            "--name",
            self.name,
            "--network",
            "host",
            "--log-driver",
            "k8s-file",
            "--volume",
            f"{self.volume}:/data",
            *RUN_ARGS,
            *env_args,
            IMAGE or "",
            env={**os.environ, **self.env},
        )

    def health(self) -> int | None:
        url = f"http://127.0.0.1:{self.port}/healthz"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def state(self) -> str:
        return podman("inspect", "--format", "{{.State.Status}}", self.name).strip()

    async def wait_healthy(self, within: float = 120) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if await asyncio.to_thread(self.health) == 200:
                return
            if self.state() in {"exited", "stopped"}:
                raise RuntimeError(f"the container exited:\n{self.logs()}")
            await asyncio.sleep(0.5)
        raise TimeoutError(f"/healthz was not 200 within {within:.0f} s:\n{self.logs()}")

    def exec(self, *command: str) -> str:
        return podman("exec", self.name, *command)

    def logs(self) -> str:
        done = subprocess.run(
            [*PODMAN, "logs", self.name], capture_output=True, text=True, timeout=60, check=False
        )
        return (done.stdout + done.stderr)[-8000:]

    def stop(self) -> int:
        """SIGTERM (then SIGKILL after 30 s); returns the exit code of the bot."""
        podman("stop", "--time", "30", self.name, timeout=90)
        return int(podman("inspect", "--format", "{{.State.ExitCode}}", self.name).strip())

    def remove(self) -> None:
        subprocess.run([*PODMAN, "rm", "--force", "--time", "5", self.name], capture_output=True)

    def saved_login(self) -> dict[str, str]:
        return json.loads(self.exec("cat", "/data/matrix/credentials.json"))


@pytest.fixture
async def database() -> AsyncIterator[str]:
    """A database of its own on the test PostgreSQL, empty: the container migrates it."""
    base = os.environ["TEST_DATABASE_URL"]
    server, _, _ = base.rpartition("/")
    name = f"bv_container_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(base.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield f"{server}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
def container(
    homeserver: Homeserver, bot_account: Account, database: str
) -> Iterator[BotContainer]:
    suffix = secrets.token_hex(4)
    port = free_port()
    bot = BotContainer(
        name=f"bureau-volant-test-{suffix}",
        volume=f"bureau-volant-test-{suffix}",
        env={
            "MATRIX_HOMESERVER": homeserver.url,
            "MATRIX_USER_ID": bot_account.user_id,
            # A password: the bot logs in once and keeps the login on the volume.
            "MATRIX_PASSWORD": bot_account.password,
            "DATABASE_URL": database,
            "HTTP_HOST": "127.0.0.1",
            "HTTP_PORT": str(port),
            "LOG_LEVEL": "INFO",
        },
        port=port,
    )
    podman("volume", "create", bot.volume)
    try:
        yield bot
    finally:
        bot.remove()
        subprocess.run([*PODMAN, "volume", "rm", "--force", bot.volume], capture_output=True)


async def devices(homeserver: Homeserver, account: Account) -> set[str]:
    """The device ids of the account on the homeserver."""
    headers = {"Authorization": f"Bearer {account.access_token}"}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        async with session.get(
            f"{homeserver.url}/_matrix/client/v3/devices", headers=headers
        ) as response:
            assert response.status == 200, await response.text()
            return {d["device_id"] for d in (await response.json())["devices"]}


def process_uids(status: str) -> list[int]:
    """Real, effective, saved and filesystem uids from /proc/<pid>/status."""
    line = next(line for line in status.splitlines() if line.startswith("Uid:"))
    return [int(uid) for uid in line.split()[1:]]


async def test_the_image_migrates_answers_encrypted_and_keeps_its_device_on_the_volume(
    homeserver: Homeserver,
    new_user: NewUser,
    bot_account: Account,
    database: str,
    container: BotContainer,
) -> None:
    engine = create_engine(database)
    try:
        assert await current_revision(engine) is None  # an empty database

        container.run()
        await container.wait_healthy()

        # Migrations applied at start, by the entrypoint.
        assert await current_revision(engine) == head_revision()
        # The bot runs as the image's unprivileged user, and owns what it writes on the volume.
        assert (
            container.exec("cat", "/proc/1/cmdline")
            .replace("\0", " ")
            .strip()
            .endswith("bureau-volant run")
        )
        assert process_uids(container.exec("cat", "/proc/1/status")) == [IMAGE_UID] * 4
        owner = container.exec("stat", "-c", "%u", "/data/matrix/credentials.json").strip()
        assert owner == str(IMAGE_UID)
        # The image's HEALTHCHECK command itself passes.
        podman("healthcheck", "run", container.name)

        login = container.saved_login()
        assert login["user_id"] == bot_account.user_id
        assert login["device_id"] != bot_account.device_id  # its own device, made at first start
        known_devices = await devices(homeserver, bot_account)
        assert login["device_id"] in known_devices

        alice = await new_user(homeserver, "alice")
        room = await alice.create_room([bot_account.user_id], encrypted=True, direct=True)
        await alice.wait_for_join(room, bot_account.user_id, within=60)
        reply = await alice.wait_for_reply(await alice.send_text(room, "aide"), within=60)
        assert reply.sender == bot_account.user_id and reply.msgtype == "m.notice"
        assert reply.decrypted, "the bot's reply was not encrypted"

        # A new container on the same volume, as after an upgrade: same device, no new login.
        assert container.stop() == 0, container.logs()
        first_logs = container.logs()
        assert first_logs.count(LOGIN_LINE) == 1, first_logs
        container.remove()
        container.run()
        await container.wait_healthy()
        assert container.saved_login() == login
        assert await devices(homeserver, bot_account) == known_devices
        assert LOGIN_LINE not in container.logs()
        assert f"device {login['device_id']}" in container.logs()

        reply = await alice.wait_for_reply(await alice.send_text(room, "aide"), within=60)
        assert reply.decrypted  # same device, same keys: the room still works
        assert not alice.undecryptable
    finally:
        await engine.dispose()
