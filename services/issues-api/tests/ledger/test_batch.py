"""成批交办与催办: one request, each item through its own step, a result per item; a bad request changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from issues_testing.ledger import LedgerWorld

# On both backends: each item of a batch is locked (FOR UPDATE OF) in one transaction.
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]


async def events_of(world: LedgerWorld, issue_id: str) -> list[str]:
    response = await world.client.get(f"/api/v1/issues/{issue_id}/timeline", headers=world.headers("office"))
    return [item["type"] for item in response.json()["items"]]


async def test_batch_assign_assigns_each_registered_item_and_reports_the_others(world: LedgerWorld) -> None:
    first = await world.create_issue(title="batch-assign")
    second = await world.create_issue(title="batch-assign")
    closed = await world.issue_in("closed", title="batch-assign")
    body = {
        "issue_ids": [first["id"], closed["id"], "no-such-issue", second["id"]],
        "lead_unit_id": world.units["A"],
        "co_unit_ids": [world.units["B"]],
        "deadline": "2027-01-15",
        "requirements": "按期整改",
    }
    response = await world.client.post("/api/v1/issues/batch/assign", json=body, headers=world.headers("office"))
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["action"], result["succeeded"], result["failed"]) == ("assign", 2, 2)
    by_id = {r["issue_id"]: r for r in result["results"]}
    assert [r["issue_id"] for r in result["results"]] == body["issue_ids"]
    assert by_id[first["id"]] == {
        "issue_id": first["id"], "ok": True, "code": first["code"], "status": "assigned", "problem": None,
    }  # fmt: skip
    assert by_id[closed["id"]]["ok"] is False
    assert by_id[closed["id"]]["code"] == closed["code"]
    assert by_id[closed["id"]]["problem"]["code"] == "illegal-transition"
    assert by_id[closed["id"]]["problem"]["title"] == "当前状态不允许此操作"
    assert by_id["no-such-issue"]["problem"]["status"] == 404
    assert by_id["no-such-issue"]["code"] is None
    for issue in (first, second):
        read = (await world.client.get(f"/api/v1/issues/{issue['id']}", headers=world.headers("office"))).json()
        assert (read["status"], read["lead_unit_id"], read["deadline"]) == ("assigned", world.units["A"], "2027-01-15")
        assert read["co_unit_ids"] == [world.units["B"]]
        assert read["requirements"] == "按期整改"
        assert (await events_of(world, issue["id"]))[-1] == "issue.assigned"
    assert (await events_of(world, closed["id"]))[-1] == "issue.closed"


async def test_batch_urge_urges_open_items_in_english_when_asked(world: LedgerWorld) -> None:
    open_ = await world.issue_in("in_progress", title="batch-urge")
    cancelled = await world.issue_in("cancelled", title="batch-urge")
    headers = {**world.headers("office"), "Accept-Language": "en"}
    body = {"issue_ids": [open_["id"], cancelled["id"]], "content": "请于本周内报送进展"}
    response = await world.client.post("/api/v1/issues/batch/urge", json=body, headers=headers)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["ok"] for r in results] == [True, False]
    assert results[1]["problem"]["title"] == "Step not allowed in the current status"
    assert (await events_of(world, open_["id"]))[-1] == "issue.urged"


async def test_a_unit_sees_its_own_items_refused_and_others_as_missing(world: LedgerWorld) -> None:
    mine = await world.issue_in("in_progress", title="batch-unit")
    body = {"issue_ids": [mine["id"]], "content": "催"}
    refused = await world.client.post("/api/v1/issues/batch/urge", json=body, headers=world.headers("unit", "A"))
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert (await events_of(world, mine["id"]))[-1] == "issue.accepted"


@pytest.mark.parametrize(
    "body",
    [
        {"issue_ids": [], "content": "催"},
        {"issue_ids": ["a", "a"], "content": "催"},
        {"issue_ids": ["a"], "content": ""},
        {"issue_ids": [str(n) for n in range(201)], "content": "催"},
        {"issue_ids": ["a"], "content": "催", "extra": 1},
    ],
)
async def test_a_bad_urge_request_is_a_problem(world: LedgerWorld, body: dict[str, Any]) -> None:
    response = await world.client.post("/api/v1/issues/batch/urge", json=body, headers=world.headers("office"))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_an_unknown_unit_refuses_the_whole_batch_and_changes_nothing(world: LedgerWorld) -> None:
    issue = await world.create_issue(title="batch-bad-unit")
    body = {"issue_ids": [issue["id"]], "lead_unit_id": "no-such-unit", "deadline": "2027-01-15"}
    response = await world.client.post("/api/v1/issues/batch/assign", json=body, headers=world.headers("office"))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid-reference"
    read = (await world.client.get(f"/api/v1/issues/{issue['id']}", headers=world.headers("office"))).json()
    assert read["status"] == "registered"
    assert await events_of(world, issue["id"]) == ["issue.created"]
