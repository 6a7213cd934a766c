"""The outbox of messages for others, the audit log of managers' actions, leased event claims.

Why: issue 11 (deliveries never lost, two bots on one database, personal data). `outbox` holds
every message the bot must send to someone other than the sender of a command (closure notices,
announcements, digests), written in the transaction of the change that causes it and delivered by
a paced worker: `tx_id` is the stable Matrix transaction id (a resend after a crash is the same
event), `lease_owner`/`lease_until` let two processes share the rows, `status` is pending, sent or
failed. `audit_log` records who opened, closed, announced and appointed. `processed_events` gains
a lease and the command itself, so that a command claimed by a process that died is answered by
the other one, and `done_at` once it was answered.

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("destination", sa.String(length=255), nullable=False),
        sa.Column("recipient", sa.String(length=255), nullable=True),
        sa.Column("room_id", sa.String(length=255), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("mentions", sa.Text(), nullable=False),
        sa.Column("tx_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        _timestamp("next_attempt_at"),
        sa.Column("lease_owner", sa.String(length=255), nullable=True),
        _timestamp("lease_until", nullable=True),
        _timestamp("sent_at", nullable=True),
        sa.Column("event_id", sa.String(length=255), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("tx_id", name=op.f("uq_outbox_tx_id")),
    )
    op.create_index("ix_outbox_status_destination", "outbox", ["status", "destination", "id"])
    op.create_index("ix_outbox_recipient", "outbox", ["recipient"])
    op.create_table(
        "audit_log",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        _timestamp("at"),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    with op.batch_alter_table("processed_events") as batch:
        batch.add_column(sa.Column("owner", sa.String(length=255), nullable=True))
        batch.add_column(_timestamp("lease_until", nullable=True))
        batch.add_column(_timestamp("done_at", nullable=True))
        batch.add_column(sa.Column("payload", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("processed_events") as batch:
        for column in ("payload", "done_at", "lease_until", "owner"):
            batch.drop_column(column)
    op.drop_table("audit_log")
    op.drop_table("outbox")
