"""Settings of notify-api; environment variables start with `NOTIFY_` (nested groups with `__`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from rectify_kit.settings import JetStreamSettings, ServiceSettings


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


class OutboundSettings(BaseModel):
    """Where webhooks, robots and the SMS gateway may be sent. Addresses that are not global (loopback,
    link-local such as 169.254.169.254, private, reserved) and this deployment's own are refused, at
    subscription and at every send, unless `allow` names them: CIDR networks (`127.0.0.0/8`) or host names."""

    allow: list[str] = Field(default_factory=list)
    # Names of this deployment whose addresses are refused too (its own public name, say); the machine's own
    # host name is always among them.
    own_hosts: list[str] = Field(default_factory=list)


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
    # Quiet hours in Asia/Shanghai: messages below level 3 on interrupting channels wait for the morning (the
    # same start and end hour: no quiet hours).
    quiet_start_hour: int = Field(default=20, ge=0, le=23)
    quiet_end_hour: int = Field(default=8, ge=0, le=23)
    # Local hour at which working-day steps fire (and the submitters' feedback requests go out).
    fire_hour: int = Field(default=9, ge=0, le=23)
    # Where the public and staff reach the gateway: submitters' messages link to {public_base_url}/track/{code},
    # a person's to the item in the staff app, {public_base_url}/issues/{id}.
    public_base_url: str = "http://127.0.0.1:8000"
    # With several replicas: live inbox messages reach a user's stream on any replica through this Redis
    # ("redis://host:6379/0"); unset, each process serves the streams of the messages it creates.
    redis_url: str | None = None
    # NOTIFY_JETSTREAM__URL=nats://host:4222 relays the escalations feed into JetStream for systems elsewhere.
    jetstream: JetStreamSettings = Field(
        default_factory=lambda: JetStreamSettings(stream="RECTIFY_ESCALATIONS", subject="rectify.escalations")
    )
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    delivery: DeliverySettings = Field(default_factory=DeliverySettings)
    outbound: OutboundSettings = Field(default_factory=OutboundSettings)

    def feed_secret(self) -> str | None:
        """The feed client's secret: the setting, else the file written by issues-api's `demo` command."""
        if self.feed_client_secret is not None:
            return self.feed_client_secret.get_secret_value()
        path = self.feed_client_secret_file
        return path.read_text().strip() if path.is_file() else None


@lru_cache
def get_settings() -> Settings:
    return Settings()
