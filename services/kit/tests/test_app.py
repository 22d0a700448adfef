"""create_service_app wires problems, health, metrics and the lifespan hooks into one app."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from rectify_kit.app import create_service_app
from rectify_kit.settings import ServiceSettings


class TestCreateServiceApp:
    async def test_runs_startup_and_shutdown_hooks_in_order(self, tmp_path: Path) -> None:
        calls: list[str] = []

        async def start_a(app: FastAPI) -> None:
            calls.append("start a")

        async def start_b(app: FastAPI) -> None:
            calls.append("start b")

        async def stop_a(app: FastAPI) -> None:
            calls.append("stop a")

        async def stop_b(app: FastAPI) -> None:
            calls.append("stop b")

        settings = ServiceSettings(service_name="demo-api", var_dir=tmp_path)
        app = create_service_app(settings, title="demo", on_startup=[start_a, start_b], on_shutdown=[stop_a, stop_b])
        async with LifespanManager(app):
            assert calls == ["start a", "start b"]
        assert calls == ["start a", "start b", "stop b", "stop a"]

    async def test_openapi_declares_the_problem_schema(self, tmp_path: Path) -> None:
        app = create_service_app(ServiceSettings(var_dir=tmp_path), title="demo", with_database=False)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            schema = (await c.get("/openapi.json")).json()
        assert schema["components"]["schemas"]["Problem"]["required"] == ["type", "title", "status"]
        assert "/healthz" in schema["paths"]

    async def test_without_database_readyz_has_nothing_to_check(self, tmp_path: Path) -> None:
        app = create_service_app(ServiceSettings(var_dir=tmp_path), title="demo", with_database=False)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            response = await c.get("/readyz")
        assert (response.status_code, response.json()["checks"]) == (200, {})

    def test_fastapis_own_opentelemetry_bridge_is_off(self, tmp_path: Path) -> None:
        # The metrics and logs are the kit's; the bridge looked up OpenTelemetry's providers on every request.
        app = create_service_app(ServiceSettings(var_dir=tmp_path), title="demo", with_database=False)
        assert app._native_telemetry.enabled() is False


class TestHead:
    async def test_a_head_is_answered_as_its_get_without_the_body(self, tmp_path: Path) -> None:
        app = create_service_app(ServiceSettings(var_dir=tmp_path), title="demo", with_database=False)

        @app.get("/things")
        async def things() -> dict[str, list[int]]:
            return {"things": [1, 2, 3]}

        @app.post("/things")
        async def add_thing() -> dict[str, int]:
            return {"added": 1}

        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            got, head = await c.get("/things"), await c.head("/things")
            health = await c.head("/healthz")
            missing = await c.head("/nothing")
            metrics = (await c.get("/metrics")).text
        assert head.status_code == got.status_code == 200
        assert head.content == b""
        assert head.headers["content-length"] == got.headers["content-length"] == str(len(got.content))
        assert head.headers["content-type"] == got.headers["content-type"]
        assert health.status_code == 200
        assert missing.status_code == 404
        assert 'method="HEAD",route="/things",service="service",status="200"} 1.0' in metrics

    async def test_a_head_on_an_endless_stream_ends_with_its_head(self, tmp_path: Path) -> None:
        app = create_service_app(ServiceSettings(var_dir=tmp_path), title="demo", with_database=False)
        closed = asyncio.Event()

        @app.get("/events")
        async def events() -> StreamingResponse:
            async def lines() -> AsyncIterator[str]:
                try:
                    while True:
                        yield "data: tick\n\n"
                        await asyncio.sleep(0.01)
                finally:
                    closed.set()

            return StreamingResponse(lines(), media_type="text/event-stream")

        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            head = await asyncio.wait_for(c.head("/events"), 5)
        assert (head.status_code, head.headers["content-type"], head.content) == (
            200,
            "text/event-stream; charset=utf-8",
            b"",
        )
        await asyncio.wait_for(closed.wait(), 5)
