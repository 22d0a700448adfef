"""report-api's part of the test harness (the rest is the kit's plugin, `rectify_kit.pytest_plugin`): its
migrations and tables, the app over the test's own database with test tokens, at a fixed moment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import MetaData

from rectify_kit.clock import FixedClock
from rectify_kit.db import Database
from rectify_kit.testing import TokenFactory, share_routes
from report_api.__main__ import MIGRATIONS
from report_api.config import Settings
from report_api.db import metadata as report_metadata
from report_api.main import create_app

TODAY = datetime(2026, 10, 9, 4, 0, tzinfo=UTC)  # Friday 9 October 2026, 12:00 in Asia/Shanghai

MakeApp = Callable[[Database, Path], FastAPI]


@pytest.fixture(scope="session")
def migrations() -> Path:
    return MIGRATIONS


@pytest.fixture(scope="session")
def metadata() -> MetaData:
    return report_metadata


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


@pytest.fixture
def make_app(tokens: TokenFactory, clock: FixedClock) -> MakeApp:
    """report-api over `database`, its feeds not consumed (tests apply pages themselves)."""

    def make(database: Database, var_dir: Path) -> FastAPI:
        settings = Settings(var_dir=var_dir, database_url=database.url, consumers_enabled=False)
        application = share_routes(create_app(settings, database=database))
        application.state.token_verifier = tokens.verifier()
        application.state.clock = clock
        return application

    return make


@pytest.fixture
def app(make_app: MakeApp, database: Database, tmp_path: Path) -> FastAPI:
    return make_app(database, tmp_path)
