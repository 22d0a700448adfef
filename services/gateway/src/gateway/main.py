"""The gateway app factory: its own endpoints first, then every other path to an upstream or to the SPA."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from gateway import docs, health
from gateway.config import Settings, get_settings
from gateway.errors import RouteNotFound
from gateway.probes import OpenApiSource
from gateway.proxy import Proxy
from gateway.ratelimit import RateLimiter
from gateway.routing import upstream_for
from gateway.spa import Spa
from gateway.upstreams import Upstreams
from rectify_kit.app import create_service_app
from rectify_kit.auth import verifier_from_settings

# FastAPI's own document and Swagger page give way to the merged ones; the kit's /readyz to the upstream check.
_REPLACED_PATHS = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect", "/readyz"})


class Frontdoor:
    """Every path the gateway does not answer itself: an upstream's by prefix, else a file of the SPA."""

    def __init__(self, proxy: Proxy, spa: Spa) -> None:
        self.proxy = proxy
        self.spa = spa

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        routed = upstream_for(path)
        if routed is not None:
            await self.proxy.handle(scope, receive, send, service=routed[0], prefix=routed[1])
        elif path.startswith("/api/"):
            raise RouteNotFound(f"no service answers {path}")
        else:
            await self.spa.handle(scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    upstreams = Upstreams(settings)

    async def close_upstreams(_: FastAPI) -> None:
        await upstreams.close()

    app = create_service_app(settings, title="Rectify gateway", with_database=False, on_shutdown=[close_upstreams])
    app.state.upstreams = upstreams
    app.state.token_verifier = verifier_from_settings(settings.auth)
    app.state.rate_limiter = RateLimiter()
    app.state.openapi_source = OpenApiSource(
        upstreams, timeout=settings.timeouts.openapi, ttl=settings.openapi_cache_seconds
    )
    _drop_replaced(app.router.routes)
    app.include_router(health.router)
    app.include_router(docs.router)
    proxy = Proxy(settings, upstreams, app.state.rate_limiter)
    app.router.routes.append(Route("/{path:path}", endpoint=Frontdoor(proxy, Spa(settings.spa_dir))))
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
