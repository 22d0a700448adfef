"""HTTP for attachments: multipart upload with a size limit, listing and download under the issue's scoping."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from issues_api.attachments import service
from issues_api.attachments.errors import AttachmentTooLarge
from issues_api.attachments.models import Attachment
from issues_api.attachments.schemas import AttachmentOut, Step
from issues_api.attachments.storage import file_store
from issues_api.dossier.router import router as dossier_router
from issues_api.ledger.deps import ViewerDep
from issues_api.ledger.service import get_visible_issue
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_responses
from rectify_kit.uploads import multipart_body, read_upload, too_large_response

router = APIRouter(prefix="/api/v1/issues", tags=["attachments"])


def _out(attachment: Attachment, names: dict[str, str]) -> AttachmentOut:
    return AttachmentOut(
        id=attachment.id,
        issue_id=attachment.issue_id,
        name=attachment.filename,
        filename=attachment.filename,
        content_type=attachment.content_type,
        size=attachment.size,
        sha256=attachment.sha256,
        step=attachment.step,
        uploaded_by=attachment.uploaded_by,
        uploaded_by_name=names.get(attachment.uploaded_by),
        uploaded_at=attachment.created_at,
        created_at=attachment.created_at,
    )


def max_bytes(request: Request) -> int:
    return int(request.app.state.settings.attachment_max_bytes)


@router.post(
    "/{issue_id}/attachments",
    status_code=201,
    response_model=AttachmentOut,
    summary="上传附件 / Upload an attachment (multipart)",
    description=(
        "One file in the multipart field `file`, at most `ISSUES_ATTACHMENT_MAX_BYTES` (20 MiB by default; 413 "
        "above), its type judged on its bytes (PDF, images, office documents, zip; 415 for anything else). "
        "单个文件不超过 20 MiB，按内容判断类型。"
    ),
    responses={**problem_responses(401, 403, 404, 409, 415, 422), 413: too_large_response()},
    openapi_extra=multipart_body("file", "pdf, images, office documents or zip"),
)
async def upload(
    issue_id: str,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    clock: ClockDep,
    step: Annotated[
        Step, Query(description="佐证的环节 progress|completion|other / the step the file proves")
    ] = "other",
) -> AttachmentOut:
    issue = await get_visible_issue(session, issue_id, viewer)
    service.check_may_attach(issue, viewer)  # before the body is read at all
    file = await read_upload(request, limit=max_bytes(request), too_large=AttachmentTooLarge)
    attachment = await service.add_attachment(
        session,
        issue=issue,
        filename=file.filename,
        data=file.data,
        store=file_store(request),
        viewer=viewer,
        clock=clock,
        step=step,
    )
    return _out(attachment, await service.uploader_names(session, [attachment]))


@router.get(
    "/{issue_id}/attachments",
    response_model=list[AttachmentOut],
    summary="附件列表 / List attachments",
    responses=problem_responses(401, 403, 404),
)
async def list_attachments(issue_id: str, session: SessionDep, viewer: ViewerDep) -> list[AttachmentOut]:
    issue = await get_visible_issue(session, issue_id, viewer)
    rows = await service.list_attachments(session, issue_id=issue.id)
    names = await service.uploader_names(session, rows)
    return [_out(a, names) for a in rows]


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
