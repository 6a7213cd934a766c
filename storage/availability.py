"""Telling "the database is not answering" apart from every other error.

While PostgreSQL is stopped or restarting, connecting fails with `OSError` (connection refused),
asyncpg's `CannotConnectNowError` ("the database system is starting up"), or SQLAlchemy wraps a
lost connection in a `DBAPIError` whose `connection_invalidated` is set. The chat side answers
those with "briefly unavailable" and keeps the command for later, instead of an internal error.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

_UNAVAILABLE_SQLSTATES = {
    "57P01",  # admin_shutdown
    "57P02",  # crash_shutdown
    "57P03",  # cannot_connect_now
    "08000",
    "08001",
    "08003",
    "08004",
    "08006",
}


class DatabaseUnavailable(Exception):
    """The database does not answer (stopped, restarting, unreachable)."""


def is_unavailable(error: BaseException) -> bool:
    """True when `error` (or what caused it) says the database cannot be reached right now."""
    seen = 0
    current: BaseException | None = error
    while current is not None and seen < 8:
        seen += 1
        if isinstance(current, DatabaseUnavailable | ConnectionError | TimeoutError):
            return True
        if isinstance(current, OSError) and not isinstance(current, FileNotFoundError):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, InterfaceError | OperationalError):
            message = str(current).lower()
            if "connection" in message or "closed" in message:
                return True
        sqlstate = getattr(current, "sqlstate", None)
        if sqlstate in _UNAVAILABLE_SQLSTATES:
            return True
        name = type(current).__name__
        if name in {
            "CannotConnectNowError",
            "ConnectionDoesNotExistError",
            "ConnectionFailureError",
            "InterfaceError",
        } and type(current).__module__.startswith("asyncpg"):
            return True
        orig = getattr(current, "orig", None)
        current = (
            orig if isinstance(orig, BaseException) else (current.__cause__ or current.__context__)
        )
    return False
