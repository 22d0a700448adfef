"""report-api keeps the calendar overrides notify-api publishes, to count working days on the same calendar.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_calendar_overrides",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_working", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_report_calendar_overrides")),
    )


def downgrade() -> None:
    op.drop_table("report_calendar_overrides")
