"""HTTP for attachments: multipart upload with a size limit, listing and download under the issue's scoping."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response

from issues_api.attachments import service
from issues_api.attachments.errors import AttachmentTooLarge
from issues_api.attachments.schemas import AttachmentOut
from issues_api.attachments.storage import file_store
from issues_api.dossier.router import router as dossier_router
from issues_api.ledger.deps import ViewerDep
from issues_api.ledger.service import get_visible_issue
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_responses

CHUNK = 1024 * 1024

router = APIRouter(prefix="/api/v1/issues", tags=["attachments"])


def max_bytes(request: Request) -> int:
    return int(request.app.state.settings.attachment_max_bytes)


async def read_limited(upload: UploadFile, limit: int) -> bytes:
    """The upload's bytes, refused with 413 as soon as they pass `limit`."""
    chunks, size = [], 0
    while chunk := await upload.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise AttachmentTooLarge(f"the limit is {limit} bytes", max_bytes=limit)
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/{issue_id}/attachments",
    status_code=201,
    response_model=AttachmentOut,
    summary="上传附件 / Upload an attachment (multipart)",
    responses=problem_responses(401, 403, 404, 409, 413, 415, 422),
)
async def upload(
    issue_id: str,
    file: Annotated[UploadFile, File(description="pdf, images, office documents or zip")],
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    clock: ClockDep,
) -> AttachmentOut:
    issue = await get_visible_issue(session, issue_id, viewer)
    service.check_may_attach(issue, viewer)  # before reading up to the size limit
    data = await read_limited(file, max_bytes(request))
    attachment = await service.add_attachment(
        session, issue=issue, filename=file.filename, data=data, store=file_store(request), viewer=viewer, clock=clock
    )
    return AttachmentOut.model_validate(attachment, from_attributes=True)


@router.get(
    "/{issue_id}/attachments",
    response_model=list[AttachmentOut],
    summary="附件列表 / List attachments",
    responses=problem_responses(401, 403, 404),
)
async def list_attachments(issue_id: str, session: SessionDep, viewer: ViewerDep) -> list[AttachmentOut]:
    issue = await get_visible_issue(session, issue_id, viewer)
    rows = await service.list_attachments(session, issue_id=issue.id)
    return [AttachmentOut.model_validate(a, from_attributes=True) for a in rows]


@router.get(
    "/{issue_id}/attachments/{attachment_id}",
    summary="下载附件 / Download an attachment",
    response_class=Response,
    responses=problem_responses(401, 403, 404),
)
async def download(
    issue_id: str, attachment_id: str, request: Request, session: SessionDep, viewer: ViewerDep
) -> Response:
    issue = await get_visible_issue(session, issue_id, viewer)
    attachment = await service.get_attachment(session, issue_id=issue.id, attachment_id=attachment_id)
    data = await file_store(request).get(attachment.sha256)
    disposition = f"attachment; filename*=UTF-8''{quote(attachment.filename)}"
    return Response(
        data,
        media_type=attachment.content_type,
        headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"},
    )


# The dossier bundles the attachments; it is served under the same prefix and scoping.
router.include_router(dossier_router)
