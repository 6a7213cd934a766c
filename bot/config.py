"""Settings from the environment (and a `.env` file), validated once at start-up.

A missing or contradictory setting raises `ConfigError` with one line naming it, so the process
stops before touching the database or the homeserver.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from storage.domain import UserId

DEFAULT_SQLITE_PATH = Path("var/bureau-volant.sqlite3")
SUPPORTED_LOCALES = ("fr", "en")


class ConfigError(Exception):
    """A setting is missing, malformed or contradicts another one."""


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment."""

    database_url: str
    timezone: str = "Europe/Paris"
    locale: str = "fr"
    admins: frozenset[UserId] = frozenset()
    horizon_weeks: int = 8
    rate_limit_count: int = 10
    rate_limit_window_s: float = 30.0
    dialogue_ttl_s: int = 600  # how long a conversation is remembered (follow-ups, undo)
    max_message_chars: int = 2000
    command_prefix: str = "!bureau"
    # Matrix (only `bureau-volant run` needs these; `require_matrix()` checks them).
    matrix_homeserver: str | None = None
    matrix_user_id: str | None = None
    matrix_password: str | None = None
    matrix_access_token: str | None = None
    matrix_device_id: str | None = None
    matrix_store_path: Path = Path("var/matrix")
    # The recovery key that opens the bot's private cross-signing keys (bureau-volant crypto).
    matrix_cross_signing_key: str | None = None
    # How long an undecryptable command whose room key was withheld waits before the bot says so.
    matrix_key_wait_s: float = 15.0
    # Inbound Megolm sessions first seen longer ago than this are deleted (memory and disk).
    matrix_megolm_retention_days: int = 30
    allowed_servers: frozenset[str] = field(default_factory=frozenset)
    http_port: int = 8080
    http_host: str = "127.0.0.1"  # 0.0.0.0 in a container whose /metrics is scraped from outside
    # Rehearsals and end-to-end tests: the bot's clock starts at this instant and runs on.
    clock_start: datetime | None = None
    # How often the scheduler looks for due work (digests): a few seconds in end-to-end tests.
    scheduler_tick_s: float = 20.0
    # Outbox pacing (bot.delivery): messages per second (0: unpaced) and the burst allowed.
    send_rate: float = 1.0
    send_burst: int = 10
    # Personal data (RGPD): bookings, statuses and handled events older than this are deleted.
    retention_days: int = 400
    # The address calendar links start with (the bot's HTTP server as agents reach it).
    public_url: str | None = None
    # Where the console writes the files the bot would send (charts, CSV).
    exports_path: Path = Path("var/exports")

    @property
    def calendar_base_url(self) -> str:
        """The public address of the HTTP server, without a trailing slash."""
        return (self.public_url or f"http://{self.http_host}:{self.http_port}").rstrip("/")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def horizon_days(self) -> int:
        return self.horizon_weeks * 7

    @property
    def bot_server_name(self) -> str | None:
        return self.matrix_user_id.split(":", 1)[1] if self.matrix_user_id else None

    def require_matrix(self) -> None:
        """Check the settings that only the Matrix transport needs."""
        if not self.matrix_homeserver:
            raise ConfigError(
                "MATRIX_HOMESERVER is not set (e.g. https://matrix.agent.tchap.gouv.fr)"
            )
        if not self.matrix_user_id or not _is_matrix_id(self.matrix_user_id):
            raise ConfigError("MATRIX_USER_ID must be a Matrix id like @bureau-volant:example.org")
        if self.matrix_password and self.matrix_access_token:
            raise ConfigError("set MATRIX_PASSWORD or MATRIX_ACCESS_TOKEN, not both")
        if not (self.matrix_password or self.matrix_access_token):
            raise ConfigError("MATRIX_PASSWORD or MATRIX_ACCESS_TOKEN is required")
        if self.matrix_access_token and not self.matrix_device_id:
            raise ConfigError("MATRIX_DEVICE_ID is required with MATRIX_ACCESS_TOKEN")


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = None
) -> Settings:
    """Read settings from `environ` (default: the process environment plus `.env`)."""
    if environ is None:
        _load_dotenv(env_file or Path(".env"))
        environ = os.environ
    env = {k: v.strip() for k, v in environ.items() if v.strip()}
    user_id = env.get("MATRIX_USER_ID")
    server = user_id.split(":", 1)[1] if user_id and ":" in user_id else None
    allowed = _csv(env.get("BOT_ALLOWED_SERVERS")) or ({server} if server else set())
    settings = Settings(
        database_url=env.get("DATABASE_URL") or default_database_url(),
        timezone=_timezone(env.get("BOT_TIMEZONE", "Europe/Paris")),
        locale=_locale(env.get("BOT_LOCALE", "fr")),
        admins=frozenset(_matrix_ids("BOT_ADMINS", env.get("BOT_ADMINS"))),
        horizon_weeks=_int(env, "BOT_HORIZON_WEEKS", 8, minimum=1, maximum=104),
        rate_limit_count=_int(env, "BOT_RATE_LIMIT_COUNT", 10, minimum=1, maximum=10_000),
        rate_limit_window_s=float(_int(env, "BOT_RATE_LIMIT_WINDOW", 30, minimum=1, maximum=3600)),
        dialogue_ttl_s=_int(env, "BOT_DIALOGUE_TTL", 600, minimum=10, maximum=86_400),
        command_prefix=env.get("BOT_COMMAND_PREFIX", "!bureau"),
        matrix_homeserver=env.get("MATRIX_HOMESERVER"),
        matrix_user_id=user_id,
        matrix_password=env.get("MATRIX_PASSWORD"),
        matrix_access_token=env.get("MATRIX_ACCESS_TOKEN"),
        matrix_device_id=env.get("MATRIX_DEVICE_ID"),
        matrix_store_path=Path(env.get("MATRIX_STORE_PATH", "var/matrix")),
        matrix_cross_signing_key=env.get("MATRIX_CROSS_SIGNING_KEY") or None,
        matrix_key_wait_s=float(_int(env, "MATRIX_KEY_WAIT_SECONDS", 15, minimum=1, maximum=600)),
        matrix_megolm_retention_days=_int(
            env, "MATRIX_MEGOLM_RETENTION_DAYS", 30, minimum=1, maximum=3650
        ),
        allowed_servers=frozenset(allowed),
        http_port=_int(env, "HTTP_PORT", 8080, minimum=0, maximum=65535),
        http_host=env.get("HTTP_HOST", "127.0.0.1"),
        clock_start=_instant("BOT_CLOCK_START", env.get("BOT_CLOCK_START"), env),
        scheduler_tick_s=float(_int(env, "BOT_SCHEDULER_TICK", 20, minimum=1, maximum=600)),
        send_rate=_rate(env.get("BOT_SEND_RATE", "1")),
        send_burst=_int(env, "BOT_SEND_BURST", 10, minimum=1, maximum=10_000),
        retention_days=_int(env, "BOT_RETENTION_DAYS", 400, minimum=1, maximum=36_500),
        public_url=env.get("BOT_PUBLIC_URL"),
        exports_path=Path(env.get("BOT_EXPORTS_DIR", "var/exports")),
    )
    _check_database_url(settings.database_url)
    return settings


def default_database_url() -> str:
    """The embedded SQLite database used when DATABASE_URL is unset."""
    return f"sqlite+aiosqlite:///{DEFAULT_SQLITE_PATH}"


def _load_dotenv(path: Path) -> None:
    if path.is_file():
        from dotenv import load_dotenv

        load_dotenv(path, override=False)


def _csv(value: str | None) -> set[str]:
    return {item.strip() for item in (value or "").split(",") if item.strip()}


def _is_matrix_id(value: str) -> bool:
    return value.startswith("@") and ":" in value and " " not in value


def _matrix_ids(name: str, value: str | None) -> set[UserId]:
    ids = _csv(value)
    bad = sorted(i for i in ids if not _is_matrix_id(i))
    if bad:
        raise ConfigError(f"{name} has an entry that is not a Matrix id: {bad[0]!r}")
    return {UserId(i) for i in ids}


def _int(env: Mapping[str, str], name: str, default: int, minimum: int, maximum: int) -> int:
    raw = env.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ConfigError(f"{name} must be between {minimum} and {maximum}, got {value}")
    return value


def _rate(raw: str) -> float:
    """BOT_SEND_RATE: messages per second ("1", "0.5", "2/s"); 0 turns pacing off."""
    try:
        value = float(raw.removesuffix("/s"))
    except ValueError:
        raise ConfigError(f"BOT_SEND_RATE must be messages per second, got {raw!r}") from None
    if not 0 <= value <= 10_000:
        raise ConfigError(f"BOT_SEND_RATE must be between 0 and 10000, got {raw!r}")
    return value


def _instant(name: str, raw: str | None, env: Mapping[str, str]) -> datetime | None:
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an ISO 8601 date and time, got {raw!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(
            tzinfo=ZoneInfo(_timezone(env.get("BOT_TIMEZONE", "Europe/Paris")))
        )
    return moment


def _timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"BOT_TIMEZONE is not a known time zone: {name!r}") from None
    return name


def _locale(name: str) -> str:
    if name not in SUPPORTED_LOCALES:
        choices = ", ".join(SUPPORTED_LOCALES)
        raise ConfigError(f"BOT_LOCALE must be one of {choices}, got {name!r}")
    return name


def _check_database_url(url: str) -> None:
    if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise ConfigError(
            "DATABASE_URL must start with sqlite+aiosqlite:// or postgresql+asyncpg://"
        )
