"""The daily rollup keyed by phase too, `report_rollup_daily` (day, campaign, phase), filled again from the facts
here: a trend under a phase filter sums its rows instead of reading every fact of the campaign (350 ms at
1,000,000 issues, bench/README.md, report-api).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-11 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "report_rollup_daily"
# Each fact counts on the day it was created, closed and cancelled (readmodel/projection.py `contribution`); a fact
# without a phase rolls up under "" (NO_PHASE). The same SQL on PostgreSQL and SQLite.
DAYS = " UNION ALL ".join(
    f"SELECT {day} AS day, COALESCE(campaign_id, '') AS c, COALESCE(phase_id, '') AS p, {measures} "  # noqa: S608
    f"FROM report_issues WHERE {day} IS NOT NULL"
    for day, measures in (
        ("created_on", "1 AS cr, 0 AS cl, 0 AS ca"),
        ("closed_on", "0 AS cr, 1 AS cl, 0 AS ca"),
        ("cancelled_on", "0 AS cr, 0 AS cl, 1 AS ca"),
    )
)


def _create(*, by_phase: bool) -> None:
    phase = [sa.Column("phase_id", sa.String(length=36), nullable=False)] if by_phase else []
    op.create_table(
        TABLE,
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        *phase,
        sa.Column("created", sa.BigInteger(), nullable=False),
        sa.Column("closed", sa.BigInteger(), nullable=False),
        sa.Column("cancelled", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "campaign_id", *(c.name for c in phase), name=op.f(f"pk_{TABLE}")),
    )


def _fill(*, by_phase: bool) -> None:
    columns, keys = ("day, campaign_id, phase_id", "day, c, p") if by_phase else ("day, campaign_id", "day, c")
    op.execute(
        f"INSERT INTO {TABLE} ({columns}, created, closed, cancelled) "  # noqa: S608 - constants
        f"SELECT {keys}, SUM(cr), SUM(cl), SUM(ca) FROM ({DAYS}) AS days GROUP BY {keys}"
    )


def upgrade() -> None:
    op.drop_table(TABLE)
    _create(by_phase=True)
    _fill(by_phase=True)


def downgrade() -> None:
    op.drop_table(TABLE)
    _create(by_phase=False)
    _fill(by_phase=False)
