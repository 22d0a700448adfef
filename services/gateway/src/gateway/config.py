"""Settings of gateway; environment variables start with `GATEWAY_`."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import SettingsConfigDict

from rectify_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", env_nested_delimiter="__", extra="ignore")

    service_name: str = "gateway"
    port: int = 8000


@lru_cache
def get_settings() -> Settings:
    return Settings()
