"""责任落实到人: the person a unit names responsible for an item, or gives a sub-task to, is told so by name (inbox and
e-mail, with a link to the item in the staff app), and so is the person they replace; once however often the
event arrives, and never of what they did themselves."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from notify_testing.world import UNIT_A, UNIT_B, World, actor_of, issue, user
from rectify_kit.db import Database

ITEM = issue(status="in_progress", deadline=date(2026, 10, 30))
LINK = "http://127.0.0.1:8000/issues/issue-1"


def named(user_id: str | None, unit_id: str = UNIT_A, *, previous: str | None = None) -> dict[str, Any]:
    """`issue.responsible_named`'s data: `user_id` (by display name) named for the unit's part in place of
    `previous` (none before by default)."""

    def person(uid: str | None) -> dict[str, str] | None:
        return {"user_id": uid, "display_name": uid.upper()} if uid else None

    return {"issue": ITEM, "unit_id": unit_id, "responsible": person(user_id), "previous": person(previous)}


def subtask(assignee_id: str, *, deadline: str = "2026-10-20", **extra: Any) -> dict[str, Any]:
    """`issue.subtask_*`'s data: a sub-task of unit B's part for `assignee_id`."""
    body = {
        "id": "subtask-1",
        "unit_id": UNIT_B,
        "title": "核对审批材料清单",
        "assignee_id": assignee_id,
        "assignee_name": assignee_id.upper(),
        "deadline": deadline,
        "percent": 0,
        "note": None,
        "done": False,
        "done_at": None,
    }
    return {"issue": ITEM, "subtask": body, "subtask_progress": 0, **extra}


async def inbox(client: httpx.AsyncClient, world: World, user_id: str) -> list[dict[str, Any]]:
    answer = await client.get("/api/v1/notifications", headers=world.headers(user_id))
    assert answer.status_code == 200
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def redeliver(world: World, item: Any) -> None:
    """Apply the same event again, as after a cursor reset."""
    database: Database = world.app.state.database
    async with database.session() as session:
        await world.runtime.consumer.page_handler(session, [item])


async def emails(client: httpx.AsyncClient, world: World) -> list[str]:
    """The addresses of every e-mail delivery queued."""
    answer = await client.get("/api/v1/deliveries", params={"channel": "email"}, headers=world.headers("u-office"))
    assert answer.status_code == 200
    return sorted(d["target"] for d in answer.json()["items"])


class TestResponsibleNamed:
    async def test_the_named_person_alone_is_told_with_a_link_to_the_item(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await world.feed("issue.responsible_named", "issue-1", named("u-a"), actor=actor_of("u-office", role="office"))
        [told] = await inbox(client, world, "u-a")
        assert told["kind"] == "responsible_named"
        assert told["issue_id"] == "issue-1"
        assert told["title"] == "【责任人】YS-2026-0001《审批超时》"
        assert told["body"] == f"您已被指定为YS-2026-0001《审批超时》的责任人，整改时限 2026-10-30。查看：{LINK}"
        for other in ("u-b", "u-c", "u-office", "u-leader", "u-admin"):
            assert await inbox(client, world, other) == []
        assert await emails(client, world) == ["u-a@example.gov.cn"]

    async def test_a_redelivered_event_tells_no_one_twice(self, world: World, client: httpx.AsyncClient) -> None:
        item = await world.feed("issue.responsible_named", "issue-1", named("u-a"))
        await redeliver(world, item)
        assert len(await inbox(client, world, "u-a")) == 1
        assert await emails(client, world) == ["u-a@example.gov.cn"]

    async def test_a_person_who_names_themselves_is_not_told(self, world: World, client: httpx.AsyncClient) -> None:
        await world.feed("issue.responsible_named", "issue-1", named("u-a"), actor=actor_of("u-a", unit_id=UNIT_A))
        assert await inbox(client, world, "u-a") == []
        assert await emails(client, world) == []

    async def test_clearing_when_no_one_was_named_tells_no_one(self, world: World, client: httpx.AsyncClient) -> None:
        await world.feed("issue.responsible_named", "issue-1", named(None))
        for user_id in ("u-a", "u-b", "u-office"):
            assert await inbox(client, world, user_id) == []

    async def test_a_person_unknown_here_is_skipped_without_failing_the_page(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await world.feed("issue.responsible_named", "issue-1", named("u-nobody"))
        await world.feed("issue.responsible_named", "issue-1", named("u-a"))
        assert [n["kind"] for n in await inbox(client, world, "u-a")] == ["responsible_named"]


class TestSubtasks:
    async def test_a_new_subtask_tells_its_assignee_in_their_language(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await world.feed("issue.subtask_added", "issue-1", subtask("u-b"))
        [told] = await inbox(client, world, "u-b")  # u-b reads English
        assert told["kind"] == "subtask_assigned"
        assert told["title"] == '[Sub-task] YS-2026-0001 "审批超时"'
        assert told["body"] == (
            'A sub-task of YS-2026-0001 "审批超时" was given to you: "核对审批材料清单", due 2026-10-20. '
            f"Open it: {LINK}"
        )
        assert await inbox(client, world, "u-a") == []

    async def test_a_moved_deadline_tells_the_assignee_the_new_date(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await world.feed("issue.subtask_added", "issue-1", subtask("u-b"), actor=actor_of("u-b", unit_id=UNIT_B))
        moved = subtask("u-b", deadline="2026-10-25", changed=["deadline"])
        await world.feed("issue.subtask_updated", "issue-1", moved)
        [told] = await inbox(client, world, "u-b")
        assert told["kind"] == "subtask_deadline_changed"
        assert "is now due 2026-10-25" in told["body"]

    async def test_a_subtask_given_to_someone_else_tells_the_new_assignee(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await world.feed("user.created", "u-b2", {"user": {"id": "u-b2", "role": "unit", "unit_id": UNIT_B}})
        given = subtask("u-b2", deadline="2026-10-25", changed=["assignee_id", "deadline"])
        await world.feed("issue.subtask_updated", "issue-1", given)
        headers = world.tokens.headers("u-b2", role="unit", unit_id=UNIT_B, username="u-b2")
        answer = await client.get("/api/v1/notifications", headers=dict(headers))
        assert [n["kind"] for n in answer.json()["items"]] == ["subtask_assigned"]
        assert await inbox(client, world, "u-b") == []

    async def test_a_changed_title_or_progress_tells_no_one(self, world: World, client: httpx.AsyncClient) -> None:
        await world.feed("issue.subtask_updated", "issue-1", subtask("u-b", changed=["title"]))
        await world.feed("issue.subtask_progress_reported", "issue-1", subtask("u-b", subtask_progress=50))
        assert await inbox(client, world, "u-b") == []

    async def test_an_assignee_who_gives_themselves_a_subtask_is_not_told(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await world.feed("issue.subtask_added", "issue-1", subtask("u-b"), actor=actor_of("u-b", unit_id=UNIT_B))
        assert await inbox(client, world, "u-b") == []


class TestReplaced:
    async def test_the_person_replaced_is_told_once_who_took_over_and_the_new_one_is_told_too(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await world.feed("user.created", "u-a2", {"user": user("u-a2", "unit", UNIT_A)})
        item = await world.feed("issue.responsible_named", "issue-1", named("u-a2", previous="u-a"))
        await redeliver(world, item)
        [told] = await inbox(client, world, "u-a")
        assert told["kind"] == "responsible_replaced"
        assert told["issue_id"] == "issue-1"
        assert told["title"] == "【责任人变更】YS-2026-0001《审批超时》"
        assert told["body"] == f"您已不再是YS-2026-0001《审批超时》的责任人，改由U-A2负责。查看：{LINK}"
        headers = world.tokens.headers("u-a2", role="unit", unit_id=UNIT_A, username="u-a2")
        answer = await client.get("/api/v1/notifications", headers=dict(headers))
        assert [n["kind"] for n in answer.json()["items"]] == ["responsible_named"]
        assert await emails(client, world) == ["u-a2@example.gov.cn", "u-a@example.gov.cn"]

    async def test_clearing_the_responsible_person_tells_only_the_one_who_was(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await world.feed("issue.responsible_named", "issue-1", named(None, previous="u-a"))
        [told] = await inbox(client, world, "u-a")
        assert (told["kind"], told["body"]) == (
            "responsible_replaced",
            f"您已不再是YS-2026-0001《审批超时》的责任人。查看：{LINK}",
        )
        for other in ("u-b", "u-c", "u-office"):
            assert await inbox(client, world, other) == []
        assert await emails(client, world) == ["u-a@example.gov.cn"]

    async def test_a_person_who_steps_down_themselves_is_not_told(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        actor = actor_of("u-a", unit_id=UNIT_A)
        await world.feed("issue.responsible_named", "issue-1", named(None, previous="u-a"), actor=actor)
        assert await inbox(client, world, "u-a") == []
        assert await emails(client, world) == []

    async def test_a_subtask_moved_away_tells_its_former_assignee_in_their_language(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await world.feed("user.created", "u-b2", {"user": user("u-b2", "unit", UNIT_B)})
        moved = subtask("u-b2", changed=["assignee_id"], previous_assignee={"user_id": "u-b", "display_name": "U-B"})
        item = await world.feed("issue.subtask_updated", "issue-1", moved)
        await redeliver(world, item)
        [told] = await inbox(client, world, "u-b")  # u-b reads English
        assert told["kind"] == "subtask_reassigned"
        assert told["title"] == '[Sub-task moved] YS-2026-0001 "审批超时"'
        assert told["body"] == (
            'Your sub-task "核对审批材料清单" of YS-2026-0001 "审批超时" was given to U-B2 and is no longer yours. '
            f"Open it: {LINK}"
        )
        assert await emails(client, world) == ["u-b2@example.gov.cn", "u-b@example.gov.cn"]

    async def test_a_former_assignee_who_hands_the_subtask_on_themselves_is_not_told(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await world.feed("user.created", "u-b2", {"user": user("u-b2", "unit", UNIT_B)})
        moved = subtask("u-b2", changed=["assignee_id"], previous_assignee={"user_id": "u-b", "display_name": "U-B"})
        await world.feed("issue.subtask_updated", "issue-1", moved, actor=actor_of("u-b", unit_id=UNIT_B))
        assert await inbox(client, world, "u-b") == []
        assert await emails(client, world) == ["u-b2@example.gov.cn"]
