"""Settings of issues-api; environment variables start with `ISSUES_` (nested groups with `__`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import SettingsConfigDict

from rectify_kit.settings import JetStreamSettings, ServiceSettings


class TokenSettings(BaseModel):
    """The token issuer: signing key and lifetime."""

    # A PEM file with the RSA private key; empty means var/keys/issues-api.pem, generated on first start.
    private_key_file: Path | None = None
    ttl_seconds: int = Field(default=3600, ge=60, le=86_400)
    # The web app's session: its refresh cookie lasts this long after its last use (a working day).
    refresh_ttl_seconds: int = Field(default=12 * 3600, ge=300, le=30 * 86_400)
    # Two tabs refreshing at once present the same cookie: a second use this soon is not taken for theft.
    refresh_grace_seconds: int = Field(default=30, ge=0, le=300)


class LoginSettings(BaseModel):
    """Wrong passwords slow an account down instead of locking it: after `free_attempts` failures in a row each
    further one makes the account wait `first_delay_seconds`, doubling up to `max_delay_seconds`
    (`ISSUES_LOGIN__FREE_ATTEMPTS=5` and so on). A success, a new password or an admin's unlock ends it."""

    free_attempts: int = Field(default=5, ge=1)
    first_delay_seconds: float = Field(default=1.0, gt=0)
    max_delay_seconds: float = Field(default=900.0, gt=0)


class IntakeSettings(BaseModel):
    """Public submissions: who counts as one address, how much one address may send, their own text back.

    `ISSUES_INTAKE__PER_ADDRESS_PER_DAY=10` and so on; the gateway limits these routes per address too.
    """

    # Peers whose X-Forwarded-For names the submitter (the gateway, on loopback by default).
    trusted_proxies: list[str] = Field(default_factory=lambda: ["127.0.0.1", "::1"])
    # The same title and text from one address within this window folds into the first (same tracking code).
    fold_hours: int = Field(default=24, ge=1, le=168)
    # New submissions per address in 24 hours (a folded repeat does not count); 0: no limit.
    per_address_per_day: int = Field(default=10, ge=0)
    # Wrong phone-tail guesses per submission in 24 hours before the reveal is refused until the window ends.
    reveal_attempts_per_day: int = Field(default=5, ge=1, le=100)


class RetentionSettings(BaseModel):
    """How long what is only kept for a while stays (`ISSUES_RETENTION__IDEMPOTENCY_DAYS=7`, …)."""

    idempotency_days: int = Field(default=7, ge=1, description="Idempotency-Key records (replayed for 24 h)")
    sessions_days: int = Field(default=1, ge=0, description="refresh tokens after their session expired or ended")
    interval_seconds: float = Field(default=3600.0, gt=0)


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ISSUES_", env_nested_delimiter="__", extra="ignore")

    service_name: str = "issues-api"
    port: int = 8001
    # Demo mode: `python -m issues_api demo` loads the demo campaign with shifted dates and demo accounts.
    demo: bool = False
    demo_items: int = Field(default=300, ge=0, le=5000, description="generated problem items in the demo")
    demo_definition: Path | None = None  # default: campaigns/hebei-2017.yaml of the repository
    # How often the audit chain head is signed and published outside the database (events/anchor.py).
    audit_anchor_seconds: float = Field(default=300.0, gt=0)
    attachment_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1, description="upload size limit")
    tokens: TokenSettings = Field(default_factory=TokenSettings)
    # ISSUES_JETSTREAM__URL=nats://host:4222 relays the feed into JetStream for systems outside the cluster.
    jetstream: JetStreamSettings = Field(
        default_factory=lambda: JetStreamSettings(stream="RECTIFY_ISSUES", subject="rectify.issues")
    )
    login: LoginSettings = Field(default_factory=LoginSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    intake: IntakeSettings = Field(default_factory=IntakeSettings)
    # Where the service clients' secrets are, one file per client id: empty means var/secrets, written on first
    # provisioning; a deployment points it at its mounted secrets (/run/secrets), which are then the secrets.
    client_secrets_dir: Path | None = None

    def key_file(self) -> Path:
        return self.tokens.private_key_file or self.var_dir / "keys" / "issues-api.pem"

    def secrets_dir(self) -> Path:
        return self.client_secrets_dir or self.var_dir / "secrets"


@lru_cache
def get_settings() -> Settings:
    return Settings()
