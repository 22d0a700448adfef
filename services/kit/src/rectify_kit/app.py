"""The common wiring of a service app: problems, request ids, logs, metrics, health, database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi

from rectify_kit.db import Database
from rectify_kit.errors import install_problem_handlers
from rectify_kit.observability import (
    Metrics,
    MetricsMiddleware,
    RequestIdMiddleware,
    configure_logging,
    health_router,
)
from rectify_kit.settings import ServiceSettings

Hook = Callable[[FastAPI], Awaitable[None]]

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "required": ["type", "title", "status"],
}


def create_service_app(
    settings: ServiceSettings,
    *,
    title: str,
    routers: Sequence[APIRouter] = (),
    database: Database | None = None,
    on_startup: Sequence[Hook] = (),
    on_shutdown: Sequence[Hook] = (),
    version: str = "0.1.0",
    with_database: bool = True,
) -> FastAPI:
    """Build a service app; `database` defaults to the one in settings (migrated beforehand, never here)."""
    configure_logging(service=settings.service_name, level=settings.log_level, json_logs=settings.log_json)
    db = (database or Database(settings.resolved_database_url())) if with_database else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        for hook in on_startup:
            await hook(app)
        try:
            yield
        finally:
            for hook in reversed(on_shutdown):
                await hook(app)
            if db is not None:
                await db.dispose()

    app = FastAPI(title=title, version=version, lifespan=lifespan, docs_url="/docs", redoc_url=None)
    app.state.settings = settings
    app.state.database = db
    app.state.metrics = Metrics(settings.service_name)
    install_problem_handlers(app)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(RequestIdMiddleware)
    app.include_router(health_router(settings.service_name))
    for router in routers:
        app.include_router(router)
    _add_problem_schema(app)
    return app


def _add_problem_schema(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes, description=app.description)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
