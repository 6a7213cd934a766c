"""Released no-shows as their own status, the waitlist, and the release sweeps done (issue 12).

Why: a booking not checked in by its site's deadline is released for someone else. It gets the
status `released` (kept for the statistics as a no-show, with `cancel_reason = 'noshow'` and
`cancelled_at`, never counted as a cancellation by the agent); the status CHECK widens to allow
it. `waitlist_entries` is the line of agents waiting for a desk at a site on a day and half-day
(first come, first served by id); `release_sweeps` records each (site, day, half) whose deadline
sweep ran, so it runs exactly once across restarts and processes. Existing no-shows (cancelled
with reason 'noshow') become `released`.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUS = (
    "(status = 'active' AND cancelled_at IS NULL)"
    " OR (status = 'cancelled' AND cancelled_at IS NOT NULL)"
)
NEW_STATUS = (
    "(status = 'active' AND cancelled_at IS NULL)"
    " OR (status = 'cancelled' AND cancelled_at IS NOT NULL)"
    " OR (status = 'released' AND cancelled_at IS NOT NULL AND cancel_reason = 'noshow')"
)
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("reservations") as batch:
        batch.drop_constraint(op.f("ck_reservations_status_cancelled_at"), type_="check")
        batch.create_check_constraint(op.f("ck_reservations_status_cancelled_at"), NEW_STATUS)
    op.execute("UPDATE reservations SET status = 'released' WHERE cancel_reason = 'noshow'")
    op.create_table(
        "waitlist_entries",
        sa.Column("id", ID, nullable=False, autoincrement=True),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("slot", sa.String(length=3), nullable=False),
        sa.Column("covers_am", sa.Boolean(), nullable=False),
        sa.Column("covers_pm", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(slot = 'day' AND covers_am AND covers_pm)"
            " OR (slot = 'am' AND covers_am AND NOT covers_pm)"
            " OR (slot = 'pm' AND covers_pm AND NOT covers_am)",
            name=op.f("ck_waitlist_entries_slot_covers"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_waitlist_entries_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_waitlist_entries_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waitlist_entries")),
        sa.UniqueConstraint(
            "member_id", "site_id", "day", name=op.f("uq_waitlist_entries_member_id_site_id_day")
        ),
    )
    op.create_index(
        "ix_waitlist_entries_site_id_day", "waitlist_entries", ["site_id", "day", "id"]
    )
    op.create_table(
        "release_sweeps",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("half", sa.String(length=2), nullable=False),
        sa.Column("swept_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released", sa.Integer(), nullable=False),
        sa.Column("served", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_release_sweeps_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("site_id", "day", "half", name=op.f("pk_release_sweeps")),
    )


def downgrade() -> None:
    op.drop_table("release_sweeps")
    op.drop_index("ix_waitlist_entries_site_id_day", table_name="waitlist_entries")
    op.drop_table("waitlist_entries")
    op.execute("UPDATE reservations SET status = 'cancelled' WHERE status = 'released'")
    with op.batch_alter_table("reservations") as batch:
        batch.drop_constraint(op.f("ck_reservations_status_cancelled_at"), type_="check")
        batch.create_check_constraint(op.f("ck_reservations_status_cancelled_at"), OLD_STATUS)
