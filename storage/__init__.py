"""Bureau Volant's reservation core: models, migrations and transactional operations.

The chat side imports from here: `Storage` (the operations), the clocks, the result types and
the errors.

The names below load their module on first use (PEP 562): `storage.domain`, the vocabulary the
parser shares, can be imported without SQLAlchemy and the rest of the core.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storage.clock import (
        Clock,
        SettableClock,
    )
    from storage.core import (
        Storage,
    )
    from storage.errors import (
        SchemaOutOfDate,
        SchemaTooNew,
        SitesFileError,
        StatusConflict,
        StorageError,
        UnknownMember,
        UnknownSite,
    )
    from storage.types import (
        Availability,
        Booking,
        CheckInRule,
        DayOutcome,
        ImportReport,
        MemberInfo,
        Outcome,
        PendingQuestion,
        Presence,
        PresenceKind,
        Role,
        SiteInfo,
        Slot,
        StatusChange,
        StatusKind,
        Team,
        TeamDay,
        TeamMember,
    )

_HOME: dict[str, str] = {
    "Availability": "storage.types",
    "Booking": "storage.types",
    "CheckInRule": "storage.types",
    "Clock": "storage.clock",
    "DayOutcome": "storage.types",
    "ImportReport": "storage.types",
    "MemberInfo": "storage.types",
    "Outcome": "storage.types",
    "PendingQuestion": "storage.types",
    "Presence": "storage.types",
    "PresenceKind": "storage.types",
    "Role": "storage.types",
    "SchemaOutOfDate": "storage.errors",
    "SchemaTooNew": "storage.errors",
    "SettableClock": "storage.clock",
    "SiteInfo": "storage.types",
    "SitesFileError": "storage.errors",
    "Slot": "storage.types",
    "StatusChange": "storage.types",
    "StatusConflict": "storage.errors",
    "StatusKind": "storage.types",
    "Storage": "storage.core",
    "StorageError": "storage.errors",
    "Team": "storage.types",
    "TeamDay": "storage.types",
    "TeamMember": "storage.types",
    "UnknownMember": "storage.errors",
    "UnknownSite": "storage.errors",
}

__all__ = [
    "Availability",
    "Booking",
    "CheckInRule",
    "Clock",
    "DayOutcome",
    "ImportReport",
    "MemberInfo",
    "Outcome",
    "PendingQuestion",
    "Presence",
    "PresenceKind",
    "Role",
    "SchemaOutOfDate",
    "SchemaTooNew",
    "SettableClock",
    "SiteInfo",
    "SitesFileError",
    "Slot",
    "StatusChange",
    "StatusConflict",
    "StatusKind",
    "Storage",
    "StorageError",
    "Team",
    "TeamDay",
    "TeamMember",
    "UnknownMember",
    "UnknownSite",
]


def __getattr__(name: str) -> Any:
    """Import the module that defines `name` when it is first asked for."""
    try:
        home = _HOME[name]
    except KeyError:
        raise AttributeError(f"module 'storage' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
