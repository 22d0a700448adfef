"""Fault: a slow upstream under load. Its callers get a 504 after the read timeout, then the circuit opens and
refuses at once; requests never pile up behind it (a full connection pool fails fast too); the other upstreams
keep answering; after the open period one trial call goes through."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx
from fastapi import FastAPI

from rectify_kit.testing import TokenFactory

SLOW = "/api/v1/reports/slow"  # the stand-in answers it after 3 s


async def timed(client: httpx.AsyncClient, path: str, headers: Any) -> tuple[int, float, dict[str, Any]]:
    started = time.monotonic()
    answer = await client.get(path, headers=headers)
    return answer.status_code, time.monotonic() - started, answer.json()


class TestSlowUpstreamUnderLoad:
    async def test_timeouts_then_the_breaker_refuses_at_once_while_others_answer(
        self, make_gateway: Callable[..., FastAPI], tokens: TokenFactory
    ) -> None:
        app = make_gateway(timeouts={"read": 0.3}, breaker={"failures": 3, "open_seconds": 60})
        headers = tokens.headers()
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test") as client:
            first = await asyncio.gather(*(timed(client, SLOW, headers) for _ in range(5)))
            started = time.monotonic()
            burst, others = await asyncio.gather(
                asyncio.gather(*(timed(client, SLOW, headers) for _ in range(50))),
                asyncio.gather(*(timed(client, "/api/v1/notifications", headers) for _ in range(10))),
            )
            burst_seconds = time.monotonic() - started
        await app.state.upstreams.close()
        assert {status for status, _, _ in first} == {504}
        assert max(seconds for _, seconds, _ in first) < 2.5  # the read timeout, never the upstream's 3 s
        assert {status for status, _, _ in burst} == {503}
        assert all(body.get("circuit") == "open" for _, _, body in burst)
        assert burst_seconds < 2.0, burst_seconds  # 50 refusals without waiting for anyone
        assert {status for status, _, _ in others} == {200}

    async def test_a_full_connection_pool_fails_fast_instead_of_queueing(
        self, make_gateway: Callable[..., FastAPI], tokens: TokenFactory
    ) -> None:
        # Two connections, held 3 s each by the slow upstream; the breaker out of the way: the pool alone decides.
        app = make_gateway(pool_size=2, timeouts={"read": 10, "pool_wait": 0.5}, breaker={"failures": 1000})
        headers = tokens.headers()
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test") as client:
            answers = await asyncio.gather(*(timed(client, SLOW, headers) for _ in range(8)))
        await app.state.upstreams.close()
        served = [a for a in answers if a[0] == 200]
        refused = [a for a in answers if a[0] != 200]
        assert len(served) == 2
        assert {status for status, _, _ in refused} == {503}
        assert max(seconds for _, seconds, _ in refused) < 2.0  # not the 3 s (or more) of a queue
