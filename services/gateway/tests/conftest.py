"""Real upstreams on loopback for the gateway's tests (tokens and the rest come from the kit's plugin): small FastAPI
apps served by uvicorn in threads.

The gateway is the unit under test, so its upstreams here are stand-ins that answer what a test needs
(echo of the request as received, large and endless bodies, server-sent events, a slow answer, JWKS).
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import create_model

from gateway.config import Settings
from gateway.main import create_app
from rectify_kit.protocol import HttpProtocol
from rectify_kit.testing import TokenFactory, share_routes

CHUNK = b"\0" * 65536
PREFIXES = {"issues-api": "/api/v1/issues", "notify-api": "/api/v1/notifications", "report-api": "/api/v1/reports"}


class ServerThread:
    """uvicorn serving `app` on a free loopback port in a daemon thread."""

    def __init__(self, app: Any, port: int = 0, http: Any = "httptools") -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.port: int = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_config=None, log_level="warning", http=http, loop="asyncio")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.state: UpstreamState | None = None

    def start(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@dataclass
class UpstreamState:
    """What a stand-in upstream serves and what it saw."""

    name: str
    prefix: str
    jwks: dict[str, Any] = field(default_factory=lambda: {"keys": []})
    release_stream: threading.Event = field(default_factory=threading.Event)
    upload_chunks: list[int] = field(default_factory=list)
    endless_stream_closed: threading.Event = field(default_factory=threading.Event)
    # What its /readyz says (a replica a test takes out of service answers 503 there).
    ready: bool = True


def upstream_app(state: UpstreamState) -> FastAPI:
    """A stand-in service: each route answers one kind of test."""
    app = FastAPI(title=state.name)
    # The same schema name with a different shape in each service: the merged OpenAPI must keep both.
    item = create_model("Item", id=(int, ...), **{f"{state.name.split('-')[0]}_field": (str, "")})  # type: ignore[call-overload]

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        return JSONResponse({"status": "ok" if state.ready else "unavailable"}, status_code=200 if state.ready else 503)

    @app.get("/.well-known/jwks.json")
    async def jwks() -> dict[str, Any]:
        return state.jwks

    @app.get(state.prefix + "/items", response_model=list[item])  # type: ignore[valid-type]
    async def items() -> list[Any]:
        return [item(id=1)]

    @app.get("/api/v1/{section}/big.bin")
    async def big(section: str, size: int) -> StreamingResponse:
        async def body() -> AsyncIterator[bytes]:
            left = size
            while left > 0:
                yield CHUNK[: min(left, len(CHUNK))]
                left -= len(CHUNK)

        return StreamingResponse(body(), media_type="application/octet-stream")

    @app.get("/api/v1/notifications/stream")
    async def stream() -> StreamingResponse:
        async def events() -> AsyncIterator[bytes]:
            yield b"event: notification\ndata: first\n\n"
            # The second event waits until the test has received the first one through the gateway.
            for _ in range(1000):
                if state.release_stream.is_set():
                    yield b"event: notification\ndata: second\n\n"
                    return
                await asyncio.sleep(0.01)
            yield b"event: notification\ndata: never released\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    @app.get("/api/v1/notifications/endless")
    async def endless() -> StreamingResponse:
        """Like an inbox stream, on a path the gateway does not know: the client's Accept header tells."""

        async def events() -> AsyncIterator[bytes]:
            try:
                while True:
                    yield b": keep-alive\n\ndata: tick\n\n"
                    await asyncio.sleep(0.05)
            finally:
                state.endless_stream_closed.set()

        return StreamingResponse(events(), media_type="text/event-stream")

    @app.get("/api/v1/{section}/slow")
    async def slow(section: str) -> dict[str, str]:
        await asyncio.sleep(3)
        return {"status": "late"}

    @app.post("/api/v1/{section}/upload")
    async def upload(section: str, request: Request) -> dict[str, Any]:
        digest = hashlib.sha256()
        received = 0
        async for chunk in request.stream():
            digest.update(chunk)
            received += len(chunk)
            state.upload_chunks.append(len(chunk))
        return {"received": received, "sha256": digest.hexdigest()}

    @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    async def echo(path: str, request: Request) -> JSONResponse:
        body = await request.body()
        return JSONResponse(
            {
                "service": state.name,
                "method": request.method,
                "path": request.url.path,
                "raw_path": request.scope["raw_path"].decode(),
                "query": request.url.query,
                "headers": dict(request.headers.items()),
                "body_length": len(body),
            },
            headers={"X-Upstream": state.name, "Connection": "keep-alive"},
        )

    return app


@dataclass
class Upstream:
    state: UpstreamState
    server: ServerThread

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="session")
def upstreams() -> Iterator[dict[str, Upstream]]:
    """One running stand-in per service for the whole session."""
    running: dict[str, Upstream] = {}
    for name, prefix in PREFIXES.items():
        state = UpstreamState(name, prefix)
        running[name] = Upstream(state, ServerThread(upstream_app(state)).start())
    yield running
    for upstream in running.values():
        upstream.server.stop()


@pytest.fixture
def start_upstream() -> Iterator[Callable[..., ServerThread]]:
    """Start an extra stand-in (name → server, its state as `server.state`) that a test may stop; stopped at the
    end in any case. `port` starts it on a given port (one a stopped stand-in had)."""
    started: list[ServerThread] = []

    def start(name: str, port: int = 0) -> ServerThread:
        state = UpstreamState(name, PREFIXES[name])
        server = ServerThread(upstream_app(state), port=port).start()
        server.state = state
        started.append(server)
        return server

    yield start
    for server in started:
        if not server.server.should_exit:
            server.stop()


@pytest.fixture
def make_settings(upstreams: dict[str, Upstream], tmp_path: Path) -> Callable[..., Settings]:
    """Gateway settings pointing at the stand-ins; keyword arguments override."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "issues_url": upstreams["issues-api"].url,
            "notify_url": upstreams["notify-api"].url,
            "report_url": upstreams["report-api"].url,
            "spa_dir": tmp_path / "no-dist",
            "log_json": False,
            "log_level": "WARNING",
        }
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
def make_gateway(make_settings: Callable[..., Settings], tokens: TokenFactory) -> Callable[..., FastAPI]:
    """A gateway app trusting the test token factory."""

    def make(**overrides: Any) -> FastAPI:
        app = share_routes(create_app(make_settings(**overrides)))
        app.state.token_verifier = tokens.verifier()
        return app

    return make


@pytest.fixture
async def gateway(make_gateway: Callable[..., FastAPI]) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client for a gateway with default settings (its upstreams are real)."""
    app = make_gateway()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test") as client:
        yield client
    await app.state.upstreams.close()


@pytest.fixture
def served_gateway(make_gateway: Callable[..., FastAPI]) -> Iterator[Callable[..., str]]:
    """Start a gateway on loopback (for streaming, which an in-process transport would buffer), served as
    `python -m gateway serve` serves it (its own HTTP protocol); returns its URL."""
    started: list[ServerThread] = []

    def start(**overrides: Any) -> str:
        server = ServerThread(make_gateway(**overrides), http=HttpProtocol).start()
        started.append(server)
        return server.url

    yield start
    for server in started:
        server.stop()
