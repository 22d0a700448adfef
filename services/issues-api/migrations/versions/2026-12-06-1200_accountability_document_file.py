"""The decision document of an accountability record, when uploaded (its bytes in the file store by sha256).

Revision ID: w0004
Revises: w0003
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "w0004"
down_revision: str | None = "w0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accountability_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_name", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("file_type", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("file_size", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("file_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accountability_records", schema=None) as batch_op:
        batch_op.drop_column("file_sha256")
        batch_op.drop_column("file_size")
        batch_op.drop_column("file_type")
        batch_op.drop_column("file_name")
