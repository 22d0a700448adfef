"""Settings of report-api; environment variables start with `REPORT_`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from rectify_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REPORT_", env_nested_delimiter="__", extra="ignore")

    service_name: str = "report-api"
    port: int = 8003
    issues_url: str = "http://127.0.0.1:8001"
    notify_url: str = "http://127.0.0.1:8002"
    feed_client_id: str = "report-api"
    feed_client_secret: SecretStr | None = None
    feed_client_secret_file: Path = Path("var/secrets/report-api")
    # Off in tests: they feed events to the handlers themselves.
    consumers_enabled: bool = True
    # A long-poll's wait: each answer confirms the feed's head, so the figures' `checked_at` is never much older.
    feed_wait_seconds: float = 5.0

    @property
    def issues_feed_url(self) -> str:
        return f"{self.issues_url.rstrip('/')}/api/v1/events"

    @property
    def token_url(self) -> str:
        return f"{self.issues_url.rstrip('/')}/api/v1/auth/token"

    @property
    def escalations_feed_url(self) -> str:
        return f"{self.notify_url.rstrip('/')}/api/v1/escalations/feed"

    def feed_secret(self) -> str | None:
        """The client secret: the setting, else the file issues-api's `demo` writes; None while neither exists."""
        if self.feed_client_secret is not None:
            return self.feed_client_secret.get_secret_value()
        try:
            return self.feed_client_secret_file.read_text(encoding="utf-8").strip() or None
        except OSError:
            return None


@lru_cache
def get_settings() -> Settings:
    return Settings()
