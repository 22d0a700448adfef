"""HTTP for 自查自纠: `POST /api/v1/issues/self-inspection` (a unit files its own item), and on an item
`GET .../self-inspection` (its review), `POST .../self-inspection/confirm|send-back|revise`.

Included before the ledger's router, whose `/api/v1/issues/{issue_id}` would otherwise take `self-inspection`.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse

from issues_api.imports.campaign_choice import choose_campaign
from issues_api.imports.results import preview, rejected
from issues_api.imports.schemas import dry_run_response
from issues_api.imports.service import template_content
from issues_api.imports.sheet import Sheet
from issues_api.imports.template import UNIT_COLUMNS, UNIT_LINES, build_template
from issues_api.imports.uploads import SHEET_BODY, read_sheet_upload
from issues_api.ledger.access import Viewer
from issues_api.ledger.deps import ViewerDep
from issues_api.ledger.presenter import detail
from issues_api.ledger.schemas import IssueDetail
from issues_api.self_inspection import batch, service
from issues_api.self_inspection.models import SelfInspectionReview
from issues_api.self_inspection.schemas import (
    BATCH_DRY_RUN_EXAMPLE,
    ConfirmBody,
    ReviewOut,
    SelfInspectionBatchResult,
    SelfInspectionCreate,
    SelfInspectionRevise,
    SendBackBody,
)
from rectify_kit.clock import ClockDep, business_today
from rectify_kit.db import SessionDep
from rectify_kit.errors import Forbidden, problem_responses
from rectify_kit.uploads import too_large_response

router = APIRouter(prefix="/api/v1/issues", tags=["self-inspection"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CampaignParam = Annotated[
    str | None,
    Query(
        description="专项行动；缺省时取文件所写或唯一进行中的专项行动 / default: the file's, or the only running one"
    ),
]


async def _filer(
    session: SessionDep,
    viewer: ViewerDep,
    unit_id: Annotated[
        str | None,
        Query(description="自查单位：单位用户缺省为本单位，办公室必填 / a unit: its own; the office: required"),
    ] = None,
) -> tuple[Viewer, str]:
    """Who files on which unit's list, settled before the upload is read (403 `not-own-unit` for another unit's)."""
    return viewer, await service.filing_unit(session, viewer=viewer, unit_id=unit_id)


FilerDep = Annotated[tuple[Viewer, str], Depends(_filer)]


def _review(review: SelfInspectionReview) -> ReviewOut:
    return ReviewOut.model_validate(review, from_attributes=True)


@router.post(
    "/self-inspection",
    status_code=201,
    response_model=IssueDetail,
    summary="自查自纠填报 / File a problem of one's own unit (cause and measures)",
    description=(
        "单位用户为本单位填报（为其他单位填报为 403 not-own-unit），办公室可代单位填报；"
        "事项以 registered 状态等待办公室确认。"
        " / A unit files for itself only; the office may file for a unit. The item waits as `registered`."
    ),
    responses=problem_responses(401, 403, 422),
)
async def file_item(body: SelfInspectionCreate, session: SessionDep, viewer: ViewerDep, clock: ClockDep) -> IssueDetail:
    issue = await service.file(session, body=body, viewer=viewer, clock=clock)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.post(
    "/self-inspection/batch",
    response_model=SelfInspectionBatchResult,
    status_code=201,
    summary="自查自纠批量录入 / File many rows of a unit's own list (Excel, CSV or rows pasted from Excel)",
    description=(
        "每行：问题、原因、措施（必填），可选分类、阶段、类型、问题描述；粘贴的 Excel 行为制表符分隔、首行为表头。"
        "所有行登记在本单位名下（表中的责任单位等列不读取），以 registered 状态等待办公室确认；"
        "`dry_run=true` 返回每行的错误与预览，不写入；有错误行时 422 `import-rejected`，一行不写；"
        "重复上传的行计入 `existing`，不再登记。"
        " / Rows (problem, cause, measures required) are all filed on the caller's own unit's list (the office "
        "names the unit), whatever the sheet's unit columns say, and wait as `registered`. A dry run answers 200 "
        "with each row's errors and a preview and writes nothing; a write with row errors is 422 `import-rejected`. "
        "Rows filed before are counted in `existing` and not filed again. Limits as the ledger import's (10 MB)."
    ),
    responses={
        200: dry_run_response(SelfInspectionBatchResult, BATCH_DRY_RUN_EXAMPLE),
        **problem_responses(401, 403, 409, 422),
        413: too_large_response(),
    },
    openapi_extra=SHEET_BODY,
)
async def file_batch(
    request: Request,
    session: SessionDep,
    filer: FilerDep,
    clock: ClockDep,
    campaign_id: CampaignParam = None,
    dry_run: Annotated[bool, Query(description="check only, write nothing / 仅校验")] = False,
) -> JSONResponse:
    viewer, unit_id = filer
    sheet, _ = await read_sheet_upload(request)
    campaign = await choose_campaign(session, campaign_id=campaign_id, sheet=sheet, today=business_today(clock))
    plan = await batch.plan_rows(session, campaign=campaign, sheet=sheet, unit_id=unit_id, clock=clock)
    result = SelfInspectionBatchResult(
        dry_run=dry_run, campaign_id=campaign.id, unit_id=unit_id, rows=len(plan.checks), created=[],
        existing=len(plan.existing), errors=plan.errors, preview=preview(plan) if dry_run else [],
    )  # fmt: skip
    if not dry_run:
        if plan.errors:
            raise rejected(plan)
        result.created = await batch.file_rows(session, plan=plan, unit_id=unit_id, viewer=viewer, clock=clock)
    return JSONResponse(result.model_dump(mode="json"), status_code=200 if dry_run else 201)


@router.get(
    "/self-inspection/template.xlsx",
    summary="下载自查自纠批量录入模板 / Download the template of a unit's own list",
    description=(
        "问题、问题描述、原因、措施、分类、阶段、类型、要求、外部编号，一行示例（导入时跳过）与下拉列表；"
        "文件写明专项行动。 / The columns a unit fills, a sample row (skipped) and drop-down lists."
    ),
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}, **problem_responses(401, 403, 422)},
)
async def get_batch_template(
    session: SessionDep, viewer: ViewerDep, clock: ClockDep, campaign_id: CampaignParam = None
) -> Response:
    if viewer.role not in service.FILERS:
        raise Forbidden(
            "the template is for those who file self-inspection lists", required_roles=sorted(service.FILERS)
        )
    campaign = await choose_campaign(
        session, campaign_id=campaign_id, sheet=Sheet(rows=[]), today=business_today(clock)
    )
    content = await template_content(session, campaign=campaign, clock=clock)
    data = build_template(content, UNIT_COLUMNS, UNIT_LINES)
    name = f"{campaign.name}-自查自纠清单模板.xlsx"
    disposition = (
        f"attachment; filename=\"self-inspection-template-{campaign.code}.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    return Response(data, media_type=XLSX, headers={"Content-Disposition": disposition})


@router.get(
    "/{issue_id}/self-inspection",
    response_model=ReviewOut,
    summary="自查事项的审核状态 / The office's review of a self-inspection item",
    responses=problem_responses(401, 403, 404),
)
async def get_review(issue_id: str, session: SessionDep, viewer: ViewerDep) -> ReviewOut:
    return _review(await service.review_of(session, issue_id=issue_id, viewer=viewer))


@router.post(
    "/{issue_id}/self-inspection/confirm",
    response_model=IssueDetail,
    summary="确认自查事项并交办给填报单位 / Confirm: assign it to the unit that filed it",
    description="整改时限缺省为所属阶段结束日。 / The deadline defaults to the end of the item's phase.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def confirm(
    issue_id: str, body: ConfirmBody, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> IssueDetail:
    issue = await service.confirm(session, issue_id=issue_id, body=body, viewer=viewer, clock=clock)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)


@router.post(
    "/{issue_id}/self-inspection/send-back",
    response_model=ReviewOut,
    summary="退回修改 / Send a self-inspection item back to its unit with a reason",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def send_back(
    issue_id: str, body: SendBackBody, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> ReviewOut:
    await service.send_back(session, issue_id=issue_id, reason=body.reason, viewer=viewer, clock=clock)
    return _review(await service.review_of(session, issue_id=issue_id, viewer=viewer))


@router.post(
    "/{issue_id}/self-inspection/revise",
    response_model=IssueDetail,
    summary="修改后重新提交 / The unit revises an item sent back and submits it again",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def revise(
    issue_id: str, body: SelfInspectionRevise, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> IssueDetail:
    issue = await service.revise(session, issue_id=issue_id, body=body, viewer=viewer, clock=clock)
    return await detail(session, issue=issue, viewer=viewer, clock=clock)
