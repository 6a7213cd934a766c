"""Dialogue state per member and room: the command being completed and the last change.

Why: issue 10 (a conversation that understands and remembers). A bare answer ("Nantes",
"mardi"), a follow-up ("et vendredi aussi"), a correction ("plutôt jeudi") or an undo ("annule
ça") refers to what was said and done just before; that state is kept in the database, next to
the pending questions, so it survives a restart, and it expires after a few minutes.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dialogue_states",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("room", sa.String(length=255), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_dialogue_states_member_id_members")
        ),
        sa.PrimaryKeyConstraint("member_id", "room", name=op.f("pk_dialogue_states")),
    )


def downgrade() -> None:
    op.drop_table("dialogue_states")
