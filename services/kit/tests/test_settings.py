"""Each service reads only its own env prefix; nested groups use `__`; the default database is SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic_settings import SettingsConfigDict
from sqlalchemy.engine import make_url

from rectify_kit.app import create_service_app
from rectify_kit.settings import ServiceSettings, sqlite_url


class DemoSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DEMO_", env_nested_delimiter="__", extra="ignore")

    service_name: str = "demo-api"


class TestServiceSettings:
    def test_reads_variables_of_its_own_prefix(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("DEMO_DATABASE_URL", "postgresql+asyncpg://db/demo")
        monkeypatch.setenv("DEMO_PORT", "9001")
        settings = DemoSettings()
        assert settings.database_url == "postgresql+asyncpg://db/demo"
        assert settings.port == 9001

    def test_ignores_variables_of_another_prefix(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("OTHER_DATABASE_URL", "postgresql+asyncpg://db/other")
        monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://db/bare")
        assert DemoSettings().database_url == ""

    def test_nested_auth_group_uses_double_underscore(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("DEMO_AUTH__ISSUER", "https://idp.example")
        monkeypatch.setenv("DEMO_AUTH__JWKS_URL", "https://idp.example/jwks")
        settings = DemoSettings()
        assert settings.auth.issuer == "https://idp.example"
        assert settings.auth.jwks_url == "https://idp.example/jwks"
        assert settings.auth.audience == "rectify"

    def test_trusted_issuers_parse_from_json(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(
            "DEMO_AUTH__TRUSTED_ISSUERS", '[{"issuer": "https://kc.example", "jwks_url": "https://kc.example/certs"}]'
        )
        [issuer] = DemoSettings().auth.trusted_issuers
        assert (issuer.issuer, issuer.jwks_url, issuer.roles) == ("https://kc.example", "https://kc.example/certs", {})

    def test_empty_database_url_defaults_to_sqlite_file_under_var_dir(self, tmp_path: Path) -> None:
        settings = DemoSettings(var_dir=tmp_path)
        assert settings.resolved_database_url() == f"sqlite+aiosqlite:///{tmp_path.resolve()}/demo-api.db"

    def test_explicit_database_url_wins_over_the_default(self, tmp_path: Path) -> None:
        settings = DemoSettings(var_dir=tmp_path, database_url="postgresql+asyncpg://db/demo")
        assert settings.resolved_database_url() == "postgresql+asyncpg://db/demo"

    def test_password_file_fills_the_database_urls_password(self, tmp_path: Path) -> None:
        secret = tmp_path / "db_password"
        secret.write_text("s3cr%t/with:odd@chars\n")
        url = "postgresql+asyncpg://issues@postgres:5432/issues"
        settings = DemoSettings(var_dir=tmp_path, database_url=url, database_password_file=secret)
        resolved = make_url(settings.resolved_database_url())
        assert (resolved.username, resolved.password, resolved.host, resolved.database) == (
            "issues",
            "s3cr%t/with:odd@chars",
            "postgres",
            "issues",
        )


class TestSqliteUrl:
    def test_relative_var_dir_becomes_absolute_path(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.chdir(tmp_path)
        assert sqlite_url(Path("var"), "x") == f"sqlite+aiosqlite:///{tmp_path.resolve()}/var/x.db"


class TestDatabasePool:
    def test_a_services_pool_is_set_from_its_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("DEMO_DATABASE_URL", "postgresql+asyncpg://app@db/demo")
        monkeypatch.setenv("DEMO_DATABASE_POOL__SIZE", "6")
        monkeypatch.setenv("DEMO_DATABASE_POOL__OVERFLOW", "2")
        settings = DemoSettings()
        assert settings.engine_options() == {"pool_size": 6, "max_overflow": 2}
        # The app serves on that pool (creating the engine opens no connection).
        app = create_service_app(settings, title="demo")
        pool = app.state.database.engine.pool
        assert (pool.size(), pool._max_overflow) == (6, 2)

    def test_sqlite_keeps_its_own_pool(self, tmp_path: Path) -> None:
        assert DemoSettings(var_dir=tmp_path).engine_options() == {}
