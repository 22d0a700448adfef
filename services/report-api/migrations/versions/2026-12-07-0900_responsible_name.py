"""责任人: the lead unit's responsible person by name on each fact, from `issue.responsible_named` (the overdue list
names the person beside the unit).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report_issues", schema=None) as batch_op:
        batch_op.add_column(sa.Column("responsible_name", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report_issues", schema=None) as batch_op:
        batch_op.drop_column("responsible_name")
