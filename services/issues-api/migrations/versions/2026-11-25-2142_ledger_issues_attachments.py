"""Ledger: issues, co-units, deadline history, extensions, progress reports, attachments

Revision ID: l0001
Revises: d0001
Create Date: 2026-11-25 21:42:59.833455
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "l0001"
down_revision: str | None = "d0001"
branch_labels: str | Sequence[str] | None = ("ledger",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # Trigram indexes serve the substring search on title and description.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "issues",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("category_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("cause", sa.Text(), nullable=True),
        sa.Column("measures", sa.Text(), nullable=True),
        sa.Column("requirements", sa.Text(), nullable=True),
        sa.Column("lead_unit_id", sa.String(length=36), nullable=True),
        sa.Column("city", sa.String(length=20), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("original_deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("progress_percent", sa.Integer(), nullable=False),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("return_count", sa.Integer(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("satisfaction", sa.Boolean(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_progress_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaigns.id"], name=op.f("fk_issues_campaign_id_campaigns")),
        sa.ForeignKeyConstraint(
            ["category_id"], ["campaign_categories.id"], name=op.f("fk_issues_category_id_campaign_categories")
        ),
        sa.ForeignKeyConstraint(["lead_unit_id"], ["units.id"], name=op.f("fk_issues_lead_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issues")),
        sa.UniqueConstraint("code", name=op.f("uq_issues_code")),
    )
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.create_index("ix_issues_campaign_id_status", ["campaign_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_issues_category_id"), ["category_id"], unique=False)
        batch_op.create_index("ix_issues_created_at_id", ["created_at", "id"], unique=False)
        batch_op.create_index(
            "ix_issues_description_trgm",
            ["description"],
            unique=False,
            postgresql_using="gin",
            postgresql_ops={"description": "gin_trgm_ops"},
        )
        batch_op.create_index("ix_issues_lead_unit_id_status", ["lead_unit_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_issues_source"), ["source"], unique=False)
        batch_op.create_index("ix_issues_status_deadline", ["status", "deadline"], unique=False)
        batch_op.create_index(
            "ix_issues_title_trgm",
            ["title"],
            unique=False,
            postgresql_using="gin",
            postgresql_ops={"title": "gin_trgm_ops"},
        )

    op.create_table(
        "issue_attachments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("issue_id", sa.String(length=36), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name=op.f("fk_issue_attachments_issue_id_issues"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issue_attachments")),
    )
    with op.batch_alter_table("issue_attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issue_attachments_issue_id"), ["issue_id"], unique=False)

    op.create_table(
        "issue_co_units",
        sa.Column("issue_id", sa.String(length=36), nullable=False),
        sa.Column("unit_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("contribution", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name=op.f("fk_issue_co_units_issue_id_issues"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_issue_co_units_unit_id_units")),
        sa.PrimaryKeyConstraint("issue_id", "unit_id", name=op.f("pk_issue_co_units")),
    )
    with op.batch_alter_table("issue_co_units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issue_co_units_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "issue_deadlines",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("issue_id", sa.String(length=36), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name=op.f("fk_issue_deadlines_issue_id_issues"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issue_deadlines")),
    )
    with op.batch_alter_table("issue_deadlines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issue_deadlines_issue_id"), ["issue_id"], unique=False)

    op.create_table(
        "issue_extensions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("issue_id", sa.String(length=36), nullable=False),
        sa.Column("new_deadline", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_by", sa.String(length=80), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name=op.f("fk_issue_extensions_issue_id_issues"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issue_extensions")),
    )
    with op.batch_alter_table("issue_extensions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issue_extensions_issue_id"), ["issue_id"], unique=False)

    op.create_table(
        "issue_progress",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("issue_id", sa.String(length=36), nullable=False),
        sa.Column("unit_id", sa.String(length=36), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("reported_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["issues.id"], name=op.f("fk_issue_progress_issue_id_issues"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issue_progress")),
    )
    with op.batch_alter_table("issue_progress", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issue_progress_issue_id"), ["issue_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("issue_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issue_progress_issue_id"))

    op.drop_table("issue_progress")
    with op.batch_alter_table("issue_extensions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issue_extensions_issue_id"))

    op.drop_table("issue_extensions")
    with op.batch_alter_table("issue_deadlines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issue_deadlines_issue_id"))

    op.drop_table("issue_deadlines")
    with op.batch_alter_table("issue_co_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issue_co_units_unit_id"))

    op.drop_table("issue_co_units")
    with op.batch_alter_table("issue_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issue_attachments_issue_id"))

    op.drop_table("issue_attachments")
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.drop_index("ix_issues_title_trgm", postgresql_using="gin", postgresql_ops={"title": "gin_trgm_ops"})
        batch_op.drop_index("ix_issues_status_deadline")
        batch_op.drop_index(batch_op.f("ix_issues_source"))
        batch_op.drop_index("ix_issues_lead_unit_id_status")
        batch_op.drop_index(
            "ix_issues_description_trgm", postgresql_using="gin", postgresql_ops={"description": "gin_trgm_ops"}
        )
        batch_op.drop_index("ix_issues_created_at_id")
        batch_op.drop_index(batch_op.f("ix_issues_category_id"))
        batch_op.drop_index("ix_issues_campaign_id_status")

    op.drop_table("issues")
