"""Planning an issue's timers: a pure function of its state, the policy, the calendar and its notices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from notify_api.policies.schemas import NUMBERED_LEVELS, EscalationPolicy, PolicyStep
from rectify_kit.workdays import WorkCalendar, add_working_days, at_hour, local_date, span_is_provisional

# Deadline steps press the units while the work is theirs; a completion waiting for review is the office's.
DEADLINE_STATUSES = frozenset({"assigned", "in_progress"})
ANCHOR_STATUSES = {"assigned": frozenset({"assigned"}), "last_progress": frozenset({"in_progress"})}
ANCHOR_STATUSES["submitted"] = frozenset({"pending_review"})
# The statuses some step may count from: in any other an issue has no timer, whatever the policy (`plans_nothing`).
PLANNED_STATUSES = DEADLINE_STATUSES.union(*ANCHOR_STATUSES.values())


def plans_nothing(status: str) -> bool:
    """No policy plans a timer for an issue in `status` (`plan` gives nothing: no step's anchor applies)."""
    return status not in PLANNED_STATUSES


@dataclass(frozen=True)
class IssueFacts:
    id: str
    status: str
    deadline: date | None
    deadline_version: int
    assigned_at: datetime | None
    accepted_at: datetime | None
    last_progress_at: datetime | None
    submitted_at: datetime | None


@dataclass(frozen=True)
class OpenNotice:
    """A numbered notice (level 2 or 3) of the current deadline version, not yet acknowledged."""

    level: int
    fired_at: datetime


@dataclass(frozen=True)
class PlannedTimer:
    step: str
    version: str
    level: int
    due_at: datetime
    anchor: str
    recipients: tuple[str, ...]
    channels: tuple[str, ...]
    provisional: bool

    def dedupe_key(self, issue_id: str) -> str:
        """(issue, step, deadline version): a firing with this key happens once, whoever runs it."""
        return f"{issue_id}:{self.step}:{self.version}"


def _anchor(issue: IssueFacts, step: PolicyStep) -> tuple[date, str] | None:
    """The day the step counts from and the version it belongs to, or None when it does not apply now."""
    if step.anchor == "deadline":
        if issue.status not in DEADLINE_STATUSES or issue.deadline is None:
            return None
        return issue.deadline, f"d{issue.deadline_version}"
    if issue.status not in ANCHOR_STATUSES[step.anchor]:
        return None
    moment = {
        "assigned": issue.assigned_at,
        "last_progress": issue.last_progress_at or issue.accepted_at,
        "submitted": issue.submitted_at,
    }[step.anchor]
    if moment is None:
        return None
    return local_date(moment), f"{step.anchor[0]}{moment.astimezone(UTC):%Y%m%dT%H%M%S}"


def plan(
    issue: IssueFacts,
    policy: EscalationPolicy,
    calendar: WorkCalendar,
    *,
    fire_hour: int,
    open_notices: Sequence[OpenNotice] = (),
) -> list[PlannedTimer]:
    """The timers the issue should have now: none once it is closed or cancelled.

    An unacknowledged notice brings the next higher deadline step forward to `ack_within_wd` working days
    after the notice fired, if that is sooner.
    """
    planned: list[PlannedTimer] = []
    for step in policy.steps:
        anchored = _anchor(issue, step)
        if anchored is None:
            continue
        day, version = anchored
        due_day = add_working_days(day, step.offset_wd, calendar)
        due_at = at_hour(due_day, fire_hour)
        if step.anchor == "deadline":
            due_at = min([due_at, *_climb(step, policy, calendar, open_notices, fire_hour)])
        planned.append(
            PlannedTimer(
                step=step.code,
                version=version,
                level=step.level,
                due_at=due_at,
                anchor=step.anchor,
                recipients=tuple(step.recipients),
                channels=tuple(step.channels),
                provisional=span_is_provisional(day, due_day, calendar),
            )
        )
    return planned


def _climb(
    step: PolicyStep,
    policy: EscalationPolicy,
    calendar: WorkCalendar,
    open_notices: Sequence[OpenNotice],
    fire_hour: int,
) -> list[datetime]:
    """Earlier due times for `step` when it is the next level above an unacknowledged notice."""
    earlier: list[datetime] = []
    for notice in open_notices:
        if notice.level not in NUMBERED_LEVELS or step.level <= notice.level:
            continue
        higher = [s.level for s in policy.steps if s.anchor == "deadline" and s.level > notice.level]
        if higher and step.level == min(higher):
            day = add_working_days(local_date(notice.fired_at), policy.ack_within_wd, calendar)
            earlier.append(at_hour(day, fire_hour))
    return earlier
