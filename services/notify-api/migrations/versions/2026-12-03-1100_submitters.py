"""submitters: the public submissions whose submitter agreed to be told, with only the contact they chose

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "submitters",
        sa.Column("intake_id", sa.String(length=36), nullable=False),
        sa.Column("issue_id", sa.String(length=36), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("tracking_code", sa.String(length=64), nullable=False),
        sa.Column("feedback_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("feedback_asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("intake_id", name=op.f("pk_submitters")),
    )
    op.create_index("ix_submitters_feedback_due_at", "submitters", ["feedback_due_at"], unique=False)
    op.create_index(op.f("ix_submitters_issue_id"), "submitters", ["issue_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_submitters_issue_id"), table_name="submitters")
    op.drop_index("ix_submitters_feedback_due_at", table_name="submitters")
    op.drop_table("submitters")
