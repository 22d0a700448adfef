"""The working-day calendar as notify-api serves and publishes it: official days named in Chinese and English,
an admin's override moving the timers and published as `calendar.updated` on notify-api's feed, and overrides
stored before that feed told them announced once at start-up."""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import select

from notify_api.calendar.models import CalendarDay
from notify_api.config import Settings
from notify_api.escalations.models import Timer
from notify_api.main import create_app
from notify_testing.world import World, issue, local
from rectify_kit.clock import FixedClock
from rectify_kit.db import Database
from rectify_kit.testing import TokenFactory, share_routes

# On both backends: an override marks every open issue for re-planning, claimed by the scheduler with each dialect's
# locking (SKIP LOCKED on PostgreSQL).
pytestmark = pytest.mark.both_backends


async def feed_events(client: httpx.AsyncClient, world: World, type_: str) -> list[dict[str, Any]]:
    answer = await client.get("/api/v1/escalations/feed", headers=world.headers("u-admin"))
    return [e for e in answer.json()["events"] if e["type"] == type_]


async def due(world: World, step: str) -> Any:
    database: Database = world.app.state.database
    async with database.session(write=False) as session:
        return (await session.execute(select(Timer.due_at).where(Timer.step == step))).scalar_one()


class TestNames:
    async def test_official_days_are_named_in_chinese_and_english(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        answer = (await client.get("/api/v1/calendar?year=2026", headers=world.headers("u-a"))).json()
        days = {d["date"]: d for d in answer["days"]}
        national, make_up = days["2026-10-01"], days["2026-10-10"]
        assert (national["note"], national["note_en"], national["source"]) == ("国庆节", "National Day", "official")
        assert (make_up["is_working"], make_up["note"]) == (True, "国庆节调休")


class TestOverride:
    async def test_an_override_moves_the_timers_and_is_published_with_the_years_overrides(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        world.clock.set(local(2026, 11, 9, 10).astimezone(UTC))
        await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 11, 20))})
        assert await due(world, "T-3") == local(2026, 11, 17, 9)  # Friday 20 − 3 working days

        body = {"year": 2026, "overrides": [{"date": "2026-11-18", "is_working": False, "note": "临时停工"}]}
        answer = await client.put("/api/v1/calendar", json=body, headers=world.headers("u-admin"))
        assert answer.status_code == 200
        await world.tick()
        assert await due(world, "T-3") == local(2026, 11, 16, 9)  # Wednesday 18 no longer counts

        [event] = await feed_events(client, world, "calendar.updated")
        assert event["subject_id"] == "2026"
        assert event["actor"]["id"] == "u-admin"
        assert event["data"] == {
            "calendar": {
                "year": 2026,
                "overrides": [{"date": "2026-11-18", "is_working": False, "note": "临时停工"}],
                "declared_complete": False,
            }
        }

    async def test_overrides_the_feed_never_told_are_announced_once_at_start_up(
        self, settings: Settings, clock: FixedClock, tokens: TokenFactory
    ) -> None:
        database = Database(settings.resolved_database_url())
        try:
            async with database.session() as session:
                session.add(CalendarDay(day=date(2026, 11, 18), is_working=False, source="override", note="旧调整"))
        finally:
            await database.dispose()
        for _ in range(2):  # two starts: the second finds the year told
            app: FastAPI = share_routes(create_app(settings, clock=clock))
            app.state.token_verifier = tokens.verifier()
            async with (
                LifespanManager(app),
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://notify") as client,
            ):
                world = World(app, clock, tokens)
                events = await feed_events(client, world, "calendar.updated")
        assert [e["data"]["calendar"]["overrides"] for e in events] == [
            [{"date": "2026-11-18", "is_working": False, "note": "旧调整"}]
        ]
