"""Engines for the two supported databases, configured for correctness under concurrency.

SQLite: foreign keys on, WAL (readers do not block the writer), a busy timeout, and write
transactions opened with BEGIN IMMEDIATE so that concurrent writers queue for the lock instead of
failing half-way with "database is locked". PostgreSQL (asyncpg): READ COMMITTED, with advisory
locks taken by the operations that need to serialize (see storage.booking).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

log = logging.getLogger(__name__)

READ_ONLY = "bureau_volant_read_only"  # execution option: a SQLite transaction that only reads
SQLITE_BUSY_TIMEOUT_MS = 30_000
# PostgreSQL: deadlock detected, serialization failure, lock not available.
_RETRYABLE_SQLSTATES = {"40P01", "40001", "55P03"}


def create_engine(url: str | URL, pool_size: int | None = None) -> AsyncEngine:
    """An async engine for `sqlite+aiosqlite://` or `postgresql+asyncpg://` URLs."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, pool_size)
    if parsed.get_backend_name() == "postgresql":
        size = pool_size or 10
        return create_async_engine(
            parsed,
            pool_size=size,
            max_overflow=size,
            pool_pre_ping=False,
            connect_args={
                # Small OLTP statements: JIT compilation only costs time here.
                "server_settings": {"jit": "off", "application_name": "bureau-volant"},
            },
        )
    raise ValueError(f"unsupported database URL: {parsed.render_as_string(hide_password=True)}")


def _sqlite_engine(url: URL, pool_size: int | None) -> AsyncEngine:
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = {}
    if pool_size:
        kwargs.update(pool_size=pool_size, max_overflow=pool_size)
    engine = create_async_engine(url, **kwargs)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module: it would not BEGIN before
        # SELECTs nor DDL; we emit BEGIN ourselves (below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A deferred BEGIN that later writes can fail with SQLITE_BUSY without waiting;
        # IMMEDIATE takes the write lock up front (waiting up to busy_timeout).
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def is_retryable(error: Exception) -> bool:
    """True for transient failures worth a bounded retry: deadlocks, serialization, busy.
    `error` is SQLAlchemy's `DBAPIError` or, from the raw fast paths, asyncpg's own error."""
    orig = error.orig if isinstance(error, DBAPIError) else error
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate in _RETRYABLE_SQLSTATES:
        return True
    message = str(orig).lower()
    return "database is locked" in message or "database is busy" in message


_TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.I)


@dataclass
class StatementLog:
    """The SQL statements an engine sent while `count_statements` was active."""

    statements: list[str] = field(default_factory=list)

    @property
    def queries(self) -> int:
        """How many statements, transaction control (BEGIN, COMMIT...) excepted: SQLite's
        engine sends its own BEGIN through the cursor, asyncpg's does not."""
        return sum(1 for sql in self.statements if not _TRANSACTION_CONTROL.match(sql))


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[StatementLog]:
    """Record the statements `engine` sends inside the block (tests and benchmarks prove that
    an operation's query count does not grow with its data)."""
    log_ = StatementLog()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        log_.statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield log_
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


# The asyncpg protocol calls that each send one message and wait for its answer.
_ROUND_TRIPS = frozenset(
    {"query", "bind_execute", "bind_execute_many", "execute", "bind", "copy_in", "copy_out"}
)
_PREPARATIONS = frozenset({"prepare", "close_statement"})


@dataclass
class RoundTripLog:
    """The round trips to PostgreSQL while `count_round_trips` was active: every statement,
    BEGIN and COMMIT included (`trips`), and apart the preparations of statements, which a
    connection makes once per statement text (`prepared`)."""

    trips: list[str] = field(default_factory=list)
    prepared: int = 0


class _CountingProtocol:
    """asyncpg's protocol of one connection, its round trips recorded into `log`."""

    def __init__(self, real: Any, log_: RoundTripLog) -> None:
        self._real, self._log = real, log_

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._real, name)
        if name not in _ROUND_TRIPS and name not in _PREPARATIONS:
            return value

        def counted(*args: Any, **kwargs: Any) -> Any:
            if name in _PREPARATIONS:
                self._log.prepared += 1
            else:
                first = args[0] if args else None
                sql = first if isinstance(first, str) else getattr(first, "query", name)
                self._log.trips.append(" ".join(str(sql).split()))
            return value(*args, **kwargs)

        return counted


@contextmanager
def count_round_trips(engine: AsyncEngine) -> Iterator[RoundTripLog]:
    """PostgreSQL: record the round trips of the connections `engine` hands out inside the
    block, the raw ones (`booking.reserve_pg`'s BEGIN and COMMIT) as well as SQLAlchemy's:
    what a latency depends on, for tests and benchmarks. Wraps asyncpg's protocol object of
    each connection checked out, and restores it at the end."""
    log_ = RoundTripLog()
    wrapped: list[Any] = []

    def wrap(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        raw = dbapi_connection.driver_connection
        if not isinstance(raw._protocol, _CountingProtocol):
            raw._protocol = _CountingProtocol(raw._protocol, log_)
            wrapped.append(raw)

    event.listen(engine.sync_engine, "checkout", wrap)
    try:
        yield log_
    finally:
        event.remove(engine.sync_engine, "checkout", wrap)
        for raw in wrapped:
            if isinstance(raw._protocol, _CountingProtocol):
                raw._protocol = raw._protocol._real
