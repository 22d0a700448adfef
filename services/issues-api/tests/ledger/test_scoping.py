"""A unit user sees and acts only on issues where their unit is lead or co-unit, on every endpoint."""

from __future__ import annotations

import pytest

from issues_testing.ledger import LedgerWorld

pytestmark = pytest.mark.asyncio(loop_scope="module")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def test_unit_user_cannot_reach_another_units_issue_through_any_endpoint(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress", title="仅限A单位的事项 secret-marker")
    iid = issue["id"]
    upload = await world.client.post(
        f"/api/v1/issues/{iid}/attachments",
        files={"file": ("evidence.pdf", PDF, "application/pdf")},
        headers=world.headers("unit", "A"),
    )
    assert upload.status_code == 201, upload.text
    aid = upload.json()["id"]
    outsider = world.headers("unit", "C")

    reads = [
        f"/api/v1/issues/{iid}",
        f"/api/v1/issues/{iid}/timeline",
        f"/api/v1/issues/{iid}/extension-requests",
        f"/api/v1/issues/{iid}/attachments",
        f"/api/v1/issues/{iid}/attachments/{aid}",
        f"/api/v1/issues/{iid}/dossier.zip",
    ]
    for path in reads:
        response = await world.client.get(path, headers=outsider)
        assert (path, response.status_code) == (path, 404)
        assert "secret-marker" not in response.text

    listed = await world.client.get("/api/v1/issues", headers=outsider)
    searched = await world.client.get("/api/v1/issues", params={"q": "secret-marker"}, headers=outsider)
    by_unit = await world.client.get("/api/v1/issues", params={"unit_id": world.units["A"]}, headers=outsider)
    for response in (listed, searched, by_unit):
        assert response.status_code == 200
        assert iid not in {i["id"] for i in response.json()["items"]}
    assert searched.json()["total"] == 0

    patch = await world.client.patch(
        f"/api/v1/issues/{iid}", json={"title": "x"}, headers={**outsider, "If-Match": '"1"'}
    )
    assert patch.status_code == 404
    for path, body in [
        ("progress", {"content": "x", "percent": 10}),
        ("submit-completion", {"summary": "x"}),
        ("extension-requests", {"new_deadline": "2027-06-30", "reason": "x"}),
        (f"co-units/{world.units['C']}/accept", None),
    ]:
        response = await world.step(iid, path, outsider, body)
        assert (path, response.status_code) == (path, 404)
    denied_upload = await world.client.post(
        f"/api/v1/issues/{iid}/attachments", files={"file": ("x.pdf", PDF, "application/pdf")}, headers=outsider
    )
    assert denied_upload.status_code == 404


async def test_lead_and_co_unit_both_see_the_issue(world: LedgerWorld) -> None:
    issue = await world.issue_in("assigned", title="共同办理 shared-marker")
    for unit in ("A", "B"):
        detail = await world.client.get(f"/api/v1/issues/{issue['id']}", headers=world.headers("unit", unit))
        assert detail.status_code == 200
        searched = await world.client.get(
            "/api/v1/issues", params={"q": "shared-marker"}, headers=world.headers("unit", unit)
        )
        assert [i["id"] for i in searched.json()["items"]] == [issue["id"]]


async def test_unit_user_without_a_unit_sees_nothing(world: LedgerWorld) -> None:
    await world.issue_in("assigned")
    response = await world.client.get("/api/v1/issues", headers=world.headers("unit"))
    assert response.json() == {"items": [], "next_cursor": None, "total": 0}


async def test_integration_client_needs_an_issues_scope(world: LedgerWorld) -> None:
    issue = await world.create_issue()
    without = await world.client.get(f"/api/v1/issues/{issue['id']}", headers=world.client_headers("events:read"))
    with_scope = await world.client.get(f"/api/v1/issues/{issue['id']}", headers=world.client_headers("issues:read"))
    assert without.status_code == 403
    assert with_scope.status_code == 200


async def test_anonymous_caller_is_unauthorized(world: LedgerWorld) -> None:
    response = await world.client.get("/api/v1/issues")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
