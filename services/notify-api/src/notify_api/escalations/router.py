"""GET /api/v1/escalations, POST /api/v1/escalations/{id}/acknowledge, and the escalation feed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response

from notify_api.escalations import repository, service
from notify_api.escalations.models import Escalation
from notify_api.escalations.notice import TITLES, render_notice
from notify_api.escalations.schemas import EscalationOut, PlannedStep, PlannedSteps
from notify_api.issues import repository as issues
from notify_api.outbox import events
from notify_api.policies.labels import step_label
from rectify_kit.auth import CurrentPrincipal, Principal, require_scope
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import Forbidden, problem_responses
from rectify_kit.feed import FeedNotifier, feed_router
from rectify_kit.pagination import Page, decode_cursor, encode_cursor

router = APIRouter(prefix="/api/v1/escalations", tags=["escalations"])


def out(e: Escalation, labels: Mapping[str, tuple[str, str]]) -> EscalationOut:
    code, title = labels.get(e.issue_id, (None, None))
    return EscalationOut(
        id=e.id,
        issue_id=e.issue_id,
        issue_code=code,
        issue_title=title,
        campaign_id=e.campaign_id,
        unit_id=e.unit_id,
        level=e.level,
        step=e.step,
        label=step_label(e.step),
        number=e.number,
        deadline=e.deadline,
        fired_at=e.fired_at,
        acknowledged_at=e.acknowledged_at,
    )


def _scope_unit(principal: Principal, unit_id: str | None) -> str | None:
    """A unit user sees only their own unit's escalations; a machine client needs `events:read`."""
    if principal.kind == "client" and not principal.has_scope("events:read"):
        raise Forbidden("scope events:read required", required_scope="events:read")
    if principal.role == "unit":
        if unit_id not in (None, principal.unit_id) or principal.unit_id is None:
            raise Forbidden("a unit sees only its own escalations")
        return principal.unit_id
    return unit_id


@router.get(
    "",
    response_model=Page[EscalationOut],
    summary="督办记录 / Escalations",
    responses=problem_responses(401, 403, 422),
)
async def list_escalations(
    session: SessionDep,
    principal: CurrentPrincipal,
    issue_id: str | None = None,
    unit_id: str | None = None,
    level: Annotated[int | None, Query(ge=0, le=4)] = None,
    awaiting_acknowledgement: Annotated[
        bool | None, Query(description="true: 待签收的督办/通报 / numbered notices not yet acknowledged")
    ] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[EscalationOut]:
    filters = repository.EscalationFilters(
        issue_id=issue_id,
        unit_id=_scope_unit(principal, unit_id),
        level=level,
        awaiting_acknowledgement=awaiting_acknowledgement,
    )
    after = None
    if cursor:
        at, last_id = decode_cursor(cursor, length=2)
        after = (datetime.fromisoformat(str(at)), str(last_id))
    rows = await repository.page(session, filters=filters, after=after, limit=limit + 1)
    nxt = encode_cursor([rows[limit - 1].fired_at.isoformat(), rows[limit - 1].id]) if len(rows) > limit else None
    total = await repository.count(session, filters=filters)
    labels = await issues.labels(session, {r.issue_id for r in rows[:limit]})
    return Page[EscalationOut](items=[out(r, labels) for r in rows[:limit]], next_cursor=nxt, total=total)


@router.get(
    "/planned",
    response_model=PlannedSteps,
    summary="事项的督办计划 / The escalation steps still planned for an issue",
    responses=problem_responses(401, 403, 404, 422),
)
async def planned(session: SessionDep, principal: CurrentPrincipal, issue_id: str) -> PlannedSteps:
    _scope_unit(principal, None)
    timers = await service.planned(session, issue_id=issue_id, principal=principal)
    items = [
        PlannedStep(step=t.step, label=step_label(t.step), level=t.level, due_at=t.due_at, provisional=t.provisional)
        for t in timers
    ]
    return PlannedSteps(issue_id=issue_id, items=items)


@router.post(
    "/{escalation_id}/acknowledge",
    response_model=EscalationOut,
    summary="签收督办/通报 / Acknowledge a numbered notice",
    responses=problem_responses(401, 403, 404, 409),
)
async def acknowledge(
    session: SessionDep, clock: ClockDep, principal: CurrentPrincipal, escalation_id: str
) -> EscalationOut:
    escalation = await service.acknowledge(session, escalation_id=escalation_id, principal=principal, now=clock.now())
    return out(escalation, await issues.labels(session, {escalation.issue_id}))


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get(
    "/{escalation_id}/notice.docx",
    summary="督办通知书/通报（Word） / The numbered notice as a Word document",
    description=(
        "督办（2 级）的《督办通知书》或通报（3 级）的《通报》，含文号、责任单位、所涉事项、正文和日期；"
        "其他级别没有通知书（409）。单位用户只能下载本单位的。 / The notice of a level-2 or level-3 escalation, "
        "printable; other levels have none (409). A unit reads only its own unit's notices."
    ),
    response_class=Response,
    responses={
        200: {"content": {DOCX: {"schema": {"type": "string", "format": "binary"}}}},
        **problem_responses(401, 403, 404, 409),
    },
)
async def notice_docx(session: SessionDep, principal: CurrentPrincipal, escalation_id: str) -> Response:
    _scope_unit(principal, None)
    content = await service.notice(session, escalation_id=escalation_id, principal=principal)
    name = f"{TITLES[content.level]}{content.number}.docx"
    return Response(
        render_notice(content),
        media_type=DOCX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


def _all_types(_principal: Principal) -> Sequence[str] | None:
    return None


def escalation_feed_router(notifier: FeedNotifier) -> APIRouter:
    """notify-api's own feed (`escalation.fired`, `escalation.acknowledged`) for report-api and integrations."""
    return feed_router(
        path="/api/v1/escalations/feed",
        table=events,
        principal_dependency=require_scope("events:read", roles=("admin",)),
        visible_types=_all_types,
        notifier=notifier,
        tags=("escalations",),
    )
