"""The consumers read real feeds over HTTP, and the service keeps answering while the feeds are down."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import MetaData

from rectify_kit.auth import Principal
from rectify_kit.clock import FixedClock
from rectify_kit.consumer import HttpFeedSource
from rectify_kit.cursors import cursor_state
from rectify_kit.db import Database
from rectify_kit.feed import feed_router
from rectify_kit.outbox import NewEvent, append_events, make_event_table
from rectify_kit.testing import TokenFactory, sqlite_test_url
from report_api.config import Settings
from report_api.figures import repository as figures_repo
from report_api.figures.filters import ReportFilters
from report_api.main import create_app
from report_api.readmodel.feeds import catch_up, issues_consumer
from report_api.readmodel.models import feed_cursors
from report_api.readmodel.service import ISSUES_FEED
from report_testing.scenario import build


async def reader() -> Principal:
    return Principal(sub="report-api", kind="client", scopes=frozenset({"events:read"}))


@pytest.fixture
async def issues_feed_app(tmp_path: Path) -> AsyncIterator[FastAPI]:
    """A stand-in for issues-api's feed: the kit's outbox and feed router, holding the scenario's events."""
    metadata = MetaData()
    table = make_event_table(metadata)
    database = Database(sqlite_test_url(tmp_path, "issues-feed"))
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    events = [
        NewEvent(e.type, e.subject_id, e.actor, e.data, datetime.fromisoformat(e.occurred_at))
        for e in build().issues.events
    ]
    async with database.session() as session:
        await append_events(session, table, events)
    app = FastAPI()
    app.state.database = database
    app.include_router(
        feed_router(path="/api/v1/events", table=table, principal_dependency=reader, visible_types=lambda p: None)
    )
    try:
        yield app
    finally:
        await database.dispose()


class TestHttpFeed:
    async def test_consumer_catches_up_with_a_feed_served_by_the_kit(
        self, database: Database, issues_feed_app: FastAPI
    ) -> None:
        transport = httpx.ASGITransport(app=issues_feed_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://issues") as http:
            source = HttpFeedSource("http://issues/api/v1/events", http=http)
            consumer = issues_consumer(database, source, wait=0)
            consumer.batch_size = 10  # several pages
            applied = await catch_up([consumer])
        total = len(build().issues.events)
        async with database.session(write=False) as session:
            position = await figures_repo.read_position(session)
            as_of, lag = position.positions[0], position.lag
            issues = await cursor_state(session, feed_cursors, ISSUES_FEED)
            rows = await figures_repo.measures_by(session, ReportFilters(), ["status"])
        assert as_of == total
        assert issues.lag(max_age_seconds=60) == 0
        # The escalations feed was never read: how far behind the figures are is not known.
        assert lag is None
        assert applied == total
        assert sum(r["n"] for r in rows) == 7


class TestFeedsDown:
    async def test_service_answers_while_the_feeds_are_unreachable(
        self, database: Database, tokens: TokenFactory, clock: FixedClock, tmp_path: Path
    ) -> None:
        settings = Settings(
            var_dir=tmp_path,
            database_url=database.url,
            issues_url="http://127.0.0.1:9",
            notify_url="http://127.0.0.1:9",
            feed_client_secret="not-used",
            feed_wait_seconds=0,
        )
        app = create_app(settings, database=Database(database.url))
        app.state.token_verifier = tokens.verifier()
        async with LifespanManager(app):
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://report") as http:
                summary = await http.get("/api/v1/reports/summary", headers=tokens.headers("o", role="office"))
            assert summary.status_code == 200
            assert not app.state.consumers_task.done()  # still retrying, with backoff
        assert app.state.consumers_task.cancelled()


class TestSecret:
    def test_secret_comes_from_the_setting_then_the_file(self, tmp_path: Path) -> None:
        secret_file = tmp_path / "report-api"
        settings = Settings(var_dir=tmp_path, feed_client_secret_file=secret_file)
        assert settings.feed_secret() is None
        secret_file.write_text("s3cret\n")
        assert settings.feed_secret() == "s3cret"
        assert Settings(feed_client_secret="given").feed_secret() == "given"
