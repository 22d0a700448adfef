"""HTTP for the ledger: list, create, read, edit, timeline; the workflow steps are in actions_router.py."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter
from pydantic_core import to_json
from sqlalchemy.ext.asyncio import AsyncConnection

from issues_api.assignees.service import summary_of
from issues_api.ledger import export, lookups, service, steps
from issues_api.ledger.access import Viewer
from issues_api.ledger.actions_router import router as actions_router
from issues_api.ledger.deps import CreatorDep, IdempotencyDep, ViewerDep, viewer_of
from issues_api.ledger.list_params import FiltersDep, ListQuery, SortParam, parse_list_query
from issues_api.ledger.plain_create import PlainCreateRoute, answer_plain_create
from issues_api.ledger.presenter import detail, new_issue_detail
from issues_api.ledger.schemas import (
    ExtensionOut,
    IssueCreate,
    IssueCreateAndAssign,
    IssueDetail,
    IssueOut,
    IssuePatch,
    Timeline,
    TransitionOut,
)
from issues_api.ledger.state import is_overdue, record_state
from issues_api.ledger.timeline import issue_timeline
from issues_api.ledger.workflow import TRANSITIONS
from rectify_kit.auth import SECURED
from rectify_kit.clock import Clock, ClockDep, business_today, get_clock
from rectify_kit.db import ReadConnectionDep, SessionDep, get_database
from rectify_kit.direct import direct, direct_by, route_answered_by
from rectify_kit.errors import problem_responses
from rectify_kit.etag import etag_for, require_if_match
from rectify_kit.pagination import Page

router = APIRouter(prefix="/api/v1/issues", tags=["issues"])

# The hot reads validate their answer once and serialize it straight to bytes, as FastAPI would with the route's
# `response_model` (which still documents it), but without validating it a second time on the way out.
_DETAIL = TypeAdapter(IssueDetail)


def _json(adapter: TypeAdapter[Any], value: object, headers: dict[str, str] | None = None) -> Response:
    return Response(adapter.dump_json(adapter.validate_python(value)), media_type="application/json", headers=headers)


async def list_issues(
    viewer: ViewerDep,
    clock: ClockDep,
    filters: FiltersDep,
    connection: ReadConnectionDep,
    sort: SortParam = "-created_at",
    cursor: str | None = None,
    offset: Annotated[
        int, Query(ge=0, le=100_000, description="跳过 / skip this many (a page jump), after `cursor` if given")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Response:
    query = ListQuery(filters=filters, sort=sort, cursor=cursor, offset=offset, limit=limit)
    return await _list_page(connection, query, viewer=viewer, clock=clock)


async def _list_page(connection: AsyncConnection, query: ListQuery, *, viewer: Viewer, clock: Clock) -> Response:
    page = await service.list_issues(
        connection,
        filters=query.filters,
        viewer=viewer,
        sort=query.sort,
        cursor=query.cursor,
        offset=query.offset,
        limit=query.limit,
        clock=clock,
    )
    # Page[IssueOut] as the model writes it (`state.row_out`, `record_out`), without validating what the database
    # holds.
    body = to_json({"items": page.items, "next_cursor": page.next_cursor, "total": page.total})
    return Response(body, media_type="application/json")


async def _plain_list(request: Request) -> Response | None:
    """The page of a query that `parse_list_query` finds plainly valid, without FastAPI's solving of the route's
    dependencies and parameters (the caller, the clock and the connection taken as `get_issue` takes them); None for
    any other, which FastAPI then solves as before, its 422 included. It answers the list from the edge
    (rectify_kit.direct) and, for what the edge leaves (an app mounted under a root path), inside the route."""
    query = parse_list_query(request.query_params)
    if query is None:
        return None
    viewer = await viewer_of(request)  # the caller first, as the dependencies are declared
    async with get_database(request).read_connection() as connection:
        return await _list_page(connection, query, viewer=viewer, clock=get_clock(request))


router.add_api_route(
    "",
    direct_by(_plain_list)(list_issues),
    methods=["GET"],
    response_model=Page[IssueOut],
    summary="事项列表 / List issues",
    responses=problem_responses(401, 403, 422),
    route_class_override=route_answered_by(_plain_list),
)


async def create_issue(
    body: IssueCreateAndAssign,
    session: SessionDep,
    viewer: CreatorDep,
    clock: ClockDep,
    idempotency: IdempotencyDep,
) -> JSONResponse:
    # A plain create on PostgreSQL never gets here: the edge (or PlainCreateRoute) answers it without these
    # dependencies (plain_create.py).
    async def produce() -> IssueDetail:
        if body.assign is None and idempotency.key is None:  # nothing else to write: no step, no stored answer
            record = await service.register_issue(session, data=body, actor=viewer.actor, clock=clock)
            return new_issue_detail(record, viewer=viewer, clock=clock)
        data = IssueCreate.model_validate(body.model_dump(exclude={"assign"}))
        issue = await service.create_issue(session, data=data, actor=viewer.actor, clock=clock)
        if body.assign is None:
            return new_issue_detail(issue, viewer=viewer, clock=clock)
        # The same step as POST /{id}/assign, in this transaction: refused, nothing is registered either.
        issue = await steps.assign(session, issue_id=issue.id, body=body.assign, viewer=viewer, clock=clock)
        return await detail(session, issue=issue, viewer=viewer, clock=clock)

    return await idempotency.run(
        session, owner=viewer.sub, produce=produce, location=lambda d: f"/api/v1/issues/{d.id}"
    )


router.add_api_route(
    "",
    direct_by(answer_plain_create)(create_issue),
    methods=["POST"],
    status_code=201,
    response_model=IssueDetail,
    summary="登记事项 / Register an issue (and assign it with `assign`)",
    responses=problem_responses(401, 403, 409, 422),
    route_class_override=PlainCreateRoute,
)


@router.get(
    "/export.xlsx",
    summary="导出台账 / Export the ledger as filtered (Excel)",
    description=(
        "Every item the list's filters select (the same parameters as `GET /api/v1/issues`, the caller's unit "
        "scope included), in the list's order, one row per item on sheet 台账. More than 20,000 items is "
        "`422 export-too-large`."
    ),
    response_class=Response,
    responses={200: {"content": {export.XLSX: {}}}, **problem_responses(401, 403, 422)},
)
async def export_issues(
    session: SessionDep, viewer: ViewerDep, clock: ClockDep, filters: FiltersDep, sort: SortParam = "-created_at"
) -> Response:
    key = service.check_list_query(filters, sort)
    today = business_today(clock)
    scoped = replace(filters, scope_unit_id=viewer.scope_unit_id, person_id=viewer.sub)
    issues = await export.collect(session, filters=scoped, today=today, sort=key, descending=sort.startswith("-"))
    data = await export.build_workbook(session, issues, today=today)
    name = f"整改台账-{today:%Y%m%d}.xlsx"
    disposition = f"attachment; filename=\"ledger-{today:%Y%m%d}.xlsx\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=export.XLSX, headers={"Content-Disposition": disposition})


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
    openapi_extra=SECURED,
)
@direct
async def get_issue(issue_id: str, request: Request) -> Response:
    # The hottest read takes no dependencies: the caller, the connection and the clock as the dependencies would
    # give them (ViewerDep, ReadConnectionDep, ClockDep), without FastAPI's solving of them, which cost it more CPU
    # than its query. The caller first: its token check may read the account from the same pool. It is answered
    # from the edge (rectify_kit.direct), without the routing and layers between.
    viewer = await viewer_of(request)
    async with get_database(request).read_connection() as connection:
        record, actions, people_rows = await service.read_issue_record(connection, issue_id, viewer)
    people = summary_of(record, people_rows)  # 责任人, the sub-tasks' roll-up
    body = {
        **record_state(record),
        "overdue": is_overdue(record, business_today(get_clock(request))),
        "allowed_actions": actions,
        **dict(people),
    }
    return _json(_DETAIL, body, headers={"ETag": etag_for(record.version)})


@router.patch(
    "/{issue_id}",
    response_model=IssueDetail,
    summary="修改事项 / Edit an issue (If-Match)",
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
)
async def update_issue(
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


@router.get(
    "/{issue_id}/timeline",
    response_model=Timeline,
    summary="事项时间线 / The issue's history",
    responses=problem_responses(401, 403, 404),
)
async def timeline(issue_id: str, session: SessionDep, viewer: ViewerDep) -> Timeline:
    issue = await service.get_visible_issue(session, issue_id, viewer)
    return await issue_timeline(session, issue=issue)


@router.get(
    "/{issue_id}/extension-requests",
    response_model=list[ExtensionOut],
    summary="延期申请列表 / Extension requests",
    responses=problem_responses(401, 403, 404),
)
async def list_extensions(issue_id: str, session: SessionDep, viewer: ViewerDep) -> list[ExtensionOut]:
    issue = await service.get_visible_issue(session, issue_id, viewer)
    requests = await lookups.list_extensions(session, issue.id)
    ids = {e.requested_by for e in requests}
    names = await lookups.directory_names(session, user_ids=ids, client_ids=ids, unit_ids=set())
    return [
        ExtensionOut.model_validate(e, from_attributes=True).model_copy(
            update={"requested_by_name": names.users.get(e.requested_by) or names.clients.get(e.requested_by)}
        )
        for e in requests
    ]


router.include_router(actions_router)
