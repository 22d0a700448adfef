"""Bodies stream through the gateway in both directions; server-sent events arrive as they are sent.

These run the gateway on loopback: an in-process ASGI transport would collect the whole answer first.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import tracemalloc
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from rectify_kit.testing import TokenFactory

FIFTY_MB = 50 * 1024 * 1024


class TestDownloads:
    async def test_a_50_mb_download_streams_without_being_held_in_memory(
        self, served_gateway: Callable[..., str], tokens: TokenFactory
    ) -> None:
        url = served_gateway()
        received = 0
        tracemalloc.start()
        try:
            async with (
                httpx.AsyncClient(base_url=url, timeout=30) as client,
                client.stream(
                    "GET", "/api/v1/reports/big.bin", params={"size": FIFTY_MB}, headers=tokens.headers()
                ) as answer,
            ):
                assert answer.status_code == 200
                async for chunk in answer.aiter_raw():
                    received += len(chunk)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert received == FIFTY_MB
        # Upstream, gateway and client share this process: all together stay far below the body's size.
        assert peak < 8 * 1024 * 1024, f"peak {peak} bytes"


class TestUploads:
    async def test_a_large_upload_streams_to_the_upstream(
        self, served_gateway: Callable[..., str], tokens: TokenFactory, upstreams: dict[str, Any]
    ) -> None:
        url = served_gateway()
        state = upstreams["issues-api"].state
        state.upload_chunks.clear()
        piece = b"u" * 65536
        count = 30 * 1024 * 1024 // len(piece)

        async def body() -> AsyncIterator[bytes]:
            for _ in range(count):
                yield piece

        tracemalloc.start()
        try:
            async with httpx.AsyncClient(base_url=url, timeout=30) as client:
                answer = await client.post("/api/v1/issues/upload", content=body(), headers=tokens.headers())
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert answer.status_code == 200, answer.text
        assert answer.json() == {
            "received": count * len(piece),
            "sha256": hashlib.sha256(piece * count).hexdigest(),
        }
        assert len(state.upload_chunks) > 10
        assert peak < 8 * 1024 * 1024, f"peak {peak} bytes"


class TestServerSentEvents:
    async def test_events_arrive_before_the_upstream_ends_the_stream(
        self, served_gateway: Callable[..., str], tokens: TokenFactory, upstreams: dict[str, Any]
    ) -> None:
        url = served_gateway()
        state = upstreams["notify-api"].state
        state.release_stream.clear()
        lines: list[str] = []
        async with (
            httpx.AsyncClient(base_url=url, timeout=10) as client,
            client.stream("GET", "/api/v1/notifications/stream", headers=tokens.headers()) as answer,
        ):
            assert answer.status_code == 200
            assert answer.headers["content-type"].startswith("text/event-stream")
            async for line in answer.aiter_lines():
                lines.append(line)
                if line == "data: first":
                    # The upstream holds the rest back until now: a buffering proxy would never get here.
                    assert not state.release_stream.is_set()
                    state.release_stream.set()
        assert lines.count("data: first") == 1
        assert "data: second" in lines
        assert "data: never released" not in lines

    async def test_a_client_that_leaves_ends_the_upstream_stream(
        self, served_gateway: Callable[..., str], tokens: TokenFactory, upstreams: dict[str, Any]
    ) -> None:
        url = served_gateway(timeouts={"stream_read": 60})
        state = upstreams["notify-api"].state
        state.endless_stream_closed.clear()
        async with (
            httpx.AsyncClient(base_url=url, timeout=10) as client,
            client.stream("GET", "/api/v1/notifications/endless", headers=tokens.headers()) as answer,
        ):
            async for line in answer.aiter_lines():
                if line == "data: tick":
                    break
        # The gateway noticed the disconnect and dropped its upstream connection, which ended the generator.
        closed = await asyncio.to_thread(state.endless_stream_closed.wait, 10)
        assert closed

    async def test_open_streams_never_leave_ordinary_requests_waiting_for_a_connection(
        self, served_gateway: Callable[..., str], tokens: TokenFactory
    ) -> None:
        url = served_gateway(pool_size=1)
        headers = {**tokens.headers(), "Accept": "text/event-stream"}
        async with httpx.AsyncClient(base_url=url, timeout=10) as client, contextlib.AsyncExitStack() as streams:
            for _ in range(3):
                answer = await streams.enter_async_context(
                    client.stream("GET", "/api/v1/notifications/endless", headers=headers)
                )
                assert answer.status_code == 200
            # Three streams hold upstream connections; the one-connection pool is still free for this.
            ordinary = await client.get("/api/v1/notifications", headers=tokens.headers())
            assert ordinary.status_code == 200
