"""约谈/问责 on record: the office and admins write, leaders read, a unit reads only its own; bad records change
nothing; each record is an `accountability.recorded` event of the feed report-api reads."""

from __future__ import annotations

from typing import Any

import pytest

from issues_testing.ledger import LedgerWorld

pytestmark = pytest.mark.asyncio(loop_scope="module")
PATH = "/api/v1/accountability-records"


def body(world: LedgerWorld, issue_ids: list[str], **fields: Any) -> dict[str, Any]:
    return {
        "unit_id": world.units["A"],
        "issue_ids": issue_ids,
        "kind": "约谈",
        "decided_on": "2026-11-24",
        "outcome": "约谈主要负责人，责令 10 个工作日内整改到位",
        "document": "冀科督〔2026〕3号",
        **fields,
    }


async def records(world: LedgerWorld, headers: Any, query: str = "") -> dict[str, Any]:
    response = await world.client.get(PATH + query, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_the_office_records_a_decision_and_leaders_and_the_unit_read_it(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress")
    created = await world.client.post(PATH, json=body(world, [issue["id"]]), headers=world.headers("office"))
    assert created.status_code == 201, created.text
    record = created.json()
    assert (record["unit_name"], record["issue_codes"], record["kind"]) == ("单位A", [issue["code"]], "约谈")
    assert record["campaign_id"] == world.campaign_id
    for headers in (world.headers("leader"), world.headers("unit", "A"), world.headers("admin")):
        assert record["id"] in [r["id"] for r in (await records(world, headers))["items"]]
    # Unit B helps with the issue but the decision was about unit A: B does not read it, nor asks for A's.
    assert record["id"] not in [r["id"] for r in (await records(world, world.headers("unit", "B")))["items"]]
    other = await world.client.get(f"{PATH}?unit_id={world.units['A']}", headers=world.headers("unit", "B"))
    assert other.status_code == 403


async def test_only_the_office_and_admins_write(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress")
    before = (await records(world, world.headers("office")))["total"]
    for headers in (world.headers("leader"), world.headers("unit", "A"), world.client_headers("issues:write")):
        answer = await world.client.post(PATH, json=body(world, [issue["id"]]), headers=headers)
        assert answer.status_code == 403, answer.text
    assert (await records(world, world.headers("office")))["total"] == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"decided_on": "2026-11-26"}, "decided_on"),  # tomorrow in Asia/Shanghai
        ({"unit_id": "no-such-unit"}, "unit_id"),
        ({"issue_ids": ["no-such-issue"]}, "issue_ids"),
        ({"kind": "罚款"}, "kind"),
        ({"outcome": ""}, "outcome"),
        ({"issue_ids": []}, "campaign_id"),  # neither issues nor a campaign name one
    ],
)
async def test_a_bad_record_is_a_422_and_writes_nothing(world: LedgerWorld, change: dict[str, Any], field: str) -> None:
    before = (await records(world, world.headers("office")))["total"]
    answer = await world.client.post(PATH, json={**body(world, []), **change}, headers=world.headers("office"))
    assert answer.status_code == 422, answer.text
    assert field in [e["field"].split(".")[-1] for e in answer.json()["errors"]]
    assert (await records(world, world.headers("office")))["total"] == before


async def test_an_issue_that_is_not_the_units_is_refused(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress", co_units=())
    answer = await world.client.post(
        PATH, json=body(world, [issue["id"]], unit_id=world.units["C"]), headers=world.headers("office")
    )
    assert answer.status_code == 422
    assert issue["code"] in answer.json()["errors"][0]["message"]


async def test_a_record_without_issues_names_its_campaign(world: LedgerWorld) -> None:
    answer = await world.client.post(
        PATH,
        json=body(world, [], campaign_id=world.campaign_id, kind="通报批评", unit_id=world.units["C"]),
        headers=world.headers("office"),
    )
    assert answer.status_code == 201, answer.text
    mine = await records(world, world.headers("unit", "C"))
    assert [(r["kind"], r["issue_ids"]) for r in mine["items"]] == [("通报批评", [])]


async def test_each_record_is_an_event_of_the_feed(world: LedgerWorld) -> None:
    issue = await world.issue_in("assigned")
    created = await world.client.post(
        PATH, json=body(world, [issue["id"]], kind="问责"), headers=world.headers("office")
    )
    reader = world.client_headers("events:read", client_id="report-api")
    feed = (await world.client.get("/api/v1/events?limit=1000", headers=reader)).json()
    [event] = [e for e in feed["events"] if e["subject_id"] == created.json()["id"]]
    assert event["type"] == "accountability.recorded"
    assert event["data"]["record"]["issue_ids"] == [issue["id"]]
    assert event["data"]["record"]["kind"] == "问责"


async def test_the_list_pages_newest_decision_first(world: LedgerWorld) -> None:
    office = world.headers("office")
    for day in ("2026-11-01", "2026-11-03", "2026-11-02"):
        extra = {"campaign_id": world.campaign_id, "decided_on": day, "unit_id": world.units["B"]}
        assert (await world.client.post(PATH, json=body(world, [], **extra), headers=office)).status_code == 201
    first = await records(world, office, f"?unit_id={world.units['B']}&limit=2")
    second = await records(world, office, f"?unit_id={world.units['B']}&limit=2&cursor={first['next_cursor']}")
    days = [r["decided_on"] for r in first["items"] + second["items"]]
    assert days == ["2026-11-03", "2026-11-02", "2026-11-01"]
    assert (first["total"], second["next_cursor"]) == (3, None)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def test_the_decision_document_is_uploaded_by_the_office_and_read_by_the_unit(world: LedgerWorld) -> None:
    office = world.headers("office")
    extra = {"campaign_id": world.campaign_id, "unit_id": world.units["C"]}
    record = (await world.client.post(PATH, json=body(world, [], **extra), headers=office)).json()
    path = f"{PATH}/{record['id']}/document"
    files = {"file": ("问责决定书.pdf", PDF, "application/pdf")}
    refused = await world.client.post(path, files=files, headers=world.headers("unit", "C"))
    assert refused.status_code == 403
    assert (await world.client.get(path, headers=office)).status_code == 404  # nothing uploaded yet
    uploaded = await world.client.post(path, files=files, headers=office)
    assert uploaded.status_code == 200, uploaded.text
    assert uploaded.json()["document_file"] == {
        "name": "问责决定书.pdf",
        "size": len(PDF),
        "content_type": "application/pdf",
    }
    own = await world.client.get(path, headers=world.headers("unit", "C"))
    assert (own.status_code, own.content) == (200, PDF)
    assert (await world.client.get(path, headers=world.headers("unit", "A"))).status_code == 404
    text = await world.client.post(path, files={"file": ("x.txt", b"plain text", "text/plain")}, headers=office)
    assert text.status_code == 415
    reader = world.client_headers("events:read", client_id="report-api")
    feed = (await world.client.get("/api/v1/events?limit=1000", headers=reader)).json()
    updated = [e for e in feed["events"] if e["subject_id"] == record["id"] and e["type"] == "accountability.updated"]
    assert updated[0]["data"]["record"]["document_file"]["name"] == "问责决定书.pdf"
