"""What the messages say and link to: reasons joined into one sentence, a reminder that never says overdue and an
overdue step never titled 临近提醒, the item each message is about, and 全部标为已读 for the caller only."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx

from notify_testing.world import World, issue, local


async def inbox(client: httpx.AsyncClient, world: World, user_id: str, **params: Any) -> list[dict[str, Any]]:
    answer = await client.get("/api/v1/notifications", params=params, headers=world.headers(user_id))
    assert answer.status_code == 200
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def reminders_at(client: httpx.AsyncClient, world: World, moment: datetime) -> list[dict[str, Any]]:
    """Travel to `moment`, tick, and return u-a's level-0 messages (newest first)."""
    world.clock.set(moment.astimezone(UTC))
    await world.tick()
    return [n for n in await inbox(client, world, "u-a") if n["level"] == 0]


class TestWording:
    async def test_a_reason_ending_in_a_full_stop_joins_the_sentence_once(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        body = {"issue": issue(status="returned"), "reason_code": "not_our_remit", "reason": "应由市场监管部门办理。"}
        await world.feed("issue.returned", "issue-1", body)
        [returned] = await inbox(client, world, "u-office")
        assert returned["body"] == "责任单位退回了YS-2026-0001《审批超时》：应由市场监管部门办理，请重新交办。"

    async def test_a_self_inspection_item_sent_back_tells_its_unit_why(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        item = issue(status="registered", source="self_inspection", co_unit_ids=[], co_units=[])
        await world.feed("issue.sent_back", "issue-1", {"issue": item, "reason": "措施不具体。"})
        [sent_back] = await inbox(client, world, "u-a")
        assert sent_back["title"] == "【退回修改】YS-2026-0001《审批超时》"
        assert (
            sent_back["body"] == "办公室退回了本单位自查填报的YS-2026-0001《审批超时》：措施不具体，请修改后重新提交。"
        )
        assert await inbox(client, world, "u-b") == []

    async def test_a_reminder_before_the_deadline_says_the_days_left_never_overdue(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        world.clock.set(local(2026, 9, 22, 10).astimezone(UTC))
        body = issue(deadline=date(2026, 10, 9), assigned_at=world.clock.now())
        await world.feed("issue.assigned", "issue-1", {"issue": body})
        [not_accepted] = await reminders_at(client, world, local(2026, 9, 24, 9))  # assigned + 2 working days
        assert not_accepted["title"] == "【提醒】YS-2026-0001《审批超时》"
        assert "交办后未按时接收" in not_accepted["body"]
        assert "还剩 5 个工作日" in not_accepted["body"]  # 28, 29, 30 September, 8 and 9 October
        first, _ = await reminders_at(client, world, local(2026, 9, 29, 9))  # T-3
        assert first["title"] == "【临近提醒】YS-2026-0001《审批超时》"
        assert "还剩 3 个工作日" in first["body"]
        assert all("逾期" not in n["title"] + n["body"] for n in await inbox(client, world, "u-a"))

    async def test_a_level_0_step_after_the_deadline_is_an_overdue_reminder(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        world.clock.set(local(2026, 9, 23, 10).astimezone(UTC))
        body = issue(
            status="in_progress",
            deadline=date(2026, 9, 24),
            assigned_at=local(2026, 9, 22, 10),
            accepted_at=world.clock.now().isoformat(),
        )
        await world.feed("issue.accepted", "issue-1", {"issue": body})
        # First seen on 14 October: T-1 (the highest deadline step already due) and, 10 working days after the
        # acceptance, no progress; both long past the deadline (Mid-autumn on 25 September is off).
        reminders = await reminders_at(client, world, local(2026, 10, 14, 9))
        assert [n["title"] for n in reminders] == ["【逾期提醒】YS-2026-0001《审批超时》"] * 2
        assert all("已逾期 9 个工作日" in n["body"] for n in reminders)
        assert any("长期无进展" in n["body"] for n in reminders)


class TestLinks:
    async def test_an_issue_message_names_its_issue(self, world: World, client: httpx.AsyncClient) -> None:
        await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 10, 30))})
        [assigned] = await inbox(client, world, "u-a")
        assert (assigned["issue_id"], assigned["intake_id"]) == ("issue-1", None)

    async def test_a_new_submission_message_names_its_submission(self, world: World, client: httpx.AsyncClient) -> None:
        intake = {"id": "intake-1", "status": "submitted", "title": "高企认定材料反复补正", "issue_id": None}
        await world.feed("intake.submitted", "intake-1", {"intake": intake})
        [message] = await inbox(client, world, "u-office")
        assert (message["kind"], message["intake_id"], message["issue_id"]) == ("intake_submitted", "intake-1", None)
        assert message["title"] == "【新诉求】高企认定材料反复补正"


class TestReadAll:
    async def test_read_all_marks_only_the_callers_messages(self, world: World, client: httpx.AsyncClient) -> None:
        await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 10, 30))})
        await world.feed("issue.urged", "issue-1", {"issue": issue(status="in_progress"), "content": "请加快"})
        assert len(await inbox(client, world, "u-a", unread="true")) == 2
        answer = await client.post("/api/v1/notifications/read-all", headers=world.headers("u-a"))
        assert answer.status_code == 200
        assert answer.json() == {"marked": 2}
        assert await inbox(client, world, "u-a", unread="true") == []
        assert len(await inbox(client, world, "u-b", unread="true")) == 2  # the co-unit's stay unread
        again = await client.post("/api/v1/notifications/read-all", headers=world.headers("u-a"))
        assert again.json() == {"marked": 0}

    async def test_read_all_needs_a_token(self, client: httpx.AsyncClient) -> None:
        assert (await client.post("/api/v1/notifications/read-all")).status_code == 401


class TestLabels:
    async def test_policy_steps_and_escalations_carry_chinese_and_english_labels(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        policy = (await client.get("/api/v1/escalation-policies/c", headers=world.headers("u-office"))).json()
        assert policy["labels"]["not-accepted"] == {
            "zh": "交办后 2 个工作日未接收",
            "en": "Not accepted 2 working day(s) after assignment",
        }
        assert policy["labels"]["T-3"]["zh"] == "截止前 3 个工作日"
        world.clock.set(local(2026, 10, 14, 10).astimezone(UTC))
        await world.feed(
            "issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 9, 30), assigned_at=world.clock.now())}
        )
        await world.tick()
        [fired] = (await client.get("/api/v1/escalations", headers=world.headers("u-office"))).json()["items"]
        assert (fired["step"], fired["label"]) == (
            "T+5",
            {"zh": "超期 5 个工作日", "en": "5 working day(s) past the deadline"},
        )
