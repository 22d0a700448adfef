"""The provision-client and create-admin commands, on a migrated database named by the environment."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from issues_api.__main__ import main
from issues_api.config import get_settings
from issues_api.directory.models import Client, User
from issues_api.directory.passwords import verify_secret
from issues_api.events.models import events
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


async def _password_matches(url: str, username: str, password: str) -> bool:
    database = Database(url)
    try:
        async with database.session(write=False) as session:
            user = (await session.execute(select(User).where(User.username == username))).scalar_one()
            return verify_secret(user.password_hash, password)
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
        assert stored.credentials_changed_at is not None

    def test_a_change_is_an_event_for_the_services_following_clients(
        self, environment: Path, database_url: str
    ) -> None:
        assert main(["provision-client", "--id", "city-portal", "--scopes", "issues:read events:read"]) == 0
        assert main(["provision-client", "--id", "city-portal", "--scopes", "issues:read events:read"]) == 0
        assert main(["provision-client", "--id", "city-portal", "--scopes", "issues:read"]) == 0
        told = asyncio.run(_client_events(database_url, "city-portal"))
        assert [(type_, data["client"]["scopes"]) for type_, data in told] == [
            ("client.created", ["events:read", "issues:read"]),
            ("client.updated", ["issues:read"]),
        ]


async def _client_events(url: str, client_id: str) -> list[tuple[str, dict[str, Any]]]:
    database = Database(url)
    try:
        async with database.session(write=False) as session:
            query = select(events.c.type, events.c.data).where(events.c.subject_id == client_id).order_by(events.c.seq)
            return [(row.type, row.data) for row in await session.execute(query)]
    finally:
        await database.dispose()


class TestCreateAdmin:
    def test_creates_an_admin_account(self, environment: Path, database_url: str) -> None:
        assert main(["create-admin", "--username", "root", "--password", "long-enough-1"]) == 0
        assert asyncio.run(_admins(database_url)) == ["root"]

    def test_existing_admin_is_left_unchanged(self, environment: Path, database_url: str) -> None:
        assert main(["create-admin", "--username", "root", "--password", "long-enough-1"]) == 0
        assert main(["create-admin", "--username", "root", "--password", "another-one-2"]) == 0
        assert asyncio.run(_admins(database_url)) == ["root"]
        assert asyncio.run(_password_matches(database_url, "root", "long-enough-1"))

    def test_password_is_read_from_a_file(self, environment: Path, database_url: str, tmp_path: Path) -> None:
        secret = tmp_path / "admin_password"
        secret.write_text("from-a-secret-file\n")
        assert main(["create-admin", "--username", "boss", "--password-file", str(secret)]) == 0
        assert asyncio.run(_password_matches(database_url, "boss", "from-a-secret-file"))


class TestProvisionFromMountedSecrets:
    """A deployment mounts the service clients' secrets and points ISSUES_CLIENT_SECRETS_DIR at them."""

    @pytest.fixture
    def mounted(self, environment: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
        folder = tmp_path / "run-secrets"
        folder.mkdir()
        (folder / "notify-api").write_text("notify-secret-from-the-deployment\n")
        monkeypatch.setenv("ISSUES_CLIENT_SECRETS_DIR", str(folder))
        get_settings.cache_clear()
        yield folder
        get_settings.cache_clear()

    def test_mounted_secret_becomes_the_clients_with_its_own_scopes(self, mounted: Path, database_url: str) -> None:
        assert main(["provision-client", "--id", "notify-api"]) == 0
        stored = asyncio.run(_stored_client(database_url, "notify-api"))
        assert stored is not None
        assert stored.scopes == ["contacts:read", "directory:read", "events:read"]
        assert verify_secret(stored.secret_hash, "notify-secret-from-the-deployment")
        assert (mounted / "notify-api").read_text() == "notify-secret-from-the-deployment\n"

    def test_changed_mounted_secret_replaces_the_old_one(self, mounted: Path, database_url: str) -> None:
        assert main(["provision-client", "--id", "notify-api"]) == 0
        (mounted / "notify-api").write_text("rotated-by-the-operator")
        assert main(["provision-client", "--id", "notify-api"]) == 0
        stored = asyncio.run(_stored_client(database_url, "notify-api"))
        assert stored is not None
        assert verify_secret(stored.secret_hash, "rotated-by-the-operator")
        assert not verify_secret(stored.secret_hash, "notify-secret-from-the-deployment")
        assert stored.credentials_changed_at is not None
