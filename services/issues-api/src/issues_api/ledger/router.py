"""HTTP for the ledger: list, create, read, edit, timeline; the workflow steps are in actions_router.py."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from issues_api.ledger import repository, service
from issues_api.ledger.actions_router import router as actions_router
from issues_api.ledger.deps import CreatorDep, IdempotencyDep, ViewerDep
from issues_api.ledger.import_router import router as import_router
from issues_api.ledger.presenter import detail
from issues_api.ledger.schemas import (
    ExtensionOut,
    IssueCreate,
    IssueDetail,
    IssueOut,
    IssuePatch,
    Source,
    Status,
    Timeline,
    TimelineEntry,
    TransitionOut,
)
from issues_api.ledger.state import issue_out
from issues_api.ledger.workflow import TRANSITIONS
from rectify_kit.clock import ClockDep, business_today
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_responses
from rectify_kit.etag import etag_for, require_if_match
from rectify_kit.pagination import Page

router = APIRouter(prefix="/api/v1/issues", tags=["issues"])


@router.get(
    "",
    response_model=Page[IssueOut],
    summary="事项列表 / List issues",
    responses=problem_responses(401, 403, 422),
)
async def list_issues(
    session: SessionDep,
    viewer: ViewerDep,
    clock: ClockDep,
    campaign_id: str | None = None,
    status: Annotated[list[Status] | None, Query(description="one or more statuses (repeat the parameter)")] = None,
    unit_id: Annotated[str | None, Query(description="lead unit or co-unit")] = None,
    category_id: str | None = None,
    source: Source | None = None,
    overdue: bool | None = None,
    q: Annotated[str | None, Query(max_length=200, description="search title and description")] = None,
    sort: Annotated[str, Query(description="created_at, updated_at, deadline, code; prefix - to reverse")] = (
        "-created_at"
    ),
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[IssueOut]:
    filters = repository.IssueFilters(
        campaign_id=campaign_id,
        status=list(status or []),
        unit_id=unit_id,
        category_id=category_id,
        source=source,
        overdue=overdue,
        q=q.strip() if q else None,
    )
    page = await service.list_issues(
        session, filters=filters, viewer=viewer, sort=sort, cursor=cursor, limit=limit, clock=clock
    )
    today = business_today(clock)
    return Page[IssueOut](
        items=[issue_out(i, today=today) for i in page.items], next_cursor=page.next_cursor, total=page.total
    )


@router.post(
    "",
    status_code=201,
    response_model=IssueDetail,
    summary="登记事项 / Register an issue",
    responses=problem_responses(401, 403, 409, 422),
)
async def create_issue(
    body: IssueCreate,
    session: SessionDep,
    viewer: CreatorDep,
    clock: ClockDep,
    idempotency: IdempotencyDep,
) -> JSONResponse:
    async def produce() -> IssueDetail:
        issue = await service.create_issue(session, data=body, actor=viewer.actor, clock=clock)
        return await detail(session, issue=issue, viewer=viewer, clock=clock)

    return await idempotency.run(
        session, owner=viewer.sub, produce=produce, location=lambda d: f"/api/v1/issues/{d.id}"
    )


@router.get("/workflow", response_model=list[TransitionOut], summary="状态流转表 / The workflow table")
async def workflow_table(viewer: ViewerDep) -> list[TransitionOut]:
    return [
        TransitionOut(
            status=status,
            action=action,
            next_status=step.next_status or status,
            roles=sorted(step.roles),
            required=list(step.required),
            unit_relation=step.unit_relation if "unit" in step.roles else None,
            event=step.event,
        )
        for (status, action), step in TRANSITIONS.items()
    ]


@router.get(
    "/{issue_id}",
    response_model=IssueDetail,
    summary="事项详情 / Read an issue (ETag)",
    responses=problem_responses(401, 403, 404),
)
async def read_issue(
    issue_id: str, response: Response, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> IssueDetail:
    issue = await service.get_visible_issue(session, issue_id, viewer)
    response.headers["ETag"] = etag_for(issue.version)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.patch(
    "/{issue_id}",
    response_model=IssueDetail,
    summary="修改事项 / Edit an issue (If-Match)",
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
)
async def patch_issue(
    issue_id: str,
    body: IssuePatch,
    request: Request,
    response: Response,
    session: SessionDep,
    viewer: ViewerDep,
    clock: ClockDep,
) -> IssueDetail:
    issue = await service.get_visible_issue(session, issue_id, viewer, for_update=True)
    require_if_match(request, issue.version)
    issue = await service.update_issue(session, issue=issue, data=body, viewer=viewer, clock=clock)
    response.headers["ETag"] = etag_for(issue.version)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


def _without_issue(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "issue"}


@router.get(
    "/{issue_id}/timeline",
    response_model=Timeline,
    summary="事项时间线 / The issue's history",
    responses=problem_responses(401, 403, 404),
)
async def timeline(issue_id: str, session: SessionDep, viewer: ViewerDep) -> Timeline:
    issue = await service.get_visible_issue(session, issue_id, viewer)
    rows = await repository.issue_events(session, issue.id)
    return Timeline(
        items=[
            TimelineEntry(seq=r.seq, type=r.type, occurred_at=r.occurred_at, actor=r.actor, data=_without_issue(r.data))
            for r in rows
        ]
    )


@router.get(
    "/{issue_id}/extension-requests",
    response_model=list[ExtensionOut],
    summary="延期申请列表 / Extension requests",
    responses=problem_responses(401, 403, 404),
)
async def list_extensions(issue_id: str, session: SessionDep, viewer: ViewerDep) -> list[ExtensionOut]:
    issue = await service.get_visible_issue(session, issue_id, viewer)
    return [
        ExtensionOut.model_validate(e, from_attributes=True)
        for e in await repository.list_extensions(session, issue.id)
    ]


router.include_router(actions_router)
router.include_router(import_router)
