"""PostgreSQL only: the service connects as a role that is no superuser and owns nothing, so the audit log's
append-only guard binds it — it may add events, never change, remove or unguard them."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from issues_api.__main__ import MIGRATIONS
from issues_api.config import Settings, TokenSettings
from issues_api.main import create_app
from rectify_kit.db_roles import migrate_service
from rectify_kit.testing import TokenFactory, create_pg_database, drop_pg_database, pg_admin_url


def _dsn(url: str, user: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    return (parsed.set(username=user) if user else parsed).render_as_string(hide_password=False)


@pytest.fixture
def app_role() -> Iterator[tuple[str, str]]:
    """(owner URL of a migrated database, the application role's name), dropped afterwards."""
    admin = pg_admin_url()
    assert admin is not None
    role = f"rectify_app_{uuid.uuid4().hex[:8]}"

    async def run(sql: str) -> None:
        conn = await asyncpg.connect(_dsn(admin))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'))
    url = asyncio.run(create_pg_database("issues_role"))
    try:
        migrate_service(MIGRATIONS, url=url, app_role=role, append_only=("events",))
        yield url, role
    finally:
        asyncio.run(drop_pg_database(url))
        asyncio.run(run(f'DROP ROLE IF EXISTS "{role}"'))


@pytest.fixture
async def as_app(app_role: tuple[str, str]) -> AsyncIterator[asyncpg.Connection]:
    url, role = app_role
    conn = await asyncpg.connect(_dsn(url, role))
    try:
        yield conn
    finally:
        await conn.close()


async def refused(conn: asyncpg.Connection, sql: str) -> str:
    with pytest.raises(asyncpg.PostgresError) as error:
        await conn.execute(sql)
    return str(error.value)


if pg_admin_url():

    class TestApplicationRole:
        async def test_the_service_works_as_the_application_role(
            self, app_role: tuple[str, str], tmp_path: Path
        ) -> None:
            url, role = app_role
            app_url = make_url(url).set(username=role).render_as_string(hide_password=False)
            key = tmp_path / "key.pem"
            settings = Settings(
                var_dir=tmp_path, database_url=app_url, log_json=False, tokens=TokenSettings(private_key_file=key)
            )
            app = create_app(settings)
            keys = app.state.keys
            tokens = TokenFactory(kid=keys.kid, keys=(keys.private_pem, keys.public_pem))
            admin = tokens.headers("admin-id", kind="user", role="admin", unit_id=None, username="admin", scope="")
            body = {"code": "KJT-GX", "name": "高新处", "kind": "department"}
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://issues") as client:
                created = await client.post("/api/v1/units", json=body, headers=admin)
                events = await client.get("/api/v1/events", headers=admin)
            await app.state.database.dispose()
            assert created.status_code == 201, created.text
            assert [e["type"] for e in events.json()["events"]] == ["unit.created"]

        async def test_it_is_no_superuser_and_cannot_change_or_unguard_the_audit_log(
            self, as_app: asyncpg.Connection
        ) -> None:
            assert await as_app.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user") is False
            assert "permission denied" in await refused(as_app, "UPDATE events SET type = 'forged'")
            assert "permission denied" in await refused(as_app, "DELETE FROM events")
            assert "permission denied" in await refused(as_app, "TRUNCATE events")
            assert "must be owner" in await refused(as_app, "ALTER TABLE events DISABLE TRIGGER events_append_only")
            assert "must be owner" in await refused(as_app, "DROP TRIGGER events_append_only ON events")
            assert "must be owner" in await refused(as_app, "DROP TABLE events")

        async def test_it_cannot_change_the_schema_or_the_migration_state(self, as_app: asyncpg.Connection) -> None:
            assert "permission denied" in await refused(as_app, "CREATE TABLE sneaky (id int)")
            assert "permission denied" in await refused(as_app, "UPDATE alembic_version SET version_num = 'x'")
            assert await as_app.fetchval("SELECT count(*) FROM units") == 0
