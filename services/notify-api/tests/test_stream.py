"""The live inbox over a real HTTP connection: server-sent events for the listening user only."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import date

import httpx
import uvicorn
from fastapi import FastAPI
from notify_support import World, issue

from rectify_kit.testing import free_port


async def test_stream_sends_unread_count_then_each_new_notification(app: FastAPI, world: World) -> None:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_config=None))
    serving = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(20):
            while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
                await asyncio.sleep(0.02)
            async with (
                httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http,
                http.stream("GET", "/api/v1/notifications/stream", headers=world.headers("u-a")) as response,
            ):
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


async def _take(lines: AsyncIterator[str], count: int) -> AsyncIterator[str]:
    taken = 0
    async for line in lines:
        yield line
        taken += 1
        if taken == count:
            return
