"""Public intake: the submissions table (tracking codes stored hashed).

Revision ID: d0002
Revises: d0001
Create Date: 2026-11-25 22:02:27.488761
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d0002"
down_revision: str | None = "d0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "intake_submissions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("tracking_hash", sa.String(length=64), nullable=False),
        sa.Column("code_hint", sa.String(length=4), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("category_id", sa.String(length=36), nullable=True),
        sa.Column("city", sa.String(length=20), nullable=True),
        sa.Column("enterprise_name", sa.String(length=200), nullable=True),
        sa.Column("contact_name", sa.String(length=100), nullable=True),
        sa.Column("contact_phone", sa.String(length=40), nullable=True),
        sa.Column("contact_email", sa.String(length=200), nullable=True),
        sa.Column("issue_id", sa.String(length=36), nullable=True),
        sa.Column("public_reply", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("satisfied", sa.Boolean(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("feedback_comment", sa.Text(), nullable=True),
        sa.Column("feedback_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["campaign_categories.id"],
            name=op.f("fk_intake_submissions_category_id_campaign_categories"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_submissions")),
        sa.UniqueConstraint("tracking_hash", name=op.f("uq_intake_submissions_tracking_hash")),
    )
    with op.batch_alter_table("intake_submissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intake_submissions_issue_id"), ["issue_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_intake_submissions_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("intake_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_submissions_status"))
        batch_op.drop_index(batch_op.f("ix_intake_submissions_issue_id"))

    op.drop_table("intake_submissions")
