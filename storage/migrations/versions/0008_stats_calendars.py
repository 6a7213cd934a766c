"""Occupancy statistics and calendar feeds: check-ins, released no-shows, turned-away demand.

Why: issue 13 (statistics for managers, agents' calendars), with the hooks issue 12 (check-in,
no-show release, waitlist) will use, so that the figures are real from the start:
- `reservations.checked_in_at`: when the agent said they arrived (NULL: not checked in);
- a released no-show is a cancelled booking with `cancel_reason = 'noshow'`: cancelled rows
  already leave the partial unique indexes, so the desk is free again at once, and the
  status/cancelled_at CHECK keeps holding; only the cancel_reason CHECK is widened;
- `reservations.from_waitlist`: the booking was given to someone waiting (issue 12 sets it; until
  the waitlist exists every row is false and "waiters served" is 0);
- `full_answers`: one row per "full" answer given by reserve (demand turned away), per site, day
  and half-day;
- `ix_reservations_site_id_day_all`: the statistics read every status of a site's days (the
  existing site/day index only covers active rows);
- `calendar_tokens`: the private token of each agent's calendar feed (`/calendar/<token>.ics`),
  only its SHA-256 is stored; a new link revokes the old one (`revoked_at`);
- `sites.hours`: the site's opening hours for the feed ("09:00-12:30,13:30-18:00"; NULL = default).

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_REASONS = "cancel_reason IS NULL OR cancel_reason IN ('member', 'closure', 'status')"
NEW_REASONS = "cancel_reason IS NULL OR cancel_reason IN ('member', 'closure', 'status', 'noshow')"


def upgrade() -> None:
    with op.batch_alter_table("reservations") as batch:
        batch.add_column(sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("from_waitlist", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.drop_constraint(op.f("ck_reservations_cancel_reason"), type_="check")
        batch.create_check_constraint(op.f("ck_reservations_cancel_reason"), NEW_REASONS)
    op.create_index("ix_reservations_site_id_day_all", "reservations", ["site_id", "day"])
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("hours", sa.String(length=64), nullable=True))
    op.create_table(
        "full_answers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("slot", sa.String(length=3), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_full_answers_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_full_answers")),
    )
    op.create_index("ix_full_answers_site_id_day", "full_answers", ["site_id", "day"])
    op.create_table(
        "calendar_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_calendar_tokens_member_id_members")
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_calendar_tokens")),
    )
    op.create_index("ix_calendar_tokens_member_id", "calendar_tokens", ["member_id"])


def downgrade() -> None:
    op.drop_index("ix_calendar_tokens_member_id", table_name="calendar_tokens")
    op.drop_table("calendar_tokens")
    op.drop_index("ix_full_answers_site_id_day", table_name="full_answers")
    op.drop_table("full_answers")
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("hours")
    op.drop_index("ix_reservations_site_id_day_all", table_name="reservations")
    op.execute("UPDATE reservations SET cancel_reason = 'member' WHERE cancel_reason = 'noshow'")
    with op.batch_alter_table("reservations") as batch:
        batch.drop_constraint(op.f("ck_reservations_cancel_reason"), type_="check")
        batch.create_check_constraint(op.f("ck_reservations_cancel_reason"), OLD_REASONS)
        batch.drop_column("from_waitlist")
        batch.drop_column("checked_in_at")
