"""The app starts on a migrated database and answers its health endpoints."""

from __future__ import annotations

import httpx

from rectify_kit.testing import health_of


async def test_healthz_and_readyz_answer_on_a_migrated_database(client: httpx.AsyncClient) -> None:
    ok = {"status": "ok", "service": "report-api"}
    assert await health_of(client) == (ok, 200, {"database": "ok"})
