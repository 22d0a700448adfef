"""The public page of a submission: status, stages in plain words, the responsible unit, the expected date,
a timeline of fixed texts and every public reply. Nothing personal.

Timeline texts are ours, never the content of internal events, so no staff name or internal remark leaks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    Integer,
    String,
    Text,
    bindparam,
    cast,
    literal,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.directory.models import Unit
from issues_api.events.models import events
from issues_api.intake import repository
from issues_api.intake.followup import can_appeal, feedback_open
from issues_api.intake.models import PublicReply, Submission
from issues_api.intake.schemas import (
    AppealOut,
    FeedbackOut,
    PublicStatus,
    PublicSubmission,
    ReplyOut,
    TimelineEntry,
)
from issues_api.intake.service import linked_issue
from issues_api.intake.stages import stages
from issues_api.ledger.models import Issue
from issues_api.ledger.workflow import OPEN_STATUSES
from rectify_kit.db import UTCDateTime

_ISSUE_STATUS: dict[str, PublicStatus] = {
    "registered": "accepted",
    "assigned": "accepted",
    "returned": "accepted",
    "in_progress": "processing",
    "pending_review": "processing",
    "closed": "closed",
    "cancelled": "cancelled",
}

_TEXTS: dict[str, tuple[str, str, str]] = {  # step: (status shown, Chinese, English)
    "submitted": ("submitted", "已收到您的诉求", "Your submission was received"),
    "accepted": ("accepted", "已受理，纳入整改台账", "Accepted into the rectification ledger"),
    "merged": ("accepted", "已并入同类问题一并办理", "Merged with a matching case being handled"),
    "rejected": ("rejected", "不予受理，请见答复", "Not accepted; see the reply"),
    "issue.assigned": ("processing", "已交办责任单位办理", "Assigned to the responsible unit"),
    "issue.reassigned": ("processing", "已改派责任单位办理", "Reassigned to another unit"),
    "issue.accepted": ("processing", "责任单位已签收办理", "The responsible unit took it on"),
    "issue.completion_submitted": ("processing", "责任单位已报办结，待审核", "Reported done, under review"),
    "issue.completion_rejected": ("processing", "审核未通过，继续办理", "Review asked for more work"),
    "issue.closed": ("closed", "已办结", "Closed"),
    "issue.reopened": ("processing", "重新办理", "Reopened"),
    "issue.cancelled": ("cancelled", "已撤销", "Cancelled"),
}
_ISSUE_STEPS = [k for k in _TEXTS if k.startswith("issue.")]


def _entry(step: str, at: object) -> TimelineEntry:
    status, zh, en = _TEXTS[step]
    return TimelineEntry.model_validate({"at": at, "status": status, "text": zh, "text_en": en})


def public_status(submission: Submission, issue: Issue | None) -> PublicStatus:
    if submission.status == "rejected":
        return "rejected"
    if issue is None:
        return "submitted" if submission.status == "submitted" else "accepted"
    return _ISSUE_STATUS.get(issue.status, "processing")


async def public_view(session: AsyncSession, *, submission: Submission, tracking_code: str) -> PublicSubmission:
    issue = await linked_issue(session, submission)
    unit = await repository.unit_name(session, issue.lead_unit_id if issue else None)
    replies = await repository.replies_of(session, submission_id=submission.id, issue_id=submission.issue_id)
    milestones = await repository.issue_milestones(session, issue.id, _ISSUE_STEPS) if issue is not None else []
    return _view(
        submission,
        issue,
        unit=unit,
        milestones=[(row.type, row.occurred_at) for row in milestones],
        replies=[(r.id, r.created_at, r.content, r.submission_id is not None) for r in replies],
        tracking_code=tracking_code,
    )


def _view(
    submission: Submission,
    issue: Issue | None,
    *,
    unit: str | None,
    milestones: Sequence[tuple[str, datetime]],
    replies: Sequence[tuple[str, datetime, str, bool]],
    tracking_code: str,
) -> PublicSubmission:
    """The page from what was read: `milestones` (type, occurred at) of the issue, oldest first; `replies` (id,
    created at, content, on the submission) oldest first."""
    feedback = None
    if submission.satisfied is not None and submission.rating is not None:
        feedback = FeedbackOut(
            satisfied=submission.satisfied, rating=submission.rating, comment=submission.feedback_comment
        )
    appeal = None
    if submission.appealed_at is not None:
        appeal = AppealOut(at=submission.appealed_at, reason=submission.appeal_reason or "")
    timeline = [_entry("submitted", submission.submitted_at)]
    if submission.status != "submitted" and submission.decided_at is not None:
        timeline.append(_entry(submission.status, submission.decided_at))
    timeline.extend(_entry(step, at) for step, at in milestones)
    return PublicSubmission(
        tracking_code=tracking_code,
        status=public_status(submission, issue),
        title=submission.title,
        submitted_at=submission.submitted_at,
        timeline=timeline,
        public_reply=submission.public_reply,
        can_feedback=feedback_open(submission, issue),
        feedback=feedback,
        stages=stages(submission, issue, unit=unit),
        unit_name=unit,
        # The deadline in force while the work is open: what the submitter may expect.
        expected_date=issue.deadline if issue is not None and issue.status in OPEN_STATUSES else None,
        replies=[
            ReplyOut(id=id_, at=at, content=content, on="submission" if on_submission else "issue")
            for id_, at, content, on_submission in replies
        ],
        followup=submission.followup,
        can_appeal=can_appeal(submission),
        appeal=appeal,
    )


# The tracking page's reads in one statement, built once (tables, not mapped classes, so it runs straight on the
# driver): the submission with the few columns of its issue the page shows and its unit's name, then a row per
# milestone of the issue (by `seq`) and per public reply (oldest first), typed NULLs where a branch has no value.
# One round trip, not five ORM statements (submission, issue with its co-units and deadlines, unit, replies,
# milestones).
_SUBMISSIONS = Submission.__table__
_ISSUES = Issue.__table__
_UNITS = Unit.__table__
_REPLIES = PublicReply.__table__
_SUBMISSION_COLUMNS = (
    "id",
    "issue_id",
    "status",
    "title",
    "submitted_at",
    "decided_at",
    "public_reply",
    "satisfied",
    "rating",
    "feedback_comment",
    "feedback_at",
    "followup",
    "appealed_at",
    "appeal_reason",
)
_ISSUE_COLUMNS = (
    "id",
    "status",
    "deadline",
    "assigned_at",
    "accepted_at",
    "closed_at",
    "cancelled_at",
    "reopen_count",
)
_MAIN, _MILESTONE, _REPLY = range(3)
_PART_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("word", String()),  # a milestone's type, a reply's id
    ("at", UTCDateTime()),
    ("content", Text()),
    ("on_submission", Boolean()),
    ("seq", BigInteger()),
)


def _main_columns(values: dict[str, ColumnElement[Any]] | None) -> list[ColumnElement[Any]]:
    columns = [
        *(
            _SUBMISSIONS.c[name] if values is None else cast(null(), _SUBMISSIONS.c[name].type)
            for name in _SUBMISSION_COLUMNS
        ),
        *(_ISSUES.c[name] if values is None else cast(null(), _ISSUES.c[name].type) for name in _ISSUE_COLUMNS),
        (_UNITS.c.name if values is None else cast(null(), _UNITS.c.name.type)),
    ]
    return [c.label(f"c{i}") for i, c in enumerate(columns)]


def _part(part: int, values: dict[str, ColumnElement[Any]]) -> list[ColumnElement[Any]]:
    return [literal(part, Integer()).label("part")] + [
        values.get(name, cast(null(), kind)).label(name) for name, kind in _PART_COLUMNS
    ]


_BY_CODE = _SUBMISSIONS.c.tracking_hash == bindparam("tracking_hash")
_SUBMISSION_ID = select(_SUBMISSIONS.c.id).where(_BY_CODE).scalar_subquery()
_SUBMISSION_ISSUE = select(_SUBMISSIONS.c.issue_id).where(_BY_CODE).scalar_subquery()
_EVENTS = events
READ_PAGE = union_all(
    select(*_main_columns(None), *_part(_MAIN, {}))
    .select_from(_SUBMISSIONS)
    .outerjoin(_ISSUES, _ISSUES.c.id == _SUBMISSIONS.c.issue_id)
    .outerjoin(_UNITS, _UNITS.c.id == _ISSUES.c.lead_unit_id)
    .where(_BY_CODE),
    select(
        *_main_columns({}),
        *_part(_MILESTONE, {"word": _EVENTS.c.type, "at": _EVENTS.c.occurred_at, "seq": _EVENTS.c.seq}),
    ).where(
        _EVENTS.c.subject_id == _SUBMISSION_ISSUE,
        # The steps as constants: the statement is prepared once, with no list to expand.
        _EVENTS.c.type.in_([literal_column(f"'{step}'") for step in _ISSUE_STEPS]),
    ),
    select(
        *_main_columns({}),
        *_part(
            _REPLY,
            {
                "word": _REPLIES.c.id,
                "at": _REPLIES.c.created_at,
                "content": _REPLIES.c.content,
                "on_submission": _REPLIES.c.submission_id.is_not(None),
            },
        ),
    ).where((_REPLIES.c.submission_id == _SUBMISSION_ID) | (_REPLIES.c.issue_id == _SUBMISSION_ISSUE)),
).order_by(literal_column("part"), literal_column("seq"), literal_column("at"), literal_column("word"))

_N_SUBMISSION, _N_ISSUE = len(_SUBMISSION_COLUMNS), len(_ISSUE_COLUMNS)
_PART_AT = _N_SUBMISSION + _N_ISSUE + 1


def view_of_rows(rows: Sequence[Sequence[Any]], *, tracking_code: str) -> PublicSubmission | None:
    """The page from the rows of READ_PAGE; None when the code names no submission."""
    if not rows or rows[0][_PART_AT] != _MAIN:
        return None
    head = rows[0]
    # The page reads only these attributes of a submission and its issue (the ORM objects' names).
    submission: Any = SimpleNamespace(**dict(zip(_SUBMISSION_COLUMNS, head[:_N_SUBMISSION], strict=True)))
    issue: Any = None
    if head[_N_SUBMISSION] is not None:
        issue = SimpleNamespace(
            **dict(zip(_ISSUE_COLUMNS, head[_N_SUBMISSION : _N_SUBMISSION + _N_ISSUE], strict=True))
        )
    milestones, replies = [], []
    for row in rows[1:]:
        part, word, at, content, on_submission = row[_PART_AT : _PART_AT + 5]
        if part == _MILESTONE:
            milestones.append((word, at))
        else:
            replies.append((word, at, content, bool(on_submission)))
    return _view(
        submission,
        issue,
        unit=head[_PART_AT - 1],
        milestones=milestones,
        replies=replies,
        tracking_code=tracking_code,
    )
