"""Teams, room members, site follows, digest runs, and managers appointed in the chat.

Why: issue 6 (the morning digest, follows and managers). A team is a room subscribed to the
digest (`teams`) whose members are the room's joined members as the transport reported them
(`room_members`). `digest_runs` keeps one row per room and day, claimed by one process with a
lease and marked when sent: exactly one digest per room and day across restarts and processes.
`site_follows` lists the rooms that asked for a site's news. `site_managers.appointed_at` tells
managers appointed by an admin in the chat (kept by later imports) from those of the sites file.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("site_managers") as batch:
        batch.add_column(_timestamp("appointed_at", nullable=True))
    op.create_table(
        "teams",
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("digest_time", sa.String(length=5), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["members.id"], name=op.f("fk_teams_lead_id_members")
        ),
        sa.PrimaryKeyConstraint("room_id", name=op.f("pk_teams")),
    )
    op.create_table(
        "room_members",
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_room_members_member_id_members")
        ),
        sa.PrimaryKeyConstraint("room_id", "member_id", name=op.f("pk_room_members")),
    )
    op.create_index("ix_room_members_member_id", "room_members", ["member_id"])
    op.create_table(
        "site_follows",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.String(length=255), nullable=False),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_site_follows_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("site_id", "room_id", name=op.f("pk_site_follows")),
    )
    op.create_table(
        "digest_runs",
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("owner", sa.String(length=255), nullable=False),
        _timestamp("claimed_at"),
        _timestamp("lease_until"),
        _timestamp("sent_at", nullable=True),
        sa.PrimaryKeyConstraint("room_id", "day", name=op.f("pk_digest_runs")),
    )


def downgrade() -> None:
    for table in ("digest_runs", "site_follows", "room_members", "teams"):
        op.drop_table(table)
    with op.batch_alter_table("site_managers") as batch:
        batch.drop_column("appointed_at")
