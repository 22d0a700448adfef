"""The satisfaction loop: "not satisfied" lands in 不满意待处理; the office reopens or answers; one appeal."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from issues_api.events.models import events
from issues_testing.tokens import post_ok

from .conftest import Intake

QUEUE = "/api/v1/intake?followup=pending&contacts=false"


async def closed_and_rated(intake: Intake, *, rating: int, satisfied: bool) -> tuple[str, str, str]:
    await intake.campaign()
    code, submission_id, issue_id = await intake.accepted()
    await intake.close(issue_id, await intake.unit())
    rated = await intake.client.post(
        f"/api/v1/public/submissions/{code}/feedback", json={"satisfied": satisfied, "rating": rating}
    )
    assert rated.status_code == 200, rated.text
    return code, submission_id, issue_id


async def queue(intake: Intake) -> list[str]:
    listed = await intake.client.get(QUEUE, headers=intake.tokens.office())
    return [item["id"] for item in listed.json()["items"]]


async def event_types(intake: Intake) -> list[str]:
    """The types written, in order, without the audited contact reads of the office's answers."""
    async with intake.app.state.database.session(write=False) as session:
        written = (await session.execute(select(events.c.type).order_by(events.c.seq))).scalars()
    return [t for t in written if not t.startswith("contact.")]


class TestNotSatisfied:
    async def test_a_rating_of_two_lands_in_the_offices_queue(self, intake: Intake) -> None:
        _, submission_id, _ = await closed_and_rated(intake, rating=2, satisfied=True)
        assert await queue(intake) == [submission_id]
        assert "intake.dissatisfied" in await event_types(intake)

    async def test_a_good_rating_does_not(self, intake: Intake) -> None:
        await closed_and_rated(intake, rating=4, satisfied=True)
        assert await queue(intake) == []
        assert "intake.dissatisfied" not in await event_types(intake)

    async def test_the_office_reopens_from_the_queue(self, intake: Intake) -> None:
        code, submission_id, issue_id = await closed_and_rated(intake, rating=1, satisfied=False)
        body = {"action": "reopen", "reason": "回访不满意，重新核查"}
        settled = await post_ok(intake.client, f"/api/v1/intake/{submission_id}/followup", body, intake.tokens.office())
        assert settled["followup"] == "reopened"
        issue = (await intake.client.get(f"/api/v1/issues/{issue_id}", headers=intake.tokens.office())).json()
        assert (issue["status"], issue["reopen_count"]) == ("in_progress", 1)
        assert await queue(intake) == []
        page = await intake.page(code)
        assert page["status"] == "processing"
        assert page["can_appeal"] is False
        assert "回访不满意" not in str(page)  # the reopen reason is internal
        assert (await event_types(intake))[-2:] == ["issue.reopened", "intake.followed_up"]

    async def test_only_a_queued_submission_can_be_settled(self, intake: Intake) -> None:
        _, submission_id, _ = await closed_and_rated(intake, rating=5, satisfied=True)
        body = {"action": "answer", "reason": "已办结"}
        response = await intake.client.post(
            f"/api/v1/intake/{submission_id}/followup", json=body, headers=intake.tokens.office()
        )
        assert response.status_code == 409
        assert response.json()["code"] == "not-in-followup-queue"


class TestAppeal:
    async def answered(self, intake: Intake) -> tuple[str, str]:
        code, submission_id, _ = await closed_and_rated(intake, rating=2, satisfied=False)
        body = {"action": "answer", "reason": "窗口已合并，排队时间属正常范围。"}
        await post_ok(intake.client, f"/api/v1/intake/{submission_id}/followup", body, intake.tokens.office())
        return code, submission_id

    async def appeal(self, intake: Intake, code: str) -> Any:
        return await intake.client.post(f"/api/v1/public/submissions/{code}/appeal", json={"reason": "仍需排队两小时"})

    async def test_the_answer_is_public_and_opens_one_appeal(self, intake: Intake) -> None:
        code, submission_id = await self.answered(intake)
        page = await intake.page(code)
        assert page["followup"] == "answered"
        assert page["can_appeal"] is True
        assert page["replies"][-1]["content"] == "窗口已合并，排队时间属正常范围。"
        assert await queue(intake) == []
        appealed = await self.appeal(intake, code)
        assert appealed.status_code == 200
        assert appealed.json()["appeal"]["reason"] == "仍需排队两小时"
        assert appealed.json()["can_appeal"] is False
        assert await queue(intake) == [submission_id]
        assert "intake.appealed" in await event_types(intake)

    async def test_a_second_appeal_is_refused(self, intake: Intake) -> None:
        code, submission_id = await self.answered(intake)
        assert (await self.appeal(intake, code)).status_code == 200
        body = {"action": "answer", "reason": "经复核，维持原答复。"}
        await post_ok(intake.client, f"/api/v1/intake/{submission_id}/followup", body, intake.tokens.office())
        again = await self.appeal(intake, code)
        assert again.status_code == 409
        assert again.json()["code"] == "appeal-not-open"

    async def test_no_appeal_before_an_answer(self, intake: Intake) -> None:
        code, _, _ = await closed_and_rated(intake, rating=1, satisfied=False)
        assert (await self.appeal(intake, code)).status_code == 409
