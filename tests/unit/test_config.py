"""Settings: defaults, validation with one clear line naming the setting."""

from __future__ import annotations

import time

import pytest

from bot.clock import ShiftedClock
from bot.config import ConfigError, load_settings


def test_defaults_use_embedded_sqlite_and_french() -> None:
    settings = load_settings({})
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.locale == "fr" and settings.timezone == "Europe/Paris"
    assert settings.horizon_days == 56


def test_health_server_listens_on_loopback_unless_told() -> None:
    assert load_settings({}).http_host == "127.0.0.1"
    assert load_settings({"HTTP_HOST": "0.0.0.0"}).http_host == "0.0.0.0"


def test_allowed_servers_default_to_the_bots_own_server() -> None:
    settings = load_settings({"MATRIX_USER_ID": "@bot:agent.interieur.tchap.gouv.fr"})
    assert settings.allowed_servers == {"agent.interieur.tchap.gouv.fr"}
    custom = load_settings({"MATRIX_USER_ID": "@bot:a.fr", "BOT_ALLOWED_SERVERS": "a.fr, b.fr"})
    assert custom.allowed_servers == {"a.fr", "b.fr"}


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"BOT_TIMEZONE": "Mars/Olympus"}, "BOT_TIMEZONE"),
        ({"BOT_LOCALE": "de"}, "BOT_LOCALE"),
        ({"BOT_ADMINS": "@ok:a.fr, pas-un-id"}, "BOT_ADMINS"),
        ({"BOT_HORIZON_WEEKS": "huit"}, "BOT_HORIZON_WEEKS"),
        ({"HTTP_PORT": "70000"}, "HTTP_PORT"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"BOT_CLOCK_START": "mardi 8h"}, "BOT_CLOCK_START"),
        ({"BOT_SCHEDULER_TICK": "0"}, "BOT_SCHEDULER_TICK"),
    ],
)
def test_bad_settings_name_themselves(env: dict[str, str], names: str) -> None:
    with pytest.raises(ConfigError, match=names):
        load_settings(env)


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({}, "MATRIX_HOMESERVER"),
        ({"MATRIX_HOMESERVER": "https://h"}, "MATRIX_USER_ID"),
        ({"MATRIX_HOMESERVER": "https://h", "MATRIX_USER_ID": "@b:h"}, "MATRIX_PASSWORD"),
        (
            {
                "MATRIX_HOMESERVER": "https://h",
                "MATRIX_USER_ID": "@b:h",
                "MATRIX_PASSWORD": "p",
                "MATRIX_ACCESS_TOKEN": "t",
            },
            "not both",
        ),
        (
            {
                "MATRIX_HOMESERVER": "https://h",
                "MATRIX_USER_ID": "@b:h",
                "MATRIX_ACCESS_TOKEN": "t",
            },
            "MATRIX_DEVICE_ID",
        ),
    ],
)
def test_matrix_settings_are_checked_only_when_needed(env: dict[str, str], names: str) -> None:
    settings = load_settings(env)  # the console never needs them
    with pytest.raises(ConfigError, match=names):
        settings.require_matrix()


def test_clock_start_is_read_in_the_bots_timezone_and_runs_on() -> None:
    settings = load_settings({"BOT_CLOCK_START": "2026-11-24T08:29:00"})
    assert settings.clock_start is not None
    assert settings.clock_start.isoformat() == "2026-11-24T08:29:00+01:00"
    clock = ShiftedClock(settings.clock_start)
    first = clock.now()
    time.sleep(0.01)
    assert clock.now() > first >= settings.clock_start
