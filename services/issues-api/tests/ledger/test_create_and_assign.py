"""登记并交办 in one request, and what the office sees of an extension request it decides."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from issues_api.directory.models import User
from issues_testing.ledger import LedgerWorld

pytestmark = pytest.mark.asyncio(loop_scope="module")

BODY = {"title": "登记并交办", "description": "企业开办时限过长", "kind": "problem", "source": "inspection"}


async def test_create_with_assign_registers_and_assigns_in_one_request(world: LedgerWorld) -> None:
    assign = {
        "lead_unit_id": world.units["A"],
        "co_unit_ids": [world.units["B"], world.units["C"]],
        "deadline": "2027-01-20",
        "requirements": "一个月内整改到位",
    }
    body = {**BODY, "campaign_id": world.campaign_id, "assign": assign}
    response = await world.client.post("/api/v1/issues", json=body, headers=world.headers("office"))
    assert response.status_code == 201, response.text
    issue = response.json()
    assert (issue["status"], issue["lead_unit_id"], issue["deadline"]) == ("assigned", world.units["A"], "2027-01-20")
    assert issue["co_unit_ids"] == [world.units["B"], world.units["C"]]
    assert issue["requirements"] == "一个月内整改到位"
    assert "urge" in issue["allowed_actions"]
    assert "assign" not in issue["allowed_actions"]
    timeline = await world.client.get(f"/api/v1/issues/{issue['id']}/timeline", headers=world.headers("office"))
    assert [i["type"] for i in timeline.json()["items"]] == ["issue.created", "issue.assigned"]
    led = await world.client.get("/api/v1/issues", params={"q": issue["code"]}, headers=world.headers("unit", "A"))
    assert led.json()["total"] == 1


async def test_a_refused_assignment_registers_nothing(world: LedgerWorld) -> None:
    body = {
        **BODY,
        "title": "refused-assign",
        "campaign_id": world.campaign_id,
        "assign": {"lead_unit_id": "no-such-unit", "deadline": "2027-01-20"},
    }
    response = await world.client.post("/api/v1/issues", json=body, headers=world.headers("office"))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid-reference"
    listed = await world.client.get("/api/v1/issues", params={"q": "refused-assign"}, headers=world.headers("office"))
    assert listed.json()["total"] == 0
    bad_body = {**body, "assign": {"deadline": "2027-01-20"}}
    missing_lead = await world.client.post("/api/v1/issues", json=bad_body, headers=world.headers("office"))
    assert missing_lead.status_code == 422


async def test_an_integration_client_may_register_but_not_assign(world: LedgerWorld) -> None:
    body = {
        **BODY,
        "title": "client-assign",
        "campaign_id": world.campaign_id,
        "assign": {"lead_unit_id": world.units["A"], "deadline": "2027-01-20"},
    }
    response = await world.client.post("/api/v1/issues", json=body, headers=world.client_headers("issues:write"))
    assert response.status_code == 403
    listed = await world.client.get("/api/v1/issues", params={"q": "client-assign"}, headers=world.headers("office"))
    assert listed.json()["total"] == 0


async def test_an_extension_request_names_who_asked_and_an_earlier_date_is_refused(world: LedgerWorld) -> None:
    now = datetime(2026, 11, 25, tzinfo=UTC)
    async with world.database.session() as session:
        session.add(
            User(
                id="clerk-a", username="clerk-a", display_name="李明", role="unit", unit_id=world.units["A"],
                password_hash="x", created_at=now, updated_at=now,
            )
        )  # fmt: skip
    clerk = world.tokens.headers(
        "clerk-a", role="unit", unit_id=world.units["A"], username="clerk-a", kind="user", ttl=3600
    )
    issue = await world.issue_in("in_progress")
    earlier = await world.step(issue["id"], "extension-requests", clerk, {"new_deadline": "2026-12-30", "reason": "r"})
    assert earlier.status_code == 422
    assert earlier.json()["code"] == "deadline-not-later"
    asked = await world.step(issue["id"], "extension-requests", clerk, {"new_deadline": "2027-01-15", "reason": "对接"})
    assert asked.status_code == 201, asked.text
    listed = await world.client.get(f"/api/v1/issues/{issue['id']}/extension-requests", headers=world.headers("office"))
    assert len(listed.json()) == 1
    request = listed.json()[0]
    assert (request["new_deadline"], request["reason"], request["status"]) == ("2027-01-15", "对接", "pending")
    assert (request["requested_by"], request["requested_by_name"]) == ("clerk-a", "李明")


async def test_the_lead_unit_accepts_with_a_note_or_without_a_body(world: LedgerWorld) -> None:
    noted = await world.issue_in("assigned")
    plain = await world.issue_in("assigned")
    with_note = await world.step(noted["id"], "accept", world.headers("unit", "A"), {"note": "由审批科承办"})
    bare = await world.client.post(f"/api/v1/issues/{plain['id']}/accept", headers=world.headers("unit", "A"))
    assert (with_note.status_code, bare.status_code) == (200, 200)
    assert with_note.json()["status"] == bare.json()["status"] == "in_progress"
    timeline = await world.client.get(f"/api/v1/issues/{noted['id']}/timeline", headers=world.headers("office"))
    assert timeline.json()["items"][-1]["data"] == {"note": "由审批科承办"}
    too_long = await world.issue_in("assigned")
    refused = await world.step(too_long["id"], "accept", world.headers("unit", "A"), {"note": "长" * 2001})
    assert refused.status_code == 422
    unchanged = await world.client.get(f"/api/v1/issues/{too_long['id']}", headers=world.headers("office"))
    assert unchanged.json()["status"] == "assigned"
