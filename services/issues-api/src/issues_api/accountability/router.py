"""HTTP for accountability records: `GET|POST /api/v1/accountability-records`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from issues_api.accountability import repository, service
from issues_api.accountability.models import AccountabilityRecord
from issues_api.accountability.schemas import DocumentFile, RecordCreate, RecordOut
from issues_api.attachments.errors import AttachmentTooLarge
from issues_api.attachments.storage import file_store
from issues_api.ledger.deps import ViewerDep
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import NotFound, problem_responses
from rectify_kit.pagination import Page, decode_cursor, encode_cursor
from rectify_kit.uploads import multipart_body, read_upload, too_large_response

router = APIRouter(prefix="/api/v1/accountability-records", tags=["accountability"])


def _out(record: AccountabilityRecord, units: dict[str, str], codes: dict[str, str]) -> RecordOut:
    return RecordOut(
        id=record.id,
        campaign_id=record.campaign_id,
        unit_id=record.unit_id,
        unit_name=units.get(record.unit_id, ""),
        issue_ids=list(record.issue_ids),
        issue_codes=[codes.get(i, "") for i in record.issue_ids],
        kind=record.kind,
        decided_on=record.decided_on,
        outcome=record.outcome,
        document=record.document,
        document_file=(
            DocumentFile(name=record.file_name or "", size=record.file_size or 0, content_type=record.file_type or "")
            if record.file_sha256
            else None
        ),
        created_by=record.created_by,
        created_at=record.created_at,
    )


@router.get(
    "",
    response_model=Page[RecordOut],
    summary="约谈问责记录 / Accountability records",
    description="办公室、管理员、领导看全部；单位只看本单位的。 / Staff read all; a unit only its own unit's.",
    responses=problem_responses(401, 403, 422),
)
async def list_records(
    session: SessionDep,
    viewer: ViewerDep,
    unit_id: str | None = None,
    campaign_id: str | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[RecordOut]:
    filters = service.scoped(repository.RecordFilters(unit_id=unit_id, campaign_id=campaign_id), viewer)
    after = None
    if cursor:
        day, at, last = decode_cursor(cursor, length=3)
        after = (date.fromisoformat(str(day)), datetime.fromisoformat(str(at)), str(last))
    rows, total = await repository.page(session, filters=filters, after=after, limit=limit + 1)
    last_row = rows[limit - 1] if len(rows) > limit else None
    nxt = (
        encode_cursor([last_row.decided_on.isoformat(), last_row.created_at.isoformat(), last_row.id])
        if last_row
        else None
    )
    units, codes = await repository.names(session, rows[:limit])
    return Page[RecordOut](items=[_out(r, units, codes) for r in rows[:limit]], next_cursor=nxt, total=total)


@router.post(
    "",
    status_code=201,
    response_model=RecordOut,
    summary="登记约谈问责 / Record an accountability decision",
    description="办公室、管理员登记；所列事项须为该单位主办或协办 / Office and admins; each issue must be the unit's",
    responses=problem_responses(401, 403, 422),
)
async def create_record(body: RecordCreate, session: SessionDep, viewer: ViewerDep, clock: ClockDep) -> RecordOut:
    record = await service.create(session, body=body, viewer=viewer, clock=clock)
    units, codes = await repository.names(session, [record])
    return _out(record, units, codes)


@router.post(
    "/{record_id}/document",
    response_model=RecordOut,
    summary="上传决定文书 / Upload the decision document",
    description="办公室、管理员；PDF、图片或 Office 文档，替换已上传的 / Office and admins; replaces an earlier one",
    responses={**problem_responses(401, 403, 404, 415, 422), 413: too_large_response()},
    openapi_extra=multipart_body("file", "pdf, images or office documents"),
)
async def upload_document(
    record_id: str, request: Request, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> RecordOut:
    record = await service.visible_record(session, record_id=record_id, viewer=viewer)
    service.check_may_write(viewer)  # before the body is read at all
    limit = int(request.app.state.settings.attachment_max_bytes)
    file = await read_upload(request, limit=limit, too_large=AttachmentTooLarge)
    record = await service.attach_document(
        session, record=record, filename=file.filename, data=file.data, store=file_store(request), viewer=viewer,
        clock=clock,
    )  # fmt: skip
    units, codes = await repository.names(session, [record])
    return _out(record, units, codes)


@router.get(
    "/{record_id}/document",
    summary="下载决定文书 / Download the decision document",
    response_class=Response,
    responses=problem_responses(401, 403, 404),
)
async def download_document(record_id: str, request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    record = await service.visible_record(session, record_id=record_id, viewer=viewer)
    if record.file_sha256 is None:
        raise NotFound("no document was uploaded", code="document-not-found")
    data = await file_store(request).get(record.file_sha256)
    disposition = f"attachment; filename*=UTF-8''{quote(record.file_name or 'document')}"
    return Response(
        data,
        media_type=record.file_type or "application/octet-stream",
        headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"},
    )
