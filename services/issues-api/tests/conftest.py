"""issues-api's part of the test harness (the rest is the kit's plugin, `rectify_kit.pytest_plugin`): its
migrations and tables, the app over the test's own database with a signing key made once per run, tokens signed
with that key (so they pass the app's own verifier), passwords hashed at argon2's lowest cost, and for the ledger's
folders a `world` per module (`issues_testing.ledger`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy import MetaData

from issues_api.__main__ import MIGRATIONS
from issues_api.auth import keys as service_keys
from issues_api.config import Settings, TokenSettings
from issues_api.directory import passwords
from issues_api.main import create_app
from issues_api.models import metadata as issues_metadata
from issues_testing.ledger import LedgerWorld, ledger_world
from issues_testing.tokens import Tokens
from rectify_kit.testing import TokenFactory, share_routes


@pytest.fixture(scope="session")
def migrations() -> Path:
    return MIGRATIONS


@pytest.fixture(scope="session")
def metadata() -> MetaData:
    return issues_metadata


@pytest.fixture(scope="session")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "issues-api.pem"
    path.write_text(service_keys._generate_pem())
    return path


# argon2id at its lowest cost (8 KiB, one pass): some 0.1 ms a hash instead of 30 ms.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
CHEAP_DUMMY_HASH = CHEAP_HASHER.hash("rectify-no-such-account")


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash and check passwords and client secrets at argon2's lowest cost: the suite creates users, clients and
    logins by the hundred, and their hashing at the production cost was a tenth of its CPU. What a test checks of
    them (a right or wrong password, a rotated secret, the hash never shown) does not depend on the cost; the
    production parameters are checked, at their cost, by auth/test_hashing.py, which overrides this fixture."""
    monkeypatch.setattr(passwords, "_hasher", CHEAP_HASHER)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", CHEAP_DUMMY_HASH)


@pytest.fixture
def settings(database_url: str, key_file: Path, tmp_path: Path) -> Settings:
    return Settings(
        var_dir=tmp_path, database_url=database_url, log_json=False, tokens=TokenSettings(private_key_file=key_file)
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = share_routes(create_app(settings))
    yield application
    await application.state.database.dispose()


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


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(
    module_database_url: str, key_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[LedgerWorld]:
    """Seed units and a campaign on the module's database, and the real app over it."""
    async with ledger_world(module_database_url, tmp_path_factory.mktemp("world"), key_file=key_file) as built:
        yield built
