"""`/readyz` of the gateway: 200 only when a request to every service would pass now.

It checks every replica at once (as the periodic checks do) and then asks what the proxy asks: is there a
replica of each service that is healthy and whose circuit lets calls through. A breaker left open by failures
from before the replica came up is closed by that replica's passing check, so ready means the next call goes.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from gateway.config import Settings
from gateway.probes import check_backends
from gateway.upstreams import Backend, Upstream, Upstreams

router = APIRouter(tags=["health"])


@router.get("/readyz", summary="就绪检查（含各上游服务） / Readiness, upstreams included", response_model=None)
async def readyz(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    upstreams: Upstreams = request.app.state.upstreams
    await check_backends(upstreams, seconds=settings.timeouts.readiness)
    checks = {name: _service_status(upstream) for name, upstream in upstreams.by_name.items()}
    up = sum(status == "ok" for status in checks.values())
    status = "ok" if up == len(checks) else "degraded" if up else "unavailable"
    body = {
        "status": status,
        "service": settings.service_name,
        "checks": checks,
        "replicas": {
            name: {backend.base_url: _backend_status(backend) for backend in upstream.backends}
            for name, upstream in upstreams.by_name.items()
        },
    }
    return JSONResponse(body, status_code=200 if status == "ok" else 503)


def _service_status(upstream: Upstream) -> str:
    if upstream.available():
        return "ok"
    statuses = {_backend_status(backend) for backend in upstream.backends}
    return "; ".join(sorted(statuses))


def _backend_status(backend: Backend) -> str:
    if not backend.healthy:
        return backend.last_check
    if not backend.takes_requests():
        return "circuit open"
    return "ok"
