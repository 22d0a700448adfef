"""Triage that helps and answers the public reads: similar issues, accept-and-assign, stages, unit, expected
date, every public reply (on the submission and on its issue) and the office's preview."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from issues_api.events.models import events
from issues_testing.tokens import post_ok

from .conftest import Intake


async def issue(intake: Intake, campaign_id: str, title: str, description: str = "") -> str:
    body = {"campaign_id": campaign_id, "title": title, "description": description or title, "kind": "problem"}
    body["source"] = "inspection"
    return str((await post_ok(intake.client, "/api/v1/issues", body, intake.tokens.office()))["id"])


class TestSimilar:
    async def test_the_most_similar_open_issues_come_first(self, intake: Intake) -> None:
        campaign_id = await intake.campaign()
        best = await issue(intake, campaign_id, "审批材料重复提交", "营业执照复印件在多个窗口重复提交")
        near = await issue(intake, campaign_id, "审批材料过多", "窗口要求材料过多")
        await issue(intake, campaign_id, "供暖不热", "小区供暖温度不达标")
        for n in range(6):
            await issue(intake, campaign_id, f"材料提交问题{n}", "提交")
        await intake.submit()
        submission_id = (await intake.ids())[0]
        answer = await intake.client.get(f"/api/v1/intake/{submission_id}/similar", headers=intake.tokens.office())
        found = answer.json()
        assert len(found) == 5
        assert [f["id"] for f in found[:2]] == [best, near]
        assert found[0]["score"] > found[1]["score"] > 0
        assert "供暖不热" not in [f["title"] for f in found]

    async def test_closed_issues_are_not_suggested(self, intake: Intake) -> None:
        await intake.campaign()
        _, _, issue_id = await intake.accepted()
        await intake.close(issue_id, await intake.unit())
        await intake.submit(address="198.51.100.9")
        submission_id = (await intake.ids())[0]
        answer = await intake.client.get(f"/api/v1/intake/{submission_id}/similar", headers=intake.tokens.office())
        assert answer.json() == []


class TestAcceptAndAssign:
    async def test_one_step_accepts_assigns_and_the_page_names_unit_and_date(self, intake: Intake) -> None:
        await intake.campaign()
        unit_id = await intake.unit("KJT-GX", "高新技术处")
        code = await intake.submit()
        submission_id = (await intake.ids())[0]
        body = {"assign": {"lead_unit_id": unit_id, "deadline": "2026-07-15"}, "public_reply": "已受理，交高新处办理。"}
        accepted = await post_ok(intake.client, f"/api/v1/intake/{submission_id}/accept", body, intake.tokens.office())
        detail = (
            await intake.client.get(f"/api/v1/issues/{accepted['issue_id']}", headers=intake.tokens.office())
        ).json()
        assert (detail["status"], detail["lead_unit_id"], detail["deadline"]) == ("assigned", unit_id, "2026-07-15")
        page = await intake.page(code)
        assert (page["unit_name"], page["expected_date"]) == ("高新技术处", "2026-07-15")
        stages = {s["key"]: s for s in page["stages"]}
        assert [s["key"] for s in page["stages"]] == ["submitted", "accepted", "assigned", "processing", "closed"]
        assert stages["assigned"]["done"]
        assert stages["assigned"]["current"]
        assert stages["assigned"]["detail"] == "已交由高新技术处负责办理。"
        assert not stages["processing"]["done"]
        assert [r["content"] for r in page["replies"]] == ["已受理，交高新处办理。"]
        # The link to the issue (intake.accepted) comes before the assignment: notify-api tells the submitter
        # of an assignment only on an issue it knows is theirs.
        async with intake.app.state.database.session(write=False) as session:
            types = (await session.execute(select(events.c.type).order_by(events.c.seq))).scalars().all()
        assert [t for t in types if t in ("issue.created", "intake.accepted", "issue.assigned")] == [
            "issue.created",
            "intake.accepted",
            "issue.assigned",
        ]

    async def test_a_bad_assignment_leaves_the_submission_undecided(self, intake: Intake) -> None:
        await intake.campaign()
        await intake.submit()
        submission_id = (await intake.ids())[0]
        body = {"assign": {"lead_unit_id": "no-such-unit", "deadline": "2026-07-15"}}
        answer = await intake.client.post(
            f"/api/v1/intake/{submission_id}/accept", json=body, headers=intake.tokens.office()
        )
        assert answer.status_code == 422
        listed = (await intake.client.get("/api/v1/intake?contacts=false", headers=intake.tokens.office())).json()
        assert listed["items"][0]["status"] == "submitted"

    async def test_the_expected_date_follows_the_deadline_in_force_and_goes_once_closed(self, intake: Intake) -> None:
        await intake.campaign()
        code, _, issue_id = await intake.accepted()
        unit_id = await intake.unit()
        await post_ok(
            intake.client,
            f"/api/v1/issues/{issue_id}/assign",
            {"lead_unit_id": unit_id, "deadline": "2026-07-01"},
            intake.tokens.office(),
        )
        assert (await intake.page(code))["expected_date"] == "2026-07-01"
        await intake.close(issue_id, unit_id)
        page = await intake.page(code)
        assert page["expected_date"] is None
        assert page["stages"][-1]["done"]
        assert page["stages"][-1]["current"]


class TestReplies:
    async def test_every_reply_on_the_submission_and_its_issue_is_shown_oldest_first(self, intake: Intake) -> None:
        await intake.campaign()
        code, submission_id, issue_id = await intake.accepted()
        office = intake.tokens.office()
        await post_ok(intake.client, f"/api/v1/intake/{submission_id}/reply", {"reply": "第一条答复"}, office)
        intake.clock.advance(timedelta(minutes=1))
        await post_ok(intake.client, f"/api/v1/issues/{issue_id}/public-replies", {"content": "问题层面的答复"}, office)
        intake.clock.advance(timedelta(minutes=1))
        await post_ok(intake.client, f"/api/v1/intake/{submission_id}/reply", {"reply": "第二条答复"}, office)
        page = await intake.page(code)
        assert [(r["content"], r["on"]) for r in page["replies"]] == [
            ("第一条答复", "submission"),
            ("问题层面的答复", "issue"),
            ("第二条答复", "submission"),
        ]
        assert page["public_reply"] == "第二条答复"

    async def test_an_issue_reply_writes_its_event_and_only_the_office_writes_one(self, intake: Intake) -> None:
        await intake.campaign()
        _, _, issue_id = await intake.accepted()
        path = f"/api/v1/issues/{issue_id}/public-replies"
        leader = await intake.client.post(path, json={"content": "x"}, headers=intake.tokens.user("leader"))
        assert leader.status_code == 403
        reply = await post_ok(intake.client, path, {"content": "已约谈窗口负责人"}, intake.tokens.office())
        async with intake.app.state.database.session(write=False) as session:
            query = select(events.c.data).where(events.c.type == "issue.public_replied")
            data: dict[str, Any] = (await session.execute(query)).scalar_one()
        assert data["reply"]["id"] == reply["id"]
        assert data["issue"]["id"] == issue_id
        listed = await intake.client.get(path, headers=intake.tokens.user("leader"))
        assert [r["content"] for r in listed.json()] == ["已约谈窗口负责人"]

    async def test_another_units_user_cannot_read_them(self, intake: Intake) -> None:
        await intake.campaign()
        _, _, issue_id = await intake.accepted()
        other = intake.tokens.user("unit", unit_id="another-unit")
        answer = await intake.client.get(f"/api/v1/issues/{issue_id}/public-replies", headers=other)
        assert answer.status_code == 404


class TestPreview:
    async def test_the_office_previews_the_page_without_the_code(self, intake: Intake) -> None:
        await intake.campaign()
        code, submission_id, issue_id = await intake.accepted()
        office = intake.tokens.office()
        for path in (f"/api/v1/intake/{submission_id}/public-view", f"/api/v1/issues/{issue_id}/public-view"):
            preview = (await intake.client.get(path, headers=office)).json()
            public = await intake.page(code)
            assert preview["tracking_code"] == "····-····-····-" + code[-4:]
            assert {**preview, "tracking_code": code} == public

    async def test_an_issue_without_submissions_has_no_preview(self, intake: Intake) -> None:
        campaign_id = await intake.campaign()
        issue_id = await issue(intake, campaign_id, "内部发现的问题")
        answer = await intake.client.get(f"/api/v1/issues/{issue_id}/public-view", headers=intake.tokens.office())
        assert answer.status_code == 404
        assert answer.json()["code"] == "no-public-submission"
