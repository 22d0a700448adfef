"""The live inbox over a real HTTP connection: server-sent events for the listening user only."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

import httpx
import uvicorn
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

from notify_testing.world import World, issue
from rectify_kit.serving import DrainingServer, draining_event
from rectify_kit.testing import free_port


@asynccontextmanager
async def inbox_stream(server: uvicorn.Server, world: World) -> AsyncIterator[httpx.Response]:
    """Once `server` has started, u-a's live inbox over a real connection to it (within 20 s)."""
    async with asyncio.timeout(20):
        while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
            await asyncio.sleep(0.02)
        async with (
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.config.port}") as http,
            http.stream("GET", "/api/v1/notifications/stream", headers=world.headers("u-a")) as response,
        ):
            yield response


async def test_stream_sends_unread_count_then_each_new_notification(app: FastAPI, world: World) -> None:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_config=None))
    serving = asyncio.create_task(server.serve())
    try:
        async with inbox_stream(server, world) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = response.aiter_lines()
            assert await anext(lines) == "event: unread"
            assert json.loads((await anext(lines)).removeprefix("data: ")) == {"unread": 0}
            await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 10, 30))})
            await world.feed("issue.returned", "issue-1", {"issue": issue(), "reason": "r", "reason_code": "x"})
            received = [line async for line in _take(lines, 3)]
            assert received[1] == "event: notification"
            assert json.loads(received[2].removeprefix("data: "))["kind"] == "assigned"
    finally:
        server.should_exit = True
        await serving


def open_streams(metrics: str) -> float:
    return next(
        sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
        if sample.name == "notify_inbox_streams"
    )


async def test_metrics_count_the_streams_open_on_this_process(app: FastAPI, world: World) -> None:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_config=None))
    serving = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(20):
            while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
                await asyncio.sleep(0.02)
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
                assert open_streams((await http.get("/metrics")).text) == 0
                async with (
                    http.stream("GET", "/api/v1/notifications/stream", headers=world.headers("u-a")) as first,
                    http.stream("GET", "/api/v1/notifications/stream", headers=world.headers("u-b")) as second,
                ):
                    assert await anext(first.aiter_lines()) == "event: unread"
                    assert await anext(second.aiter_lines()) == "event: unread"
                    assert open_streams((await http.get("/metrics")).text) == 2
                while open_streams((await http.get("/metrics")).text) != 0:  # noqa: ASYNC110 - polled over HTTP
                    await asyncio.sleep(0.05)  # the server notices the closed connections on its own time
    finally:
        server.should_exit = True
        await serving


async def _take(lines: AsyncIterator[str], count: int) -> AsyncIterator[str]:
    taken = 0
    async for line in lines:
        yield line
        taken += 1
        if taken == count:
            return


async def test_a_stopping_server_ends_the_stream_with_a_retry_line_and_exits(app: FastAPI, world: World) -> None:
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, lifespan="off", log_config=None, timeout_graceful_shutdown=5
    )
    server = DrainingServer(config, draining_event(app))
    serving = asyncio.create_task(server.serve())
    async with inbox_stream(server, world) as response:
        lines = response.aiter_lines()
        assert await anext(lines) == "event: unread"
        loop = asyncio.get_running_loop()
        stopped_at = loop.time()
        server.should_exit = True  # what SIGTERM does
        rest = [line async for line in lines]
        ended_after = loop.time() - stopped_at
    await serving
    assert "retry: 1000" in rest
    # The stream did not wait for the grace period, let alone for its next keep-alive.
    assert ended_after < 2
