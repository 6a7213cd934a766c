"""The real `bureau-volant run` process, started as a deployment would start it.

Each bot gets its own environment (homeserver, account, SQLite database, store directory, HTTP
port); it is ready when /healthz answers 200 (logged in, first sync done, database answering).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.e2e.homeserver import ROOT, Account, Homeserver

SITES_FILE = ROOT / "examples" / "sites.yaml"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli(*args: str, env: dict[str, str], timeout: float = 120) -> str:
    """Run `bureau-volant ARGS` and return its output; a failure raises with its stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bureau-volant {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare_database(path: Path, sites_file: Path = SITES_FILE) -> str:
    """A SQLite database migrated to head with the sites of `sites_file` (default: the example
    sites); returns its URL."""
    url = f"sqlite+aiosqlite:///{path}"
    env = {**os.environ, "DATABASE_URL": url}
    cli("db", "upgrade", env=env)
    cli("sites", "import", str(sites_file), env=env)
    return url


class BotProcess:
    """`bureau-volant run` in a subprocess; `start()` waits until /healthz says 200."""

    def __init__(
        self,
        homeserver: Homeserver,
        account: Account,
        database_url: str,
        workdir: Path,
        *,
        allowed_servers: str | None = None,
        use_password: bool = False,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.homeserver = homeserver
        self.workdir = workdir
        self.port = free_port()
        self.log_path = workdir / "bot.log"
        self.process: subprocess.Popen[bytes] | None = None
        # time.monotonic() just before the last start: the bot's clock (BOT_CLOCK_START) starts
        # later, so it is at most `BOT_CLOCK_START + (now - started_at)`.
        self.started_at: float | None = None
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("MATRIX_", "BOT_", "HTTP_"))
        }
        env.update(
            MATRIX_HOMESERVER=homeserver.url,
            MATRIX_USER_ID=account.user_id,
            MATRIX_STORE_PATH=str(workdir / "matrix"),
            DATABASE_URL=database_url,
            HTTP_PORT=str(self.port),
            LOG_LEVEL="INFO",
            BOT_TIMEZONE="Europe/Paris",
        )
        if use_password:
            env["MATRIX_PASSWORD"] = account.password
        else:
            env["MATRIX_ACCESS_TOKEN"] = account.access_token
            env["MATRIX_DEVICE_ID"] = account.device_id
        if allowed_servers is not None:
            env["BOT_ALLOWED_SERVERS"] = allowed_servers
        env.update(extra_env or {})
        self.env = env

    def start(self, timeout: float = 60.0) -> BotProcess:
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.started_at = time.monotonic()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                cwd=self.workdir,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the bot exited with {self.process.returncode}:\n{self.log()}")
            status, _ = self.health()
            if status == 200:
                return self
            time.sleep(0.1)
        raise TimeoutError(f"the bot was not healthy within {timeout:.0f} s:\n{self.log()}")

    def health(self) -> tuple[int | None, dict[str, object] | None]:
        """(HTTP status, JSON body) of /healthz; (None, None) when it does not answer."""
        url = f"http://127.0.0.1:{self.port}/healthz"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None, None

    def metrics(self) -> str:
        url = f"http://127.0.0.1:{self.port}/metrics"
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()

    def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM, then SIGKILL after `timeout`; returns the exit status."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:] if self.log_path.exists() else ""


def start_bot(
    processes: list[BotProcess],
    server: Homeserver,
    account: Account,
    database_url: str,
    workdir: Path,
    *,
    clock_start: str | None = None,
    extra_env: dict[str, str] | None = None,
    **options: Any,
) -> BotProcess:
    """Start `bureau-volant run` (optionally on a clock starting at `clock_start`, Paris time)
    and register it in `processes`, which the fixture stops whatever happens."""
    env = dict(extra_env or {})
    if clock_start is not None:
        env["BOT_CLOCK_START"] = clock_start
    bot = BotProcess(server, account, database_url, workdir, extra_env=env, **options)
    processes.append(bot)
    return bot.start()
