"""Typed errors of the reservation core; the chat side renders each one in one place."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from storage.domain import UserId

if TYPE_CHECKING:
    from storage.types import Booking


class StorageError(Exception):
    """Base class of every error the core raises on purpose."""


class UnknownSite(StorageError):
    """No site has this name or alias."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown site: {name!r}")
        self.name = name


class UnknownMember(StorageError):
    """No member has this Matrix id (call `ensure_member` on first contact)."""

    def __init__(self, matrix_id: UserId) -> None:
        super().__init__(f"unknown member: {matrix_id!r}")
        self.matrix_id = matrix_id


class SitesFileError(StorageError):
    """A sites file was rejected whole; `line` is 1-based (None when the file is unreadable)."""

    def __init__(self, line: int | None, reason: str) -> None:
        super().__init__(f"line {line}: {reason}" if line is not None else reason)
        self.line = line
        self.reason = reason


class StatusConflict(StorageError):
    """`set_status` would cancel bookings and `replace_bookings` was not given: ask first."""

    def __init__(self, bookings: Sequence[Booking]) -> None:
        super().__init__(f"{len(bookings)} booking(s) overlap the status")
        self.bookings = tuple(bookings)


class SchemaTooNew(StorageError):
    """The database was migrated by a newer version of Bureau Volant than this one."""

    def __init__(self, revision: str) -> None:
        super().__init__(
            f"the database schema (revision {revision}) is newer than this version of "
            "Bureau Volant: upgrade the bot, do not run it on this database"
        )
        self.revision = revision


class SchemaOutOfDate(StorageError):
    """The database is empty or behind the code's migrations."""

    def __init__(self, revision: str | None, head: str) -> None:
        found = f"revision {revision}" if revision else "no schema"
        super().__init__(
            f"the database has {found}, this version needs {head}: run `bureau-volant db upgrade`"
        )
        self.revision = revision
        self.head = head
