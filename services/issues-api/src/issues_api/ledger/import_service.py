"""Importing a ledger: validate every row first, then create (and assign) the issues all at once, or none."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.campaigns.models import Category
from issues_api.directory.models import Unit
from issues_api.ledger import repository, steps
from issues_api.ledger.access import Viewer
from issues_api.ledger.errors import invalid_reference
from issues_api.ledger.importing import SheetRow
from issues_api.ledger.schemas import AssignBody, IssueCreate
from issues_api.ledger.service import create_issue
from rectify_kit.clock import Clock
from rectify_kit.errors import Forbidden

IMPORTERS = frozenset({"office", "admin"})
SEPARATORS = re.compile(r"[、,，;；/\s]+")


@dataclass
class PlannedIssue:
    row: int
    create: IssueCreate
    assign: AssignBody | None


@dataclass
class ImportReport:
    dry_run: bool
    rows: int
    created: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


async def _lookups(session: AsyncSession, campaign_id: str) -> tuple[dict[str, str], dict[str, str]]:
    units: dict[str, str] = {}
    for unit in (await session.execute(select(Unit))).scalars():
        units[unit.code] = units[unit.name] = unit.id
    categories: dict[str, str] = {}
    for cat in (await session.execute(select(Category).where(Category.campaign_id == campaign_id))).scalars():
        categories[cat.code] = categories[cat.name] = cat.id
    return units, categories


def _plan_row(
    row: SheetRow, *, campaign_id: str, units: dict[str, str], categories: dict[str, str]
) -> tuple[PlannedIssue | None, list[dict[str, Any]]]:
    v, errors = row.values, []

    def err(field_: str, message: str) -> None:
        errors.append({"row": row.number, "field": field_, "message": message})

    category_id = categories.get(v.get("category", "")) if v.get("category") else None
    if v.get("category") and category_id is None:
        err("category", f"unknown category: {v['category']}")
    lead = units.get(v.get("lead_unit", "")) if v.get("lead_unit") else None
    if v.get("lead_unit") and lead is None:
        err("lead_unit", f"unknown unit: {v['lead_unit']}")
    co_names = [n for n in SEPARATORS.split(v.get("co_units", "")) if n]
    for name in (n for n in co_names if n not in units):
        err("co_units", f"unknown unit: {name}")
    deadline = None
    if v.get("deadline"):
        try:
            deadline = date.fromisoformat(v["deadline"].replace("/", "-").replace(".", "-")[:10])
        except ValueError:
            err("deadline", f"not a date (YYYY-MM-DD): {v['deadline']}")
    if (lead is None) != (deadline is None) and not errors:
        err("deadline" if deadline is None else "lead_unit", "lead unit and deadline go together")
    payload = {
        "campaign_id": campaign_id,
        "title": v.get("title", ""),
        "description": v.get("description") or v.get("title", ""),
        "kind": v.get("kind") or "problem",
        "source": v.get("source") or "self_inspection",
        "category_id": category_id,
        **{k: v.get(k) or None for k in ("cause", "measures", "requirements", "city")},
    }
    try:
        create = IssueCreate(**payload)
    except ValidationError as exc:
        for e in exc.errors():
            name = ".".join(str(p) for p in e["loc"])
            if name != "description" or v.get("description"):  # a defaulted description fails with its title
                err(name, e["msg"])
    if errors:
        return None, errors
    assign = None
    if lead is not None and deadline is not None:
        assign = AssignBody(lead_unit_id=lead, co_unit_ids=[units[n] for n in co_names], deadline=deadline)
    return PlannedIssue(row=row.number, create=create, assign=assign), []


async def import_ledger(
    session: AsyncSession, *, campaign_id: str, rows: list[SheetRow], dry_run: bool, viewer: Viewer, clock: Clock
) -> ImportReport:
    """Validate every row; unless `dry_run` or any row fails, create each issue (`issue.created`) and assign
    those that name a lead unit and a deadline (`issue.assigned`)."""
    if viewer.role not in IMPORTERS:
        raise Forbidden("only the office may import a ledger")
    if await repository.get_campaign(session, campaign_id) is None:
        raise invalid_reference("campaign_id", "no such campaign")
    units, categories = await _lookups(session, campaign_id)
    report = ImportReport(dry_run=dry_run, rows=len(rows))
    planned = []
    for row in rows:
        plan, errors = _plan_row(row, campaign_id=campaign_id, units=units, categories=categories)
        report.errors += errors
        if plan is not None:
            planned.append(plan)
    if dry_run or report.errors:
        return report
    for plan in planned:
        issue = await create_issue(session, data=plan.create, actor=viewer.actor, clock=clock)
        if plan.assign is not None:
            issue = await steps.assign(session, issue_id=issue.id, body=plan.assign, viewer=viewer, clock=clock)
        report.created.append(issue.code)
    return report
