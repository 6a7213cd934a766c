"""Bureau Volant's reservation core: models, migrations and transactional operations.

The chat side imports from here: `Storage` (the operations), the clocks, the result types and
the errors.
"""

from storage.clock import Clock, SettableClock
from storage.core import Storage
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

__all__ = [
    "Availability",
    "Booking",
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
