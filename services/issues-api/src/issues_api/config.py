"""Settings of issues-api; environment variables start with `ISSUES_` (nested groups with `__`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import SettingsConfigDict

from rectify_kit.settings import ServiceSettings


class TokenSettings(BaseModel):
    """The token issuer: signing key, lifetime and the lockout after repeated wrong passwords."""

    # A PEM file with the RSA private key; empty means var/keys/issues-api.pem, generated on first start.
    private_key_file: Path | None = None
    ttl_seconds: int = Field(default=3600, ge=60, le=86_400)
    lockout_threshold: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)


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

    def key_file(self) -> Path:
        return self.tokens.private_key_file or self.var_dir / "keys" / "issues-api.pem"


@lru_cache
def get_settings() -> Settings:
    return Settings()
