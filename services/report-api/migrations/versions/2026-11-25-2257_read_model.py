"""report-api read model: facts per issue, their units, escalations, names, rollups, meeting snapshots

Revision ID: 0001
Revises:
Create Date: 2026-11-25 22:57:54.006110
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feed_cursors",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("head", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_feed_cursors")),
    )
    op.create_table(
        "report_campaigns",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_campaigns")),
    )
    op.create_table(
        "report_categories",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_categories")),
    )
    op.create_table(
        "report_escalations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("issue_id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=True),
        sa.Column("unit_id", sa.String(length=36), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_escalations")),
    )
    with op.batch_alter_table("report_escalations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_escalations_issue_id"), ["issue_id"], unique=False)

    op.create_table(
        "report_issue_units",
        sa.Column("issue_id", sa.String(length=36), nullable=False),
        sa.Column("unit_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("issue_id", "unit_id", name=op.f("pk_report_issue_units")),
    )
    with op.batch_alter_table("report_issue_units", schema=None) as batch_op:
        batch_op.create_index("ix_report_issue_units_unit_id", ["unit_id"], unique=False)

    op.create_table(
        "report_issues",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.Column("campaign_id", sa.String(length=36), nullable=True),
        sa.Column("category_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=True),
        sa.Column("city", sa.String(length=32), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("cause", sa.Text(), nullable=True),
        sa.Column("measures", sa.Text(), nullable=True),
        sa.Column("lead_unit_id", sa.String(length=36), nullable=True),
        sa.Column("co_unit_ids", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("progress_percent", sa.Integer(), nullable=False),
        sa.Column("latest_progress", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("cancelled_on", sa.Date(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("original_deadline", sa.Date(), nullable=True),
        sa.Column("open_deadline", sa.Date(), nullable=True),
        sa.Column("deadline_history", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("return_count", sa.Integer(), nullable=False),
        sa.Column("reject_count", sa.Integer(), nullable=False),
        sa.Column("satisfaction", sa.Boolean(), nullable=True),
        sa.Column("max_escalation_level", sa.Integer(), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("on_time_original", sa.Boolean(), nullable=True),
        sa.Column("assign_to_close_wd", sa.Integer(), nullable=True),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_issues")),
    )
    with op.batch_alter_table("report_issues", schema=None) as batch_op:
        batch_op.create_index("ix_report_issues_campaign_created_on", ["campaign_id", "created_on"], unique=False)
        batch_op.create_index("ix_report_issues_campaign_open_deadline", ["campaign_id", "open_deadline"], unique=False)
        batch_op.create_index("ix_report_issues_closed_on", ["closed_on"], unique=False)
        batch_op.create_index("ix_report_issues_lead_open_deadline", ["lead_unit_id", "open_deadline"], unique=False)
        batch_op.create_index("ix_report_issues_open_deadline", ["open_deadline"], unique=False)

    op.create_table(
        "report_meetings",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("as_of_seq", sa.BigInteger(), nullable=False),
        sa.Column("snapshot", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_meetings")),
    )
    with op.batch_alter_table("report_meetings", schema=None) as batch_op:
        batch_op.create_index("ix_report_meetings_campaign_created", ["campaign_id", "created_at"], unique=False)

    op.create_table(
        "report_rollup_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("created", sa.BigInteger(), nullable=False),
        sa.Column("closed", sa.BigInteger(), nullable=False),
        sa.Column("cancelled", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "campaign_id", name=op.f("pk_report_rollup_daily")),
    )
    op.create_table(
        "report_rollup_status",
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("lead_unit_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.Column("on_time", sa.BigInteger(), nullable=False),
        sa.Column("on_time_original", sa.BigInteger(), nullable=False),
        sa.Column("sat_yes", sa.BigInteger(), nullable=False),
        sa.Column("sat_answered", sa.BigInteger(), nullable=False),
        sa.Column("reopen_sum", sa.BigInteger(), nullable=False),
        sa.Column("wd_sum", sa.BigInteger(), nullable=False),
        sa.Column("wd_n", sa.BigInteger(), nullable=False),
        sa.Column("with_deadline", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "campaign_id", "lead_unit_id", "source", "status", name=op.f("pk_report_rollup_status")
        ),
    )
    op.create_table(
        "report_units",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_units")),
    )


def downgrade() -> None:
    op.drop_table("report_units")
    op.drop_table("report_rollup_status")
    op.drop_table("report_rollup_daily")
    with op.batch_alter_table("report_meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_report_meetings_campaign_created")

    op.drop_table("report_meetings")
    with op.batch_alter_table("report_issues", schema=None) as batch_op:
        batch_op.drop_index("ix_report_issues_open_deadline")
        batch_op.drop_index("ix_report_issues_lead_open_deadline")
        batch_op.drop_index("ix_report_issues_closed_on")
        batch_op.drop_index("ix_report_issues_campaign_open_deadline")
        batch_op.drop_index("ix_report_issues_campaign_created_on")

    op.drop_table("report_issues")
    with op.batch_alter_table("report_issue_units", schema=None) as batch_op:
        batch_op.drop_index("ix_report_issue_units_unit_id")

    op.drop_table("report_issue_units")
    with op.batch_alter_table("report_escalations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_escalations_issue_id"))

    op.drop_table("report_escalations")
    op.drop_table("report_categories")
    op.drop_table("report_campaigns")
    op.drop_table("feed_cursors")
