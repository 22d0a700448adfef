"""webhooks: subscriptions of integration clients (owner, its scopes and units), campaign and unit filters,
and a previous secret valid for a while after a rotation

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LISTS = ("campaign_ids", "unit_ids", "owner_scopes", "owner_unit_ids")


def upgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("previous_secret", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("previous_secret_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("owner_client_id", sa.String(length=36), nullable=True))
        for name in LISTS:
            json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
            batch_op.add_column(sa.Column(name, json, server_default="[]", nullable=False))
        batch_op.create_index("ix_webhook_subscriptions_owner_client_id", ["owner_client_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_subscriptions_owner_client_id")
        for name in reversed(LISTS):
            batch_op.drop_column(name)
        batch_op.drop_column("owner_client_id")
        batch_op.drop_column("previous_secret_until")
        batch_op.drop_column("previous_secret")
