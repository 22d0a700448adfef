"""GET /api/v1/escalations, POST /api/v1/escalations/{id}/acknowledge, and the escalation feed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from notify_api.escalations import repository, service
from notify_api.escalations.models import Escalation, events
from notify_api.escalations.schemas import EscalationOut
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
    labels = await repository.issue_labels(session, {r.issue_id for r in rows[:limit]})
    return Page[EscalationOut](items=[out(r, labels) for r in rows[:limit]], next_cursor=nxt, total=total)


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
    return out(escalation, await repository.issue_labels(session, {escalation.issue_id}))


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
