"""`/readyz` of the gateway: every upstream's own `/readyz`, with a status for each."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from gateway.config import Settings
from gateway.probes import readiness
from gateway.upstreams import Upstreams

router = APIRouter(tags=["health"])


@router.get("/readyz", summary="就绪检查（含各上游服务） / Readiness, upstreams included", response_model=None)
async def readyz(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    upstreams: Upstreams = request.app.state.upstreams
    checks = await readiness(upstreams, seconds=settings.timeouts.readiness)
    up = sum(status == "ok" for status in checks.values())
    # Ready while it can serve something: one service down takes only its own routes out, not the gateway.
    status = "ok" if up == len(checks) else "degraded" if up else "unavailable"
    body = {"status": status, "service": settings.service_name, "checks": checks}
    return JSONResponse(body, status_code=503 if status == "unavailable" else 200)
