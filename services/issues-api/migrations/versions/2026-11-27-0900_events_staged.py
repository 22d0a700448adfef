"""Staged events: writers put their events here with the change; the relay numbers and chains them into events.

Revision ID: l0004
Revises: l0003
Create Date: 2026-11-27 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "l0004"
down_revision: str | None = "l0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    json_type = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    op.create_table(
        "events_staged",
        sa.Column("staged", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), sa.Identity(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=80), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", json_type, nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("data", json_type, nullable=False),
        sa.PrimaryKeyConstraint("staged", name=op.f("pk_events_staged")),
        sa.UniqueConstraint("id", name=op.f("uq_events_staged_id")),
    )


def downgrade() -> None:
    op.drop_table("events_staged")
