"""自查自纠: a unit files a problem of its own with cause and measures; it waits as `registered` (led by that unit,
which sees it) until the office confirms it — assigned to that unit, by default until its phase ends — or sends
it back with a reason for the unit to revise.

Events: `issue.created` on filing, `issue.sent_back` (with `reason`) when sent back, `issue.updated` when the unit
revises it, and the assignment's `issue.assigned` on confirmation.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.events.service import record_event
from issues_api.ledger import steps
from issues_api.ledger.access import Viewer
from issues_api.ledger.errors import invalid_reference
from issues_api.ledger.lookups import existing_unit_ids
from issues_api.ledger.models import Issue
from issues_api.ledger.schemas import AssignBody, IssueCreate
from issues_api.ledger.service import create_issue, get_visible_issue
from issues_api.ledger.state import issue_state
from issues_api.self_inspection.models import SelfInspectionReview
from issues_api.self_inspection.schemas import ConfirmBody, SelfInspectionCreate, SelfInspectionRevise
from rectify_kit.clock import Clock
from rectify_kit.errors import Conflict, Forbidden, NotFound

FILERS = frozenset({"unit", "office", "admin"})
OFFICE = frozenset({"office", "admin"})


class NotOwnUnit(Forbidden):
    code, title_zh, title_en = "not-own-unit", "只能为本单位填报", "A unit files only its own list"


class NotSelfInspection(NotFound):
    code, title_zh, title_en = (
        "not-self-inspection",
        "该事项不是单位自查填报的事项",
        "Not a unit's self-inspection item",
    )


class ReviewSettled(Conflict):
    code, title_zh, title_en = "review-settled", "该自查事项当前不能执行此操作", "Not possible at this stage of review"


async def filing_unit(session: AsyncSession, *, viewer: Viewer, unit_id: str | None) -> str:
    """Whose list the caller files on: a unit's own (naming another is 403), or the unit the office names."""
    if viewer.role not in FILERS:
        raise Forbidden("only units, the office and admins file self-inspection items", required_roles=sorted(FILERS))
    if viewer.role == "unit":
        if viewer.unit_id is None or unit_id not in (None, viewer.unit_id):
            raise NotOwnUnit("a unit files only for itself", unit_id=unit_id)
        return viewer.unit_id
    if unit_id is None or not await existing_unit_ids(session, [unit_id]):
        raise invalid_reference("unit_id", "name the unit whose list it is")
    return unit_id


async def file(session: AsyncSession, *, body: SelfInspectionCreate, viewer: Viewer, clock: Clock) -> Issue:
    """Register the item (source `self_inspection`) on the unit's own list; it waits for the office."""
    unit_id = await filing_unit(session, viewer=viewer, unit_id=body.unit_id)
    data = IssueCreate.model_validate({**body.model_dump(exclude={"unit_id"}), "source": "self_inspection"})
    issue = await create_issue(session, data=data, actor=viewer.actor, clock=clock, lead_unit_id=unit_id)
    session.add(
        SelfInspectionReview(
            issue_id=issue.id, unit_id=unit_id, status="pending", filed_by=viewer.sub, filed_at=clock.now()
        )
    )
    await session.flush()
    return issue


async def review_of(session: AsyncSession, *, issue_id: str, viewer: Viewer) -> SelfInspectionReview:
    """The review of an item the caller may see (404 alike for another unit's and for an office-filed item)."""
    await get_visible_issue(session, issue_id, viewer)
    review = await session.get(SelfInspectionReview, issue_id)
    if review is None:
        raise NotSelfInspection(f"issue {issue_id} was not filed by a unit")
    return review


def _settle(review: SelfInspectionReview, *, status: str, viewer: Viewer, now: datetime, reason: str | None) -> None:
    review.status, review.reason, review.decided_by, review.decided_at = status, reason, viewer.sub, now


async def confirm(session: AsyncSession, *, issue_id: str, body: ConfirmBody, viewer: Viewer, clock: Clock) -> Issue:
    """确认: assign the item to the unit that filed it (the workflow's `assign`, with its checks and event)."""
    review = await review_of(session, issue_id=issue_id, viewer=viewer)
    if viewer.role not in OFFICE:
        raise Forbidden("only the office confirms a unit's self-inspection item", required_roles=sorted(OFFICE))
    assign = AssignBody(
        lead_unit_id=review.unit_id,
        co_unit_ids=body.co_unit_ids,
        deadline=body.deadline,
        requirements=body.requirements,
    )
    issue = await steps.assign(session, issue_id=issue_id, body=assign, viewer=viewer, clock=clock)
    _settle(review, status="confirmed", viewer=viewer, now=clock.now(), reason=None)
    await session.flush()
    return issue


async def send_back(session: AsyncSession, *, issue_id: str, reason: str, viewer: Viewer, clock: Clock) -> Issue:
    """退回修改: the item stays registered on the unit's list, with the reason; `issue.sent_back`."""
    review = await review_of(session, issue_id=issue_id, viewer=viewer)
    if viewer.role not in OFFICE:
        raise Forbidden("only the office sends a self-inspection item back", required_roles=sorted(OFFICE))
    issue = await get_visible_issue(session, issue_id, viewer, for_update=True)
    if review.status != "pending" or issue.status != "registered":
        raise ReviewSettled("only an item waiting for confirmation goes back", review_status=review.status)
    _settle(review, status="sent_back", viewer=viewer, now=clock.now(), reason=reason)
    await session.flush()
    data = {"issue": issue_state(issue), "reason": reason}
    await record_event(session, type="issue.sent_back", subject_id=issue.id, actor=viewer.actor, data=data, clock=clock)
    return issue


async def revise(
    session: AsyncSession, *, issue_id: str, body: SelfInspectionRevise, viewer: Viewer, clock: Clock
) -> Issue:
    """The unit corrects an item sent back; it waits for the office again. `issue.updated` names the fields."""
    review = await review_of(session, issue_id=issue_id, viewer=viewer)
    if viewer.role != "unit" or viewer.unit_id != review.unit_id:
        raise NotOwnUnit("only the unit that filed it revises it")
    issue = await get_visible_issue(session, issue_id, viewer, for_update=True)
    if review.status != "sent_back" or issue.status != "registered":
        raise ReviewSettled("only an item sent back is revised", review_status=review.status)
    changed = [name for name, value in body.model_dump(exclude_none=True).items() if getattr(issue, name) != value]
    for name in changed:
        setattr(issue, name, getattr(body, name))
    issue.version += 1
    issue.updated_at = clock.now()
    review.status, review.reason = "pending", None
    await session.flush()
    data = {"issue": issue_state(issue), "changed": changed}
    await record_event(session, type="issue.updated", subject_id=issue.id, actor=viewer.actor, data=data, clock=clock)
    return issue
