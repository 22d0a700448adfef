"""The notify-api app factory."""

from __future__ import annotations

from fastapi import FastAPI

from notify_api.config import Settings, get_settings
from rectify_kit.app import create_service_app


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    return create_service_app(settings, title="Rectify notify-api")
