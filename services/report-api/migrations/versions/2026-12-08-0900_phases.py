"""Phases (阶段): each fact's `phase_id` as the Issue payload carries it, and every campaign's phases by name and
dates from the Campaign payload (the phase filter, the summary's per-phase breakdown, the meeting's phase table).

Facts read before this revision have no phase until the read model is rebuilt (`python -m report_api rebuild`).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report_issues", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phase_id", sa.String(length=36), nullable=True))
        batch_op.create_index("ix_report_issues_campaign_phase", ["campaign_id", "phase_id"], unique=False)
    op.create_table(
        "report_phases",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_report_phases_campaign_id", "report_phases", ["campaign_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_report_phases_campaign_id", table_name="report_phases")
    op.drop_table("report_phases")
    with op.batch_alter_table("report_issues", schema=None) as batch_op:
        batch_op.drop_index("ix_report_issues_campaign_phase")
        batch_op.drop_column("phase_id")
