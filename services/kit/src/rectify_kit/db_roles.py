"""The application's database role on PostgreSQL: not a superuser, not the owner of the tables.

Migrations run as the owner (`<SVC>_MIGRATION_DATABASE_URL`, or `<SVC>_DATABASE_URL` when unset); the service
connects as another role (`<SVC>_APP_DB_ROLE`), which `migrate` grants what the service does and nothing more:
reading and writing rows, never the schema. Tables listed as append-only lose UPDATE, DELETE and TRUNCATE, and since
only an owner (or a superuser) may disable or drop a trigger, the append-only guard binds the service too.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from rectify_kit import migrations
from rectify_kit.settings import ServiceSettings

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _quoted(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain PostgreSQL identifier: {name!r}")
    return f'"{name}"'


def grant_statements(role: str, *, append_only: Sequence[str] = ()) -> list[str]:
    """What `grant_app_role` runs, in order."""
    who = _quoted(role)
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {who}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {who}",
        f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {who}",
    ]
    statements += [f"REVOKE UPDATE, DELETE, TRUNCATE ON {_quoted(t)} FROM {who}" for t in append_only]
    return statements


async def grant_app_role(url: str, role: str, *, append_only: Sequence[str] = ()) -> None:
    """Give `role` the rights the service needs on the database at `url` (run as the owner, after migrating)."""
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            for statement in grant_statements(role, append_only=append_only):
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


def migrate_service(migrations_dir: Path, *, url: str, app_role: str, append_only: Sequence[str] = ()) -> None:
    """Upgrade to the heads as the owner, then grant the application role (PostgreSQL only)."""
    migrations.upgrade(migrations_dir, url)
    if app_role and url.startswith("postgresql"):
        asyncio.run(grant_app_role(url, app_role, append_only=append_only))


def migrate_with(settings: ServiceSettings, migrations_dir: Path, *, append_only: Sequence[str] = ()) -> None:
    """A service's `migrate` command: `migrate_service` on its own settings' database, its var/ made first (where
    SQLite keeps the file)."""
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    url, role = settings.resolved_migration_url(), settings.app_db_role
    migrate_service(migrations_dir, url=url, app_role=role, append_only=append_only)
