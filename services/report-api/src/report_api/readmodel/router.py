"""Admin access to the read model: rebuild from sequence 0."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel

from rectify_kit.auth import Principal, require_roles
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_responses
from report_api.readmodel import service

router = APIRouter(prefix="/api/v1/reports/admin", tags=["reports-admin"])


class RebuildStarted(BaseModel):
    reset: bool
    message: str


@router.post(
    "/rebuild",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RebuildStarted,
    summary="从序号 0 重建读模型 / Rebuild the read model from sequence 0",
    responses=problem_responses(401, 403),
)
async def rebuild(session: SessionDep, _admin: Annotated[Principal, Depends(require_roles("admin"))]) -> RebuildStarted:
    await service.reset(session)
    return RebuildStarted(reset=True, message="read model cleared; the consumers replay both feeds from 0")
