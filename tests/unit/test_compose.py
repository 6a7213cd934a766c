"""compose.yaml, checked without a container engine: what operators run must hang together.

The keys are those of the Compose specification; the values must agree with the Dockerfile
(the data volume, the health port) and with each other (the database the bot is given is the one
PostgreSQL creates, and the bot waits until PostgreSQL is healthy).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TOP_LEVEL = {"name", "services", "volumes", "networks", "configs", "secrets", "include"}
SERVICE_KEYS = {
    "build",
    "image",
    "restart",
    "depends_on",
    "env_file",
    "environment",
    "volumes",
    "ports",
    "healthcheck",
    "stop_grace_period",
}
HEALTHCHECK_KEYS = {"test", "interval", "timeout", "retries", "start_period"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def dockerfile_env() -> dict[str, str]:
    """The ENV of the Dockerfile's last stage (`KEY=VALUE` pairs, continuation lines joined)."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    last_stage = text.split("\nFROM ")[-1]
    env: dict[str, str] = {}
    for line in last_stage.splitlines():
        if line.startswith("ENV "):
            env.update(pair.split("=", 1) for pair in line[4:].split())
    return env


def test_only_known_keys_are_used(compose: dict[str, Any]) -> None:
    assert set(compose) <= TOP_LEVEL
    assert set(compose["services"]) == {"bot", "postgres"}
    for name, service in compose["services"].items():
        assert set(service) <= SERVICE_KEYS, name
        assert set(service["healthcheck"]) <= HEALTHCHECK_KEYS, name
        assert service["healthcheck"]["test"][0] in {"CMD", "CMD-SHELL"}, name
        for duration in ("interval", "timeout", "start_period"):
            assert re.fullmatch(r"\d+(ms|s|m|h)", service["healthcheck"][duration]), name


def test_every_named_volume_is_declared(compose: dict[str, Any]) -> None:
    declared = set(compose["volumes"])
    used = {
        mount.split(":", 1)[0]
        for service in compose["services"].values()
        for mount in service.get("volumes", [])
    }
    assert used == declared


def test_the_bot_keeps_its_data_on_a_volume_and_checks_its_health(
    compose: dict[str, Any],
) -> None:
    bot = compose["services"]["bot"]
    env = dockerfile_env()
    assert f"bot-data:{env['MATRIX_STORE_PATH'].rsplit('/', 1)[0]}" in bot["volumes"]
    assert bot["build"] == "."
    probe = " ".join(bot["healthcheck"]["test"])
    assert f"http://127.0.0.1:{env['HTTP_PORT']}/healthz" in probe
    assert bot["ports"] == [f"127.0.0.1:{env['HTTP_PORT']}:{env['HTTP_PORT']}"]
    assert bot["depends_on"] == {"postgres": {"condition": "service_healthy"}}


def test_the_bot_is_given_the_database_postgres_creates(compose: dict[str, Any]) -> None:
    postgres = compose["services"]["postgres"]["environment"]
    url = urlsplit(compose["services"]["bot"]["environment"]["DATABASE_URL"])
    assert url.scheme == "postgresql+asyncpg"
    assert url.hostname == "postgres" and url.port == 5432
    assert url.username == postgres["POSTGRES_USER"]
    assert url.path == f"/{postgres['POSTGRES_DB']}"
    assert url.password == "${POSTGRES_PASSWORD}"
    assert postgres["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    pg_ready = compose["services"]["postgres"]["healthcheck"]["test"]
    assert pg_ready[1] == "pg_isready" and postgres["POSTGRES_DB"] in pg_ready
