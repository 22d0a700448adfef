"""Rollups keyed by phase: `report_rollup_phase` (campaign, phase, status) and `report_rollup_unit` (campaign, phase,
lead unit, status), filled from the facts here; and an index that counts open issues not yet due by campaign, phase
and lead unit on its own (it replaces the one on `open_deadline` alone).

The summary, a phase's figures, the per-phase breakdown and the unit ranking then sum a few hundred or thousand
rollup rows instead of a campaign's or a phase's facts (bench/README.md, report-api).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-09 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEASURES = [
    "n", "on_time", "on_time_original", "sat_yes", "sat_answered", "dissatisfied", "appeals", "reopen_sum", "wd_sum",
    "wd_n", "with_deadline",
]  # fmt: skip
# Each measure as the read model sums a fact's contribution (readmodel/projection.py `contribution`); the same
# SQL on PostgreSQL and SQLite.
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
KEYS = {
    "report_rollup_phase": {"campaign_id": 36, "phase_id": 36, "status": 20},
    "report_rollup_unit": {"campaign_id": 36, "phase_id": 36, "lead_unit_id": 36, "status": 20},
}


def measure_columns() -> list[sa.Column[int]]:
    defaulted = ("dissatisfied", "appeals")  # as in report_rollup_status, which gained them later
    return [
        sa.Column(m, sa.BigInteger(), nullable=False, server_default="0" if m in defaulted else None) for m in MEASURES
    ]


def upgrade() -> None:
    for table, keys in KEYS.items():
        op.create_table(
            table,
            *[sa.Column(key, sa.String(length=length), nullable=False) for key, length in keys.items()],
            *measure_columns(),
            sa.PrimaryKeyConstraint(*keys, name=op.f(f"pk_{table}")),
        )
        # A fact's NULL campaign, phase or lead unit rolls up under "" (NO_UNIT, NO_PHASE).
        selected = ", ".join(k if k == "status" else f"COALESCE({k}, '')" for k in keys)
        op.execute(
            f"INSERT INTO {table} ({', '.join(keys)}, {', '.join(MEASURES)}) "  # noqa: S608 - constant names
            f"SELECT {selected}, {SUMS} FROM report_issues GROUP BY {selected}"
        )
    with op.batch_alter_table("report_issues", schema=None) as batch_op:
        batch_op.drop_index("ix_report_issues_open_deadline")
        batch_op.create_index(
            "ix_report_issues_open_deadline_keys",
            ["open_deadline", "campaign_id", "phase_id", "lead_unit_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("report_issues", schema=None) as batch_op:
        batch_op.drop_index("ix_report_issues_open_deadline_keys")
        batch_op.create_index("ix_report_issues_open_deadline", ["open_deadline"], unique=False)
    op.drop_table("report_rollup_unit")
    op.drop_table("report_rollup_phase")
