"""The gateway's own health: /healthz (itself), /readyz (each upstream), /metrics (routes labelled by prefix)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from fastapi import FastAPI

from gateway.config import Settings
from gateway.main import create_app
from rectify_kit.testing import TokenFactory


async def test_healthz_answers() -> None:
    app = create_app(Settings())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        health = await client.get("/healthz")
    assert health.json() == {"status": "ok", "service": "gateway"}


async def test_readyz_reports_every_upstream(gateway: httpx.AsyncClient) -> None:
    answer = await gateway.get("/readyz")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"
    assert answer.json()["checks"] == {"issues-api": "ok", "notify-api": "ok", "report-api": "ok"}


async def test_readyz_is_503_while_one_service_cannot_take_requests(make_gateway: Callable[..., FastAPI]) -> None:
    app = make_gateway(report_url="http://127.0.0.1:9")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        answer = await client.get("/readyz")
    await app.state.upstreams.close()
    assert answer.status_code == 503
    assert answer.json()["status"] == "degraded"
    assert answer.json()["checks"]["issues-api"] == "ok"
    assert answer.json()["checks"]["report-api"].startswith("unreachable")


async def test_readyz_is_503_when_no_upstream_answers(make_gateway: Callable[..., FastAPI]) -> None:
    down = "http://127.0.0.1:9"
    app = make_gateway(issues_url=down, notify_url=down, report_url=down)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        answer = await client.get("/readyz")
    await app.state.upstreams.close()
    assert answer.status_code == 503
    assert answer.json()["status"] == "unavailable"
    assert all(check.startswith("unreachable") for check in answer.json()["checks"].values())


async def test_metrics_label_proxied_requests_by_prefix(gateway: httpx.AsyncClient, tokens: TokenFactory) -> None:
    await gateway.get("/api/v1/issues/123", headers=tokens.headers())
    metrics = (await gateway.get("/metrics")).text
    assert 'route="/api/v1/issues/*"' in metrics
    assert "/api/v1/issues/123" not in metrics
