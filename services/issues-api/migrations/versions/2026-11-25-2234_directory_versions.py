"""Units and users get a version, the ETag that PATCH checks with If-Match.

Revision ID: d0004
Revises: d0003
Create Date: 2026-11-25 22:34:32.017939
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d0004"
down_revision: str | None = "d0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("version")

    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_column("version")
