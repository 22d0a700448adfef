"""Rules of the public intake: submit and find by tracking code; list for the office; keep public replies.

Events: `intake.submitted` (with the tracking code in `data.submitter`, the only place it is ever written),
and through `triage.py` / `followup.py` the office's decisions and the satisfaction loop (`intake/events.py`).
Open311 and other channels submit through `submit` as a public submission does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.events.service import PUBLIC_ACTOR
from issues_api.intake import events, guard, repository, tracking
from issues_api.intake.errors import SubmissionNotFound
from issues_api.intake.models import PublicReply, Submission
from issues_api.intake.schemas import SubmissionCreate, SubmissionCreated
from issues_api.ledger import lookups as ledger_lookups
from issues_api.ledger.models import Issue
from rectify_kit.clock import Clock
from rectify_kit.errors import Unprocessable
from rectify_kit.pagination import decode_cursor, encode_cursor

# What is stored of a submission body; `website` is the honeypot and never kept.
_STORED = {"title", "content", "category_id", "city", "enterprise_name", "contact_name", "contact_phone"}
_STORED |= {"contact_email", "notify_by"}


def invalid(field: str, message: str) -> Unprocessable:
    return Unprocessable(f"{field}: {message}", errors=[{"field": field, "message": message}])


async def submit(
    session: AsyncSession, *, data: SubmissionCreate, clock: Clock, origin: guard.Origin | None = None
) -> tuple[Submission, str]:
    """Store a submission; returns it with its tracking code (shown once); writes `intake.submitted`.

    `origin` (a public caller's keyed address) lets an identical repeat fold into this one later.
    """
    if data.category_id is not None and await repository.category_campaign_id(session, data.category_id) is None:
        raise invalid("category_id", "unknown category / 分类不存在")
    code = tracking.new_code()
    while await repository.hash_taken(session, tracking.code_hash(code.replace("-", ""))):
        code = tracking.new_code()  # 80 random bits: a repeat is astronomically rare, but never shared
    raw = code.replace("-", "")
    text_hash = guard.content_hash(data.title, data.content)
    submission = Submission(
        tracking_hash=tracking.code_hash(raw),
        code_hint=code[-tracking.GROUP_SIZE :],
        status="submitted",
        submitted_at=clock.now(),
        content_hash=text_hash,
        address_hash=origin.address_hash if origin else None,
        sealed_code=guard.seal(raw, origin, text_hash) if origin else None,
        reveal_failures=0,
        **data.model_dump(include=_STORED),
    )
    session.add(submission)
    await session.flush()
    await events.record(
        session, submission, type="intake.submitted", actor=PUBLIC_ACTOR, clock=clock, tracking_code=code
    )
    return submission, code


async def submit_public(
    session: AsyncSession, *, data: SubmissionCreate, origin: guard.Origin, fold_hours: int, per_day: int, clock: Clock
) -> SubmissionCreated:
    """A submission from the public page: a filled honeypot looks accepted and keeps nothing; the same text from
    the same address within `fold_hours` answers the first one's code; more than `per_day` a day is 429."""
    if data.website:
        return SubmissionCreated(tracking_code=tracking.new_code())
    text_hash = guard.content_hash(data.title, data.content)
    repeat = await guard.repeat_of(session, origin=origin, text_hash=text_hash, hours=fold_hours, clock=clock)
    if repeat is not None:
        return SubmissionCreated(tracking_code=repeat[1], folded=True)
    await guard.check_volume(session, origin=origin, per_day=per_day, clock=clock)
    _, code = await submit(session, data=data, clock=clock, origin=origin)
    return SubmissionCreated(tracking_code=code)


async def find_by_code(session: AsyncSession, code: str) -> Submission:
    normalized = tracking.normalize(code)
    submission = await repository.get_by_hash(session, tracking.code_hash(normalized)) if normalized else None
    if submission is None:
        raise SubmissionNotFound()
    return submission


async def get(session: AsyncSession, submission_id: str) -> Submission:
    submission = await repository.get(session, submission_id)
    if submission is None:
        raise SubmissionNotFound()
    return submission


async def linked_issue(session: AsyncSession, submission: Submission) -> Issue | None:
    return await ledger_lookups.get_issue(session, submission.issue_id) if submission.issue_id else None


async def list_submissions(
    session: AsyncSession,
    *,
    status: str | None,
    followup: str | None = None,
    cursor: str | None,
    limit: int,
    oldest_first: bool = False,
) -> tuple[list[Submission], str | None, int]:
    after = None
    if cursor:
        at, last_id = decode_cursor(cursor, length=2)
        after = (datetime.fromisoformat(str(at)), str(last_id))
    items, total = await repository.list_page(
        session, status=status, followup=followup, after=after, limit=limit, oldest_first=oldest_first
    )
    next_cursor = None
    if len(items) == limit:
        next_cursor = encode_cursor([items[-1].submitted_at.isoformat(), items[-1].id])
    return list(items), next_cursor, total


def add_reply(
    session: AsyncSession,
    *,
    content: str,
    actor: dict[str, Any],
    clock: Clock,
    submission: Submission | None = None,
    issue_id: str | None = None,
) -> PublicReply:
    """Keep one public reply (on a submission, which then shows it as its `public_reply`, or on an issue)."""
    reply = PublicReply(
        submission_id=submission.id if submission else None,
        issue_id=issue_id,
        content=content,
        created_at=clock.now(),
        created_by=actor.get("id"),
    )
    if submission is not None:
        submission.public_reply = content
    session.add(reply)
    return reply
