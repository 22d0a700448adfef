"""Indexes in the list's order: campaign, lead unit or status, then created_at and id for keyset pages

Revision ID: l0003
Revises: l0002
Create Date: 2026-11-25 23:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "l0003"
down_revision: str | None = "l0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The new indexes start with the columns of the old two-column ones, which they replace.


def upgrade() -> None:
    op.drop_index("ix_issues_campaign_id_status", table_name="issues")
    op.drop_index("ix_issues_lead_unit_id_status", table_name="issues")
    op.create_index("ix_issues_campaign_status_created", "issues", ["campaign_id", "status", "created_at", "id"])
    op.create_index("ix_issues_lead_status_created", "issues", ["lead_unit_id", "status", "created_at", "id"])
    op.create_index("ix_issues_status_created", "issues", ["status", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_issues_status_created", table_name="issues")
    op.drop_index("ix_issues_lead_status_created", table_name="issues")
    op.drop_index("ix_issues_campaign_status_created", table_name="issues")
    op.create_index("ix_issues_lead_unit_id_status", "issues", ["lead_unit_id", "status"])
    op.create_index("ix_issues_campaign_id_status", "issues", ["campaign_id", "status"])
