"""Settings of notify-api; environment variables start with `NOTIFY_` (nested groups with `__`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from rectify_kit.settings import ServiceSettings


class SmtpSettings(BaseModel):
    """The mail relay used for e-mail notifications."""

    host: str = "127.0.0.1"
    port: int = 25
    sender: str = "rectify@localhost"
    username: str | None = None
    password: SecretStr | None = None
    start_tls: bool = False
    timeout_seconds: float = 10.0


class DeliverySettings(BaseModel):
    """Retries of outbound deliveries: exponential backoff with jitter, then a dead letter."""

    max_attempts: int = Field(default=6, ge=1)
    backoff_base_seconds: float = Field(default=30.0, gt=0)
    backoff_max_seconds: float = Field(default=3600.0, gt=0)
    lease_seconds: float = Field(default=120.0, gt=0)
    http_timeout_seconds: float = Field(default=10.0, gt=0)
    batch_size: int = Field(default=100, ge=1)


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFY_", env_nested_delimiter="__", extra="ignore")

    service_name: str = "notify-api"
    port: int = 8002
    # issues-api: its feed is at {issues_url}/api/v1/events, its token endpoint at {issues_url}/api/v1/auth/token.
    issues_url: str = "http://127.0.0.1:8001"
    feed_client_id: str = "notify-api"
    feed_client_secret: SecretStr | None = None
    feed_client_secret_file: Path = Path("var/secrets/notify-api")
    # Background work in the app's lifespan; tests turn it off and drive the loops themselves.
    background: bool = True
    scheduler_interval_seconds: float = Field(default=5.0, gt=0)
    scheduler_batch_size: int = Field(default=500, ge=1)
    # Quiet hours in Asia/Shanghai: messages below level 3 on interrupting channels wait for the morning.
    quiet_start_hour: int = Field(default=20, ge=0, le=23)
    quiet_end_hour: int = Field(default=8, ge=0, le=23)
    # Local hour at which working-day steps fire.
    fire_hour: int = Field(default=9, ge=0, le=23)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    delivery: DeliverySettings = Field(default_factory=DeliverySettings)

    def feed_secret(self) -> str | None:
        """The feed client's secret: the setting, else the file written by issues-api's `demo` command."""
        if self.feed_client_secret is not None:
            return self.feed_client_secret.get_secret_value()
        path = self.feed_client_secret_file
        return path.read_text().strip() if path.is_file() else None


@lru_cache
def get_settings() -> Settings:
    return Settings()
