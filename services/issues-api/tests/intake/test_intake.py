"""Public intake: tracking codes, what the public may see, the office's triage, and feedback rules."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from issues_api.events.models import events
from issues_api.intake import tracking
from issues_api.intake.models import Submission
from issues_api.ledger.models import Issue
from issues_testing import campaigns
from issues_testing.tokens import Tokens, post_ok

SUBMISSION = {
    "title": "审批材料重复提交",
    "content": "同一份营业执照复印件在三个窗口各交一次。",
    "city": "130100",
    "enterprise_name": "石家庄某某科技有限公司",
    "contact_name": "王小明",
    "contact_phone": "13912345678",
    "contact_email": "wang@example.cn",
}
PERSONAL = ("王小明", "13912345678", "wang@example.cn", "石家庄某某科技有限公司")


async def seed_campaign(app: FastAPI) -> str:
    return await campaigns.seed_campaign(app.state.database, datetime.now(UTC))


async def submit(client: httpx.AsyncClient, **extra: Any) -> str:
    response = await client.post("/api/v1/public/submissions", json={**SUBMISSION, **extra})
    assert response.status_code == 201, response.text
    return str(response.json()["tracking_code"])


async def only_submission_id(client: httpx.AsyncClient, tokens: Tokens) -> str:
    listed = await client.get("/api/v1/intake", headers=tokens.office())
    return str(listed.json()["items"][0]["id"])


async def close_issue(client: httpx.AsyncClient, tokens: Tokens, issue_id: str) -> None:
    unit = await post_ok(
        client, "/api/v1/units", {"code": "U1", "name": "审批处", "kind": "department"}, tokens.admin()
    )
    office, staff = tokens.office(), tokens.user("unit", unit_id=unit["id"])
    base = f"/api/v1/issues/{issue_id}"
    await post_ok(client, f"{base}/assign", {"lead_unit_id": unit["id"], "deadline": "2099-01-01"}, office)
    await post_ok(client, f"{base}/accept", {}, staff)
    await post_ok(client, f"{base}/submit-completion", {"summary": "窗口已合并"}, staff)
    await post_ok(client, f"{base}/close", {"comment": "内部意见：张科长核实"}, office)


class TestTrackingCode:
    def test_codes_are_four_readable_groups_with_at_least_64_random_bits(self) -> None:
        codes = {tracking.new_code() for _ in range(2000)}
        assert len(codes) == 2000
        assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", c) for c in codes)
        assert tracking.LENGTH * 5 >= 64
        assert len(tracking.ALPHABET) == 32
        assert set("".join(codes).replace("-", "")) == set(tracking.ALPHABET)

    def test_lookup_forgives_case_spaces_dashes_and_look_alikes(self) -> None:
        assert tracking.normalize("k7qm 2xpd-9htr-w4nb") == "K7QM2XPD9HTRW4NB"
        assert tracking.normalize("O0IL-2XPD-9HTR-W4NB") == "0011" + "2XPD9HTRW4NB"
        assert tracking.normalize("K7QM-2XPD") is None


class TestPublicPage:
    async def test_submission_answers_a_code_that_shows_status_and_no_personal_data(
        self, client: httpx.AsyncClient
    ) -> None:
        code = await submit(client)
        page = await client.get(f"/api/v1/public/submissions/{code}")
        assert page.status_code == 200
        body = page.json()
        assert body["status"] == "submitted"
        assert body["title"] == SUBMISSION["title"]
        assert body["can_feedback"] is False
        assert not any(value in page.text for value in PERSONAL)
        assert not {"contact_name", "contact_phone", "contact_email", "enterprise_name"} & set(body)

    async def test_code_is_found_in_lower_case_without_dashes(self, client: httpx.AsyncClient) -> None:
        code = await submit(client)
        page = await client.get(f"/api/v1/public/submissions/{code.replace('-', '').lower()}")
        assert page.status_code == 200
        assert page.json()["tracking_code"] == code

    async def test_unknown_code_is_404(self, client: httpx.AsyncClient) -> None:
        await submit(client)
        assert (await client.get("/api/v1/public/submissions/AAAA-BBBB-CCCC-DDDD")).status_code == 404
        assert (await client.get("/api/v1/public/submissions/nonsense")).status_code == 404

    async def test_oversized_fields_are_refused(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/api/v1/public/submissions", json={**SUBMISSION, "title": "长" * 201})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "title"

    async def test_the_code_is_kept_only_for_the_submitter_in_the_submitted_event(
        self, app: FastAPI, client: httpx.AsyncClient
    ) -> None:
        code = await submit(client)
        async with app.state.database.session(write=False) as session:
            rows = (await session.execute(select(events.c.type, events.c.data))).all()
            stored = str((await session.execute(select(Submission))).scalars().all()[0].__dict__)
        assert code not in stored
        assert code.replace("-", "") not in stored
        [(kind, data)] = rows
        assert kind == "intake.submitted"
        assert data["submitter"]["tracking_code"] == code
        assert code not in str(data["intake"])


class TestTriage:
    async def test_office_sees_contacts_and_only_the_submitter_block_of_events_carries_any(
        self, app: FastAPI, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        await seed_campaign(app)
        await submit(client)
        listed = (await client.get("/api/v1/intake?status=submitted", headers=tokens.office())).json()
        assert listed["total"] == 1
        assert listed["items"][0]["contact_phone"] == "13912345678"
        await post_ok(client, f"/api/v1/intake/{listed['items'][0]['id']}/accept", {}, tokens.office())
        async with app.state.database.session(write=False) as session:
            rows = (await session.execute(select(events.c.type, events.c.data))).all()
        intake_events = [r for r in rows if r.type.startswith("intake.")]
        assert [r.type for r in intake_events] == ["intake.submitted", "intake.accepted"]
        assert not any(value in str(r.data["intake"]) for r in intake_events for value in PERSONAL)
        assert all(r.data["submitter"]["contact_phone"] == "13912345678" for r in intake_events)
        assert not any(value in str(r.data) for r in intake_events for value in ("王小明", "石家庄某某科技有限公司"))

    async def test_accept_creates_a_public_issue_linked_to_the_submission(
        self, app: FastAPI, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        campaign_id = await seed_campaign(app)
        code = await submit(client)
        accepted = await post_ok(
            client, f"/api/v1/intake/{await only_submission_id(client, tokens)}/accept", {}, tokens.office()
        )
        async with app.state.database.session(write=False) as session:
            issue = await session.get(Issue, accepted["issue_id"])
        assert issue is not None
        assert (issue.source, issue.campaign_id, issue.title) == ("public", campaign_id, SUBMISSION["title"])
        assert "王小明" not in issue.description
        page = (await client.get(f"/api/v1/public/submissions/{code}")).json()
        assert page["status"] == "accepted"

    async def test_a_decided_submission_cannot_be_decided_again(
        self, app: FastAPI, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        await submit(client)
        submission_id = await only_submission_id(client, tokens)
        await post_ok(client, f"/api/v1/intake/{submission_id}/reject", {"reason": "不属于本部门职责"}, tokens.office())
        again = await client.post(f"/api/v1/intake/{submission_id}/accept", json={}, headers=tokens.office())
        assert again.status_code == 409

    async def test_rejection_shows_the_public_reason(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        code = await submit(client)
        submission_id = await only_submission_id(client, tokens)
        await post_ok(
            client, f"/api/v1/intake/{submission_id}/reject", {"reason": "请向市场监管部门反映"}, tokens.office()
        )
        page = (await client.get(f"/api/v1/public/submissions/{code}")).json()
        assert page["status"] == "rejected"
        assert page["public_reply"] == "请向市场监管部门反映"
        assert [e["status"] for e in page["timeline"]] == ["submitted", "rejected"]

    async def test_merge_needs_an_existing_issue(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        await submit(client)
        submission_id = await only_submission_id(client, tokens)
        response = await client.post(
            f"/api/v1/intake/{submission_id}/merge", json={"issue_id": "missing"}, headers=tokens.office()
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "issue_id"

    async def test_unit_users_cannot_triage_and_anonymous_cannot_list(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        assert (await client.get("/api/v1/intake", headers=tokens.user("unit", unit_id="u"))).status_code == 403
        assert (await client.get("/api/v1/intake")).status_code == 401


class TestFeedback:
    async def test_feedback_before_closure_is_409(self, client: httpx.AsyncClient) -> None:
        code = await submit(client)
        response = await client.post(
            f"/api/v1/public/submissions/{code}/feedback", json={"satisfied": True, "rating": 5}
        )
        assert response.status_code == 409
        assert response.json()["code"] == "feedback-not-open"

    async def test_after_closure_the_submitter_rates_once_and_the_page_hides_internal_remarks(
        self, app: FastAPI, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        await seed_campaign(app)
        code = await submit(client)
        submission_id = await only_submission_id(client, tokens)
        accepted = await post_ok(client, f"/api/v1/intake/{submission_id}/accept", {}, tokens.office())
        await close_issue(client, tokens, accepted["issue_id"])
        page = await client.get(f"/api/v1/public/submissions/{code}")
        assert page.json()["status"] == "closed"
        assert page.json()["can_feedback"] is True
        assert "张科长" not in page.text
        assert "office" not in page.text
        rated = await client.post(
            f"/api/v1/public/submissions/{code}/feedback", json={"satisfied": False, "rating": 2, "comment": "仍需排队"}
        )
        assert rated.status_code == 200
        assert rated.json()["feedback"] == {"satisfied": False, "rating": 2, "comment": "仍需排队"}
        assert rated.json()["can_feedback"] is False
        again = await client.post(f"/api/v1/public/submissions/{code}/feedback", json={"satisfied": True, "rating": 5})
        assert again.status_code == 409
        listed = (await client.get("/api/v1/intake", headers=tokens.office())).json()["items"][0]
        assert (listed["satisfied"], listed["rating"]) == (False, 2)
        async with app.state.database.session(write=False) as session:
            issue = await session.get(Issue, accepted["issue_id"])
        assert issue is not None
        assert (issue.satisfaction, issue.rating) == (False, 2)

    async def test_rating_outside_1_to_5_is_refused(self, client: httpx.AsyncClient) -> None:
        code = await submit(client)
        response = await client.post(
            f"/api/v1/public/submissions/{code}/feedback", json={"satisfied": True, "rating": 6}
        )
        assert response.status_code == 422
