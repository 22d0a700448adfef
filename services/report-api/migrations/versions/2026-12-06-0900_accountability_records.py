"""Accountability records (约谈, 通报批评, 问责 …) from issues-api's `accountability.recorded`, for the meeting
material.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_accountability_records",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("unit_id", sa.String(length=36), nullable=False),
        sa.Column("issue_ids", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_accountability_records")),
    )
    op.create_index(
        "ix_report_accountability_campaign_decided",
        "report_accountability_records",
        ["campaign_id", "decided_on"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_report_accountability_campaign_decided", table_name="report_accountability_records")
    op.drop_table("report_accountability_records")
