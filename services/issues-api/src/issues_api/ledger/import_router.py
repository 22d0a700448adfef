"""HTTP for importing an Excel or CSV ledger: POST /api/v1/issues/import (?dry_run=true writes nothing)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from issues_api.ledger.deps import ViewerDep
from issues_api.ledger.import_service import import_ledger
from issues_api.ledger.importing import UnreadableSheet, read_sheet
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import PayloadTooLarge, Unprocessable, problem_responses

MAX_SHEET_BYTES = 10 * 1024 * 1024

router = APIRouter()


class ImportResult(BaseModel):
    dry_run: bool
    rows: int = Field(description="data rows read / 读取的数据行数")
    created: list[str] = Field(description="codes of the issues created / 新建事项编号")
    errors: list[dict[str, Any]] = Field(description="[{row, field, message}] / 行错误")


@router.post(
    "/import",
    response_model=ImportResult,
    status_code=201,
    summary="导入台账（Excel/CSV）/ Import a ledger (Excel or CSV)",
    responses={200: {"description": "dry run report"}, **problem_responses(401, 403, 413, 422)},
)
async def import_issues(
    file: Annotated[UploadFile, File(description=".xlsx or .csv with a header row (问题, 责任单位, 整改时限, …)")],
    campaign_id: Annotated[str, Query(description="专项行动 / campaign")],
    session: SessionDep,
    viewer: ViewerDep,
    clock: ClockDep,
    dry_run: Annotated[bool, Query(description="check only, write nothing / 仅校验")] = False,
) -> JSONResponse:
    data = await file.read(MAX_SHEET_BYTES + 1)
    if len(data) > MAX_SHEET_BYTES:
        raise PayloadTooLarge(f"the limit is {MAX_SHEET_BYTES} bytes")
    try:
        rows = read_sheet(data)
    except UnreadableSheet as exc:
        raise Unprocessable(str(exc), errors=[{"field": "file", "message": str(exc)}]) from exc
    report = await import_ledger(
        session, campaign_id=campaign_id, rows=rows, dry_run=dry_run, viewer=viewer, clock=clock
    )
    result = ImportResult(dry_run=report.dry_run, rows=report.rows, created=report.created, errors=report.errors)
    if report.errors and not dry_run:
        raise Unprocessable(
            "the ledger has row errors; nothing was imported",
            code="import-rejected",
            errors=[{"field": f"row {e['row']}: {e['field']}", "message": e["message"]} for e in report.errors],
            rows=report.errors,
        )
    return JSONResponse(result.model_dump(), status_code=200 if dry_run else 201)
