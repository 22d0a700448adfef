"""Settings base shared by every service; each service subclasses it with its own env prefix."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from rectify_kit.oidc import ExternalIssuer


class AuthSettings(BaseModel):
    """How tokens are verified: RS256 against a JWKS, pinned issuer and audience."""

    jwks_url: str = "http://127.0.0.1:8001/.well-known/jwks.json"
    issuer: str = "rectify"
    audience: str = "rectify"
    algorithms: list[str] = Field(default_factory=lambda: ["RS256"])
    # Extra trusted OIDC issuers, each with its mapping to Rectify roles and units (oidc.py).
    trusted_issuers: list[ExternalIssuer] = Field(default_factory=list)
    # How long a token's account (active, role, unit) is trusted before it is looked up again.
    account_recheck_seconds: float = Field(default=5.0, ge=0, le=300)


class PoolSettings(BaseModel):
    """PostgreSQL connections a process keeps (`size`) and may open beyond them for a burst (`overflow`).

    Every replica opens up to `size + overflow` to its database: replicas times that must stay below the server's
    `max_connections` (deploy/SCALING.md); lower them, or put PgBouncer in between, before adding many replicas.
    """

    size: int = Field(default=32, ge=1, le=500)
    overflow: int = Field(default=8, ge=0, le=500)


class JetStreamSettings(BaseModel):
    """`*_JETSTREAM__URL=nats://host:4222` turns the relay on (jetstream.py); the stream and its subjects are named
    per feed. Here, not beside the relay, so that a service's settings do not import the relay's NATS client."""

    url: str | None = None
    stream: str = "RECTIFY"
    subject: str = "rectify"
    poll_seconds: float = 1.0


class ServiceSettings(BaseSettings):
    """Common settings; `database_url` empty means `var/<service>.db` (SQLite)."""

    model_config = SettingsConfigDict(env_nested_delimiter="__", extra="ignore")

    service_name: str = "service"
    database_url: str = ""
    # PostgreSQL: migrations run as the tables' owner from this URL (empty: `database_url`); the service connects
    # with `database_url` as `app_db_role`, which `migrate` grants row access only (db_roles.py).
    migration_database_url: str = ""
    app_db_role: str = ""
    # A file holding the database password (a mounted Docker or Kubernetes secret): it fills `database_url`'s.
    database_password_file: Path | None = None
    var_dir: Path = Path("var")
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    log_json: bool = True
    # On SIGTERM: how long requests in flight may still run before they are cancelled (streams end at once).
    shutdown_grace_seconds: int = Field(default=5, ge=0, le=60)
    # On SIGTERM, before that: how long the replica still answers while `/readyz` says it is draining (503), so
    # that whoever balances over it (the gateway's checks, a Kubernetes Service) stops sending it requests before
    # it closes its idle connections: a request written onto one of those as it closes fails, and a write cannot
    # be sent again. 0 (the default, one process alone): stop at once.
    drain_seconds: float = Field(default=0, ge=0, le=30)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    # `<PREFIX>DATABASE_POOL__SIZE`, `__OVERFLOW` (PostgreSQL only).
    database_pool: PoolSettings = Field(default_factory=PoolSettings)

    def engine_options(self) -> dict[str, int]:
        """The serving engine's pool (PostgreSQL; SQLite keeps its own)."""
        if self.resolved_database_url().startswith("sqlite"):
            return {}
        return {"pool_size": self.database_pool.size, "max_overflow": self.database_pool.overflow}

    def resolved_database_url(self) -> str:
        url = self.database_url or sqlite_url(self.var_dir, self.service_name)
        if self.database_password_file is None:
            return url
        password = self.database_password_file.read_text(encoding="utf-8").strip()
        return make_url(url).set(password=password).render_as_string(hide_password=False)

    def resolved_migration_url(self) -> str:
        """Where `migrate` connects: the owner's URL when one is set, else the service's own."""
        return self.migration_database_url or self.resolved_database_url()


def sqlite_url(var_dir: Path, name: str) -> str:
    """The embedded default database: one SQLite file per service under `var/`."""
    return f"sqlite+aiosqlite:///{(var_dir / f'{name}.db').resolve()}"
