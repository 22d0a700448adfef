"""Admin access to the read model: rebuild from sequence 0."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel

from rectify_kit.auth import Principal, require_roles
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
async def rebuild(request: Request, _admin: Annotated[Principal, Depends(require_roles("admin"))]) -> RebuildStarted:
    """Answered at once: clearing a large read model waits for the consumers' write lock and takes a while, so
    it runs in its own transaction after the answer; the consumers then replay both feeds from 0."""
    task = asyncio.create_task(service.reset_in_background(request.app.state.database))
    tasks: set[asyncio.Task[None]] = request.app.state.__dict__.setdefault("rebuild_tasks", set())
    tasks.add(task)
    task.add_done_callback(tasks.discard)
    return RebuildStarted(reset=True, message="the read model is being cleared; the consumers replay both feeds from 0")
