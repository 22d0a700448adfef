"""deliveries.user_id up to 64 characters: a submitter's messages go to `submitter:<submission id>` (46), which
PostgreSQL refused at 36 and so stopped notify-api's feed consumer at the first message to a citizen

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.String(36), type_=sa.String(64), existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.String(64), type_=sa.String(36), existing_nullable=True)
