"""Rate limits (per client IP on public submissions and login, per subject elsewhere) and the body size limit."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
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


REDIS_URL = "redis://127.0.0.1:6379/0"


def _key() -> str:
    """A key of this test's own: runs of the tests at the same time share the Redis server."""
    return f"test-{uuid.uuid4().hex}"


_MINUTES_END_SECONDS = 10


@pytest.fixture(autouse=True)
async def _clear_of_a_minutes_end() -> None:
    """The sliding counters are clock-aligned windows, and the previous window's count is weighed down (and
    floored) from the first instant of the next: a limit of one a minute lets a second request through once a
    minute's boundary falls between the two. A test counting requests in one minute starts clear of its end."""
    left = 60 - time.time() % 60
    if left < _MINUTES_END_SECONDS:
        await asyncio.sleep(left + 0.05)


@pytest.fixture(params=["memory", "redis"])
def limiter(request: pytest.FixtureRequest) -> RateLimiter:
    return RateLimiter(REDIS_URL if request.param == "redis" else None)


class TestRateLimiter:
    async def test_a_window_refills_after_its_length(self, limiter: RateLimiter) -> None:
        key, per_second = _key(), (Limit("s", 3, 1),)
        assert [await limiter.hit(key, per_second) for _ in range(4)][:3] == [0, 0, 0]
        assert 0 < await limiter.hit(key, per_second) <= 2
        await asyncio.sleep(2.1)
        assert await limiter.hit(key, per_second) == 0

    async def test_a_request_refused_by_the_short_window_takes_nothing_from_the_long(
        self, limiter: RateLimiter
    ) -> None:
        # The long window is a day: the sliding counters are clock-aligned, and a minute's boundary falling
        # inside the test's four seconds would refill it by design (one run in fifteen).
        key, limits = _key(), (Limit("s", 1, 1), Limit("d", 2, 86_400))
        assert await limiter.hit(key, limits) == 0
        assert await limiter.hit(key, limits) > 0
        assert await limiter.hit(key, limits) > 0
        await asyncio.sleep(2.1)
        # The refused requests took nothing from the day: it still has its second request.
        assert await limiter.hit(key, limits) == 0
        await asyncio.sleep(2.1)
        # The day holds when the second refills.
        assert await limiter.hit(key, limits) > 1

    async def test_redis_out_of_reach_counts_in_memory(self) -> None:
        limiter = RateLimiter("redis://127.0.0.1:9/0")
        key, per_minute = _key(), (Limit("m", 2, 60),)
        assert [await limiter.hit(key, per_minute) for _ in range(3)][:2] == [0, 0]
        assert await limiter.hit(key, per_minute) > 0


class TestSharedLimits:
    async def test_two_gateways_on_one_redis_share_a_clients_limit(self, make_gateway: Callable[..., FastAPI]) -> None:
        ip = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
        apps = [make_gateway(redis_url=REDIS_URL, rate_limits={"login_per_minute": 4}) for _ in range(2)]
        statuses = []
        for turn in range(6):
            async with _client(apps[turn % 2], ip=ip) as client:
                statuses.append((await client.post("/api/v1/auth/token", data={"username": "u"})).status_code)
        for app in apps:
            await app.state.upstreams.close()
        assert statuses == [200, 200, 200, 200, 429, 429]


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
            assert 1 <= int(answer.headers["retry-after"]) <= 60
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
    async def test_open311_posts_share_the_sign_in_limit_per_ip(self, make_gateway: Callable[..., FastAPI]) -> None:
        app = make_gateway(rate_limits={"login_per_minute": 2})
        async with _client(app) as client:
            for _ in range(2):
                assert (await client.post("/open311/v2/requests.json", data={"api_key": "k"})).status_code == 200
            _assert_limited(await client.post("/open311/v2/requests.json", data={"api_key": "k"}))
            assert (await client.get("/open311/v2/requests.json")).status_code == 200
        await app.state.upstreams.close()

    async def test_login_is_limited_per_ip(self, make_gateway: Callable[..., FastAPI]) -> None:
        app = make_gateway(rate_limits={"login_per_minute": 2})
        async with _client(app) as client:
            for _ in range(2):
                assert (await client.post("/api/v1/auth/token", data={"username": "u"})).status_code == 200
            _assert_limited(await client.post("/api/v1/auth/token", data={"username": "u"}))
        await app.state.upstreams.close()

    async def test_session_renewals_count_apart_from_sign_ins(self, make_gateway: Callable[..., FastAPI]) -> None:
        """An office behind one address renews its web sessions all day: the renewals (a cookie, no password)
        never use up the address's sign-ins, and are limited on their own at the subject's rate."""
        app = make_gateway(rate_limits={"login_per_minute": 2, "subject_per_minute": 3})
        async with _client(app) as client:
            for _ in range(3):
                assert (await client.post("/api/v1/auth/refresh")).status_code == 200
            _assert_limited(await client.post("/api/v1/auth/logout"))
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
