"""Settings base shared by every service; each service subclasses it with its own env prefix."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class AuthSettings(BaseModel):
    """How tokens are verified: RS256 against a JWKS, pinned issuer and audience."""

    jwks_url: str = "http://127.0.0.1:8001/.well-known/jwks.json"
    issuer: str = "rectify"
    audience: str = "rectify"
    algorithms: list[str] = Field(default_factory=lambda: ["RS256"])
    # Extra trusted OIDC issuers: {"issuer": ..., "jwks_url": ..., "audience": ...}
    trusted_issuers: list[dict[str, str]] = Field(default_factory=list)
    # How long a token's account (active, role, unit) is trusted before it is looked up again.
    account_recheck_seconds: float = Field(default=5.0, ge=0, le=300)


class ServiceSettings(BaseSettings):
    """Common settings; `database_url` empty means `var/<service>.db` (SQLite)."""

    model_config = SettingsConfigDict(env_nested_delimiter="__", extra="ignore")

    service_name: str = "service"
    database_url: str = ""
    var_dir: Path = Path("var")
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    log_json: bool = True
    auth: AuthSettings = Field(default_factory=AuthSettings)

    def resolved_database_url(self) -> str:
        return self.database_url or sqlite_url(self.var_dir, self.service_name)


def sqlite_url(var_dir: Path, name: str) -> str:
    """The embedded default database: one SQLite file per service under `var/`."""
    return f"sqlite+aiosqlite:///{(var_dir / f'{name}.db').resolve()}"
