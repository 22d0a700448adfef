"""Users and clients remember when their password or secret last changed: older tokens are void.

Revision ID: d0005
Revises: d0004
Create Date: 2026-11-26 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d0005"
down_revision: str | None = "d0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("users", "clients"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("credentials_changed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for table in ("clients", "users"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("credentials_changed_at")
