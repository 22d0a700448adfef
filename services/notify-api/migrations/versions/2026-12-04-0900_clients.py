"""clients: integration clients as issues-api's `client.*` events describe them (scopes, bound units, active),
which their webhook subscriptions receive by; a subscription's owner id as long as a client id (80)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    op.create_table(
        "clients",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("scopes", json, nullable=False),
        sa.Column("unit_ids", json, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clients")),
    )
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.alter_column(
            "owner_client_id", existing_type=sa.String(length=36), type_=sa.String(length=80), existing_nullable=True
        )


def downgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions", schema=None) as batch_op:
        batch_op.alter_column(
            "owner_client_id", existing_type=sa.String(length=80), type_=sa.String(length=36), existing_nullable=True
        )
    op.drop_table("clients")
