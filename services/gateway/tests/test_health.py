"""The gateway answers its own health endpoint."""

from __future__ import annotations

import httpx

from gateway.config import Settings
from gateway.main import create_app


async def test_healthz_answers() -> None:
    app = create_app(Settings())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        health = await client.get("/healthz")
    assert health.json() == {"status": "ok", "service": "gateway"}
