"""Request ids (made by edge.py), JSON logs, Prometheus metrics and the health endpoints every service exposes."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import re
import sys
from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from pythonjsonlogger.json import JsonFormatter

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
REQUEST_ID_OK = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


# Path segments that are secrets of their own (a submitter's tracking code is all it takes to read the case):
# the access log shows `***` in their place.
SECRET_PATH_SEGMENTS = re.compile(r"(/api/v1/public/submissions/|/track/|/open311/v2/tokens/)[^/?#\s\"']+")


def redact_paths(text: str) -> str:
    return SECRET_PATH_SEGMENTS.sub(r"\1***", text)


class _RedactFilter(logging.Filter):
    """Rewrites every record whose text names a secret path segment (uvicorn's access lines, mostly)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_paths(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def configure_logging(*, service: str, level: str = "INFO", json_logs: bool = True) -> None:
    """JSON lines on stderr with the service name and the request id; secret path segments redacted."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_RequestIdFilter())
    handler.addFilter(_RedactFilter())
    if json_logs:
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                static_fields={"service": service},
                rename_fields={"asctime": "time", "levelname": "level"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())


class Metrics:
    """Per-app Prometheus registry, so several apps in one test process never collide."""

    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests_total", "HTTP requests", ["service", "method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency",
            ["service", "method", "route"],
            registry=self.registry,
        )
        # Requests being answered now (open streams and long-polls included): what a stop waits for, and what
        # says whether a replica is saturated.
        self.in_progress = Gauge(
            "http_requests_in_progress",
            "HTTP requests being answered now",
            ["service", "method"],
            registry=self.registry,
        )
        self.service = service


@cache
def health_router(service: str) -> APIRouter:
    """`/healthz` (the process answers), `/readyz` (its database answers and it is not stopping), `/metrics`.

    One per service and process (the routes read the app from the request): tests make an app each, and with one
    router object their apps share its built routes (`rectify_kit.testing.share_routes`)."""
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="存活检查 / Liveness")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": service}

    @router.get("/readyz", summary="就绪检查 / Readiness", response_model=None)
    async def readyz(request: Request) -> Any:
        database = getattr(request.app.state, "database", None)
        checks: dict[str, str] = {}
        stopping: asyncio.Event | None = getattr(request.app.state, "draining", None)
        if stopping is not None and stopping.is_set():
            checks["serving"] = "draining"
        if database is not None:
            try:
                await database.ping()
                checks["database"] = "ok"
            except Exception as exc:  # readiness answers any failure, it never raises
                checks["database"] = f"error: {type(exc).__name__}"
        ready = all(v == "ok" for v in checks.values())
        body = {"status": "ok" if ready else "unavailable", "service": service, "checks": checks}
        return JSONResponse(body, status_code=200 if ready else 503)

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        registry: CollectorRegistry = request.app.state.metrics.registry
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router
