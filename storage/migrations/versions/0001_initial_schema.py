"""Initial schema: sites, desks, members, reservations, presence statuses, closures, chat state.

Why: the reservation core needs its tables. The rules that must survive concurrency are in the
schema itself: four partial unique indexes over active reservations (a desk, or a member, holds
a half-day at most once; "day" covers both halves, tied to the slot by a CHECK), a composite
foreign key keeping a reservation's site equal to its desk's site, and presence statuses keyed
per half-day. `processed_events` gives the Matrix transport exactly-once handling and
`pending_questions` keeps confirmations across restarts.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = sa.text("status = 'active'")
ACTIVE_AM = sa.text("status = 'active' AND covers_am")
ACTIVE_PM = sa.text("status = 'active' AND covers_pm")


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("department", sa.String(length=3), nullable=True),
        sa.Column("timezone", sa.String(length=64), server_default="Europe/Paris", nullable=False),
        sa.Column("open_weekdays", sa.Integer(), server_default=sa.text("31"), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.CheckConstraint("open_weekdays BETWEEN 0 AND 127", name=op.f("ck_sites_open_weekdays")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
        sa.UniqueConstraint("name_key", name=op.f("uq_sites_name_key")),
    )
    op.create_table(
        "site_aliases",
        sa.Column("alias_key", sa.String(length=100), nullable=False),
        sa.Column("alias", sa.String(length=100), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_site_aliases_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("alias_key", name=op.f("pk_site_aliases")),
    )
    op.create_index(op.f("ix_site_aliases_site_id"), "site_aliases", ["site_id"])
    op.create_table(
        "site_managers",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("matrix_id", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_site_managers_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("site_id", "matrix_id", name=op.f("pk_site_managers")),
    )
    op.create_table(
        "desks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("sort_key", sa.String(length=255), nullable=False),
        sa.Column("zone", sa.String(length=100), nullable=True),
        sa.Column("features", sa.JSON(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("bookable_from", sa.Date(), nullable=True),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_desks_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desks")),
        sa.UniqueConstraint("id", "site_id", name=op.f("uq_desks_id_site_id")),
        sa.UniqueConstraint("site_id", "label", name=op.f("uq_desks_site_id_label")),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matrix_id", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=True),
        sa.Column("role", sa.String(length=16), server_default="agent", nullable=False),
        sa.Column("default_site_id", sa.Integer(), nullable=True),
        sa.Column("locale", sa.String(length=16), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.CheckConstraint(
            "role IN ('agent', 'lead', 'manager', 'admin')", name=op.f("ck_members_role")
        ),
        sa.ForeignKeyConstraint(
            ["default_site_id"], ["sites.id"], name=op.f("fk_members_default_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("matrix_id", name=op.f("uq_members_matrix_id")),
    )
    op.create_table(
        "reservations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("slot", sa.String(length=3), nullable=False),
        sa.Column("covers_am", sa.Boolean(), nullable=False),
        sa.Column("covers_pm", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=10), server_default="active", nullable=False),
        _timestamp("created_at"),
        _timestamp("cancelled_at", nullable=True),
        sa.Column("cancel_reason", sa.String(length=16), nullable=True),
        sa.Column("source_event_id", sa.String(length=255), nullable=True),
        sa.CheckConstraint(
            "(slot = 'day' AND covers_am AND covers_pm)"
            " OR (slot = 'am' AND covers_am AND NOT covers_pm)"
            " OR (slot = 'pm' AND covers_pm AND NOT covers_am)",
            name=op.f("ck_reservations_slot_covers"),
        ),
        sa.CheckConstraint(
            "(status = 'active' AND cancelled_at IS NULL)"
            " OR (status = 'cancelled' AND cancelled_at IS NOT NULL)",
            name=op.f("ck_reservations_status_cancelled_at"),
        ),
        sa.CheckConstraint(
            "cancel_reason IS NULL OR cancel_reason IN ('member', 'closure', 'status')",
            name=op.f("ck_reservations_cancel_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["desk_id", "site_id"], ["desks.id", "desks.site_id"], name="fk_reservations_desk"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_reservations_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reservations")),
    )
    for name, columns, where in (
        ("uq_reservations_desk_am", ["desk_id", "day"], ACTIVE_AM),
        ("uq_reservations_desk_pm", ["desk_id", "day"], ACTIVE_PM),
        ("uq_reservations_member_am", ["member_id", "day"], ACTIVE_AM),
        ("uq_reservations_member_pm", ["member_id", "day"], ACTIVE_PM),
    ):
        op.create_index(
            name, "reservations", columns, unique=True, sqlite_where=where, postgresql_where=where
        )
    op.create_index(
        "ix_reservations_site_id_day",
        "reservations",
        ["site_id", "day"],
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )
    op.create_index("ix_reservations_member_id_day", "reservations", ["member_id", "day"])
    op.create_index(
        "ix_reservations_member_id_site_id_id", "reservations", ["member_id", "site_id", "id"]
    )
    op.create_table(
        "presence_statuses",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("half", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        _timestamp("created_at"),
        sa.CheckConstraint("half IN ('am', 'pm')", name=op.f("ck_presence_statuses_half")),
        sa.CheckConstraint(
            "kind IN ('remote', 'leave', 'travel')", name=op.f("ck_presence_statuses_kind")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_presence_statuses_member_id_members")
        ),
        sa.PrimaryKeyConstraint("member_id", "day", "half", name=op.f("pk_presence_statuses")),
    )
    op.create_index("ix_presence_statuses_day", "presence_statuses", ["day"])
    op.create_table(
        "site_closures",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_site_closures_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("site_id", "day", name=op.f("pk_site_closures")),
    )
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.String(length=255), nullable=False),
        _timestamp("claimed_at"),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_processed_events")),
    )
    op.create_index(op.f("ix_processed_events_claimed_at"), "processed_events", ["claimed_at"])
    op.create_table(
        "pending_questions",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("room", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        _timestamp("expires_at"),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_pending_questions_member_id_members")
        ),
        sa.PrimaryKeyConstraint("member_id", "room", name=op.f("pk_pending_questions")),
    )


def downgrade() -> None:
    for table in (
        "pending_questions",
        "processed_events",
        "site_closures",
        "presence_statuses",
        "reservations",
        "members",
        "desks",
        "site_managers",
        "site_aliases",
        "sites",
    ):
        op.drop_table(table)
