"""The hot reads take their database connection only once the caller is known: checking the token may read the
account (`AccountCheck`) in a session of the same pool, so a read holding a connection while it waits for that
look-up could wait for itself. With more requests in flight than the pool holds, every connection was held by a
request waiting for a look-up that waited for a connection: nothing was answered until the pool's timeout (30 s),
then 503s."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
import pytest

from issues_api.config import Settings, TokenSettings
from issues_api.main import create_app
from issues_testing.tokens import Tokens
from rectify_kit.settings import AuthSettings, PoolSettings


@pytest.fixture
def settings(database_url: str, key_file: Path, tmp_path: Path) -> Settings:
    # One connection, and the account looked up on every request: a read that took its connection before the
    # caller was known would wait on its own look-up.
    return Settings(
        var_dir=tmp_path,
        database_url=database_url,
        log_json=False,
        tokens=TokenSettings(private_key_file=key_file),
        auth=AuthSettings(account_recheck_seconds=0),
        database_pool=PoolSettings(size=1, overflow=0),
    )


@pytest.mark.parametrize("path", [f"/api/v1/issues/{uuid.uuid4()}", "/api/v1/issues?status=in_progress&limit=20"])
async def test_a_hot_read_with_every_connection_taken_does_not_wait_on_itself(
    settings: Settings, tokens: Tokens, path: str
) -> None:
    if not settings.resolved_database_url().startswith("postgresql"):
        pytest.skip("the pool's size is PostgreSQL's (SQLite keeps its own)")
    app = create_app(settings)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await asyncio.wait_for(client.get(path, headers=dict(tokens.office())), timeout=10)
    finally:
        await app.state.database.dispose()
    assert response.status_code in (200, 404), response.text
