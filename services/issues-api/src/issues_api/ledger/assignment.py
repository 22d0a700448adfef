"""What assigning an item changes on it, once its units are known to exist (steps.py and bulk.py share it)."""

from __future__ import annotations

from datetime import date, datetime

from issues_api.ledger.models import CoUnit, DeadlineEntry, Issue
from issues_api.ledger.schemas import AssignBody


def place_units(issue: Issue, body: AssignBody) -> None:
    """Lead and co-units; a co-unit that stays keeps its progress, the lead is never its own co-unit."""
    co_ids = list(dict.fromkeys(u for u in body.co_unit_ids if u != body.lead_unit_id))
    kept = {c.unit_id: c for c in issue.co_units if c.unit_id in co_ids}
    issue.co_units = [kept.get(u) or CoUnit(unit_id=u, status="pending") for u in co_ids]
    for position, co_unit in enumerate(issue.co_units):
        co_unit.position = position
    issue.lead_unit_id = body.lead_unit_id
    if body.requirements is not None:
        issue.requirements = body.requirements


def add_deadline(issue: Issue, deadline: date, kind: str, at: datetime) -> None:
    """The deadline in force from now on, kept in the item's deadline history."""
    issue.deadline = deadline
    if issue.original_deadline is None:
        issue.original_deadline = deadline
    issue.deadlines.append(DeadlineEntry(deadline=deadline, kind=kind, at=at, position=len(issue.deadlines)))
