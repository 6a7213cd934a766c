"""Reactions as input, and check-in (issue 12, part A).

Why: a ✅ on the bot's booking confirmation or morning reminder checks the booking in, and a
🏢 🏠 🌴 on a team digest says where a member is; a removed reaction undoes what it did. So the
bot must know what each of its messages is about (`bot_messages`: event id → bookings, or team
room and day; written when the message is sent, from a reply or from an outbox row, whose
`about` column carries it until then), and what it did for each reaction (`reaction_effects`),
so that a redaction undoes exactly that. `check_in_reminders` is the claim of the morning
reminder of a booking (primary key: sent once, across restarts and processes).
Both per-member tables reference members, so erasure deletes them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "bot_messages",
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("booking_ids", sa.Text(), nullable=False),
        sa.Column("team_room", sa.String(length=255), nullable=True),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name="fk_bot_messages_member_id_members"
        ),
        sa.PrimaryKeyConstraint("event_id", name="pk_bot_messages"),
    )
    op.create_index("ix_bot_messages_member_id", "bot_messages", ["member_id"])
    op.create_index("ix_bot_messages_created_at", "bot_messages", ["created_at"])
    op.create_table(
        "reaction_effects",
        sa.Column("reaction_event_id", sa.String(length=255), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("target_event_id", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("booking_ids", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name="fk_reaction_effects_member_id_members"
        ),
        sa.PrimaryKeyConstraint("reaction_event_id", name="pk_reaction_effects"),
    )
    op.create_index("ix_reaction_effects_member_id", "reaction_effects", ["member_id"])
    op.create_table(
        "check_in_reminders",
        sa.Column("reservation_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("reservation_id", name="pk_check_in_reminders"),
    )
    op.create_index("ix_check_in_reminders_day", "check_in_reminders", ["day"])
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("about", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("about")
    op.drop_index("ix_check_in_reminders_day", table_name="check_in_reminders")
    op.drop_table("check_in_reminders")
    op.drop_index("ix_reaction_effects_member_id", table_name="reaction_effects")
    op.drop_table("reaction_effects")
    op.drop_index("ix_bot_messages_created_at", table_name="bot_messages")
    op.drop_index("ix_bot_messages_member_id", table_name="bot_messages")
    op.drop_table("bot_messages")
