"""The tracking page read in one statement (`public.READ_PAGE`, the route answered from the edge) answers byte for
byte what the page built from ORM objects (`public_view`, still the answer of feedback and appeal) answered through
FastAPI's response model, in every state a submitter meets; unknown and malformed codes stay 404s."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI

from issues_api.intake import service, tracking
from issues_api.intake.public import public_view
from issues_api.intake.schemas import PublicSubmission
from issues_api.intake.service import add_reply
from issues_testing.tokens import post_ok
from rectify_kit.db import SessionDep

from .conftest import Intake

REFERENCE = "/test-reference/public/submissions/{code}"


def add_reference_route(app: FastAPI) -> None:
    """The page as the route answered it before: ORM objects, then FastAPI's response model."""

    @app.get(REFERENCE)
    async def reference(session: SessionDep, code: str) -> PublicSubmission:
        submission = await service.find_by_code(session, code)
        return await public_view(session, submission=submission, tracking_code=tracking.display(code))


async def same_page(client: httpx.AsyncClient, code: str) -> bytes:
    page = await client.get(f"/api/v1/public/submissions/{code}")
    reference = await client.get(REFERENCE.format(code=code))
    assert page.status_code == reference.status_code == 200, page.text
    assert page.headers["content-type"] == reference.headers["content-type"]
    assert page.content == reference.content
    return page.content


async def test_every_state_answers_the_same_bytes(intake: Intake) -> None:
    add_reference_route(intake.app)
    office, client = intake.tokens.office(), intake.client
    await intake.campaign()
    unit_id = await intake.unit()

    received = await intake.submit(title="只收到")
    page = await same_page(client, received)
    assert b'"status":"submitted"' in page

    rejected = await intake.submit(title="不予受理的")
    rejected_id = (await intake.ids())[0]
    await post_ok(client, f"/api/v1/intake/{rejected_id}/reject", {"reason": "请向市场监管部门反映"}, office)
    page = await same_page(client, rejected)
    assert b'"status":"rejected"' in page
    assert "请向市场监管部门反映".encode() in page

    accepted, _, _ = await intake.accepted(title="刚受理")
    assert b'"status":"accepted"' in await same_page(client, accepted)

    # Assigned, with replies on the issue and one on the submission itself, some at the same moment.
    working, working_id, issue_id = await intake.accepted(title="办理中")
    await post_ok(
        client, f"/api/v1/issues/{issue_id}/assign", {"lead_unit_id": unit_id, "deadline": "2099-01-01"}, office
    )
    for content in ("已转交审批处", "审批处已开始核查"):
        await post_ok(client, f"/api/v1/issues/{issue_id}/public-replies", {"content": content}, office)
    intake.clock.advance(timedelta(hours=1))
    await post_ok(client, f"/api/v1/issues/{issue_id}/public-replies", {"content": "预计月底办结"}, office)
    async with intake.app.state.database.session() as session:
        submission = await service.get(session, working_id)
        add_reply(session, content="感谢反映", actor={"id": "office"}, clock=intake.clock, submission=submission)
    page = await same_page(client, working)
    assert b'"unit_name":"\xe5\xae\xa1\xe6\x89\xb9\xe5\xa4\x84"' in page
    assert b'"expected_date":"2099-01-01"' in page
    assert page.count(b'"on":"issue"') == 3
    assert page.count(b'"on":"submission"') == 1

    # Closed, rated "not satisfied", answered, appealed: feedback, followup and appeal on the page.
    closed, closed_id, closed_issue = await intake.accepted(title="已办结")
    await intake.close(closed_issue, unit_id)
    rated = await client.post(f"/api/v1/public/submissions/{closed}/feedback", json={"satisfied": False, "rating": 2})
    assert rated.status_code == 200
    answer = {"action": "answer", "reason": "窗口已合并，排队时间属正常范围。"}
    await post_ok(client, f"/api/v1/intake/{closed_id}/followup", answer, office)
    appealed = await client.post(f"/api/v1/public/submissions/{closed}/appeal", json={"reason": "仍需排队两小时"})
    assert appealed.status_code == 200
    page = await same_page(client, closed)
    assert b'"status":"closed"' in page
    assert b'"rating":2' in page
    assert "仍需排队两小时".encode() in page
    # The code as a caller types it: lower case, spaces, no dashes, O for 0.
    typed = closed.replace("-", " ").lower().replace("0", "o")
    assert await same_page(client, typed) == page
    # Nothing personal on any page.
    for code in (received, rejected, accepted, working, closed):
        text = (await client.get(f"/api/v1/public/submissions/{code}")).text
        assert "王小明" not in text
        assert "139-1234" not in text
        assert "example.cn" not in text


async def test_unknown_and_malformed_codes_are_404(intake: Intake) -> None:
    add_reference_route(intake.app)
    await intake.campaign()
    await intake.submit()
    for code in ("K7QM-2XPD-9HTR-W4NB", "not-a-code", "K7QM-2XPD-9HTR-W4N"):
        page = await intake.client.get(f"/api/v1/public/submissions/{code}")
        reference = await intake.client.get(REFERENCE.format(code=code))
        assert page.status_code == reference.status_code == 404
        assert page.json()["code"] == reference.json()["code"] == "submission-not-found"
        assert page.headers["content-type"] == reference.headers["content-type"]
