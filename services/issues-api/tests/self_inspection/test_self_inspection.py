"""自查自纠: a unit files its own problems with cause and measures; they wait as registered until the office
confirms them (assigned to that unit, until the phase ends) or sends them back with a reason to revise."""

from __future__ import annotations

from typing import Any

import pytest

from issues_testing.ledger import LedgerWorld

pytestmark = pytest.mark.asyncio(loop_scope="module")
PATH = "/api/v1/issues/self-inspection"


def item(world: LedgerWorld, **fields: Any) -> dict[str, Any]:
    return {
        "campaign_id": world.campaign_id,
        "title": "行政审批事项清单未及时公开",
        "description": "本单位审批事项清单更新滞后",
        "cause": "未建立清单动态调整机制",
        "measures": "建立动态调整机制，每月核对并公开",
        **fields,
    }


async def file(world: LedgerWorld, headers: Any, **fields: Any) -> dict[str, Any]:
    answer = await world.client.post(PATH, json=item(world, **fields), headers=headers)
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def test_a_units_list_goes_through_confirmation(world: LedgerWorld) -> None:
    unit, office = world.headers("unit", "A"), world.headers("office")
    filed = await file(world, unit)
    assert (filed["status"], filed["source"], filed["lead_unit_id"]) == (
        "registered",
        "self_inspection",
        world.units["A"],
    )
    assert filed["cause"] == "未建立清单动态调整机制"
    # It waits on the unit's own list; another unit does not see it.
    mine = await world.client.get("/api/v1/issues?source=self_inspection&status=registered", headers=unit)
    assert filed["id"] in [i["id"] for i in mine.json()["items"]]
    other = await world.client.get(f"/api/v1/issues/{filed['id']}", headers=world.headers("unit", "B"))
    assert other.status_code == 404
    review = await world.client.get(f"/api/v1/issues/{filed['id']}/self-inspection", headers=office)
    assert review.json()["status"] == "pending"
    confirmed = await world.client.post(
        f"/api/v1/issues/{filed['id']}/self-inspection/confirm", json={}, headers=office
    )
    assert confirmed.status_code == 200, confirmed.text
    # Assigned to the unit that filed it, until the end of its phase (the phase of the day: 集中整治阶段).
    body = confirmed.json()
    assert (body["status"], body["lead_unit_id"], body["deadline"]) == ("assigned", world.units["A"], "2017-12-31")
    review = await world.client.get(f"/api/v1/issues/{filed['id']}/self-inspection", headers=unit)
    assert review.json()["status"] == "confirmed"


async def test_a_unit_cannot_file_for_another_unit(world: LedgerWorld) -> None:
    before = (await world.client.get("/api/v1/issues?limit=1", headers=world.headers("office"))).json()["total"]
    answer = await world.client.post(
        PATH, json=item(world, unit_id=world.units["B"]), headers=world.headers("unit", "A")
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == "not-own-unit"
    after = (await world.client.get("/api/v1/issues?limit=1", headers=world.headers("office"))).json()["total"]
    assert after == before


async def test_cause_and_measures_are_required(world: LedgerWorld) -> None:
    answer = await world.client.post(PATH, json=item(world, measures=""), headers=world.headers("unit", "A"))
    assert answer.status_code == 422
    assert "measures" in [e["field"].split(".")[-1] for e in answer.json()["errors"]]


async def test_sent_back_with_a_reason_the_unit_revises_and_it_waits_again(world: LedgerWorld) -> None:
    unit, office = world.headers("unit", "A"), world.headers("office")
    filed = await file(world, unit)
    base = f"/api/v1/issues/{filed['id']}/self-inspection"
    assert (
        await world.client.post(f"{base}/send-back", json={"reason": "措施不具体"}, headers=unit)
    ).status_code == 403
    sent = await world.client.post(f"{base}/send-back", json={"reason": "措施不具体，请补充时间节点"}, headers=office)
    assert sent.status_code == 200, sent.text
    assert (sent.json()["status"], sent.json()["reason"]) == ("sent_back", "措施不具体，请补充时间节点")
    again = await world.client.post(f"{base}/send-back", json={"reason": "again"}, headers=office)
    assert again.status_code == 409
    revised = await world.client.post(f"{base}/revise", json={"measures": "12 月底前完成清单公开"}, headers=unit)
    assert revised.status_code == 200, revised.text
    assert (revised.json()["measures"], revised.json()["status"]) == ("12 月底前完成清单公开", "registered")
    review = (await world.client.get(base, headers=office)).json()
    assert (review["status"], review["reason"]) == ("pending", None)
    timeline = (await world.client.get(f"/api/v1/issues/{filed['id']}/timeline", headers=office)).json()
    types = [e["type"] for e in (timeline["items"] if isinstance(timeline, dict) else timeline)]
    assert "issue.sent_back" in types


async def test_the_office_files_for_a_unit_and_a_leader_may_not(world: LedgerWorld) -> None:
    filed = await file(world, world.headers("office"), unit_id=world.units["C"])
    assert filed["lead_unit_id"] == world.units["C"]
    answer = await world.client.post(PATH, json=item(world, unit_id=world.units["C"]), headers=world.headers("leader"))
    assert answer.status_code == 403


async def test_an_office_filed_issue_has_no_review(world: LedgerWorld) -> None:
    issue = await world.create_issue()
    answer = await world.client.get(f"/api/v1/issues/{issue['id']}/self-inspection", headers=world.headers("office"))
    assert answer.status_code == 404
