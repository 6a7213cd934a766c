"""Check-in deadlines per site (issue 12).

Why: a site may ask agents to check in by a deadline, in the site's time zone, or their booking is
released for someone else: `check_in_morning` for bookings covering the morning (morning or whole
day), `check_in_afternoon` for afternoon bookings ("HH:MM", NULL = no check-in for those), and
`check_in_remind` (a reminder DM each morning, off by default: at 40,000 agents a DM per booking
is a lot of traffic). Every existing site keeps no check-in.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("check_in_morning", sa.String(length=5), nullable=True))
        batch.add_column(sa.Column("check_in_afternoon", sa.String(length=5), nullable=True))
        batch.add_column(
            sa.Column("check_in_remind", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("check_in_remind")
        batch.drop_column("check_in_afternoon")
        batch.drop_column("check_in_morning")
