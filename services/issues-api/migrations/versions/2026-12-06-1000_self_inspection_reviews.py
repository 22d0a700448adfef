"""自查自纠: the office's review of each item a unit filed on its own list (pending, sent back, confirmed).

Revision ID: w0002
Revises: w0001
Create Date: 2026-12-06 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "w0002"
down_revision: str | None = "w0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "self_inspection_reviews",
        sa.Column("issue_id", sa.String(length=36), nullable=False),
        sa.Column("unit_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("filed_by", sa.String(length=300), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=300), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name=op.f("fk_self_inspection_reviews_issue_id_issues"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_self_inspection_reviews_unit_id_units")),
        sa.PrimaryKeyConstraint("issue_id", name=op.f("pk_self_inspection_reviews")),
    )
    with op.batch_alter_table("self_inspection_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_self_inspection_reviews_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_self_inspection_reviews_unit_id"), ["unit_id"], unique=False)


def downgrade() -> None:
    op.drop_table("self_inspection_reviews")
