"""Settings of gateway; environment variables start with `GATEWAY_` (nested groups use `__`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import SettingsConfigDict

from rectify_kit.settings import ServiceSettings


class RateLimitSettings(BaseModel):
    """Requests allowed per window; `GATEWAY_RATE_LIMITS__PUBLIC_PER_MINUTE=5` and so on. 0 disables a limit."""

    public_per_minute: int = 5
    public_per_day: int = 50
    login_per_minute: int = 30
    login_per_day: int = 1000
    subject_per_minute: int = 600


class TimeoutSettings(BaseModel):
    """Seconds; `read` is the longest wait for the next bytes from an upstream."""

    connect: float = 2.0
    read: float = 30.0
    # Exports, imports, dossiers and the event feed's long-poll.
    long_read: float = 300.0
    # Server-sent events: upstreams send keep-alive comments, so only a very long silence is an error.
    stream_read: float = 3600.0
    openapi: float = 5.0
    readiness: float = 2.0


class BreakerSettings(BaseModel):
    """A circuit per upstream: after `failures` consecutive failures it opens for `open_seconds`."""

    failures: int = 5
    open_seconds: float = 5.0


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", env_nested_delimiter="__", extra="ignore")

    service_name: str = "gateway"
    port: int = 8000
    issues_url: str = "http://127.0.0.1:8001"
    notify_url: str = "http://127.0.0.1:8002"
    report_url: str = "http://127.0.0.1:8003"
    spa_dir: Path = Path("frontend/dist")
    max_body_bytes: int = 64 * 1024 * 1024
    cors_origins: list[str] = Field(default_factory=list)
    # Peers whose X-Forwarded-For is believed (a load balancer in front); everyone else is the client.
    trusted_proxies: list[str] = Field(default_factory=list)
    # Connections per upstream for ordinary requests, and for server-sent event streams (0: no limit).
    pool_size: int = 100
    stream_pool_size: int = 0
    openapi_cache_seconds: float = 60.0
    rate_limits: RateLimitSettings = Field(default_factory=RateLimitSettings)
    timeouts: TimeoutSettings = Field(default_factory=TimeoutSettings)
    breaker: BreakerSettings = Field(default_factory=BreakerSettings)

    def upstream_urls(self) -> dict[str, str]:
        return {"issues-api": self.issues_url, "notify-api": self.notify_url, "report-api": self.report_url}


@lru_cache
def get_settings() -> Settings:
    return Settings()
