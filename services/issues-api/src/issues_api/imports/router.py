"""HTTP for ledger imports: the template, a checked import (?dry_run=true writes nothing), a background job.

Every upload route checks the caller's role before it reads the body (rectify_kit.uploads), and an .xlsx is
bounded before it is opened (sheet.py).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request, Response
from fastapi.responses import JSONResponse

from issues_api.attachments.storage import file_store
from issues_api.imports import jobs
from issues_api.imports.campaign_choice import choose_campaign
from issues_api.imports.models import ImportJob
from issues_api.imports.results import preview, rejected
from issues_api.imports.schemas import DRY_RUN_EXAMPLE, ImportJobOut, LedgerImportResult, dry_run_response
from issues_api.imports.service import IMPORTERS, ImportPlan, check_importer, plan_import, template_content, write_rows
from issues_api.imports.sheet import Sheet
from issues_api.imports.template import OFFICE_COLUMNS, build_template
from issues_api.imports.uploads import SHEET_BODY, read_sheet_upload
from issues_api.ledger.access import Viewer
from issues_api.ledger.deps import ViewerDep
from rectify_kit.clock import Clock, ClockDep, business_today
from rectify_kit.db import DatabaseDep, SessionDep
from rectify_kit.errors import Forbidden, problem_responses
from rectify_kit.uploads import Upload, too_large_response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CampaignParam = Annotated[
    str | None,
    Query(
        description="专项行动；缺省时取文件所写或唯一进行中的专项行动 / default: the file's, or the only running one"
    ),
]

router = APIRouter(prefix="/api/v1/issues", tags=["issues"])


async def _importer(viewer: ViewerDep) -> Viewer:
    """Only those who may import get their upload read at all."""
    check_importer(viewer)
    return viewer


ImporterDep = Annotated[Viewer, Depends(_importer)]


async def _plan(
    request: Request, session: SessionDep, campaign_id: str | None, clock: Clock
) -> tuple[ImportPlan, Upload]:
    sheet, upload = await read_sheet_upload(request)
    campaign = await choose_campaign(session, campaign_id=campaign_id, sheet=sheet, today=business_today(clock))
    return await plan_import(session, campaign=campaign, sheet=sheet, clock=clock), upload


@router.post(
    "/import",
    response_model=LedgerImportResult,
    status_code=201,
    summary="导入台账（Excel/CSV）/ Import a ledger (Excel or CSV)",
    description=(
        "Checks every row; with `dry_run=true` answers 200 with each row's errors and a preview and writes "
        "nothing. Otherwise creates the new rows (assigned when they name a lead unit; deadline: the row's, else "
        "its phase's end) all at once, or none (422 `import-rejected`). Rows imported before (the same content, or "
        "the same 外部编号) are counted in `existing` and not created again. 逐行校验；已导入的行不会重复登记。"
    ),
    responses={
        200: dry_run_response(LedgerImportResult, DRY_RUN_EXAMPLE),
        **problem_responses(401, 403, 409, 422),
        413: too_large_response(),
    },
    openapi_extra=SHEET_BODY,
)
async def import_issues(
    request: Request,
    session: SessionDep,
    viewer: ImporterDep,
    clock: ClockDep,
    campaign_id: CampaignParam = None,
    dry_run: Annotated[bool, Query(description="check only, write nothing / 仅校验")] = False,
) -> JSONResponse:
    plan, _ = await _plan(request, session, campaign_id, clock)
    rows = len(plan.checks)
    if dry_run:
        result = LedgerImportResult(
            dry_run=True, campaign_id=plan.campaign.id, rows=rows, created=[], existing=len(plan.existing),
            errors=plan.errors, preview=preview(plan),
        )  # fmt: skip
        return JSONResponse(result.model_dump(mode="json"), status_code=200)
    if plan.errors:
        raise rejected(plan)
    created = await write_rows(session, campaign=plan.campaign, rows=plan.new, viewer=viewer, clock=clock)
    result = LedgerImportResult(
        dry_run=False, campaign_id=plan.campaign.id, rows=rows, created=created, existing=len(plan.existing), errors=[]
    )
    return JSONResponse(result.model_dump(mode="json"), status_code=201)


@router.get(
    "/import/template.xlsx",
    summary="下载台账模板 / Download the ledger template",
    description=(
        "The ledger columns, one sample row (序号 示例, skipped on import) and drop-down lists of the campaign's "
        "units, categories and phases; the workbook names its campaign, so its upload needs no campaign_id."
    ),
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}, **problem_responses(401, 403, 422)},
)
async def get_import_template(
    session: SessionDep, viewer: ImporterDep, clock: ClockDep, campaign_id: CampaignParam = None
) -> Response:
    campaign = await choose_campaign(
        session, campaign_id=campaign_id, sheet=Sheet(rows=[]), today=business_today(clock)
    )
    data = build_template(await template_content(session, campaign=campaign, clock=clock), OFFICE_COLUMNS)
    name = f"{campaign.name}-整改台账模板.xlsx"
    disposition = f"attachment; filename=\"ledger-template-{campaign.code}.xlsx\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=XLSX, headers={"Content-Disposition": disposition})


def _job_out(job: ImportJob, clock: Clock) -> ImportJobOut:
    return ImportJobOut(
        id=job.id, campaign_id=job.campaign_id, status=jobs.shown_status(job, clock), filename=job.filename,
        total=job.total, done=job.done, existing=job.existing, created=list(job.created), error=job.error,
        created_at=job.created_at, finished_at=job.finished_at,
    )  # fmt: skip


@router.post(
    "/import-jobs",
    status_code=202,
    response_model=ImportJobOut,
    summary="后台导入台账（带进度）/ Import a ledger in the background, with progress",
    description=(
        "Checks the file as `POST /issues/import` does (422 `import-rejected` with every row error, nothing "
        "written), then answers 202 with a job and creates the rows in chunks; `GET /issues/import-jobs/{id}` "
        "tells `done` of `total`. 校验通过后在后台分批导入，可查询进度。"
    ),
    responses={**problem_responses(401, 403, 409, 422), 413: too_large_response()},
    openapi_extra=SHEET_BODY,
)
async def start_import_job(
    request: Request,
    session: SessionDep,
    database: DatabaseDep,
    viewer: ImporterDep,
    clock: ClockDep,
    background: BackgroundTasks,
    campaign_id: CampaignParam = None,
) -> ImportJobOut:
    plan, upload = await _plan(request, session, campaign_id, clock)
    if plan.errors:
        raise rejected(plan)
    store = file_store(request)
    sha256 = await store.put(upload.data)
    name = (upload.filename or "ledger")[:255]
    job = await jobs.start_job(session, plan=plan, filename=name, sha256=sha256, viewer=viewer, clock=clock)
    # Runs once this answer is sent, after the request's transaction (which holds the job) has committed.
    background.add_task(jobs.run_job, database, store, job_id=job.id, sha256=sha256, clock=clock)
    return _job_out(job, clock)


@router.get(
    "/import-jobs/{job_id}",
    response_model=ImportJobOut,
    summary="导入任务进度 / An import job's progress",
    responses=problem_responses(401, 403, 404),
)
async def get_import_job(job_id: str, session: SessionDep, viewer: ViewerDep, clock: ClockDep) -> ImportJobOut:
    if viewer.role not in IMPORTERS:
        raise Forbidden("import jobs are the office's", required_roles=sorted(IMPORTERS))
    return _job_out(await jobs.get_job(session, job_id=job_id, viewer=viewer), clock)
