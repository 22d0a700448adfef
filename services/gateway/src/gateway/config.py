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
    # Generous: a whole office may sign in from behind one NAT address; issues-api slows each account down itself.
    login_per_minute: int = 60
    login_per_day: int = 2000
    subject_per_minute: int = 600


class TimeoutSettings(BaseModel):
    """Seconds; `read` is the longest wait for the next bytes from an upstream."""

    connect: float = 2.0
    # The longest a request waits for one of the upstream's `pool_size` connections (connecting included):
    # a slow upstream that holds them all makes the next requests fail fast instead of piling up here.
    pool_wait: float = 5.0
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


class HealthCheckSettings(BaseModel):
    """Active checks: every `interval_seconds` the gateway asks each replica's `/readyz` (`timeouts.readiness`)."""

    interval_seconds: float = Field(default=2.0, gt=0)


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", env_nested_delimiter="__", extra="ignore")

    service_name: str = "gateway"
    port: int = 8000
    # Each a comma-separated list of the service's replicas: "http://issues-1:8001,http://issues-2:8001".
    issues_url: str = "http://127.0.0.1:8001"
    notify_url: str = "http://127.0.0.1:8002"
    report_url: str = "http://127.0.0.1:8003"
    # Rate limits shared by every gateway replica through this Redis ("redis://host:6379/0"); unset: per process.
    redis_url: str | None = None
    spa_dir: Path = Path("frontend/dist")
    max_body_bytes: int = 64 * 1024 * 1024
    cors_origins: list[str] = Field(default_factory=list)
    # Peers whose X-Forwarded-For is believed (a load balancer in front); everyone else is the client.
    trusted_proxies: list[str] = Field(default_factory=list)
    # Connections per upstream for ordinary requests (the proxy's own client's pool; aiohttp's for bodies streamed up
    # and HEAD has as many), and for server-sent event streams (0: no limit).
    pool_size: int = 100
    stream_pool_size: int = 0
    openapi_cache_seconds: float = 60.0
    rate_limits: RateLimitSettings = Field(default_factory=RateLimitSettings)
    timeouts: TimeoutSettings = Field(default_factory=TimeoutSettings)
    breaker: BreakerSettings = Field(default_factory=BreakerSettings)
    health: HealthCheckSettings = Field(default_factory=HealthCheckSettings)

    def upstream_urls(self) -> dict[str, list[str]]:
        """Every service's replica URLs, in the order given."""
        configured = {"issues-api": self.issues_url, "notify-api": self.notify_url, "report-api": self.report_url}
        return {name: _url_list(name, value) for name, value in configured.items()}


def _url_list(name: str, value: str) -> list[str]:
    urls = [url.strip().rstrip("/") for url in value.split(",") if url.strip()]
    if not urls:
        raise ValueError(f"no URL for {name}")
    return urls


@lru_cache
def get_settings() -> Settings:
    return Settings()
