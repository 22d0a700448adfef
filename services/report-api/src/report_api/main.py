"""The report-api app factory."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from rectify_kit.app import create_service_app
from rectify_kit.auth import verifier_from_settings
from rectify_kit.db import Database
from rectify_kit.revocation import AccountCheck
from report_api.api import routers
from report_api.config import Settings, get_settings
from report_api.figures.cache import FiguresCache
from report_api.readmodel import feeds
from report_api.readmodel.accounts import account_lookup


def create_app(settings: Settings | None = None, *, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()

    async def start_consumers(app: FastAPI) -> None:
        app.state.consumers_task = None
        if settings.consumers_enabled:
            app.state.consumers_task = asyncio.create_task(feeds.supervise(settings, app.state.database))

    async def stop_consumers(app: FastAPI) -> None:
        if app.state.consumers_task is not None:
            await feeds.stop(app.state.consumers_task)

    app = create_service_app(
        settings,
        title="Rectify report-api",
        routers=routers,
        database=database,
        on_startup=[start_consumers],
        on_shutdown=[stop_consumers],
    )
    # Answers reused while the read model stays at one position (figures/cache.py); one per app, as its database.
    app.state.figures_cache = FiguresCache()
    accounts = AccountCheck(account_lookup(app.state.database), ttl_seconds=settings.auth.account_recheck_seconds)
    app.state.token_verifier = verifier_from_settings(settings.auth, account_check=accounts)
    return app
