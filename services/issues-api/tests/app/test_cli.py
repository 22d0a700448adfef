"""The provision-client and create-admin commands, on a migrated database named by the environment."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from issues_api.__main__ import main
from issues_api.config import get_settings
from issues_api.directory.models import Client, User
from issues_api.directory.passwords import verify_secret
from rectify_kit.db import Database


@pytest.fixture
def environment(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("ISSUES_DATABASE_URL", database_url)
    monkeypatch.setenv("ISSUES_VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield tmp_path / "var"
    get_settings.cache_clear()


async def _stored_client(url: str, client_id: str) -> Client | None:
    database = Database(url)
    try:
        async with database.session(write=False) as session:
            return await session.get(Client, client_id)
    finally:
        await database.dispose()


async def _admins(url: str) -> list[str]:
    database = Database(url)
    try:
        async with database.session(write=False) as session:
            return list((await session.execute(select(User.username).where(User.role == "admin"))).scalars())
    finally:
        await database.dispose()


class TestProvisionClient:
    def test_secret_is_written_once_kept_on_rerun_and_replaced_on_rotate(
        self, environment: Path, database_url: str
    ) -> None:
        assert main(["provision-client", "--id", "city-portal", "--scopes", "issues:read events:read"]) == 0
        first = (environment / "secrets" / "city-portal").read_text()
        assert main(["provision-client", "--id", "city-portal", "--scopes", "issues:read"]) == 0
        kept = (environment / "secrets" / "city-portal").read_text()
        assert main(["provision-client", "--id", "city-portal", "--scopes", "issues:read", "--rotate"]) == 0
        rotated = (environment / "secrets" / "city-portal").read_text()
        stored = asyncio.run(_stored_client(database_url, "city-portal"))
        assert stored is not None
        assert kept == first != rotated
        assert stored.scopes == ["issues:read"]
        assert verify_secret(stored.secret_hash, rotated)
        assert not verify_secret(stored.secret_hash, first)


class TestCreateAdmin:
    def test_creates_an_admin_account(self, environment: Path, database_url: str) -> None:
        assert main(["create-admin", "--username", "root", "--password", "long-enough-1"]) == 0
        assert asyncio.run(_admins(database_url)) == ["root"]
