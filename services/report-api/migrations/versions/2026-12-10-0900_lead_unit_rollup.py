"""A rollup by lead unit and status, `report_rollup_lead_unit`, filled from the facts here: the unit ranking of
everything sums its few hundred rows instead of `report_rollup_unit`'s (campaign, phase, lead unit, status)
thousands (bench/README.md, report-api).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-10 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEASURES = [
    "n", "on_time", "on_time_original", "sat_yes", "sat_answered", "dissatisfied", "appeals", "reopen_sum", "wd_sum",
    "wd_n", "with_deadline",
]  # fmt: skip
# Each measure as the read model sums a fact's contribution (readmodel/projection.py `contribution`); the same
# SQL on PostgreSQL and SQLite (as in 0010).
SUMS = """
    COUNT(*),
    SUM(CASE WHEN on_time THEN 1 ELSE 0 END),
    SUM(CASE WHEN on_time_original THEN 1 ELSE 0 END),
    SUM(CASE WHEN satisfaction THEN 1 ELSE 0 END),
    COUNT(satisfaction),
    SUM(CASE WHEN (NOT satisfaction) OR rating <= 2 THEN 1 ELSE 0 END),
    COALESCE(SUM(appeals), 0),
    COALESCE(SUM(reopen_count), 0),
    COALESCE(SUM(assign_to_close_wd), 0),
    COUNT(assign_to_close_wd),
    COUNT(deadline)
"""
TABLE = "report_rollup_lead_unit"


def upgrade() -> None:
    defaulted = ("dissatisfied", "appeals")  # as in the other status rollups
    op.create_table(
        TABLE,
        sa.Column("lead_unit_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        *[
            sa.Column(m, sa.BigInteger(), nullable=False, server_default="0" if m in defaulted else None)
            for m in MEASURES
        ],
        sa.PrimaryKeyConstraint("lead_unit_id", "status", name=op.f(f"pk_{TABLE}")),
    )
    # A fact without a lead unit rolls up under "" (NO_UNIT).
    keys = "COALESCE(lead_unit_id, ''), status"
    op.execute(
        f"INSERT INTO {TABLE} (lead_unit_id, status, {', '.join(MEASURES)}) "  # noqa: S608 - constant names
        f"SELECT {keys}, {SUMS} FROM report_issues GROUP BY {keys}"
    )


def downgrade() -> None:
    op.drop_table(TABLE)
