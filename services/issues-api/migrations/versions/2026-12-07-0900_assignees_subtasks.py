"""责任落实到人: each unit's responsible person on an item, and the sub-tasks a unit splits its part into.

Revision ID: x0001
Revises: w0004
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "x0001"
down_revision: str | None = "w0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "issue_assignees",
        sa.Column("issue_id", sa.String(length=36), nullable=False),
        sa.Column("unit_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("named_by", sa.String(length=300), nullable=False),
        sa.Column("named_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name=op.f("fk_issue_assignees_issue_id_issues"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_issue_assignees_unit_id_units")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_issue_assignees_user_id_users")),
        sa.PrimaryKeyConstraint("issue_id", "unit_id", name=op.f("pk_issue_assignees")),
    )
    with op.batch_alter_table("issue_assignees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issue_assignees_user_id"), ["user_id"], unique=False)
    op.create_table(
        "issue_subtasks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("issue_id", sa.String(length=36), nullable=False),
        sa.Column("unit_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("assignee_id", sa.String(length=36), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name=op.f("fk_issue_subtasks_issue_id_issues"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_issue_subtasks_unit_id_units")),
        sa.ForeignKeyConstraint(["assignee_id"], ["users.id"], name=op.f("fk_issue_subtasks_assignee_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issue_subtasks")),
    )
    with op.batch_alter_table("issue_subtasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issue_subtasks_issue_id"), ["issue_id"], unique=False)
        batch_op.create_index("ix_issue_subtasks_assignee_done", ["assignee_id", "done"], unique=False)


def downgrade() -> None:
    op.drop_table("issue_subtasks")
    op.drop_table("issue_assignees")
