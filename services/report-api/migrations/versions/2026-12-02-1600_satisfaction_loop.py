"""The satisfaction loop's figures: a fact's rating and appeals; rollups of the not satisfied and the appeals.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ROLLUP = "report_rollup_status"
_KEYS = ("campaign_id", "lead_unit_id", "source", "status")


def upgrade() -> None:
    with op.batch_alter_table("report_issues", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rating", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("appeals", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table(_ROLLUP, schema=None) as batch_op:
        batch_op.add_column(sa.Column("dissatisfied", sa.BigInteger(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("appeals", sa.BigInteger(), server_default="0", nullable=False))
    # Facts kept so far know only satisfaction (their rating comes with the next event): the rollup
    # counts their "not satisfied" now, so that it matches the facts.
    same_group = " AND ".join(f"COALESCE(f.{k}, '') = {_ROLLUP}.{k}" for k in _KEYS)
    op.execute(
        f"UPDATE {_ROLLUP} SET dissatisfied = "  # noqa: S608 (constant names only)
        f"(SELECT COUNT(*) FROM report_issues AS f WHERE {same_group} AND f.satisfaction = false)"
    )


def downgrade() -> None:
    with op.batch_alter_table(_ROLLUP, schema=None) as batch_op:
        batch_op.drop_column("appeals")
        batch_op.drop_column("dissatisfied")
    with op.batch_alter_table("report_issues", schema=None) as batch_op:
        batch_op.drop_column("appeals")
        batch_op.drop_column("rating")
