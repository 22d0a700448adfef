"""Accountability records (约谈, 通报批评, 问责 …): what was decided about a unit and the issues it concerned.

Revision ID: w0001
Revises: v0001
Create Date: 2026-12-06 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "w0001"
down_revision: str | None = "v0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accountability_records",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("unit_id", sa.String(length=36), nullable=False),
        sa.Column("issue_ids", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_accountability_records_campaign_id_campaigns")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_accountability_records_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_records")),
    )
    with op.batch_alter_table("accountability_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accountability_records_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index("ix_accountability_records_unit_decided", ["unit_id", "decided_on"], unique=False)


def downgrade() -> None:
    op.drop_table("accountability_records")
