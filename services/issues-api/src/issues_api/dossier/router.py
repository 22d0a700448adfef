"""HTTP for the dossier export: GET /api/v1/issues/{id}/dossier.zip, under the issue's scoping."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from issues_api.attachments.storage import file_store
from issues_api.dossier.service import build_dossier, gather
from issues_api.ledger.deps import ViewerDep
from issues_api.ledger.service import get_visible_issue
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_responses

router = APIRouter(tags=["dossier"])


@router.get(
    "/{issue_id}/dossier.zip",
    summary="导出案卷 / Export the dossier (zip with a Word summary and the attachments)",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}}, **problem_responses(401, 403, 404)},
)
async def dossier(issue_id: str, request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    issue = await get_visible_issue(session, issue_id, viewer)
    content = await gather(session, issue=issue)
    data = await build_dossier(content, store=file_store(request))
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{issue.code}-dossier.zip"'},
    )
