"""What a checked file answers: each row as the import reads it (a dry run's preview), or the rejection that
lists every row error."""

from __future__ import annotations

from issues_api.imports.errors import ImportRejected
from issues_api.imports.schemas import PreviewRow
from issues_api.imports.service import ImportPlan
from rectify_kit.field_messages import field_error


def preview(plan: ImportPlan) -> list[PreviewRow]:
    rows = []
    for check in plan.checks:
        planned, assign = check.plan, check.plan.assign if check.plan else None
        state = "invalid" if check.errors else ("existing" if check.row.number in plan.existing else "new")
        values = check.row.values
        rows.append(
            PreviewRow(
                row=check.row.number,
                state=state,
                title=values.get("title", ""),
                cause=values.get("cause") or None,
                measures=values.get("measures") or None,
                lead_unit_id=assign.lead_unit_id if assign else None,
                co_unit_ids=assign.co_unit_ids if assign else [],
                deadline=assign.deadline if assign else None,
                category_id=planned.create.category_id if planned else None,
                phase_id=planned.create.phase_id if planned else None,
            )
        )
    return rows


def rejected(plan: ImportPlan) -> ImportRejected:
    errors = plan.errors
    return ImportRejected(
        f"{len(errors)} errors in {len({e['row'] for e in errors})} rows; nothing was imported",
        errors=[field_error(f"row {e['row']}: {e['field']}", e["message"], e["message_en"]) for e in errors],
        rows=errors,
    )
