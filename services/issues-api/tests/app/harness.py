"""Fixtures shared by the directory, auth, intake, campaign and app tests of issues-api.

Each test gets its own migrated database: on SQLite a copy of a file migrated once per session, on
PostgreSQL (when RECTIFY_TEST_PG_URL is set) a fresh database, migrated, dropped afterwards. Tokens are
minted with the app's own signing key, so they pass the app's verifier like the ones it issues.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from issues_api.__main__ import MIGRATIONS
from issues_api.auth import keys as service_keys
from issues_api.config import Settings, TokenSettings
from issues_api.main import create_app
from issues_api.models import metadata
from rectify_kit import migrations
from rectify_kit.testing import TokenFactory, backends, create_pg_database, drop_pg_database, sqlite_test_url

__all__ = [
    "Tokens",
    "app",
    "backend",
    "client",
    "database_url",
    "key_file",
    "pg_module_url",
    "post_ok",
    "settings",
    "sqlite_template",
    "tokens",
]


@pytest.fixture(scope="session")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "issues-api.pem"
    path.write_text(service_keys._generate_pem())
    return path


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("template")
    migrations.upgrade(MIGRATIONS, sqlite_test_url(directory, "issues"))
    return directory / "issues.db"


@pytest.fixture(scope="module", params=backends())
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def pg_module_url(backend: str) -> Iterator[str | None]:
    """On PostgreSQL, one migrated database per test module (creating one per test is too slow)."""
    if backend != "postgresql":
        yield None
        return
    url = asyncio.run(create_pg_database("issues_test"))
    try:
        migrations.upgrade(MIGRATIONS, url)
        yield url
    finally:
        asyncio.run(drop_pg_database(url))


async def _empty_pg_tables(url: str) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            # The audit log refuses TRUNCATE by trigger; a test database is emptied with triggers off.
            await conn.execute(text("SET LOCAL session_replication_role = replica"))
            names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


@pytest.fixture
def database_url(backend: str, pg_module_url: str | None, sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated database of the test's own: a fresh SQLite copy, or the module's emptied PostgreSQL one."""
    if pg_module_url is None:
        shutil.copy(sqlite_template, tmp_path / "issues.db")
        return sqlite_test_url(tmp_path, "issues")
    asyncio.run(_empty_pg_tables(pg_module_url))
    return pg_module_url


@pytest.fixture
def settings(database_url: str, key_file: Path, tmp_path: Path) -> Settings:
    return Settings(
        var_dir=tmp_path, database_url=database_url, log_json=False, tokens=TokenSettings(private_key_file=key_file)
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    yield application
    await application.state.database.dispose()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://issues.test") as http:
        yield http


class Tokens:
    """Bearer headers for made-up principals, signed with the app's key."""

    def __init__(self, factory: TokenFactory) -> None:
        self.factory = factory

    def user(self, role: str, *, sub: str | None = None, unit_id: str | None = None) -> Mapping[str, str]:
        return self.factory.headers(
            sub or f"{role}-id", kind="user", role=role, unit_id=unit_id, username=role, name=role, scope=""
        )

    def client(self, scopes: str, *, sub: str = "some-system") -> Mapping[str, str]:
        return self.factory.headers(sub, kind="client", role="integration", username=sub, scope=scopes)

    def admin(self) -> Mapping[str, str]:
        return self.user("admin")

    def office(self) -> Mapping[str, str]:
        return self.user("office")


@pytest.fixture
def tokens(settings: Settings) -> Tokens:
    loaded = service_keys.load_keys(settings)
    factory = TokenFactory(
        issuer=settings.auth.issuer,
        audience=settings.auth.audience,
        kid=loaded.kid,
        keys=(loaded.private_pem, loaded.public_pem),
    )
    return Tokens(factory)


async def post_ok(client: httpx.AsyncClient, path: str, body: Mapping[str, Any], headers: Mapping[str, str]) -> Any:
    response = await client.post(path, json=dict(body), headers=dict(headers))
    assert response.status_code in (200, 201), response.text
    return response.json()
