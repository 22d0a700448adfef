"""escalation policies: who set each (admin or the campaign file), and the policy each campaign file last carried

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every policy stored before this came from an admin's PUT.
    with op.batch_alter_table("escalation_policies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=10), server_default="admin", nullable=False))
    op.create_table(
        "campaign_policy_files",
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("policy", sa.String(length=80), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("campaign_id", name=op.f("pk_campaign_policy_files")),
    )


def downgrade() -> None:
    op.drop_table("campaign_policy_files")
    with op.batch_alter_table("escalation_policies", schema=None) as batch_op:
        batch_op.drop_column("source")
