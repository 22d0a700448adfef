"""JSON answers over 1 KB leave the gateway compressed; small ones, event streams and downloads do not."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from rectify_kit.testing import TokenFactory


class TestJsonCompression:
    async def test_a_large_json_answer_is_brotli_compressed(
        self, gateway: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        headers = {**tokens.headers(), "Accept-Encoding": "br", "X-Padding": "x" * 2000}
        answer = await gateway.get("/api/v1/issues/echo", headers=headers)
        assert answer.status_code == 200
        assert answer.headers["content-encoding"] == "br"
        assert "Accept-Encoding" in answer.headers["vary"]
        assert int(answer.headers["content-length"]) < len(answer.content)
        assert answer.json()["path"] == "/api/v1/issues/echo"

    async def test_gzip_for_a_client_without_brotli(self, gateway: httpx.AsyncClient, tokens: TokenFactory) -> None:
        headers = {**tokens.headers(), "Accept-Encoding": "gzip", "X-Padding": "x" * 2000}
        answer = await gateway.get("/api/v1/issues/echo", headers=headers)
        assert answer.headers["content-encoding"] == "gzip"
        assert answer.json()["path"] == "/api/v1/issues/echo"

    async def test_a_small_answer_is_left_as_it_is(self, gateway: httpx.AsyncClient, tokens: TokenFactory) -> None:
        answer = await gateway.get("/api/v1/issues/items", headers={**tokens.headers(), "Accept-Encoding": "br"})
        assert answer.status_code == 200
        assert len(answer.content) < 1024
        assert "content-encoding" not in answer.headers

    async def test_a_large_problem_is_compressed_too(self, gateway: httpx.AsyncClient) -> None:
        answer = await gateway.get("/api/v1/" + "x" * 1500, headers={"Accept-Encoding": "br"})
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["content-encoding"] == "br"

    async def test_the_merged_openapi_document_is_compressed(self, gateway: httpx.AsyncClient) -> None:
        answer = await gateway.get("/api/v1/openapi.json", headers={"Accept-Encoding": "gzip"})
        assert answer.status_code == 200
        assert answer.headers["content-encoding"] == "gzip"
        assert "paths" in answer.json()


class TestStreamsStayUncompressed:
    async def test_server_sent_events_are_never_compressed(
        self, served_gateway: Callable[..., str], tokens: TokenFactory, upstreams: dict[str, Any]
    ) -> None:
        url = served_gateway()
        state = upstreams["notify-api"].state
        state.release_stream.clear()
        headers = {**tokens.headers(), "Accept-Encoding": "br, gzip"}
        async with (
            httpx.AsyncClient(base_url=url, timeout=10) as client,
            client.stream("GET", "/api/v1/notifications/stream", headers=headers) as answer,
        ):
            assert "content-encoding" not in answer.headers
            lines = answer.aiter_lines()
            # The first event arrives before the upstream sends the second: nothing holds it back.
            first = await asyncio.wait_for(anext(lines), 5)
            assert first == "event: notification"
            state.release_stream.set()
            rest = [line async for line in lines]
        assert "data: second" in rest

    @pytest.mark.parametrize("accept", ["br", "gzip"])
    async def test_downloads_pass_untouched(
        self, served_gateway: Callable[..., str], tokens: TokenFactory, accept: str
    ) -> None:
        url = served_gateway()
        headers = {**tokens.headers(), "Accept-Encoding": accept}
        async with (
            httpx.AsyncClient(base_url=url, timeout=30) as client,
            client.stream("GET", "/api/v1/reports/big.bin", params={"size": 300_000}, headers=headers) as answer,
        ):
            assert "content-encoding" not in answer.headers
            received = sum([len(chunk) async for chunk in answer.aiter_raw()])
        assert received == 300_000
