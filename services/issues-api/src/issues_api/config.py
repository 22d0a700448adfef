"""Settings of issues-api; environment variables start with `ISSUES_`."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import SettingsConfigDict

from rectify_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ISSUES_", env_nested_delimiter="__", extra="ignore")

    service_name: str = "issues-api"
    port: int = 8001


@lru_cache
def get_settings() -> Settings:
    return Settings()
