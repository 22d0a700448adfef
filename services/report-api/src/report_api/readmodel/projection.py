"""Pure functions from an issue's event-carried state to its fact row and its rollup contributions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rectify_kit.clock import BUSINESS_TZ
from rectify_kit.workdays import WorkCalendar, working_days_between
from report_api.readmodel.models import NO_PHASE, NO_UNIT, NOT_SATISFIED_UP_TO

CLOSED, CANCELLED = "closed", "cancelled"
STATUSES = ("registered", "assigned", "returned", "in_progress", "pending_review", "closed", "cancelled")
OPEN_STATUSES = tuple(s for s in STATUSES if s not in (CLOSED, CANCELLED))


def is_dissatisfied(satisfaction: Any, rating: Any) -> bool:
    return satisfaction is False or (rating is not None and int(rating) <= NOT_SATISFIED_UP_TO)


def parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"naive timestamp in event: {value}")
    return parsed


def parse_date(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def business_date(moment: datetime | None) -> date | None:
    return moment.astimezone(BUSINESS_TZ).date() if moment else None


def fact_values(issue: Mapping[str, Any], calendar: WorkCalendar) -> dict[str, Any]:
    """The fact columns that follow from the issue's state alone (event-specific ones are set by the caller),
    working days counted on `calendar`."""
    status = str(issue.get("status") or "registered")
    deadline = parse_date(issue.get("deadline"))
    original = parse_date(issue.get("original_deadline")) or deadline
    created_at = parse_time(issue.get("created_at"))
    assigned_at = parse_time(issue.get("assigned_at"))
    closed_at = parse_time(issue.get("closed_at")) if status == CLOSED else None
    closed_on = business_date(closed_at)
    cancelled_on = business_date(parse_time(issue.get("cancelled_at"))) if status == CANCELLED else None
    assigned_on = business_date(assigned_at)
    is_open = status in OPEN_STATUSES
    satisfaction = issue.get("satisfaction")
    return {
        "code": issue.get("code"),
        "campaign_id": issue.get("campaign_id"),
        "category_id": issue.get("category_id"),
        "phase_id": issue.get("phase_id"),
        "kind": issue.get("kind"),
        "source": issue.get("source"),
        "city": issue.get("city"),
        "title": str(issue.get("title") or ""),
        "cause": issue.get("cause"),
        "measures": issue.get("measures"),
        "lead_unit_id": issue.get("lead_unit_id"),
        "co_unit_ids": [str(u) for u in issue.get("co_unit_ids") or []],
        "status": status,
        "is_open": is_open,
        "progress_percent": int(issue.get("progress_percent") or 0),
        "created_at": created_at,
        "created_on": business_date(created_at),
        "assigned_at": assigned_at,
        "closed_at": closed_at,
        "closed_on": closed_on,
        "cancelled_on": cancelled_on,
        "deadline": deadline,
        "original_deadline": original,
        "open_deadline": deadline if is_open else None,
        "deadline_history": list(issue.get("deadline_history") or []),
        "reopen_count": int(issue.get("reopen_count") or 0),
        "return_count": int(issue.get("return_count") or 0),
        "satisfaction": None if satisfaction is None else bool(satisfaction),
        "rating": None if issue.get("rating") is None else int(issue["rating"]),
        # No deadline set means none was missed.
        "on_time": None if closed_on is None else (deadline is None or closed_on <= deadline),
        "on_time_original": None if closed_on is None else (original is None or closed_on <= original),
        "assign_to_close_wd": assign_to_close_wd(assigned_on, closed_on, calendar),
    }


def assign_to_close_wd(assigned_on: date | None, closed_on: date | None, calendar: WorkCalendar) -> int | None:
    """Working days from assignment to closure, or None while either is missing."""
    if assigned_on is None or closed_on is None:
        return None
    return working_days_between(assigned_on, closed_on, calendar)


@dataclass(frozen=True)
class Contribution:
    """What one fact adds to the rollups; the rollups hold the sum of every fact's contribution.

    `keys` holds every key a status rollup may be keyed by (campaign, phase, lead unit, source, status); each
    rollup adds `status_measures` under the keys it has."""

    keys: dict[str, str]
    status_measures: dict[str, int]
    daily: dict[tuple[date, str, str], dict[str, int]]


def contribution(fact: Mapping[str, Any]) -> Contribution:
    campaign = str(fact.get("campaign_id") or "")
    keys = {
        "campaign_id": campaign,
        "phase_id": str(fact.get("phase_id") or NO_PHASE),
        "lead_unit_id": str(fact.get("lead_unit_id") or NO_UNIT),
        "source": str(fact.get("source") or ""),
        "status": str(fact["status"]),
    }
    satisfaction = fact.get("satisfaction")
    wd = fact.get("assign_to_close_wd")
    measures = {
        "n": 1,
        "on_time": int(fact.get("on_time") is True),
        "on_time_original": int(fact.get("on_time_original") is True),
        "sat_yes": int(satisfaction is True),
        "sat_answered": int(satisfaction is not None),
        "dissatisfied": int(is_dissatisfied(satisfaction, fact.get("rating"))),
        "appeals": int(fact.get("appeals") or 0),
        "reopen_sum": int(fact.get("reopen_count") or 0),
        "wd_sum": int(wd or 0),
        "wd_n": int(wd is not None),
        "with_deadline": int(fact.get("deadline") is not None),
    }
    daily: dict[tuple[date, str, str], dict[str, int]] = {}
    for column, field in (("created_on", "created"), ("closed_on", "closed"), ("cancelled_on", "cancelled")):
        day = fact.get(column)
        if day is not None:
            daily.setdefault((day, campaign, keys["phase_id"]), {"created": 0, "closed": 0, "cancelled": 0})[field] += 1
    return Contribution(keys, measures, daily)
