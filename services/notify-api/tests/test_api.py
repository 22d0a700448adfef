"""The HTTP API: who sees and changes what, validation, acknowledgement of notices and notify-api's feed."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from notify_api.escalations.models import Timer
from notify_api.issues.models import IssueState
from notify_testing.world import World, issue, local
from rectify_kit.db import Database


async def fire_backfilled(world: World, *, at: Any = None) -> None:
    """Assign issue-1 on 14 October 2026 with a deadline of 30 September: T+5 (level 3) fires at once."""
    world.clock.set((at or local(2026, 10, 14, 10)).astimezone(UTC))
    body = issue(deadline=date(2026, 9, 30), assigned_at=world.clock.now())
    await world.feed("issue.assigned", "issue-1", {"issue": body})
    await world.tick()


class TestInbox:
    async def test_a_user_sees_only_their_own_notifications(self, world: World, client: httpx.AsyncClient) -> None:
        await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 10, 30))})
        mine = (await client.get("/api/v1/notifications", headers=world.headers("u-a"))).json()
        assert [n["kind"] for n in mine["items"]] == ["assigned"]
        theirs = (await client.get("/api/v1/notifications", headers=world.headers("u-c"))).json()
        assert theirs["items"] == []
        other = await client.post(f"/api/v1/notifications/{mine['items'][0]['id']}/read", headers=world.headers("u-b"))
        assert other.status_code == 404
        assert other.headers["content-type"] == "application/problem+json"

    async def test_mark_read_and_unread_count(self, world: World, client: httpx.AsyncClient) -> None:
        await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 10, 30))})
        world.clock.advance(timedelta(minutes=5))
        await world.feed("issue.urged", "issue-1", {"issue": issue(deadline=date(2026, 10, 30)), "content": "快"})
        me = world.headers("u-b")
        assert (await client.get("/api/v1/notifications/unread-count", headers=me)).json() == {"unread": 2}
        first = (await client.get("/api/v1/notifications?unread=true", headers=me)).json()["items"][0]
        assert first["title"].startswith("[Urge]")  # u-b reads English
        read = await client.post(f"/api/v1/notifications/{first['id']}/read", headers=me)
        assert read.json()["read_at"] is not None
        assert (await client.get("/api/v1/notifications/unread-count", headers=me)).json() == {"unread": 1}
        unread = (await client.get("/api/v1/notifications?unread=true", headers=me)).json()["items"]
        assert [n["kind"] for n in unread] == ["assigned"]

    async def test_without_a_token_is_401(self, client: httpx.AsyncClient) -> None:
        answer = await client.get("/api/v1/notifications")
        assert answer.status_code == 401
        assert answer.json()["code"] == "unauthorized"

    async def test_inbox_pages_with_a_cursor(self, world: World, client: httpx.AsyncClient) -> None:
        for n in range(3):
            await world.feed("issue.urged", "issue-1", {"issue": issue(deadline=date(2026, 10, 30)), "content": str(n)})
        me = world.headers("u-a")
        page = (await client.get("/api/v1/notifications?limit=2", headers=me)).json()
        rest = (await client.get(f"/api/v1/notifications?limit=2&cursor={page['next_cursor']}", headers=me)).json()
        assert len(page["items"]) == 2
        assert len(rest["items"]) == 1
        assert rest["next_cursor"] is None
        assert page["total"] == rest["total"] == 3


class TestAdminOnly:
    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("GET", "/api/v1/webhooks"),
            ("GET", "/api/v1/deliveries"),
            ("GET", "/api/v1/channels"),
            ("GET", "/api/v1/escalation-policies/campaign-1"),
        ],
    )
    async def test_units_and_leaders_may_not(
        self, world: World, client: httpx.AsyncClient, method: str, path: str
    ) -> None:
        for who in ("u-a", "u-leader"):
            answer = await client.request(method, path, headers=world.headers(who))
            assert answer.status_code == 403
        assert (await client.request(method, path, headers=world.headers("u-office"))).status_code == 200

    async def test_only_an_admin_changes_the_calendar(self, world: World, client: httpx.AsyncClient) -> None:
        body = {"year": 2027, "overrides": [], "complete": False}
        assert (await client.put("/api/v1/calendar", json=body, headers=world.headers("u-office"))).status_code == 403

    async def test_a_number_for_a_boolean_or_text_for_a_number_is_a_422_and_changes_nothing(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        # The schema says boolean and integer: 0 or "2027" must not slip through as False or 2027.
        office = world.headers("u-office")
        before = (await client.get("/api/v1/channels", headers=office)).json()
        answer = await client.put("/api/v1/channels", json={"channel": "sms", "enabled": 0}, headers=office)
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["field"] == "enabled"
        assert (await client.get("/api/v1/channels", headers=office)).json() == before
        body = {"year": "2027", "overrides": [], "complete": False}
        answer = await client.put("/api/v1/calendar", json=body, headers=world.headers("u-admin"))
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["field"] == "year"


class TestPolicies:
    async def test_default_policy_applies_until_one_is_stored(self, world: World, client: httpx.AsyncClient) -> None:
        office = world.headers("u-office")
        default = (await client.get("/api/v1/escalation-policies/campaign-1", headers=office)).json()
        assert default["is_default"] is True
        steps = {s["code"]: (s["offset_wd"], s["level"]) for s in default["steps"]}
        assert steps["T-3"] == (-3, 0)
        assert steps["T+5"] == (5, 3)
        assert steps["T+10"] == (10, 4)
        assert steps["pending-review"] == (3, 0)

    async def test_invalid_policy_is_a_422_problem(self, world: World, client: httpx.AsyncClient) -> None:
        bad = {"steps": [{"code": "x", "anchor": "deadline", "offset_wd": 1, "level": 5, "recipients": ["office"]}]}
        answer = await client.put("/api/v1/escalation-policies/c", json=bad, headers=world.headers("u-office"))
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["field"].startswith("steps.0.level")
        falling = {
            "steps": [
                {"code": "a", "anchor": "deadline", "offset_wd": 1, "level": 2, "recipients": ["office"]},
                {"code": "b", "anchor": "deadline", "offset_wd": 3, "level": 1, "recipients": ["office"]},
            ]
        }
        answer = await client.put("/api/v1/escalation-policies/c", json=falling, headers=world.headers("u-office"))
        assert answer.status_code == 422

    async def test_stored_policy_replans_the_campaign(self, world: World, client: httpx.AsyncClient) -> None:
        world.clock.set(local(2026, 9, 22, 10).astimezone(UTC))
        await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 9, 30))})
        policy = {
            "steps": [{"code": "T+2", "anchor": "deadline", "offset_wd": 2, "level": 1, "recipients": ["lead_unit"]}],
            "ack_within_wd": 2,
        }
        stored = await client.put(
            "/api/v1/escalation-policies/campaign-1", json=policy, headers=world.headers("u-office")
        )
        assert stored.json()["version"] == 1
        await world.tick()
        database: Database = world.app.state.database
        async with database.session(write=False) as session:
            timers = (await session.execute(select(Timer.step, Timer.due_at))).all()
        assert [(s, d) for s, d in timers] == [("T+2", local(2026, 10, 9, 9))]


class TestCalendar:
    async def test_official_year_and_provisional_year(self, world: World, client: httpx.AsyncClient) -> None:
        me = world.headers("u-a")
        known = (await client.get("/api/v1/calendar?year=2026", headers=me)).json()
        assert known["provisional"] is False
        days = {d["date"]: d for d in known["days"]}
        assert days["2026-10-01"]["is_working"] is False
        assert days["2026-10-10"]["is_working"] is True
        unknown = (await client.get("/api/v1/calendar?year=2027", headers=me)).json()
        assert unknown["provisional"] is True
        assert unknown["days"] == []

    async def test_from_1_december_a_missing_next_year_is_a_warning(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        world.clock.set(local(2026, 11, 30, 12).astimezone(UTC))
        before = (await client.get("/api/v1/calendar", headers=world.headers("u-admin"))).json()
        assert before["warnings"] == []
        world.clock.set(local(2026, 12, 1, 9).astimezone(UTC))
        after = (await client.get("/api/v1/calendar", headers=world.headers("u-admin"))).json()
        assert after["warnings"] == ["2027 年节假日安排尚未录入"]
        assert after["warnings_en"] == ["The official calendar for 2027 is missing"]

    async def test_admins_are_told_once_in_december(self, world: World, client: httpx.AsyncClient) -> None:
        world.clock.set(local(2026, 11, 30, 10).astimezone(UTC))
        await world.tick()
        admin = world.headers("u-admin")
        assert (await client.get("/api/v1/notifications", headers=admin)).json()["items"] == []
        world.clock.set(local(2026, 12, 1, 10).astimezone(UTC))
        await world.tick()
        await world.tick()
        items = (await client.get("/api/v1/notifications", headers=admin)).json()["items"]
        assert [n["title"] for n in items] == ["【系统提醒】2027 年节假日安排缺失"]

    async def test_override_outside_the_year_is_refused(self, world: World, client: httpx.AsyncClient) -> None:
        body = {"year": 2027, "overrides": [{"date": "2028-01-03", "is_working": False}]}
        answer = await client.put("/api/v1/calendar", json=body, headers=world.headers("u-admin"))
        assert answer.status_code == 422

    async def test_arriving_data_replans_provisional_timers(self, world: World, client: httpx.AsyncClient) -> None:
        world.clock.set(local(2026, 12, 28, 10).astimezone(UTC))
        await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 12, 31))})
        database: Database = world.app.state.database

        async def t1() -> tuple[Any, bool]:
            async with database.session(write=False) as session:
                row = (await session.execute(select(Timer).where(Timer.step == "T+1"))).scalar_one()
            return row.due_at, row.provisional

        assert await t1() == (local(2027, 1, 1, 9), True)  # Monday-to-Friday guess for 2027
        body = {
            "year": 2027,
            "overrides": [{"date": "2027-01-01", "is_working": False, "note": "元旦"}],
            "complete": True,
        }
        answer = await client.put("/api/v1/calendar", json=body, headers=world.headers("u-admin"))
        assert answer.json()["provisional"] is False
        await world.tick()
        assert await t1() == (local(2027, 1, 4, 9), False)


class TestEscalations:
    async def test_unit_sees_only_its_own_unit(self, world: World, client: httpx.AsyncClient) -> None:
        await fire_backfilled(world)
        assert len((await client.get("/api/v1/escalations", headers=world.headers("u-a"))).json()["items"]) == 1
        assert (await client.get("/api/v1/escalations?unit_id=unit-a", headers=world.headers("u-c"))).status_code == 403
        assert (await client.get("/api/v1/escalations", headers=world.headers("u-c"))).json()["items"] == []
        by_level = await client.get("/api/v1/escalations?level=2", headers=world.headers("u-leader"))
        assert by_level.json()["items"] == []

    async def test_only_the_lead_unit_acknowledges_a_numbered_notice(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await fire_backfilled(world)
        [notice] = (await client.get("/api/v1/escalations", headers=world.headers("u-office"))).json()["items"]
        path = f"/api/v1/escalations/{notice['id']}/acknowledge"
        assert (await client.post(path, headers=world.headers("u-c"))).status_code == 403
        assert (await client.post(path, headers=world.headers("u-office"))).status_code == 403
        signed = await client.post(path, headers=world.headers("u-a"))
        assert signed.status_code == 200
        assert signed.json()["acknowledged_at"] is not None
        again = await client.post(path, headers=world.headers("u-a"))
        assert again.json()["acknowledged_at"] == signed.json()["acknowledged_at"]

        feed = (await client.get("/api/v1/escalations/feed", headers=world.headers("u-admin"))).json()
        assert [e["type"] for e in feed["events"]] == ["escalation.fired", "escalation.acknowledged"]
        assert feed["events"][1]["data"]["escalation"]["number"] == "督〔2026〕1号"
        assert (await client.get("/api/v1/escalations/feed", headers=world.headers("u-a"))).status_code == 403
        client_token = world.tokens.headers("report-api", kind="client", scope="events:read")
        assert (await client.get("/api/v1/escalations/feed", headers=client_token)).status_code == 200

    async def test_the_list_names_the_issue_and_filters_notices_awaiting_acknowledgement(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await fire_backfilled(world)
        office = world.headers("u-office")
        [notice] = (await client.get("/api/v1/escalations", headers=office)).json()["items"]
        assert (notice["issue_code"], notice["issue_title"]) == ("YS-2026-0001", "审批超时")

        async def awaiting(flag: str) -> list[str]:
            answer = await client.get(f"/api/v1/escalations?awaiting_acknowledgement={flag}", headers=office)
            assert answer.json()["total"] == len(answer.json()["items"])
            return [e["id"] for e in answer.json()["items"]]

        assert (await awaiting("true"), await awaiting("false")) == ([notice["id"]], [])
        signed = await client.post(f"/api/v1/escalations/{notice['id']}/acknowledge", headers=world.headers("u-a"))
        assert signed.json()["issue_code"] == "YS-2026-0001"
        assert (await awaiting("true"), await awaiting("false")) == ([], [notice["id"]])

    async def test_a_reminder_needs_no_acknowledgement(self, world: World, client: httpx.AsyncClient) -> None:
        world.clock.set(local(2026, 9, 22, 10).astimezone(UTC))
        await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 9, 30))})
        world.clock.set(local(2026, 9, 24, 9).astimezone(UTC))
        await world.tick()
        reminders = (await client.get("/api/v1/escalations?level=0", headers=world.headers("u-a"))).json()["items"]
        answer = await client.post(
            f"/api/v1/escalations/{reminders[0]['id']}/acknowledge", headers=world.headers("u-a")
        )
        assert answer.status_code == 409
        assert answer.json()["code"] == "escalation-not-acknowledgeable"

    async def test_unacknowledged_notice_climbs_sooner_and_acknowledging_restores(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        policy = {
            "steps": [
                {"code": "T+3", "anchor": "deadline", "offset_wd": 3, "level": 2, "recipients": ["lead_unit"]},
                {"code": "T+8", "anchor": "deadline", "offset_wd": 8, "level": 3, "recipients": ["lead_unit"]},
            ],
            "ack_within_wd": 1,
        }
        await client.put("/api/v1/escalation-policies/campaign-1", json=policy, headers=world.headers("u-office"))
        world.clock.set(local(2026, 9, 22, 10).astimezone(UTC))
        await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 9, 30))})
        database: Database = world.app.state.database

        async def t8() -> Any:
            async with database.session(write=False) as session:
                return (await session.execute(select(Timer.due_at).where(Timer.step == "T+8"))).scalar_one()

        assert await t8() == local(2026, 10, 16, 9)
        world.clock.set(local(2026, 10, 10, 9).astimezone(UTC))  # T+3 fires on the make-up Saturday
        await world.tick()
        assert await t8() == local(2026, 10, 12, 9)  # one working day to sign, then the red card
        [notice] = (await client.get("/api/v1/escalations", headers=world.headers("u-a"))).json()["items"]
        await client.post(f"/api/v1/escalations/{notice['id']}/acknowledge", headers=world.headers("u-a"))
        await world.tick()
        assert await t8() == local(2026, 10, 16, 9)


class TestReplay:
    async def test_replaying_old_events_changes_nothing(self, world: World, client: httpx.AsyncClient) -> None:
        first = await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 10, 30))})
        database: Database = world.app.state.database
        async with database.session() as session:  # the same event again, as after a cursor reset
            await world.runtime.consumer.page_handler(session, [first])
        async with database.session(write=False) as session:
            state = await session.get(IssueState, "issue-1")
        assert state is not None
        assert state.deadline_version == 1
        inbox = (await client.get("/api/v1/notifications", headers=world.headers("u-a"))).json()
        assert len(inbox["items"]) == 1


class TestLiveInbox:
    async def test_a_listener_hears_new_notifications_after_commit(self, world: World) -> None:
        from notify_api.notifications.broker import InboxBroker

        broker: InboxBroker = world.app.state.inbox_broker
        queue = broker.subscribe("u-a")
        others = broker.subscribe("u-c")
        await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 10, 30))})
        message = queue.get_nowait()
        assert message["kind"] == "assigned"
        assert message["title"] == "【交办通知】YS-2026-0001《审批超时》"
        assert others.empty()
        broker.unsubscribe("u-a", queue)
        broker.unsubscribe("u-c", others)
