"""Alembic helpers: each service's `env.py` calls `run_env`; CLIs and tests call `upgrade`/`downgrade`."""

from __future__ import annotations

import asyncio
import concurrent.futures
from pathlib import Path
from typing import Any, Literal

from alembic import command, context
from alembic.config import Config
from sqlalchemy import JSON, MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import async_engine_from_config

from rectify_kit.db import UTCDateTime

# The advisory lock that serialises migrations of one database (any constant; advisory locks are per database).
MIGRATION_LOCK_KEY = 7_265_637_469_667_900


def alembic_config(migrations_dir: Path, url: str) -> Config:
    """An Alembic config built in code: the script folder and the database URL, nothing else."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d-%%(hour).2d%%(minute).2d_%%(slug)s")
    return config


def upgrade(migrations_dir: Path, url: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(migrations_dir, url), revision)


def downgrade(migrations_dir: Path, url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(migrations_dir, url), revision)


def check(migrations_dir: Path, url: str) -> None:
    """Fails when the models and the migrations disagree (`alembic check`)."""
    command.check(alembic_config(migrations_dir, url))


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Render the kit's column types as plain SQLAlchemy, so migrations never import the kit."""
    if type_ != "type":
        return False
    if isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, JSON) and "postgresql" in getattr(obj, "_variant_mapping", {}):
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return "sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')"
    return False


def _configure(connection: Connection, metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # One runner at a time per database: another (a Job's retry, a second Job, an init container) waits
            # here until the first commits, then reads the schema at head and has nothing to do.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        context.run_migrations()


async def _run_async(metadata: MetaData) -> None:
    config = context.config
    engine = async_engine_from_config(
        config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    async with engine.connect() as connection:
        await connection.run_sync(_configure, metadata)
    await engine.dispose()


def run_env(metadata: MetaData) -> None:
    """The body of a service's `env.py`."""
    if context.is_offline_mode():
        context.configure(
            url=context.config.get_main_option("sqlalchemy.url"),
            target_metadata=metadata,
            literal_binds=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure(connection, metadata)
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(_run_async(metadata))
        return
    # Called from async code (a test, a CLI inside a loop): run the migration loop in a thread of its own.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool_:
        pool_.submit(asyncio.run, _run_async(metadata)).result()
