"""The report-api app factory."""

from __future__ import annotations

from fastapi import FastAPI

from rectify_kit.app import create_service_app
from report_api.config import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    return create_service_app(settings, title="Rectify report-api")
