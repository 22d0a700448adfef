"""Fixtures of notify-api's tests: a migrated database per module and backend (SQLite always, PostgreSQL
when RECTIFY_TEST_PG_URL is set), emptied after each test; the app with a fixed clock and test tokens; and
a small world of units, users and issue events shaped exactly like docs/events.md."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from notify_api.__main__ import MIGRATIONS
from notify_api.config import Settings
from notify_api.db import metadata
from notify_api.main import create_app
from notify_api.runtime import Runtime
from rectify_kit import migrations
from rectify_kit.clock import BUSINESS_TZ, FixedClock
from rectify_kit.consumer import FeedItem, FetchedPage
from rectify_kit.db import Database
from rectify_kit.testing import (
    TokenFactory,
    backends,
    create_pg_database,
    drop_pg_database,
    sqlite_test_url,
)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment in Asia/Shanghai, as an aware datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=BUSINESS_TZ)


@pytest.fixture(scope="session")
def tokens() -> TokenFactory:
    return TokenFactory()


@pytest.fixture(scope="module", params=backends())
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One migrated database per test module and backend."""
    if request.param == "sqlite":
        url = sqlite_test_url(tmp_path_factory.mktemp("notify"), "notify")
        migrations.upgrade(MIGRATIONS, url)
        yield url
        return
    url = asyncio.run(create_pg_database("notify_test"))
    try:
        migrations.upgrade(MIGRATIONS, url)
        yield url
    finally:
        asyncio.run(drop_pg_database(url))


async def empty_tables(url: str) -> None:
    database = Database(url)
    try:
        async with database.engine.begin() as conn:
            for table in reversed(metadata.sorted_tables):
                if table.name != "alembic_version":
                    await conn.execute(table.delete())
    finally:
        await database.dispose()


@pytest.fixture
async def db_url(database_url: str) -> AsyncIterator[str]:
    """The module's database, emptied after each test so tests never share rows."""
    yield database_url
    await empty_tables(database_url)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(local(2026, 9, 21, 10).astimezone(UTC))


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=db_url, var_dir=tmp_path, background=False, log_json=False)


@pytest.fixture
async def app(settings: Settings, clock: FixedClock, tokens: TokenFactory) -> AsyncIterator[FastAPI]:
    application = create_app(settings, clock=clock)
    application.state.token_verifier = tokens.verifier()
    async with LifespanManager(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://notify") as c:
        yield c


UNIT_A, UNIT_B, UNIT_C = "unit-a", "unit-b", "unit-c"
CAMPAIGN = "campaign-1"
ACTOR = {"kind": "user", "id": "u-office", "username": "office", "role": "office", "unit_id": None}


class World:
    """Feeds events to the app's consumer exactly as they would arrive from issues-api's feed."""

    def __init__(self, app: FastAPI, clock: FixedClock, tokens: TokenFactory) -> None:
        self.app = app
        self.clock = clock
        self.tokens = tokens
        self.seq = itertools.count(1)

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    async def feed(self, type_: str, subject_id: str, data: dict[str, Any]) -> FeedItem:
        seq = next(self.seq)
        item = FeedItem(
            seq=seq,
            id=str(uuid.uuid4()),
            type=type_,
            occurred_at=self.clock.now().isoformat(),
            actor=ACTOR,
            subject_id=subject_id,
            data=data,
            hash="0" * 64,
        )
        await self.runtime.consumer.apply(FetchedPage(events=[item], next=seq, head=seq))
        return item

    async def directory(self) -> None:
        """Units A (lead), B (co-unit), C (bystander); a user in each; office, leader and admin."""
        for uid, code in ((UNIT_A, "A"), (UNIT_B, "B"), (UNIT_C, "C")):
            unit = {"id": uid, "code": code, "name": f"处室{code}", "kind": "department", "parent_id": None}
            await self.feed("unit.created", uid, {"unit": {**unit, "active": True}})
        for uid, role, unit, locale in (
            ("u-a", "unit", UNIT_A, "zh-CN"),
            ("u-b", "unit", UNIT_B, "en"),
            ("u-c", "unit", UNIT_C, "zh-CN"),
            ("u-office", "office", None, "zh-CN"),
            ("u-leader", "leader", None, "zh-CN"),
            ("u-admin", "admin", None, "zh-CN"),
        ):
            await self.feed("user.created", uid, {"user": user(uid, role, unit, locale=locale)})

    def headers(self, user_id: str) -> dict[str, str]:
        role, unit = {
            "u-a": ("unit", UNIT_A),
            "u-b": ("unit", UNIT_B),
            "u-c": ("unit", UNIT_C),
            "u-office": ("office", None),
            "u-leader": ("leader", None),
            "u-admin": ("admin", None),
        }[user_id]
        return dict(self.tokens.headers(user_id, role=role, unit_id=unit, username=user_id))

    async def tick(self) -> None:
        await self.runtime.scheduler.tick()


def user(uid: str, role: str, unit_id: str | None, *, locale: str = "zh-CN", digest: bool = False) -> dict[str, Any]:
    return {
        "id": uid,
        "username": uid,
        "display_name": uid.upper(),
        "role": role,
        "unit_id": unit_id,
        "email": f"{uid}@example.gov.cn",
        "phone": "13800000000",
        "active": True,
        "digest_opt_in": digest,
        "locale": locale,
    }


def issue(
    issue_id: str = "issue-1",
    *,
    status: str = "assigned",
    deadline: date | None = None,
    assigned_at: datetime | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The Issue of docs/events.md (the fields notify-api reads, and the rest as issues-api sends them)."""
    body: dict[str, Any] = {
        "id": issue_id,
        "code": "YS-2026-0001",
        "campaign_id": CAMPAIGN,
        "category_id": None,
        "kind": "problem",
        "source": "inspection",
        "title": "审批超时",
        "description": "",
        "cause": "",
        "measures": "",
        "requirements": "",
        "lead_unit_id": UNIT_A,
        "co_unit_ids": [UNIT_B],
        "co_units": [{"unit_id": UNIT_B, "status": "pending"}],
        "city": None,
        "deadline": deadline.isoformat() if deadline else None,
        "original_deadline": deadline.isoformat() if deadline else None,
        "deadline_history": [],
        "status": status,
        "progress_percent": 0,
        "reopen_count": 0,
        "return_count": 0,
        "flagged": False,
        "satisfaction": None,
        "rating": None,
        "created_at": "2026-09-01T00:00:00+00:00",
        "assigned_at": assigned_at.astimezone(UTC).isoformat() if assigned_at else None,
        "accepted_at": None,
        "submitted_at": None,
        "closed_at": None,
        "cancelled_at": None,
        "last_progress_at": None,
        "version": 1,
    }
    body.update(extra)
    return body


@pytest.fixture
async def world(app: FastAPI, clock: FixedClock, tokens: TokenFactory) -> World:
    w = World(app, clock, tokens)
    await w.directory()
    return w
