"""The app starts on a migrated database and answers its health endpoints."""

from __future__ import annotations

from pathlib import Path

import httpx

from rectify_kit import migrations
from report_api.__main__ import MIGRATIONS
from report_api.config import Settings
from report_api.main import create_app


async def test_healthz_and_readyz_answer_on_a_migrated_database(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path)
    migrations.upgrade(MIGRATIONS, settings.resolved_database_url())
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        health = await client.get("/healthz")
        ready = await client.get("/readyz")
    assert health.json() == {"status": "ok", "service": "report-api"}
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok"}
