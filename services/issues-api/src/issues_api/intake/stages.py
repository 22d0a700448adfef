"""The way of a submission in plain words: received, accepted, handed to a unit, being worked on, closed.

Every text is ours (Chinese first, English beside it), never an internal remark; a unit appears by its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from issues_api.intake.models import Submission
from issues_api.intake.schemas import Stage, StageKey
from issues_api.ledger.models import Issue

_WORKING = frozenset({"in_progress", "pending_review", "closed"})


@dataclass(frozen=True)
class _Words:
    text: str
    text_en: str
    detail: str
    detail_en: str


_W = _Words
_WORDS: dict[str, _Words] = {
    "submitted": _W("已收到", "Received", "我们已收到您的诉求，工作人员正在审核。", "We have your submission."),
    "accepted": _W("已受理", "Accepted", "您的诉求已受理，纳入整改台账办理。", "Accepted into the ledger."),
    "merged": _W(
        "已受理",
        "Accepted",
        "已有同类问题在办理，您的诉求并入其中一并办理。",
        "Joined to a matching case already being handled.",
    ),
    "rejected": _W("不予受理", "Not accepted", "您的诉求不予受理，原因请见答复。", "The reply says why."),
    "assigned": _W("已交办", "Assigned", "已交由{unit}负责办理。", "Handed to {unit_en}, who answer for it."),
    "assigned_next": _W("交办", "Assignment", "受理后交由责任单位办理。", "Then it goes to a responsible unit."),
    "processing": _W("办理中", "In progress", "{unit}正在整改。", "{unit_en} is working on it."),
    "reopened": _W("重新办理", "Reopened", "已重新办理。", "It is being worked on again."),
    "processing_next": _W("办理", "Work", "责任单位签收后开始整改。", "The unit starts once it takes it on."),
    "closed": _W("已办结", "Closed", "已办结，欢迎您评价办理结果。", "Closed: please tell us how it went."),
    "closed_next": _W("办结", "Closure", "整改完成并经审核后办结。", "Closed once the work is done and checked."),
    "cancelled": _W("已撤销", "Cancelled", "该问题已撤销，原因请见答复。", "Cancelled: the reply says why."),
}


def _stage(key: StageKey, words: str, *, at: datetime | None, done: bool, unit: str | None) -> Stage:
    w = _WORDS[words]
    unit_zh, unit_en = unit or "责任单位", unit or "the responsible unit"
    return Stage(
        key=key,
        done=done,
        current=False,
        at=at,
        text=w.text,
        text_en=w.text_en,
        detail=w.detail.format(unit=unit_zh),
        detail_en=w.detail_en.format(unit_en=unit_en),
    )


def stages(submission: Submission, issue: Issue | None, *, unit: str | None) -> list[Stage]:
    """Each stage, done or still ahead; the last one reached is `current`."""
    result = [_stage("submitted", "submitted", at=submission.submitted_at, done=True, unit=unit)]
    if submission.status == "rejected":
        result.append(_stage("rejected", "rejected", at=submission.decided_at, done=True, unit=unit))
    else:
        decided = submission.status in ("accepted", "merged")
        words = "merged" if submission.status == "merged" else "accepted"
        result.append(_stage("accepted", words, at=submission.decided_at, done=decided, unit=unit))
        result.extend(_issue_stages(issue, unit=unit))
    reached = [s for s in result if s.done]
    reached[-1].current = True
    return result


def _issue_stages(issue: Issue | None, *, unit: str | None) -> list[Stage]:
    if issue is not None and issue.status == "cancelled":
        return [_stage("cancelled", "cancelled", at=issue.cancelled_at, done=True, unit=unit)]
    assigned = issue is not None and issue.assigned_at is not None
    working = issue is not None and (issue.status in _WORKING or issue.accepted_at is not None)
    closed = issue is not None and issue.status == "closed"
    reopened = issue is not None and issue.reopen_count > 0 and not closed
    return [
        _stage(
            "assigned",
            "assigned" if assigned else "assigned_next",
            at=issue.assigned_at if issue else None,
            done=assigned,
            unit=unit,
        ),
        _stage(
            "processing",
            "reopened" if reopened else "processing" if working else "processing_next",
            at=issue.accepted_at if issue else None,
            done=working,
            unit=unit,
        ),
        _stage(
            "closed",
            "closed" if closed else "closed_next",
            at=issue.closed_at if issue else None,
            done=closed,
            unit=unit,
        ),
    ]
