"""Several replicas per service: round-robin, a dead replica skipped without a failed request, active health
checks taking a replica out and back, and /readyz answering 200 only when the next request would pass."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
from fastapi import FastAPI

from rectify_kit.testing import TokenFactory


def _replica(answer: httpx.Response) -> str:
    """The replica that answered: the echo stand-ins return the Host header they were sent."""
    assert answer.status_code == 200, answer.text
    host: str = answer.json()["headers"]["host"]
    return host


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test")


class TestBalancing:
    async def test_requests_take_turns_over_the_replicas(
        self, make_gateway: Callable[..., FastAPI], tokens: TokenFactory, start_upstream: Callable[..., Any]
    ) -> None:
        one, two = start_upstream("issues-api"), start_upstream("issues-api")
        app = make_gateway(issues_url=f"{one.url}, {two.url}/")
        async with _client(app) as client:
            seen = [_replica(await client.get("/api/v1/issues", headers=tokens.headers())) for _ in range(4)]
        await app.state.upstreams.close()
        hosts = {one.url.removeprefix("http://"), two.url.removeprefix("http://")}
        assert set(seen) == hosts
        assert seen[0] != seen[1]
        assert seen[0] == seen[2]

    async def test_a_killed_replica_costs_no_request_and_is_then_left_alone(
        self, make_gateway: Callable[..., FastAPI], tokens: TokenFactory, start_upstream: Callable[..., Any]
    ) -> None:
        one, two = start_upstream("issues-api"), start_upstream("issues-api")
        app = make_gateway(issues_url=f"{one.url},{two.url}", breaker={"failures": 2, "open_seconds": 60})
        one.stop()
        async with _client(app) as client:
            answers = [await client.get("/api/v1/issues", headers=tokens.headers()) for _ in range(3)]
            answers += [await client.post("/api/v1/issues", json={"n": n}, headers=tokens.headers()) for n in range(3)]
        backend = app.state.upstreams["issues-api"].backends[0]
        await app.state.upstreams.close()
        assert {_replica(answer) for answer in answers} == {two.url.removeprefix("http://")}
        # Its two failures opened its circuit: the later requests went straight to the live replica.
        assert backend.breaker.is_open


class TestActiveChecks:
    async def test_a_replica_failing_its_check_is_taken_out_and_comes_back(
        self, served_gateway: Callable[..., str], tokens: TokenFactory, start_upstream: Callable[..., Any]
    ) -> None:
        one, two = start_upstream("issues-api"), start_upstream("issues-api")
        url = served_gateway(issues_url=f"{one.url},{two.url}", health={"interval_seconds": 0.1})
        one.state.ready = False
        await asyncio.sleep(0.5)
        async with httpx.AsyncClient(base_url=url, headers=tokens.headers(), timeout=10) as client:
            out = {_replica(await client.get("/api/v1/issues")) for _ in range(4)}
            one.state.ready = True
            await asyncio.sleep(0.5)
            back = {_replica(await client.get("/api/v1/issues")) for _ in range(4)}
        assert out == {two.url.removeprefix("http://")}
        assert back == {one.url.removeprefix("http://"), two.url.removeprefix("http://")}


class TestHonestReadiness:
    async def test_ready_after_start_up_failures_means_the_next_request_passes(
        self, make_gateway: Callable[..., FastAPI], tokens: TokenFactory, start_upstream: Callable[..., Any]
    ) -> None:
        early = start_upstream("issues-api")
        port = early.port
        early.stop()
        app = make_gateway(issues_url=early.url, breaker={"failures": 2, "open_seconds": 60})
        async with _client(app) as client:
            # The service is not up yet: its circuit opens, and the gateway says so.
            for _ in range(2):
                assert (await client.get("/api/v1/issues", headers=tokens.headers())).status_code == 503
            not_ready = await client.get("/readyz")
            start_upstream("issues-api", port=port)
            ready = await client.get("/readyz")
            first = await client.get("/api/v1/issues", headers=tokens.headers())
        await app.state.upstreams.close()
        assert not_ready.status_code == 503
        assert not_ready.json()["checks"]["issues-api"].startswith("unreachable")
        assert ready.status_code == 200, ready.text
        assert ready.json()["replicas"]["issues-api"] == {early.url: "ok"}
        assert first.status_code == 200

    async def test_a_replica_failing_its_check_is_not_ready(
        self, make_gateway: Callable[..., FastAPI], tokens: TokenFactory, start_upstream: Callable[..., Any]
    ) -> None:
        replica = start_upstream("issues-api")
        app = make_gateway(issues_url=replica.url)
        replica.state.ready = False
        async with _client(app) as client:
            answer = await client.get("/readyz")
        await app.state.upstreams.close()
        assert answer.status_code == 503
        assert answer.json()["checks"]["issues-api"] == "unavailable: HTTP 503"
