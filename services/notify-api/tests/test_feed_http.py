"""Cross-check with the kit's HTTP feed: events served by `feed_router` from an outbox table, shaped like
issues-api's, are pulled by notify-api's consumer over HTTP; and the app's loops survive a missing issues-api."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import MetaData, select

from notify_api.config import Settings
from notify_api.escalations.models import Timer
from notify_api.main import create_app
from notify_api.notifications.models import Notification
from notify_testing.world import ACTOR, issue, local, user
from rectify_kit.auth import Principal
from rectify_kit.clock import FixedClock
from rectify_kit.consumer import HttpFeedSource
from rectify_kit.db import Database
from rectify_kit.feed import feed_router
from rectify_kit.outbox import append_event, make_event_table
from rectify_kit.testing import TokenFactory, sqlite_test_url

# On both backends: the kit's feed is served from an outbox table with each dialect's SQL.
pytestmark = pytest.mark.both_backends

fake_metadata = MetaData()
fake_events = make_event_table(fake_metadata)


async def feed_reader() -> Principal:
    return Principal(sub="notify-api", kind="client", scopes=frozenset({"events:read", "directory:read"}))


@pytest.fixture
async def fake_issues_api(tmp_path: Path) -> AsyncIterator[FastAPI]:
    """A stand-in for issues-api's feed: its own database, an outbox table and the kit's feed router."""
    database = Database(sqlite_test_url(tmp_path, "fake-issues"))
    async with database.engine.begin() as conn:
        await conn.run_sync(fake_metadata.create_all)
    app = FastAPI()
    app.state.database = database
    app.include_router(
        feed_router(
            path="/api/v1/events", table=fake_events, principal_dependency=feed_reader, visible_types=lambda p: None
        )
    )
    at = local(2026, 9, 22, 10)
    async with database.session() as session:
        unit = {"id": "unit-a", "code": "A", "name": "A", "kind": "department", "parent_id": None, "active": True}
        for type_, subject, data in (
            ("unit.created", "unit-a", {"unit": unit}),
            ("user.created", "u-a", {"user": user("u-a", "unit", "unit-a")}),
            ("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 9, 30), assigned_at=at, co_unit_ids=[])}),
        ):
            await append_event(
                session, fake_events, type=type_, subject_id=subject, actor=ACTOR, data=data, occurred_at=at
            )
    yield app
    await database.dispose()


async def test_consumer_applies_a_feed_router_feed_over_http(
    fake_issues_api: FastAPI, database_url: str, tmp_path: Path, tokens: TokenFactory
) -> None:
    clock = FixedClock(local(2026, 9, 22, 10, 5).astimezone(UTC))
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake_issues_api), base_url="http://issues")
    source = HttpFeedSource("http://issues/api/v1/events", http=http)
    settings = Settings(database_url=database_url, var_dir=tmp_path, background=False, log_json=False)
    app = create_app(settings, clock=clock, feed_source=source)
    async with LifespanManager(app):
        consumer = app.state.runtime.consumer
        assert await consumer.run_once(wait=0) == 3
        assert await consumer.run_once(wait=0) == 0  # caught up: nothing applied twice
        database: Database = app.state.database
        async with database.session(write=False) as session:
            inbox = (await session.execute(select(Notification.user_id, Notification.kind))).all()
            steps = (await session.execute(select(Timer.step).order_by(Timer.due_at, Timer.step))).scalars().all()
    await http.aclose()
    assert [tuple(r) for r in inbox] == [("u-a", "assigned")]
    assert list(steps) == ["T-3", "not-accepted", "T-1", "T+1", "T+3", "T+5", "T+10"]


async def test_app_keeps_serving_while_issues_api_is_away(database_url: str, tmp_path: Path) -> None:
    settings = Settings(
        database_url=database_url,
        var_dir=tmp_path,
        log_json=False,
        background=True,
        issues_url="http://127.0.0.1:9",  # nothing listens there
        feed_client_secret_file=tmp_path / "missing-secret",
        scheduler_interval_seconds=0.05,
    )
    app = create_app(settings)
    async with LifespanManager(app):
        runtime: Any = app.state.runtime
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://notify") as client:
            for _ in range(3):
                assert (await client.get("/healthz")).status_code == 200
                assert (await client.get("/readyz")).status_code == 200
        assert all(not task.done() for task in runtime.tasks)
    assert all(task.done() for task in runtime.tasks)
