"""Public intake, second wave: consent to be told, folding and limits, their own text back, the satisfaction
loop (不满意待处理, one appeal) and every public reply (公开答复) kept, on a submission or on an issue.

Revision ID: c0001
Revises: d0006
Create Date: 2026-11-27 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0001"
down_revision: str | None = "d0006"
branch_labels: str | Sequence[str] | None = None
# public_replies points at issues (the ledger's branch).
depends_on: str | Sequence[str] | None = "l0003"

_COLUMNS = (
    sa.Column("notify_by", sa.String(length=10), nullable=True),
    sa.Column("address_hash", sa.String(length=64), nullable=True),
    sa.Column("content_hash", sa.String(length=64), nullable=True),
    sa.Column("sealed_code", sa.String(length=32), nullable=True),
    sa.Column("reveal_failures", sa.Integer(), server_default="0", nullable=False),
    sa.Column("reveal_window_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("followup", sa.String(length=20), nullable=True),
    sa.Column("followup_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("appealed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("appeal_reason", sa.Text(), nullable=True),
)


def upgrade() -> None:
    with op.batch_alter_table("intake_submissions", schema=None) as batch_op:
        for column in _COLUMNS:
            batch_op.add_column(column)
        batch_op.create_index("ix_intake_submissions_address_submitted", ["address_hash", "submitted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_intake_submissions_followup"), ["followup"], unique=False)
    op.create_table(
        "public_replies",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=True),
        sa.Column("issue_id", sa.String(length=36), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name=op.f("fk_public_replies_issue_id_issues"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["intake_submissions.id"],
            name=op.f("fk_public_replies_submission_id_intake_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_replies")),
    )
    with op.batch_alter_table("public_replies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_replies_issue_id"), ["issue_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_public_replies_submission_id"), ["submission_id"], unique=False)
    # The one reply a submission had so far becomes the first of its replies (its id: the submission's).
    op.execute(
        "INSERT INTO public_replies (id, submission_id, issue_id, content, created_at, created_by) "
        "SELECT id, id, NULL, public_reply, COALESCE(decided_at, submitted_at), decided_by "
        "FROM intake_submissions WHERE public_reply IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("public_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_replies_submission_id"))
        batch_op.drop_index(batch_op.f("ix_public_replies_issue_id"))
    op.drop_table("public_replies")
    with op.batch_alter_table("intake_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_submissions_followup"))
        batch_op.drop_index("ix_intake_submissions_address_submitted")
        for column in reversed(_COLUMNS):
            batch_op.drop_column(column.name)
