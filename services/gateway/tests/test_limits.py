"""Rate limits (per client IP on public submissions and login, per subject elsewhere) and the body size limit."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
from fastapi import FastAPI

from gateway.ratelimit import Limit, RateLimiter
from rectify_kit.testing import TokenFactory


def _client(app: FastAPI, ip: str = "10.0.0.1") -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(ip, 5555)), base_url="http://gw.test")


def _assert_limited(answer: httpx.Response) -> None:
    assert answer.status_code == 429, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert int(answer.headers["retry-after"]) >= 1
    assert answer.json()["code"] == "too-many-requests"


class TestRateLimiter:
    def test_a_bucket_refills_over_its_window(self) -> None:
        now = [1000.0]
        limiter = RateLimiter(clock=lambda: now[0])
        per_minute = (Limit("m", 5, 60),)
        assert all(limiter.hit("ip", per_minute) == 0 for _ in range(5))
        assert limiter.hit("ip", per_minute) == 12.0
        now[0] += 12
        assert limiter.hit("ip", per_minute) == 0
        assert limiter.hit("ip", per_minute) > 0

    def test_the_daily_limit_holds_when_the_minute_refills(self) -> None:
        now = [0.0]
        limiter = RateLimiter(clock=lambda: now[0])
        limits = (Limit("m", 5, 60), Limit("d", 7, 86_400))
        allowed = 0
        for _ in range(60):
            allowed += limiter.hit("ip", limits) == 0
            now[0] += 30
        # 30 minutes pass: the minute bucket would allow 60 more, the day allows only ~7 plus a trickle.
        assert allowed == 7

    def test_a_refused_request_takes_no_token(self) -> None:
        now = [0.0]
        limiter = RateLimiter(clock=lambda: now[0])
        limits = (Limit("m", 1, 60), Limit("d", 2, 86_400))
        assert limiter.hit("ip", limits) == 0
        assert limiter.hit("ip", limits) > 0
        now[0] += 60
        assert limiter.hit("ip", limits) == 0


class TestPublicSubmissions:
    async def test_the_sixth_submission_in_a_minute_is_429_with_retry_after(
        self, make_gateway: Callable[..., FastAPI]
    ) -> None:
        app = make_gateway()
        async with _client(app) as client:
            for _ in range(5):
                assert (await client.post("/api/v1/public/submissions", json={"title": "t"})).status_code == 200
            answer = await client.post("/api/v1/public/submissions", json={"title": "t"})
            _assert_limited(answer)
            assert 1 <= int(answer.headers["retry-after"]) <= 12
            # Reading the status of a submission is not a submission.
            assert (await client.get("/api/v1/public/submissions/ABCD")).status_code == 200
        async with _client(app, ip="10.0.0.2") as other:
            assert (await other.post("/api/v1/public/submissions", json={"title": "t"})).status_code == 200
        await app.state.upstreams.close()

    async def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(
        self, make_gateway: Callable[..., FastAPI]
    ) -> None:
        app = make_gateway(rate_limits={"public_per_minute": 1}, trusted_proxies=["10.9.9.9"])
        async with _client(app, ip="10.9.9.9") as lb:
            first = await lb.post(
                "/api/v1/public/submissions",
                headers={
                    "X-Forwarded-For": "1.1.1.1",
                    "X-Forwarded-Proto": "https",
                    "X-Forwarded-Host": "rectify.gov.example",
                },
            )
            assert first.status_code == 200
            seen = first.json()["headers"]
            assert seen["x-forwarded-for"] == "1.1.1.1"
            assert seen["x-forwarded-proto"] == "https"
            assert seen["x-forwarded-host"] == "rectify.gov.example"
            assert (await lb.post("/api/v1/public/submissions", headers={"X-Forwarded-For": "2.2.2.2"})).is_success
            _assert_limited(await lb.post("/api/v1/public/submissions", headers={"X-Forwarded-For": "1.1.1.1"}))
        await app.state.upstreams.close()


class TestLoginAndSubjects:
    async def test_login_is_limited_per_ip(self, make_gateway: Callable[..., FastAPI]) -> None:
        app = make_gateway(rate_limits={"login_per_minute": 2})
        async with _client(app) as client:
            for _ in range(2):
                assert (await client.post("/api/v1/auth/token", data={"username": "u"})).status_code == 200
            _assert_limited(await client.post("/api/v1/auth/token", data={"username": "u"}))
        await app.state.upstreams.close()

    async def test_each_subject_has_its_own_limit(
        self, make_gateway: Callable[..., FastAPI], tokens: TokenFactory
    ) -> None:
        app = make_gateway(rate_limits={"subject_per_minute": 3})
        async with _client(app) as client:
            for _ in range(3):
                assert (await client.get("/api/v1/issues", headers=tokens.headers("alice"))).status_code == 200
            _assert_limited(await client.get("/api/v1/reports/summary", headers=tokens.headers("alice")))
            # Same address, another subject: not limited.
            assert (await client.get("/api/v1/issues", headers=tokens.headers("bob"))).status_code == 200
        await app.state.upstreams.close()


class TestBodySize:
    async def test_a_declared_body_over_the_limit_is_413_before_the_upstream(
        self, make_gateway: Callable[..., FastAPI], tokens: TokenFactory, upstreams: dict[str, Any]
    ) -> None:
        app = make_gateway(max_body_bytes=1000)
        seen = len(upstreams["issues-api"].state.upload_chunks)
        async with _client(app) as client:
            answer = await client.post("/api/v1/issues/upload", content=b"x" * 1001, headers=tokens.headers())
            assert answer.status_code == 413
            assert answer.json()["code"] == "payload-too-large"
            ok = await client.post("/api/v1/issues/upload", content=b"x" * 1000, headers=tokens.headers())
            assert ok.json()["received"] == 1000
        assert sum(upstreams["issues-api"].state.upload_chunks[seen:]) == 1000
        await app.state.upstreams.close()

    async def test_a_chunked_body_over_the_limit_is_413(
        self, make_gateway: Callable[..., FastAPI], tokens: TokenFactory
    ) -> None:
        app = make_gateway(max_body_bytes=100_000)

        async def body() -> AsyncIterator[bytes]:
            for _ in range(40):
                yield b"y" * 10_000

        async with _client(app) as client:
            answer = await client.post("/api/v1/issues/upload", content=body(), headers=tokens.headers())
        assert answer.status_code == 413
        assert answer.json()["code"] == "payload-too-large"
        await app.state.upstreams.close()
