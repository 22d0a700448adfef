"""A client bound to units (scope issues:act) carries them in its tokens: report-api keeps the units of each
client from the directory events, so that such a token is checked like any other instead of refused.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report_clients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_ids", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("report_clients", schema=None) as batch_op:
        batch_op.drop_column("unit_ids")
