"""Desks with an owner, lent on the days the owner is away (issue 12, section 3).

Why: in flex offices some desks still belong to one person (a disabled agent's adapted desk, a
resident's fixed place). Such a desk is its owner's on every open day, and nobody else may book
it, except on the days the owner is away: a status (remote, leave, travel) or an explicit loan.
- `desks.owner_id` references `members` (so that erasing a member clears it), NULL for the
  ordinary shared desk; `desks.owner_assigned_at` is set when a manager assigned the owner in the
  chat, NULL when the sites file did (an import never removes an owner assigned in the chat
  unless the file names another one).
- `desk_loans`: one row per desk, day and half-day its owner lends it ("je prête mon bureau du 7
  au 11 décembre"), with the owner who lent it, so that a loan never outlives a change of owner.
Every existing desk stays unowned.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("desks") as batch:
        batch.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("owner_assigned_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key("fk_desks_owner_id_members", "members", ["owner_id"], ["id"])
        batch.create_index("ix_desks_owner_id", ["owner_id"])
    op.create_table(
        "desk_loans",
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("half", sa.String(length=2), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("half IN ('am', 'pm')", name="ck_desk_loans_half"),
        sa.ForeignKeyConstraint(["desk_id"], ["desks.id"], name="fk_desk_loans_desk_id_desks"),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["members.id"], name="fk_desk_loans_owner_id_members"
        ),
        sa.PrimaryKeyConstraint("desk_id", "day", "half", name="pk_desk_loans"),
    )
    op.create_index("ix_desk_loans_owner_id", "desk_loans", ["owner_id"])


def downgrade() -> None:
    op.drop_index("ix_desk_loans_owner_id", table_name="desk_loans")
    op.drop_table("desk_loans")
    with op.batch_alter_table("desks") as batch:
        batch.drop_index("ix_desks_owner_id")
        batch.drop_constraint("fk_desks_owner_id_members", type_="foreignkey")
        batch.drop_column("owner_assigned_at")
        batch.drop_column("owner_id")
