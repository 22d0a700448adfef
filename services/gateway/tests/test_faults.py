"""A dead or slow upstream answers 503/504 problems for its own routes only; the circuit stops calling a dead one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from fastapi import FastAPI

from gateway.breaker import CircuitBreaker
from rectify_kit.testing import TokenFactory


class TestCircuitBreaker:
    def test_opens_after_consecutive_failures_and_lets_one_trial_through_later(self) -> None:
        now = [0.0]
        breaker = CircuitBreaker(failures=2, open_seconds=5, clock=lambda: now[0])
        breaker.record_failure()
        assert breaker.allow()
        breaker.record_failure()
        assert not breaker.allow()
        assert breaker.retry_after() == 5
        now[0] += 5
        assert breaker.allow()  # the trial call
        assert not breaker.allow()  # only one at a time
        breaker.record_success()
        assert breaker.allow()
        assert not breaker.is_open

    def test_a_trial_that_never_reports_back_does_not_keep_the_circuit_open(self) -> None:
        now = [0.0]
        breaker = CircuitBreaker(failures=1, open_seconds=5, clock=lambda: now[0])
        breaker.record_failure()
        now[0] += 5
        assert breaker.allow()  # this trial's client goes away: no success, no failure
        now[0] += 4
        assert not breaker.allow()
        now[0] += 1
        assert breaker.allow()

    def test_a_failed_trial_opens_it_again(self) -> None:
        now = [0.0]
        breaker = CircuitBreaker(failures=1, open_seconds=5, clock=lambda: now[0])
        breaker.record_failure()
        now[0] += 6
        assert breaker.allow()
        breaker.record_failure()
        assert not breaker.allow()
        assert breaker.retry_after() == 5

    def test_a_success_resets_the_count(self) -> None:
        breaker = CircuitBreaker(failures=2, open_seconds=5)
        breaker.record_failure()
        breaker.record_success()
        breaker.record_failure()
        assert breaker.allow()


class TestDeadUpstream:
    async def test_a_killed_upstream_gives_503_for_its_routes_while_others_work(
        self, make_gateway: Callable[..., FastAPI], tokens: TokenFactory, start_upstream: Callable[[str], Any]
    ) -> None:
        victim = start_upstream("report-api")
        app = make_gateway(report_url=victim.url, breaker={"failures": 2, "open_seconds": 60})
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test") as client:
            assert (await client.get("/api/v1/reports/summary", headers=tokens.headers())).status_code == 200
            victim.stop()
            answers = [await client.get("/api/v1/reports/summary", headers=tokens.headers()) for _ in range(3)]
            others = await client.get("/api/v1/notifications", headers=tokens.headers())
        await app.state.upstreams.close()
        for answer in answers:
            assert answer.status_code == 503, answer.text
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.json()["code"] == "upstream-unavailable"
            assert answer.json()["upstream"] == "report-api"
        # After two failures the circuit is open: the third answer never tried to connect.
        assert "circuit" not in answers[0].json()
        assert answers[2].json()["circuit"] == "open"
        assert int(answers[2].headers["retry-after"]) > 0
        assert others.status_code == 200
        assert others.json()["service"] == "notify-api"

    async def test_nothing_listening_is_503_in_english_when_asked(
        self, make_gateway: Callable[..., FastAPI], tokens: TokenFactory
    ) -> None:
        app = make_gateway(notify_url="http://127.0.0.1:9")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test") as client:
            answer = await client.get("/api/v1/notifications", headers={**tokens.headers(), "Accept-Language": "en"})
        await app.state.upstreams.close()
        assert answer.status_code == 503
        assert answer.json()["title"] == "Service unavailable, try again later"


class TestSlowUpstream:
    async def test_a_slow_upstream_gives_504_while_others_work(
        self, make_gateway: Callable[..., FastAPI], tokens: TokenFactory
    ) -> None:
        app = make_gateway(timeouts={"read": 0.3})
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test") as client:
            slow = await client.get("/api/v1/reports/slow", headers=tokens.headers())
            fine = await client.get("/api/v1/issues", headers=tokens.headers())
        await app.state.upstreams.close()
        assert slow.status_code == 504, slow.text
        assert slow.json()["code"] == "upstream-timeout"
        assert slow.json()["upstream"] == "report-api"
        assert fine.status_code == 200
