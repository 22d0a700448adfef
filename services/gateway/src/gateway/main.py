"""The gateway app factory: its own endpoints first, then every other path to an upstream or to the SPA."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway import docs, health
from gateway.config import Settings, get_settings
from gateway.encodings import Compression
from gateway.errors import RouteNotFound
from gateway.probes import HealthChecker, OpenApiSource
from gateway.proxy import Proxy
from gateway.ratelimit import RateLimiter
from gateway.routing import upstream_for
from gateway.spa import Spa
from gateway.upstreams import Upstreams
from rectify_kit.app import create_service_app
from rectify_kit.auth import verifier_from_settings
from rectify_kit.errors import ProblemError, problem_error_response

# FastAPI's own document and Swagger page give way to the merged ones; the kit's /readyz to the upstream check.
_REPLACED_PATHS = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect", "/readyz"})


class ProxyPaths:
    """Requests for an upstream's prefix go straight to the proxy, past the router.

    Installed as the innermost middleware: the request id, metrics and CORS layers still wrap it, while
    route matching and the exception middleware (about a tenth of the proxy's cost per request) are skipped,
    so it renders its problems itself.
    """

    def __init__(self, app: ASGIApp, proxy: Proxy) -> None:
        self.app = app
        self.proxy = proxy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        routed = upstream_for(scope["path"]) if scope["type"] == "http" else None
        if routed is None:
            await self.app(scope, receive, send)
            return
        try:
            await self.proxy.handle(scope, receive, send, service=routed[0], prefix=routed[1])
        except ProblemError as exc:
            await problem_error_response(Request(scope), exc)(scope, receive, send)


class Frontdoor:
    """Every other path the gateway does not answer itself: a file of the SPA, never for /api."""

    def __init__(self, spa: Spa) -> None:
        self.spa = spa

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        if path.startswith("/api/"):
            raise RouteNotFound(f"no service answers {path}")
        await self.spa.handle(scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    upstreams = Upstreams(settings)
    checker = HealthChecker(upstreams, interval=settings.health.interval_seconds, timeout=settings.timeouts.readiness)

    async def start_checks(_: FastAPI) -> None:
        await checker.start()

    async def close_upstreams(_: FastAPI) -> None:
        await checker.stop()
        await upstreams.close()

    app = create_service_app(
        settings,
        title="Rectify gateway",
        with_database=False,
        on_startup=[start_checks],
        on_shutdown=[close_upstreams],
        trusted_proxies=settings.trusted_proxies,
        # A HEAD goes on to the replica as it came (a stream's GET would open the stream), the SPA answers its own.
        head_as_get=False,
    )
    app.state.upstreams = upstreams
    app.state.token_verifier = verifier_from_settings(settings.auth)
    app.state.rate_limiter = RateLimiter(settings.redis_url)
    app.state.openapi_source = OpenApiSource(
        upstreams, timeout=settings.timeouts.openapi, ttl=settings.openapi_cache_seconds
    )
    _drop_replaced(app.router.routes)
    app.include_router(health.router)
    app.include_router(docs.router)
    proxy = Proxy(settings, upstreams, app.state.rate_limiter)
    app.router.routes.append(Route("/{path:path}", endpoint=Frontdoor(Spa(settings.spa_dir))))
    # Appended, not added: the innermost layer, inside compression and CORS (the kit's edge layer with the request
    # id and metrics is outside them all).
    app.user_middleware.append(Middleware(ProxyPaths, proxy=proxy))
    app.add_middleware(Compression)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID", "ETag", "Retry-After", "Content-Disposition"],
            max_age=600,
        )
    return app


def _drop_replaced(routes: list[BaseRoute]) -> None:
    """Remove the replaced routes, also from included routers (FastAPI keeps those as nested route lists)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            _drop_replaced(inner.routes)
    routes[:] = [route for route in routes if getattr(route, "path", None) not in _REPLACED_PATHS]
