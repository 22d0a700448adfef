"""The common wiring of a service app: problems, request ids, logs, metrics, health, database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.types import ASGIApp

from rectify_kit.db import Database
from rectify_kit.direct import with_direct_routes
from rectify_kit.edge import EdgeMiddleware, route_templates
from rectify_kit.errors import install_problem_handlers
from rectify_kit.observability import Metrics, configure_logging, health_router
from rectify_kit.openapi import finish_document, operation_id, restore_example_nulls
from rectify_kit.settings import ServiceSettings

Hook = Callable[[FastAPI], Awaitable[None]]


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
    trusted_proxies: Sequence[str] = (),
    head_as_get: bool = True,
) -> FastAPI:
    """Build a service app; `database` defaults to the one in settings (migrated beforehand, never here).
    `head_as_get`: a HEAD answered as its GET without the body (edge.py); off for an app answering HEAD itself."""
    configure_logging(service=settings.service_name, level=settings.log_level, json_logs=settings.log_json)
    db = (
        (database or Database(settings.resolved_database_url(), **settings.engine_options())) if with_database else None
    )

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

    app = FastAPI(
        title=title,
        version=version,
        lifespan=lifespan,
        # The one API page is the gateway's (its Swagger UI served locally); FastAPI's own loads from a CDN.
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=operation_id,
        # FastAPI's own OpenTelemetry bridge off: the services' metrics and logs are the kit's, and the bridge asked
        # OpenTelemetry for its three global providers on every request (reading the environment each time), about
        # 1.5 % of a proxied request's CPU in the gateway and as much of a hot read's in a service.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.database = db
    # Set when the server begins to stop (rectify_kit.serving): streams and long-polls end, loops finish.
    app.state.draining = asyncio.Event()
    app.state.metrics = Metrics(settings.service_name)
    install_problem_handlers(app)
    _outermost_edge(app, app.state.metrics, trusted_proxies, head_as_get=head_as_get)
    app.include_router(health_router(settings.service_name))
    for router in routers:
        app.include_router(router)
    _finish_openapi(app)
    return app


def _outermost_edge(app: FastAPI, metrics: Metrics, trusted_proxies: Sequence[str], *, head_as_get: bool) -> None:
    """The request id, security headers and metrics (edge.py) go around Starlette's own outermost layer too, so
    an unexpected error's 500 carries them; inside them the app's direct routes (direct.py) are answered."""
    build = app.build_middleware_stack

    def build_with_edge() -> ASGIApp:
        stack = with_direct_routes(app, build())
        return EdgeMiddleware(
            stack,
            metrics=metrics,
            trusted_proxies=trusted_proxies,
            head_as_get=head_as_get,
            templates=route_templates(app),
        )

    app.build_middleware_stack = build_with_edge  # type: ignore[method-assign]


def _finish_openapi(app: FastAPI) -> None:
    """The document with the kit's conventions (openapi.py), built once."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            routes=app.routes,
            webhooks=app.webhooks.routes,
            description=app.description,
            tags=app.openapi_tags,
        )
        app.openapi_schema = finish_document(restore_example_nulls(schema))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
