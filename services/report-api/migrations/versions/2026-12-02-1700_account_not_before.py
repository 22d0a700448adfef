"""Tokens issued before an account's last password change or secret rotation are void: report-api keeps
`not_before` of users and the state of integration clients from the directory events.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report_accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("not_before", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "report_clients",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("scopes", sa.Text(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_clients")),
    )


def downgrade() -> None:
    op.drop_table("report_clients")
    with op.batch_alter_table("report_accounts", schema=None) as batch_op:
        batch_op.drop_column("not_before")
