"""notify-api's part of the test harness (the rest is the kit's plugin, `rectify_kit.pytest_plugin`): its
migrations and tables, the app over the test's own database with a fixed clock and test tokens, a small world of
units, users and issue events shaped exactly like docs/events.md (`notify_testing`), and an SMTP server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC
from pathlib import Path

import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import MetaData

from notify_api.__main__ import MIGRATIONS
from notify_api.config import DeliverySettings, Settings
from notify_api.db import metadata as notify_metadata
from notify_api.main import create_app
from notify_testing.world import LOOPBACK_ALLOWED, Mailbox, World, local, smtp_on_loopback
from rectify_kit.clock import FixedClock
from rectify_kit.testing import TokenFactory, share_routes


@pytest.fixture(scope="session")
def migrations() -> Path:
    return MIGRATIONS


@pytest.fixture(scope="session")
def metadata() -> MetaData:
    return notify_metadata


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(local(2026, 9, 21, 10).astimezone(UTC))


@pytest.fixture
def delivery() -> DeliverySettings:
    """How deliveries are retried (a module may override it, e.g. to reach a dead letter in a few attempts)."""
    return DeliverySettings()


@pytest.fixture
def settings(database_url: str, tmp_path: Path, delivery: DeliverySettings) -> Settings:
    """The app's settings; receivers in tests listen on loopback, which the outbound guard allows only when told."""
    return Settings(
        database_url=database_url,
        var_dir=tmp_path,
        background=False,
        log_json=False,
        outbound=LOOPBACK_ALLOWED,
        delivery=delivery,
    )


@pytest.fixture
async def app(settings: Settings, clock: FixedClock, tokens: TokenFactory) -> AsyncIterator[FastAPI]:
    application = share_routes(create_app(settings, clock=clock))
    application.state.token_verifier = tokens.verifier()
    # asgi-lifespan gives a startup 5 s by default; a loaded machine running suites side by side can need more.
    async with LifespanManager(application, startup_timeout=60, shutdown_timeout=60):
        yield application


@pytest.fixture
async def world(app: FastAPI, clock: FixedClock, tokens: TokenFactory) -> World:
    w = World(app, clock, tokens)
    await w.directory()
    return w


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server on loopback."""
    mailbox = Mailbox()
    with smtp_on_loopback(mailbox) as port:
        yield mailbox, port
