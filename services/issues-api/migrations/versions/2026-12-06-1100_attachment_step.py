"""Evidence files: each attachment names the step it proves (progress, completion, other).

Revision ID: w0003
Revises: w0002
Create Date: 2026-12-06 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "w0003"
down_revision: str | None = "w0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("issue_attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("step", sa.String(length=20), server_default="other", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("issue_attachments", schema=None) as batch_op:
        batch_op.drop_column("step")
