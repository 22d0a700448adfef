"""Creating, reading and editing issues: codes, idempotency, ETags, validation, and the rules of the steps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from issues_api.ledger.workflow import TRANSITIONS
from issues_testing.ledger import LedgerWorld

# On both backends: creating, editing and stepping an issue lock it (FOR UPDATE OF, BEGIN IMMEDIATE on SQLite),
# take its number and keep the idempotency keys (test_workflow.py walks the whole table, on the main backend).
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]


async def events_of(world: LedgerWorld, issue_id: str) -> list[dict[str, Any]]:
    timeline = await world.client.get(f"/api/v1/issues/{issue_id}/timeline", headers=world.headers("admin"))
    items: list[dict[str, Any]] = timeline.json()["items"]
    return items


class TestCreate:
    async def test_create_gives_a_campaign_code_and_writes_issue_created(self, world: LedgerWorld) -> None:
        first = await world.create_issue()
        second = await world.create_issue()
        assert first["code"].startswith("YS-2017-")
        assert int(second["code"][-4:]) == int(first["code"][-4:]) + 1
        assert first["status"] == "registered"
        assert first["allowed_actions"] == ["assign", "cancel", "urge"]
        assert [e["type"] for e in await events_of(world, first["id"])] == ["issue.created"]

    async def test_same_idempotency_key_replays_the_first_answer(self, world: LedgerWorld) -> None:
        body = {"campaign_id": world.campaign_id, "title": "重复提交", "description": "d", "source": "inspection"}
        headers = {**world.headers("office"), "Idempotency-Key": "create-once"}
        first = await world.client.post("/api/v1/issues", json=body, headers=headers)
        again = await world.client.post("/api/v1/issues", json=body, headers=headers)
        other = await world.client.post("/api/v1/issues", json={**body, "title": "另一个"}, headers=headers)
        assert first.status_code == again.status_code == 201
        assert again.json()["id"] == first.json()["id"]
        assert again.headers["Idempotent-Replayed"] == "true"
        assert other.status_code == 422
        listed = await world.client.get("/api/v1/issues", params={"q": "重复提交"}, headers=world.headers("office"))
        assert listed.json()["total"] == 1

    async def test_unknown_field_is_refused_naming_the_field(self, world: LedgerWorld) -> None:
        body = {"campaign_id": world.campaign_id, "title": "t", "description": "d", "status": "closed"}
        response = await world.client.post("/api/v1/issues", json=body, headers=world.headers("office"))
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["status"]

    async def test_unknown_campaign_or_category_is_422(self, world: LedgerWorld) -> None:
        for extra in ({"campaign_id": "nope"}, {"category_id": "nope"}):
            body = {"campaign_id": world.campaign_id, "title": "t", "description": "d", **extra}
            response = await world.client.post("/api/v1/issues", json=body, headers=world.headers("office"))
            assert response.status_code == 422
            assert response.json()["errors"][0]["field"] == next(iter(extra))

    async def test_units_and_leaders_cannot_create(self, world: LedgerWorld) -> None:
        body = {"campaign_id": world.campaign_id, "title": "t", "description": "d"}
        for headers in (world.headers("unit", "A"), world.headers("leader"), world.client_headers("issues:read")):
            response = await world.client.post("/api/v1/issues", json=body, headers=headers)
            assert response.status_code == 403

    async def test_integration_client_with_write_scope_creates(self, world: LedgerWorld) -> None:
        body = {"campaign_id": world.campaign_id, "title": "t", "description": "d", "source": "integration"}
        response = await world.client.post("/api/v1/issues", json=body, headers=world.client_headers("issues:write"))
        assert response.status_code == 201
        assert (await events_of(world, response.json()["id"]))[0]["actor"]["kind"] == "client"


class TestEdit:
    async def test_patch_needs_if_match(self, world: LedgerWorld) -> None:
        issue = await world.create_issue()
        response = await world.client.patch(
            f"/api/v1/issues/{issue['id']}", json={"title": "新标题"}, headers=world.headers("office")
        )
        assert response.status_code == 428

    async def test_patch_with_stale_etag_is_412(self, world: LedgerWorld) -> None:
        issue = await world.create_issue()
        headers = {**world.headers("office"), "If-Match": '"99"'}
        response = await world.client.patch(f"/api/v1/issues/{issue['id']}", json={"title": "x"}, headers=headers)
        assert response.status_code == 412

    async def test_patch_with_current_etag_changes_and_records_the_fields(self, world: LedgerWorld) -> None:
        issue = await world.create_issue()
        read = await world.client.get(f"/api/v1/issues/{issue['id']}", headers=world.headers("office"))
        headers = {**world.headers("office"), "If-Match": read.headers["ETag"]}
        body = {"title": "新标题", "cause": "流程繁琐"}
        response = await world.client.patch(f"/api/v1/issues/{issue['id']}", json=body, headers=headers)
        assert response.status_code == 200
        assert response.json()["title"] == "新标题"
        assert response.headers["ETag"] == '"2"'
        last = (await events_of(world, issue["id"]))[-1]
        assert (last["type"], last["data"]["changed"]) == ("issue.updated", ["cause", "title"])

    async def test_patch_with_null_clears_an_optional_field_and_leaves_the_rest(self, world: LedgerWorld) -> None:
        issue = await world.create_issue(city="石家庄", cause="流程繁琐")
        headers = {**world.headers("office"), "If-Match": '"1"'}
        response = await world.client.patch(f"/api/v1/issues/{issue['id']}", json={"city": None}, headers=headers)
        assert response.status_code == 200
        assert (response.json()["city"], response.json()["cause"]) == (None, "流程繁琐")
        last = (await events_of(world, issue["id"]))[-1]
        assert (last["type"], last["data"]["changed"]) == ("issue.updated", ["city"])

    async def test_patch_cannot_empty_a_required_field(self, world: LedgerWorld) -> None:
        issue = await world.create_issue()
        headers = {**world.headers("office"), "If-Match": '"1"'}
        response = await world.client.patch(f"/api/v1/issues/{issue['id']}", json={"title": None}, headers=headers)
        assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "title")

    async def test_unit_cannot_patch_and_closed_issue_is_409(self, world: LedgerWorld) -> None:
        issue = await world.issue_in("closed")
        unit = await world.client.patch(
            f"/api/v1/issues/{issue['id']}",
            json={"title": "x"},
            headers={**world.headers("unit", "A"), "If-Match": "*"},
        )
        office = await world.client.patch(
            f"/api/v1/issues/{issue['id']}", json={"title": "x"}, headers={**world.headers("office"), "If-Match": "*"}
        )
        assert unit.status_code == 403
        assert office.status_code == 409
        assert office.json()["current_status"] == "closed"


class TestSteps:
    async def test_second_return_flags_the_issue_for_the_office(self, world: LedgerWorld) -> None:
        issue = await world.issue_in("returned")
        office, lead = world.headers("office"), world.headers("unit", "A")
        body = {"lead_unit_id": world.units["A"], "co_unit_ids": [], "deadline": "2026-12-31"}
        assert (await world.step(issue["id"], "reassign", office, body)).status_code == 200
        again = await world.step(issue["id"], "return", lead, {"reason_code": "duplicate", "reason": "重复"})
        assert again.json()["return_count"] == 2
        assert again.json()["flagged"] is True
        types = [e["type"] for e in await events_of(world, issue["id"])]
        assert types[-2:] == ["issue.returned", "issue.flagged"]

    async def test_return_needs_a_known_reason_code(self, world: LedgerWorld) -> None:
        issue = await world.issue_in("assigned")
        response = await world.step(
            issue["id"], "return", world.headers("unit", "A"), {"reason_code": "lazy", "reason": "x"}
        )
        assert response.status_code == 422

    async def test_lead_cannot_submit_until_every_co_unit_filed_or_was_waived(self, world: LedgerWorld) -> None:
        issue = await world.issue_in("in_progress", co_units=("B", "C"))
        lead, b, office = world.headers("unit", "A"), world.headers("unit", "B"), world.headers("office")
        blocked = await world.step(issue["id"], "submit-completion", lead, {"summary": "完成"})
        assert (blocked.status_code, blocked.json()["code"]) == (409, "co-units-outstanding")
        await world.step(issue["id"], f"co-units/{world.units['B']}/accept", b)
        await world.step(issue["id"], f"co-units/{world.units['B']}/contribution", b, {"content": "已配合"})
        still = await world.step(issue["id"], "submit-completion", lead, {"summary": "完成"})
        assert still.status_code == 409
        await world.step(issue["id"], f"co-units/{world.units['C']}/waive", office)
        done = await world.step(issue["id"], "submit-completion", lead, {"summary": "完成"})
        assert done.status_code == 200
        assert {c["unit_id"]: c["status"] for c in done.json()["co_units"]} == {
            world.units["B"]: "filed",
            world.units["C"]: "waived",
        }

    async def test_approved_extension_moves_the_deadline_and_keeps_its_history(self, world: LedgerWorld) -> None:
        issue = await world.issue_in("in_progress")
        lead, office = world.headers("unit", "A"), world.headers("office")
        ext = await world.step(
            issue["id"], "extension-requests", lead, {"new_deadline": "2027-03-31", "reason": "协调"}
        )
        second = await world.step(
            issue["id"], "extension-requests", lead, {"new_deadline": "2027-04-30", "reason": "x"}
        )
        assert (second.status_code, second.json()["code"]) == (409, "extension-pending")
        decided = await world.step(
            issue["id"], f"extension-requests/{ext.json()['id']}/decision", office, {"approved": True}
        )
        body = decided.json()
        assert (body["deadline"], body["original_deadline"]) == ("2027-03-31", "2026-12-31")
        assert [(d["deadline"], d["kind"]) for d in body["deadline_history"]] == [
            ("2026-12-31", "initial"),
            ("2027-03-31", "extension"),
        ]
        listed = await world.client.get(f"/api/v1/issues/{issue['id']}/extension-requests", headers=lead)
        assert [e["status"] for e in listed.json()] == ["approved"]

    async def test_extension_must_be_later_than_the_deadline(self, world: LedgerWorld) -> None:
        issue = await world.issue_in("in_progress")
        response = await world.step(
            issue["id"], "extension-requests", world.headers("unit", "A"), {"new_deadline": "2026-12-01", "reason": "x"}
        )
        assert response.status_code == 422

    async def test_reopen_counts_and_clears_the_closing_time(self, world: LedgerWorld) -> None:
        issue = await world.issue_in("closed")
        assert issue["closed_at"] is not None
        reopened = await world.step(issue["id"], "reopen", world.headers("office"), {"reason": "督查发现反弹"})
        assert (reopened.json()["reopen_count"], reopened.json()["closed_at"]) == (1, None)

    async def test_cancel_requires_a_reason(self, world: LedgerWorld) -> None:
        issue = await world.issue_in("assigned")
        response = await world.step(issue["id"], "cancel", world.headers("office"), {})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "reason"

    async def test_assign_to_an_unknown_unit_is_422(self, world: LedgerWorld) -> None:
        issue = await world.create_issue()
        body = {"lead_unit_id": "nope", "co_unit_ids": [], "deadline": "2026-12-31"}
        response = await world.step(issue["id"], "assign", world.headers("office"), body)
        assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "lead_unit_id")

    async def test_every_event_carries_the_full_issue_state(self, world: LedgerWorld) -> None:
        issue = await world.issue_in("closed")
        feed = await world.client.get("/api/v1/events", params={"limit": 1000}, headers=world.headers("admin"))
        mine = [e for e in feed.json()["events"] if e["subject_id"] == issue["id"]]
        assert [e["data"]["issue"]["status"] for e in mine] == [
            "registered",
            "assigned",
            "in_progress",
            "in_progress",
            "pending_review",
            "closed",
        ]
        assert [e["data"]["issue"]["version"] for e in mine] == list(range(1, 7))


async def test_overdue_is_derived_from_the_deadline_in_shanghai_time(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress")  # deadline 2026-12-31
    url = f"/api/v1/issues/{issue['id']}"
    start = world.clock.now()
    try:
        world.clock.set(datetime(2026, 12, 31, 15, 59, tzinfo=UTC))  # 23:59 on the 31st in Shanghai
        on_the_day = (await world.client.get(url, headers=world.headers("office"))).json()["overdue"]
        world.clock.set(datetime(2026, 12, 31, 16, 0, tzinfo=UTC))  # 00:00 on 1 January in Shanghai
        next_day = (await world.client.get(url, headers=world.headers("office"))).json()["overdue"]
    finally:
        world.clock.set(start)
    assert (on_the_day, next_day) == (False, True)


async def test_workflow_table_is_published_for_the_spa(world: LedgerWorld) -> None:
    response = await world.client.get("/api/v1/issues/workflow", headers=world.headers("unit", "A"))
    rows = {(r["status"], r["action"]): r for r in response.json()}
    assert len(rows) == len(TRANSITIONS)
    assert rows[("pending_review", "close")] == {
        "status": "pending_review",
        "action": "close",
        "next_status": "closed",
        "roles": ["admin", "office"],
        "required": [],
        "unit_relation": None,
        "event": "issue.closed",
    }
