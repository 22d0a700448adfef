"""The issue's state as events carry it (docs/events.md) and as the API shows it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from issues_api.ledger.models import Issue
from issues_api.ledger.records import IssueRecord
from issues_api.ledger.schemas import IssueDetail, IssueOut
from issues_api.ledger.workflow import OPEN_STATUSES, Action


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


# The issue's own fields as events carry them (dates and times become ISO strings).
FIELDS = (
    "id", "code", "campaign_id", "category_id", "phase_id", "kind", "source", "title", "description", "cause",
    "measures", "requirements", "lead_unit_id", "city", "deadline", "original_deadline", "status",
    "progress_percent", "reopen_count", "return_count", "flagged", "satisfaction", "rating", "created_at",
    "assigned_at", "accepted_at", "submitted_at", "closed_at", "cancelled_at", "last_progress_at", "version",
)  # fmt: skip


def state_of(
    values: Mapping[str, Any],
    *,
    co_units: Sequence[tuple[str, str]],
    deadlines: Sequence[tuple[date, str, datetime]],
) -> dict[str, Any]:
    """The state from the issue's column values, its co-units (unit, status) and deadlines (deadline, kind, at)."""
    state = {name: values.get(name) for name in FIELDS}
    for name, value in state.items():
        if isinstance(value, date):  # a datetime is a date too
            state[name] = value.isoformat()
    return {
        **state,
        "co_unit_ids": [unit_id for unit_id, _ in co_units],
        "co_units": [{"unit_id": unit_id, "status": status} for unit_id, status in co_units],
        "deadline_history": [{"deadline": _iso(d), "kind": kind, "at": _iso(at)} for d, kind, at in deadlines],
    }


def issue_state(issue: Issue) -> dict[str, Any]:
    """The full state after a change: dates `YYYY-MM-DD`, times ISO 8601 UTC."""
    return state_of(
        {name: getattr(issue, name) for name in FIELDS},
        co_units=[(c.unit_id, c.status) for c in issue.co_units],
        deadlines=[(d.deadline, d.kind, d.at) for d in issue.deadlines],
    )


def record_state(record: IssueRecord) -> dict[str, Any]:
    """`issue_state` of an issue read as a record."""
    return state_of(
        record.values, co_units=[(c.unit_id, c.status) for c in record.co_units], deadlines=record.deadlines
    )


def record_responsible(record: IssueRecord) -> list[dict[str, str]]:
    """The responsible person each unit with a part now named (the lead unit first, then each co-unit not
    waived), as `ResponsibleOut`."""
    return _responsible(record.lead_unit_id, [(c.unit_id, c.status) for c in record.co_units], record.people)


def _responsible(
    lead_unit_id: str | None, co_units: Sequence[Sequence[str]], people: Mapping[str, tuple[str, str]]
) -> list[dict[str, str]]:
    """`record_responsible` of an item's lead unit, co-units (unit id, status) and named persons by unit."""
    units = [lead_unit_id] if lead_unit_id else []
    units += [unit_id for unit_id, status in co_units if status != "waived"]
    return [{"unit_id": u, "user_id": people[u][0], "display_name": people[u][1]} for u in units if u in people]


def record_out(record: IssueRecord, today: date) -> dict[str, Any]:
    """The record as `IssueOut` shows it, for `pydantic_core.to_json`: its fields in `IssueOut`'s order (`OUT_FIELDS`),
    dates and times as Python's values, which pydantic-core writes as the model writes them. So an item of the list
    costs one dict, not `record_state`'s (times made ISO strings) and then the model's validation of them back into
    times (`test_read_records.py` holds the bytes to the model's)."""
    co_units = record.co_units
    parts = {
        "co_unit_ids": [c.unit_id for c in co_units],
        "co_units": [{"unit_id": c.unit_id, "status": c.status} for c in co_units],
        "deadline_history": [{"deadline": d, "kind": kind, "at": at} for d, kind, at in record.deadlines],
        "overdue": is_overdue(record, today),
        "responsible": record_responsible(record) if record.people else [],
    }
    values = record.values
    return {name: parts[name] if name in parts else values[name] for name in OUT_FIELDS}


# `IssueOut`'s fields in its order: a row of the ledger page's statement on PostgreSQL (repository._out_columns)
# has a value for each, in this order, then the total (and, sorted by `updated_at`, that sort key).
OUT_FIELDS = tuple(IssueOut.model_fields)


def row_out(row: Sequence[Any]) -> dict[str, Any]:
    """A row of the page's statement on PostgreSQL as `record_out` writes its record: the row's values already in
    `IssueOut`'s order (`overdue` computed by the statement), so the item is the row zipped with the field names;
    `co_unit_ids` is filled in from the co-units, and the co-units, deadline history and named persons (lists of
    tuples) become what `record_out` makes of them. One dict per item, no record in between."""
    item = dict(zip(OUT_FIELDS, row, strict=False))  # the total and the sort key left out
    co_units = item["co_units"]
    if co_units:
        item["co_unit_ids"] = [unit_id for unit_id, _ in co_units]
        item["co_units"] = [{"unit_id": unit_id, "status": status} for unit_id, status in co_units]
    else:
        item["co_unit_ids"] = []
    deadlines = item["deadline_history"]
    if deadlines:
        item["deadline_history"] = [{"deadline": d, "kind": kind, "at": at} for d, kind, at in deadlines]
    people = item["responsible"]
    if people:
        named = {unit_id: (user_id, name) for unit_id, user_id, name in people}
        item["responsible"] = _responsible(item["lead_unit_id"], co_units, named)
    return item


def is_overdue(issue: Issue | IssueRecord, today: date) -> bool:
    """Open and past its deadline in Asia/Shanghai: a deadline is met by the end of its day."""
    return issue.status in OPEN_STATUSES and issue.deadline is not None and today > issue.deadline


def issue_detail(issue: Issue, *, today: date, actions: list[Action]) -> IssueDetail:
    """The issue with the steps the caller may take now, validated once."""
    return IssueDetail.model_validate(
        {**issue_state(issue), "overdue": is_overdue(issue, today), "allowed_actions": actions}
    )
