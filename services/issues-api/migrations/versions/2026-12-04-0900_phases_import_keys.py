"""Every item belongs to a phase of its campaign; an imported row is known by its import key; import jobs.

Items registered before get the phase running on the day they were registered (Asia/Shanghai), as new ones do
(ledger/phases.py).

Revision ID: o0001
Revises: s0001, l0004 (joins the two lines of history into one head)
Create Date: 2026-12-04 09:00:00
"""

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "o0001"
down_revision: str | tuple[str, ...] | None = ("s0001", "l0004")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")


def _phase_on(phases: list[tuple[str, date, date]], day: date) -> str | None:
    """As ledger/phases.py: the phase running on `day`, else the last begun, else the first."""
    if not phases:
        return None
    running = [p for p in phases if p[1] <= day <= p[2]]
    if running:
        return running[-1][0]
    begun = [p for p in phases if p[1] <= day]
    return begun[-1][0] if begun else phases[0][0]


def _day(value: object) -> date:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(BUSINESS_TZ).date()


def _backfill_phases() -> None:
    bind = op.get_bind()
    phases: dict[str, list[tuple[str, date, date]]] = {}
    rows = bind.execute(
        sa.text("SELECT id, campaign_id, starts_on, ends_on FROM campaign_phases ORDER BY starts_on, position")
    )
    for phase_id, campaign_id, starts_on, ends_on in rows:
        phases.setdefault(campaign_id, []).append(
            (phase_id, date.fromisoformat(str(starts_on)[:10]), date.fromisoformat(str(ends_on)[:10]))
        )
    updates = []
    for issue_id, campaign_id, created_at in bind.execute(sa.text("SELECT id, campaign_id, created_at FROM issues")):
        phase_id = _phase_on(phases.get(campaign_id, []), _day(created_at))
        if phase_id is not None:
            updates.append({"id": issue_id, "phase_id": phase_id})
    if updates:
        bind.execute(sa.text("UPDATE issues SET phase_id = :phase_id WHERE id = :id"), updates)


def upgrade() -> None:
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phase_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("import_key", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_issues_phase_id_campaign_phases"), "campaign_phases", ["phase_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_issues_phase_id"), ["phase_id"], unique=False)
        batch_op.create_index("ux_issues_campaign_import_key", ["campaign_id", "import_key"], unique=True)
    _backfill_phases()
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("existing", sa.Integer(), nullable=False),
        sa.Column("created", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("actor", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], name=op.f("fk_import_jobs_campaign_id_campaigns")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_jobs")),
    )
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_jobs_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_jobs_created_by"), ["created_by"], unique=False)


def downgrade() -> None:
    op.drop_table("import_jobs")
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.drop_index("ux_issues_campaign_import_key")
        batch_op.drop_index(batch_op.f("ix_issues_phase_id"))
        batch_op.drop_constraint(batch_op.f("fk_issues_phase_id_campaign_phases"), type_="foreignkey")
        batch_op.drop_column("import_key")
        batch_op.drop_column("phase_id")
