"""A campaign file's own escalation policy, read from issues-api's `campaign.created`/`campaign.updated` events
through the real consumer: inline steps become the campaign's policy and re-plan its issues, an admin's
policy outlives updates that leave the file's policy alone, and bad steps never stop the feed."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from notify_api.escalations.models import Timer
from notify_api.issues.models import IssueState
from notify_testing.world import CAMPAIGN, World, issue, local
from rectify_kit.db import Database

# On both backends: a policy change marks its campaign's issues for re-planning under retry_lock_races (a lock race on
# PostgreSQL) and the scheduler claims them with each dialect's locking (SKIP LOCKED on PostgreSQL).
pytestmark = pytest.mark.both_backends

POLICY_PATH = f"/api/v1/escalation-policies/{CAMPAIGN}"

FILE_STEPS: list[dict[str, Any]] = [
    {"anchor": "deadline", "offset_wd": -1, "level": 0, "recipients": ["lead_unit"], "channels": ["inbox"]},
    {"anchor": "deadline", "offset_wd": 2, "level": 1, "recipients": ["lead_unit"], "channels": ["email", "webhook"]},
]
OTHER_STEPS: list[dict[str, Any]] = [
    {"anchor": "deadline", "offset_wd": 4, "level": 2, "recipients": ["lead_unit", "office"], "channels": ["inbox"]},
]
ADMIN_POLICY = {
    "steps": [{"code": "late", "anchor": "deadline", "offset_wd": 1, "level": 1, "recipients": ["office"]}],
    "ack_within_wd": 3,
}


def campaign(*, steps: Any = None, policy: str | None = None, name: str = "营商环境专项整治") -> dict[str, Any]:
    """The Campaign of docs/events.md as issues-api's campaign_state writes it."""
    body: dict[str, Any] = {
        "id": CAMPAIGN,
        "code": "YS",
        "name": name,
        "description": None,
        "starts_on": "2026-09-01",
        "ends_on": "2026-12-31",
        "escalation_policy": policy or ("inline" if steps is not None else "default"),
        "phases": [],
        "categories": [],
    }
    if steps is not None:
        body["escalation_steps"] = steps
    return {"campaign": body}


async def policy_of(world: World, client: httpx.AsyncClient) -> dict[str, Any]:
    answer = await client.get(POLICY_PATH, headers=world.headers("u-office"))
    assert answer.status_code == 200
    found: dict[str, Any] = answer.json()
    return found


async def timers(world: World) -> dict[str, datetime]:
    database: Database = world.app.state.database
    async with database.session(write=False) as session:
        return {row.step: row.due_at for row in (await session.execute(select(Timer.step, Timer.due_at))).all()}


async def needs_replan(world: World, issue_id: str = "issue-1") -> bool | None:
    database: Database = world.app.state.database
    async with database.session(write=False) as session:
        state = await session.get(IssueState, issue_id)
        return None if state is None else state.needs_replan


async def assign(world: World, issue_id: str = "issue-1") -> None:
    world.clock.set(local(2026, 9, 22, 10).astimezone(UTC))
    await world.feed("issue.assigned", issue_id, {"issue": issue(issue_id, deadline=date(2026, 9, 30))})


async def later(world: World) -> None:
    world.clock.advance(timedelta(minutes=10))


class TestInlineSteps:
    async def test_inline_steps_become_the_policy_and_replan_open_issues(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await assign(world)
        assert "T+5" in await timers(world)  # the default policy planned it
        await world.feed("campaign.created", CAMPAIGN, campaign(steps=FILE_STEPS))
        stored = await policy_of(world, client)
        assert (stored["source"], stored["is_default"], stored["version"]) == ("file", False, 1)
        assert [(s["code"], s["level"], s["channels"]) for s in stored["steps"]] == [
            ("T-1", 0, ["inbox"]),
            ("T+2", 1, ["inbox", "email"]),
        ]
        assert await needs_replan(world) is True
        await world.tick()
        assert await timers(world) == {"T-1": local(2026, 9, 29, 9), "T+2": local(2026, 10, 9, 9)}

    async def test_steps_at_the_same_moment_are_told_apart_by_level(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        steps = [
            {"anchor": "deadline", "offset_wd": 3, "level": 1, "recipients": ["lead_unit"]},
            {"anchor": "deadline", "offset_wd": 3, "level": 2, "recipients": ["office"]},
            {"anchor": "assigned", "offset_wd": 2, "level": 0, "recipients": ["lead_unit"]},
        ]
        await world.feed("campaign.created", CAMPAIGN, campaign(steps=steps))
        codes = [s["code"] for s in (await policy_of(world, client))["steps"]]
        assert codes == ["T+3-L1", "T+3-L2", "assigned+2"]

    async def test_the_same_event_twice_changes_nothing_the_second_time(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await assign(world)
        await world.feed("campaign.created", CAMPAIGN, campaign(steps=FILE_STEPS))
        await world.tick()
        first = await policy_of(world, client)
        await world.feed("campaign.created", CAMPAIGN, campaign(steps=FILE_STEPS))
        assert await policy_of(world, client) == first
        assert await needs_replan(world) is False

    async def test_an_update_that_keeps_the_steps_changes_nothing(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await world.feed("campaign.created", CAMPAIGN, campaign(steps=FILE_STEPS))
        await later(world)
        await world.feed("campaign.updated", CAMPAIGN, campaign(steps=FILE_STEPS, name="新名称"))
        assert (await policy_of(world, client))["version"] == 1

    async def test_changed_steps_replace_the_files_earlier_steps(self, world: World, client: httpx.AsyncClient) -> None:
        await assign(world)
        await world.feed("campaign.created", CAMPAIGN, campaign(steps=FILE_STEPS))
        await world.tick()
        await later(world)
        await world.feed("campaign.updated", CAMPAIGN, campaign(steps=OTHER_STEPS))
        stored = await policy_of(world, client)
        assert ([s["code"] for s in stored["steps"]], stored["version"]) == (["T+4"], 2)
        await world.tick()
        assert set(await timers(world)) == {"T+4"}


class TestAdminPolicy:
    async def test_admin_policy_outlives_an_update_that_keeps_the_files_steps(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await world.feed("campaign.created", CAMPAIGN, campaign(steps=FILE_STEPS))
        await later(world)
        put = await client.put(POLICY_PATH, json=ADMIN_POLICY, headers=world.headers("u-admin"))
        assert put.json()["source"] == "admin"
        await later(world)
        await world.feed("campaign.updated", CAMPAIGN, campaign(steps=FILE_STEPS, name="新名称"))
        stored = await policy_of(world, client)
        assert (stored["source"], stored["version"], stored["ack_within_wd"]) == ("admin", 2, 3)
        assert [s["code"] for s in stored["steps"]] == ["late"]

    async def test_admin_policy_outlives_updates_of_a_campaign_on_the_default(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await world.feed("campaign.created", CAMPAIGN, campaign())
        await later(world)
        await client.put(POLICY_PATH, json=ADMIN_POLICY, headers=world.headers("u-office"))
        await later(world)
        await world.feed("campaign.updated", CAMPAIGN, campaign(name="新名称"))
        assert (await policy_of(world, client))["source"] == "admin"

    async def test_changed_file_steps_replace_the_admin_policy(self, world: World, client: httpx.AsyncClient) -> None:
        await world.feed("campaign.created", CAMPAIGN, campaign(steps=FILE_STEPS))
        await later(world)
        await client.put(POLICY_PATH, json=ADMIN_POLICY, headers=world.headers("u-admin"))
        await later(world)
        await world.feed("campaign.updated", CAMPAIGN, campaign(steps=OTHER_STEPS))
        stored = await policy_of(world, client)
        assert (stored["source"], stored["version"], [s["code"] for s in stored["steps"]]) == ("file", 3, ["T+4"])

    async def test_a_file_change_that_occurred_before_the_admins_put_does_not_replace_it(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await world.feed("campaign.created", CAMPAIGN, campaign(steps=FILE_STEPS))
        changed_at = world.clock.now() + timedelta(minutes=5)
        world.clock.advance(timedelta(minutes=10))
        await client.put(POLICY_PATH, json=ADMIN_POLICY, headers=world.headers("u-admin"))
        world.clock.set(changed_at)  # the feed delivers the update late: it was written before the PUT
        await world.feed("campaign.updated", CAMPAIGN, campaign(steps=OTHER_STEPS))
        stored = await policy_of(world, client)
        assert (stored["source"], [s["code"] for s in stored["steps"]]) == ("admin", ["late"])


class TestNamedPolicy:
    async def test_default_after_inline_steps_restores_the_default_and_replans(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await assign(world)
        await world.feed("campaign.created", CAMPAIGN, campaign(steps=FILE_STEPS))
        await world.tick()
        await later(world)
        await world.feed("campaign.updated", CAMPAIGN, campaign(policy="default"))
        stored = await policy_of(world, client)
        assert (stored["source"], stored["is_default"]) == ("default", True)
        await world.tick()
        assert {"T-3", "T+1", "T+5", "T+10"} <= set(await timers(world))

    async def test_an_unknown_name_is_logged_and_the_default_applies(
        self, world: World, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        await world.feed("campaign.created", CAMPAIGN, campaign(steps=FILE_STEPS))
        await later(world)
        with caplog.at_level(logging.WARNING, logger="notify.policies"):
            await world.feed("campaign.updated", CAMPAIGN, campaign(policy="provincial-strict"))
        assert "provincial-strict" in caplog.text
        assert (await policy_of(world, client))["is_default"] is True


class TestInvalidSteps:
    @pytest.mark.parametrize(
        "steps",
        [
            [  # levels fall as the offset grows
                {"anchor": "deadline", "offset_wd": 1, "level": 3, "recipients": ["office"]},
                {"anchor": "deadline", "offset_wd": 5, "level": 1, "recipients": ["office"]},
            ],
            [{"anchor": "deadline", "offset_wd": 90, "level": 1, "recipients": ["office"]}],  # past notify's range
            [{"anchor": "assigned", "offset_wd": 0, "level": 0, "recipients": ["lead_unit"]}],
            [{"anchor": "deadline", "offset_wd": 1, "level": 1, "recipients": ["office"]}] * 2,  # same code
            [{"level": 2}],
            [],
            "T+3",
            [["deadline", 3]],
        ],
    )
    async def test_invalid_steps_are_logged_the_policy_stays_and_the_feed_goes_on(
        self, world: World, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, steps: Any
    ) -> None:
        await world.feed("campaign.created", CAMPAIGN, campaign(steps=FILE_STEPS))
        before = await policy_of(world, client)
        await later(world)
        with caplog.at_level(logging.WARNING, logger="notify.policies"):
            await world.feed("campaign.updated", CAMPAIGN, campaign(steps=steps))
        assert "not valid" in caplog.text
        assert await policy_of(world, client) == before
        await assign(world, "issue-2")
        assert await needs_replan(world, "issue-2") is False  # the next event was applied
        await later(world)
        await world.feed("campaign.updated", CAMPAIGN, campaign(steps=OTHER_STEPS))
        assert [s["code"] for s in (await policy_of(world, client))["steps"]] == ["T+4"]

    async def test_a_campaign_without_an_id_is_ignored(self, world: World, client: httpx.AsyncClient) -> None:
        body = campaign(steps=FILE_STEPS)
        del body["campaign"]["id"]
        await world.feed("campaign.created", CAMPAIGN, body)
        assert (await policy_of(world, client))["is_default"] is True
