"""HTTP for the office's batch steps (成批交办、成批催办): one request, one result per item.

Included before the ledger's router: `/api/v1/issues/{issue_id}/assign` would otherwise take `batch/assign`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from issues_api.ledger import batch
from issues_api.ledger.deps import ViewerDep
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import prefers_english, problem_responses

router = APIRouter(prefix="/api/v1/issues/batch", tags=["issues"])
ERRORS = problem_responses(401, 403, 422)


def _english(request: Request) -> bool:
    return prefers_english(request.headers.get("accept-language"))


@router.post(
    "/assign",
    response_model=batch.BatchResult,
    summary="成批交办 / Assign many items to the same units",
    description="Each item as `POST /issues/{id}/assign` would; `results` says per item what happened.",
    responses=ERRORS,
)
async def assign_many(
    body: batch.BatchAssignBody, request: Request, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> batch.BatchResult:
    return await batch.assign_many(session, body=body, viewer=viewer, clock=clock, english=_english(request))


@router.post(
    "/urge",
    response_model=batch.BatchResult,
    summary="成批催办 / Urge many items",
    description="Each item as `POST /issues/{id}/urge` would; `results` says per item what happened.",
    responses=ERRORS,
)
async def urge_many(
    body: batch.BatchUrgeBody, request: Request, session: SessionDep, viewer: ViewerDep, clock: ClockDep
) -> batch.BatchResult:
    return await batch.urge_many(session, body=body, viewer=viewer, clock=clock, english=_english(request))
