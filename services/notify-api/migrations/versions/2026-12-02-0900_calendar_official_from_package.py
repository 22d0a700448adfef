"""calendar: the official schedule is read from chinese-calendar (through the kit), not copied into calendar_days

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The copies of the package's schedule; admin overrides stay.
    op.execute(sa.text("DELETE FROM calendar_days WHERE source = 'official'"))


def downgrade() -> None:
    # The previous version copies a year's schedule when it first sees it: forget the package's years so that
    # its start-up seeds them again (years an admin declared complete keep their overrides).
    op.execute(sa.text("DELETE FROM calendar_years WHERE source = 'chinese_calendar'"))
