"""The workflow steps on an issue. Each checks the transition table, changes the issue and writes one event.

Every function loads the issue as the caller may see it (404 otherwise), asks `access.check_step` (409 for a
step the status does not allow, 403 for a role that may not take it, 409 when blocked), and flushes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.events.service import record_event
from issues_api.ledger import lookups
from issues_api.ledger.access import OUTSTANDING, Viewer, acting_unit, check_step
from issues_api.ledger.assignment import add_deadline, place_units
from issues_api.ledger.errors import (
    DeadlineNotLater,
    IllegalTransition,
    StepBlocked,
    invalid_reference,
    invalid_value,
    step_blocked,
)
from issues_api.ledger.models import CoUnit, Extension, Issue, ProgressReport, new_id
from issues_api.ledger.phases import get_phase
from issues_api.ledger.schemas import (
    AssignBody,
    CloseBody,
    CompletionBody,
    ContentBody,
    ExtensionDecisionBody,
    ExtensionRequestBody,
    ProgressBody,
    ReasonBody,
    ReturnBody,
)
from issues_api.ledger.service import get_visible_issue
from issues_api.ledger.state import issue_state
from issues_api.ledger.workflow import Transition
from rectify_kit.clock import Clock
from rectify_kit.errors import NotFound, ProblemError
from rectify_kit.field_messages import field_error

BOUNCES_BEFORE_FLAG = 2
EXTENSION_ACTIONS = frozenset({"request_extension", "decide_extension"})


async def _has_pending_extension(session: AsyncSession, issue: Issue) -> bool:
    return await lookups.has_pending_extension(session, issue.id)


async def _begin(
    session: AsyncSession, *, issue_id: str, action: str, viewer: Viewer, co_unit_id: str | None = None
) -> tuple[Issue, Transition]:
    issue = await get_visible_issue(session, issue_id, viewer, for_update=True)
    if action in EXTENSION_ACTIONS:
        pending = await _has_pending_extension(session, issue)
        return issue, check_step(issue, action, viewer, pending_extension=pending)
    # A pending extension request decides only the extension steps; other steps look it up just for the
    # allowed actions their refusal lists, which saves a query on every step that goes through.
    try:
        return issue, check_step(issue, action, viewer, pending_extension=False, co_unit_id=co_unit_id)
    except (IllegalTransition, StepBlocked):
        pending = await _has_pending_extension(session, issue)
        try:
            check_step(issue, action, viewer, pending_extension=pending, co_unit_id=co_unit_id)
        except StepBlocked as refused:
            await _name_outstanding(session, refused)
            raise
        raise


async def _name_outstanding(session: AsyncSession, refused: ProblemError) -> None:
    """A submission held back by co-units says which, by name (`outstanding_co_units`, `detail`)."""
    waiting = refused.extra.get("outstanding_co_units")
    if not waiting:
        return
    names = await lookups.unit_names(session, [w["unit_id"] for w in waiting])
    for entry in waiting:
        entry["unit_name"] = names.get(entry["unit_id"], entry["unit_id"])
    refused.detail = "co-units not filed yet / 尚未办结的协办单位: " + "、".join(w["unit_name"] for w in waiting)


async def _finish(
    session: AsyncSession,
    *,
    issue: Issue,
    step: Transition,
    viewer: Viewer,
    clock: Clock,
    data: dict[str, Any] | None = None,
    event: str | None = None,
) -> Issue:
    if step.next_status is not None:
        issue.status = step.next_status
    issue.version += 1
    issue.updated_at = clock.now()
    await session.flush()
    await record_event(
        session,
        type=event or step.event,
        subject_id=issue.id,
        actor=viewer.actor,
        data={"issue": issue_state(issue), **(data or {})},
        clock=clock,
    )
    return issue


async def check_units(session: AsyncSession, lead_unit_id: str, co_unit_ids: list[str]) -> None:
    """Refuse an assignment naming a unit that does not exist (422, naming the field)."""
    co_ids = [u for u in co_unit_ids if u != lead_unit_id]
    known = await lookups.existing_unit_ids(session, [lead_unit_id, *co_ids])
    if lead_unit_id not in known:
        raise invalid_reference("lead_unit_id", "no such unit")
    if missing := [u for u in co_ids if u not in known]:
        raise invalid_reference("co_unit_ids", f"no such unit: {', '.join(missing)}")


async def _set_units(session: AsyncSession, issue: Issue, body: AssignBody) -> None:
    """Lead and co-units, after checking that they exist."""
    await check_units(session, body.lead_unit_id, body.co_unit_ids)
    place_units(issue, body)


def _add_deadline(issue: Issue, deadline: date, kind: str, clock: Clock) -> None:
    add_deadline(issue, deadline, kind, clock.now())


async def _deadline_or_phase_end(session: AsyncSession, issue: Issue, deadline: date | None) -> date:
    """The deadline asked for, else the end of the item's phase (422 when it has none to give)."""
    if deadline is not None:
        return deadline
    phase = await get_phase(session, issue.phase_id)
    if phase is None:
        raise invalid_value("deadline", "事项没有所属阶段，须填写整改时限", "the item has no phase: give a deadline")
    return phase.ends_on


async def assign(session: AsyncSession, *, issue_id: str, body: AssignBody, viewer: Viewer, clock: Clock) -> Issue:
    """交办: hand a registered issue to a lead unit and co-units with a deadline (by default the end of the
    item's phase); `issue.assigned`."""
    issue, step = await _begin(session, issue_id=issue_id, action="assign", viewer=viewer)
    await _set_units(session, issue, body)
    deadline = await _deadline_or_phase_end(session, issue, body.deadline)
    _add_deadline(issue, deadline, "initial" if issue.original_deadline is None else "reassign", clock)
    issue.assigned_at = clock.now()
    return await _finish(session, issue=issue, step=step, viewer=viewer, clock=clock)


async def reassign(session: AsyncSession, *, issue_id: str, body: AssignBody, viewer: Viewer, clock: Clock) -> Issue:
    """Hand the issue to another lead unit (after a return, or on the office's decision), keeping its deadline
    unless a new one is given; `issue.reassigned`."""
    issue, step = await _begin(session, issue_id=issue_id, action="reassign", viewer=viewer)
    await _set_units(session, issue, body)
    deadline = body.deadline or issue.deadline or await _deadline_or_phase_end(session, issue, None)
    if deadline != issue.deadline:
        _add_deadline(issue, deadline, "reassign", clock)
    issue.assigned_at = clock.now()
    issue.accepted_at = None
    return await _finish(session, issue=issue, step=step, viewer=viewer, clock=clock)


async def accept(
    session: AsyncSession, *, issue_id: str, viewer: Viewer, clock: Clock, note: str | None = None
) -> Issue:
    """The lead unit accepts (签收) the assignment, with an optional note; `issue.accepted` (`note` when given)."""
    issue, step = await _begin(session, issue_id=issue_id, action="accept", viewer=viewer)
    issue.accepted_at = clock.now()
    data = {"note": note} if note else None
    return await _finish(session, issue=issue, step=step, viewer=viewer, clock=clock, data=data)


async def return_issue(
    session: AsyncSession, *, issue_id: str, body: ReturnBody, viewer: Viewer, clock: Clock
) -> Issue:
    """退回: the lead unit sends the issue back with a reason code; `issue.returned`.

    The second return flags the issue for the office and also writes `issue.flagged`.
    """
    issue, step = await _begin(session, issue_id=issue_id, action="return", viewer=viewer)
    issue.return_count += 1
    newly_flagged = issue.return_count >= BOUNCES_BEFORE_FLAG and not issue.flagged
    issue.flagged = issue.flagged or newly_flagged
    data = {"reason_code": body.reason_code, "reason": body.reason}
    await _finish(session, issue=issue, step=step, viewer=viewer, clock=clock, data=data)
    if newly_flagged:
        await record_event(
            session,
            type="issue.flagged",
            subject_id=issue.id,
            actor=viewer.actor,
            data={"issue": issue_state(issue), "flag": "bounced"},
            clock=clock,
        )
    return issue


async def report_progress(
    session: AsyncSession, *, issue_id: str, body: ProgressBody, viewer: Viewer, clock: Clock
) -> Issue:
    """进展: the lead unit or a co-unit reports; the lead's percent becomes the issue's."""
    issue, step = await _begin(session, issue_id=issue_id, action="progress", viewer=viewer)
    unit_id = acting_unit(issue, viewer)
    report = ProgressReport(
        id=new_id(),
        issue_id=issue.id,
        unit_id=unit_id,
        content=body.content,
        percent=body.percent,
        reported_by=viewer.sub,
        created_at=clock.now(),
    )
    session.add(report)
    if issue.lead_unit_id == unit_id:
        issue.progress_percent = body.percent
    issue.last_progress_at = clock.now()
    progress = {"id": report.id, "content": body.content, "percent": body.percent, "unit_id": unit_id}
    return await _finish(session, issue=issue, step=step, viewer=viewer, clock=clock, data={"progress": progress})


async def submit_completion(
    session: AsyncSession, *, issue_id: str, body: CompletionBody, viewer: Viewer, clock: Clock
) -> Issue:
    """The lead unit submits the result for review once every co-unit filed or was waived."""
    issue, step = await _begin(session, issue_id=issue_id, action="submit_completion", viewer=viewer)
    if await lookups.completion_needs_evidence(session, issue):
        raise step_blocked("evidence-required", "submit_completion", step="completion")
    issue.submitted_at = clock.now()
    return await _finish(session, issue=issue, step=step, viewer=viewer, clock=clock, data={"summary": body.summary})


async def close(session: AsyncSession, *, issue_id: str, body: CloseBody, viewer: Viewer, clock: Clock) -> Issue:
    """销号: the office verifies and closes the issue; `issue.closed`."""
    issue, step = await _begin(session, issue_id=issue_id, action="close", viewer=viewer)
    issue.closed_at = clock.now()
    issue.progress_percent = 100
    return await _finish(session, issue=issue, step=step, viewer=viewer, clock=clock, data={"comment": body.comment})


async def reject_completion(
    session: AsyncSession, *, issue_id: str, body: ReasonBody, viewer: Viewer, clock: Clock
) -> Issue:
    """The office sends a submitted result back to work; `issue.completion_rejected`."""
    issue, step = await _begin(session, issue_id=issue_id, action="reject_completion", viewer=viewer)
    return await _finish(session, issue=issue, step=step, viewer=viewer, clock=clock, data={"reason": body.reason})


async def reopen(session: AsyncSession, *, issue_id: str, body: ReasonBody, viewer: Viewer, clock: Clock) -> Issue:
    """Reopen a closed issue (an inspection finding, an unsatisfied submitter); `issue.reopened`."""
    issue, step = await _begin(session, issue_id=issue_id, action="reopen", viewer=viewer)
    issue.reopen_count += 1
    issue.closed_at = None
    return await _finish(session, issue=issue, step=step, viewer=viewer, clock=clock, data={"reason": body.reason})


async def cancel(session: AsyncSession, *, issue_id: str, body: ReasonBody, viewer: Viewer, clock: Clock) -> Issue:
    """Cancel an open issue with a reason; `issue.cancelled`."""
    issue, step = await _begin(session, issue_id=issue_id, action="cancel", viewer=viewer)
    issue.cancelled_at = clock.now()
    return await _finish(session, issue=issue, step=step, viewer=viewer, clock=clock, data={"reason": body.reason})


async def urge(session: AsyncSession, *, issue_id: str, body: ContentBody, viewer: Viewer, clock: Clock) -> Issue:
    """催办: the office urges the units at any open status; `issue.urged`."""
    issue, step = await _begin(session, issue_id=issue_id, action="urge", viewer=viewer)
    return await _finish(session, issue=issue, step=step, viewer=viewer, clock=clock, data={"content": body.content})


async def instruct(session: AsyncSession, *, issue_id: str, body: ContentBody, viewer: Viewer, clock: Clock) -> Issue:
    """批示: a leader's instruction on the issue; `issue.instructed`."""
    issue, step = await _begin(session, issue_id=issue_id, action="instruct", viewer=viewer)
    return await _finish(session, issue=issue, step=step, viewer=viewer, clock=clock, data={"content": body.content})


def extension_out(ext: Extension) -> dict[str, Any]:
    return {
        "id": ext.id,
        "new_deadline": ext.new_deadline.isoformat(),
        "reason": ext.reason,
        "status": ext.status,
        "requested_at": ext.requested_at.isoformat(),
        "decided_at": ext.decided_at.isoformat() if ext.decided_at else None,
        "comment": ext.comment,
    }


async def request_extension(
    session: AsyncSession, *, issue_id: str, body: ExtensionRequestBody, viewer: Viewer, clock: Clock
) -> tuple[Issue, Extension]:
    """延期申请: the lead unit asks for a later deadline; one pending request at a time."""
    issue, step = await _begin(session, issue_id=issue_id, action="request_extension", viewer=viewer)
    if issue.deadline is not None and body.new_deadline <= issue.deadline:
        raise DeadlineNotLater(
            f"new_deadline {body.new_deadline} is not later than the deadline {issue.deadline}",
            current_deadline=issue.deadline.isoformat(),
            errors=[
                field_error(
                    "new_deadline",
                    f"须晚于当前整改时限 {issue.deadline.isoformat()}",
                    f"must be later than the current deadline {issue.deadline.isoformat()}",
                )
            ],
        )
    ext = Extension(
        id=new_id(),
        issue_id=issue.id,
        new_deadline=body.new_deadline,
        reason=body.reason,
        status="pending",
        requested_by=viewer.sub,
        requested_at=clock.now(),
    )
    session.add(ext)
    data = {"extension": extension_out(ext)}
    return await _finish(session, issue=issue, step=step, viewer=viewer, clock=clock, data=data), ext


async def decide_extension(
    session: AsyncSession,
    *,
    issue_id: str,
    extension_id: str,
    body: ExtensionDecisionBody,
    viewer: Viewer,
    clock: Clock,
) -> tuple[Issue, Extension]:
    """The office approves (the deadline moves, history kept) or denies a pending extension request."""
    issue, step = await _begin(session, issue_id=issue_id, action="decide_extension", viewer=viewer)
    ext = await lookups.get_extension(session, issue_id=issue.id, extension_id=extension_id)
    if ext is None:
        raise NotFound(f"extension request {extension_id} not found", code="extension-not-found")
    if ext.status != "pending":
        raise step_blocked("extension-decided", "decide_extension", current_status=issue.status)
    ext.status = "approved" if body.approved else "denied"
    ext.decided_at = clock.now()
    ext.decided_by = viewer.sub
    ext.comment = body.comment
    if body.approved:
        _add_deadline(issue, ext.new_deadline, "extension", clock)
    data = {"extension": extension_out(ext)}
    return await _finish(session, issue=issue, step=step, viewer=viewer, clock=clock, data=data), ext


def _own_co_unit(issue: Issue, unit_id: str) -> CoUnit:
    """The co-unit `check_step` let the caller act for."""
    return next(c for c in issue.co_units if c.unit_id == unit_id)


async def co_unit_accept(session: AsyncSession, *, issue_id: str, unit_id: str, viewer: Viewer, clock: Clock) -> Issue:
    """A co-unit accepts its part; `issue.co_unit_accepted`."""
    issue, step = await _begin(session, issue_id=issue_id, action="co_unit_accept", viewer=viewer, co_unit_id=unit_id)
    _own_co_unit(issue, unit_id).status = "accepted"
    return await _finish(session, issue=issue, step=step, viewer=viewer, clock=clock, data={"unit_id": unit_id})


async def co_unit_contribute(
    session: AsyncSession, *, issue_id: str, unit_id: str, body: ContentBody, viewer: Viewer, clock: Clock
) -> Issue:
    """A co-unit files its contribution; `issue.co_unit_contributed`."""
    issue, step = await _begin(
        session, issue_id=issue_id, action="co_unit_contribute", viewer=viewer, co_unit_id=unit_id
    )
    co_unit = _own_co_unit(issue, unit_id)
    co_unit.status = "filed"
    co_unit.contribution = body.content
    data = {"unit_id": unit_id, "content": body.content}
    return await _finish(session, issue=issue, step=step, viewer=viewer, clock=clock, data=data)


async def co_unit_waive(session: AsyncSession, *, issue_id: str, unit_id: str, viewer: Viewer, clock: Clock) -> Issue:
    """The office waives a co-unit's part, so the lead unit may submit without it."""
    issue, step = await _begin(session, issue_id=issue_id, action="co_unit_waive", viewer=viewer)
    co_unit = next((c for c in issue.co_units if c.unit_id == unit_id), None)
    if co_unit is None:
        raise NotFound(f"unit {unit_id} is not a co-unit of this issue", code="co-unit-not-found")
    if co_unit.status not in OUTSTANDING:
        raise step_blocked("co-unit-settled", "co_unit_waive", current_status=issue.status)
    co_unit.status = "waived"
    return await _finish(session, issue=issue, step=step, viewer=viewer, clock=clock, data={"unit_id": unit_id})
