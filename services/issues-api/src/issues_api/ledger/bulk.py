"""Registering many items at once (an imported ledger): the same rows and events as one create and one assign
per item, with the numbers taken in one statement and the rows and events written in a few.

The rows are written with Core inserts, not through the ORM's unit of work: thousands of mapped objects cost
more than the database does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.campaigns.models import Campaign
from issues_api.events.service import record_events
from issues_api.ledger import numbers
from issues_api.ledger.models import CoUnit, DeadlineEntry, Issue, new_id
from issues_api.ledger.schemas import AssignBody, IssueCreate
from issues_api.ledger.service import issue_code
from issues_api.ledger.state import state_of
from rectify_kit.clock import Clock
from rectify_kit.outbox import NewEvent

ISSUES, CO_UNITS, DEADLINES = (cast(Table, m.__table__) for m in (Issue, CoUnit, DeadlineEntry))


@dataclass(frozen=True)
class NewIssue:
    """One item to register: its fields (checked: the campaign, category and phase exist), its assignment (its
    units checked to exist) and the key it is known by on a later import. `lead_unit_id` without `assign`: the
    unit whose own self-inspection list it is on, which sees it while it waits (as `create_issue`'s)."""

    create: IssueCreate
    assign: AssignBody | None = None
    import_key: str | None = None
    lead_unit_id: str | None = None


@dataclass
class _Rows:
    issues: list[dict[str, Any]] = field(default_factory=list)
    co_units: list[dict[str, Any]] = field(default_factory=list)
    deadlines: list[dict[str, Any]] = field(default_factory=list)
    events: list[NewEvent] = field(default_factory=list)


def _registered(campaign: Campaign, number: int, item: NewIssue, now: datetime) -> dict[str, Any]:
    return {
        **item.create.model_dump(),
        "id": new_id(),
        "code": issue_code(campaign.code, campaign.starts_on.year, number),
        "import_key": item.import_key,
        "lead_unit_id": item.lead_unit_id,
        "deadline": None,
        "original_deadline": None,
        "status": "registered",
        "progress_percent": 0,
        "reopen_count": 0,
        "return_count": 0,
        "flagged": False,
        "satisfaction": None,
        "rating": None,
        "created_at": now,
        "updated_at": now,
        "assigned_at": None,
        "version": 1,
    }


def _assigned(row: dict[str, Any], assign: AssignBody, deadline: date, now: datetime) -> dict[str, Any]:
    """What `steps.assign` makes of a registered row (assignment.py's rules, on plain values)."""
    return {
        **row,
        "lead_unit_id": assign.lead_unit_id,
        "requirements": assign.requirements if assign.requirements is not None else row["requirements"],
        "deadline": deadline,
        "original_deadline": deadline,
        "status": "assigned",
        "assigned_at": now,
        "version": 2,
    }


def _add(rows: _Rows, row: dict[str, Any], item: NewIssue, actor: dict[str, Any], now: datetime) -> None:
    def event(type_: str, values: dict[str, Any], co: list[str], deadlines: list[tuple[date, str, datetime]]) -> None:
        state = state_of(values, co_units=[(u, "pending") for u in co], deadlines=deadlines)
        rows.events.append(NewEvent(type_, values["id"], actor, {"issue": state}, occurred_at=now))

    event("issue.created", row, [], [])
    if item.assign is None or item.assign.deadline is None:
        rows.issues.append(row)
        return
    assign, deadline = item.assign, item.assign.deadline
    row = _assigned(row, assign, deadline, now)
    co_ids = list(dict.fromkeys(u for u in assign.co_unit_ids if u != assign.lead_unit_id))
    rows.issues.append(row)
    rows.co_units += [
        {"issue_id": row["id"], "unit_id": u, "status": "pending", "position": i} for i, u in enumerate(co_ids)
    ]
    rows.deadlines.append(
        {"id": new_id(), "issue_id": row["id"], "deadline": deadline, "kind": "initial", "at": now, "position": 0}
    )
    event("issue.assigned", row, co_ids, [(deadline, "initial", now)])


async def create_many(
    session: AsyncSession, *, campaign: Campaign, items: Sequence[NewIssue], actor: dict[str, Any], clock: Clock
) -> list[str]:
    """Register `items` in order (`issue.created` each) and assign those that carry an assignment with its
    deadline (`issue.assigned`), as `actor`; the caller has checked every reference. Returns their codes."""
    if not items:
        return []
    first = await numbers.take_issue_numbers(session, campaign.id, len(items))
    now, rows = clock.now(), _Rows()
    for offset, item in enumerate(items):
        _add(rows, _registered(campaign, first + offset, item, now), item, actor, now)
    await session.execute(insert(ISSUES), rows.issues)
    if rows.co_units:
        await session.execute(insert(CO_UNITS), rows.co_units)
    if rows.deadlines:
        await session.execute(insert(DEADLINES), rows.deadlines)
    await record_events(session, rows.events)
    return [row["code"] for row in rows.issues]
