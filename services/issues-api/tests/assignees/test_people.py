"""责任落实到人: a unit names its responsible person among its own active staff and splits its part into sub-tasks
due no later than the item; the person finds the item under "mine"; another unit's staff sees none of it."""

from __future__ import annotations

import io
import uuid
from collections.abc import Mapping
from typing import Any

import pytest
from openpyxl import load_workbook

from issues_api.directory.models import User
from issues_testing.ledger import LedgerWorld

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def person(world: LedgerWorld, unit: str, name: str, *, active: bool = True) -> tuple[str, Mapping[str, str]]:
    """A unit user in the directory (so the unit may name them) and a token of theirs."""
    user_id, now = str(uuid.uuid4()), world.clock.now()
    async with world.database.session() as session:
        session.add(
            User(
                id=user_id,
                username=f"p-{user_id[:8]}",
                display_name=name,
                role="unit",
                unit_id=world.units[unit],
                password_hash="x",
                active=active,
                created_at=now,
                updated_at=now,
            )
        )
    headers = world.tokens.headers(
        user_id, role="unit", unit_id=world.units[unit], username=f"p-{user_id[:8]}", kind="user", ttl=3600
    )
    return user_id, headers


async def name(world: LedgerWorld, issue_id: str, unit: str, user_id: str | None, headers: Mapping[str, str]) -> Any:
    return await world.client.put(
        f"/api/v1/issues/{issue_id}/assignees/{world.units[unit]}", json={"user_id": user_id}, headers=headers
    )


async def mine(world: LedgerWorld, headers: Mapping[str, str]) -> set[str]:
    response = await world.client.get("/api/v1/issues", params={"mine": "true", "limit": 200}, headers=headers)
    assert response.status_code == 200, response.text
    return {i["id"] for i in response.json()["items"]}


async def test_the_responsible_person_sees_the_item_as_mine_and_another_unit_sees_nothing(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress")
    zhang, zhang_headers = await person(world, "A", "张明")
    co_person, _ = await person(world, "B", "李华")
    outsider_id, outsider = await person(world, "C", "王五")
    assert issue["id"] not in await mine(world, zhang_headers)

    named = await name(world, issue["id"], "A", zhang, world.headers("unit", "A"))
    assert named.status_code == 200, named.text
    # The co-unit names its own person; the office could too.
    assert (await name(world, issue["id"], "B", co_person, world.headers("unit", "B"))).status_code == 200
    parts = {p["relation"]: p for p in named.json()}
    assert (parts["lead"]["display_name"], parts["lead"]["unit_name"]) == ("张明", "单位A")

    assert await mine(world, zhang_headers) == {issue["id"]}
    detail = (await world.client.get(f"/api/v1/issues/{issue['id']}", headers=zhang_headers)).json()
    assert [(r["unit_id"], r["display_name"]) for r in detail["responsible"]] == [
        (world.units["A"], "张明"),
        (world.units["B"], "李华"),
    ]
    timeline = (await world.client.get(f"/api/v1/issues/{issue['id']}/timeline", headers=zhang_headers)).json()
    event = next(e for e in timeline["items"] if e["type"] == "issue.responsible_named")
    assert event["data"]["responsible"] == {"user_id": zhang, "display_name": "张明"}

    # Unit C's staff: not in its list, not even as "mine" by the person's id; every path answers 404.
    assert issue["id"] not in await mine(world, outsider)
    for path in ("", "/assignees", "/subtasks"):
        answer = await world.client.get(f"/api/v1/issues/{issue['id']}{path}", headers=outsider)
        assert (path, answer.status_code) == (path, 404)
        assert "张明" not in answer.text
    refused = await name(world, issue["id"], "C", outsider_id, outsider)
    assert refused.status_code == 404
    staff = await world.client.get(f"/api/v1/units/{world.units['A']}/staff", headers=outsider)
    assert staff.status_code == 403

    # The ledger's Excel export names the people beside the units; "mine" narrows it as it narrows the list.
    exported = await world.client.get("/api/v1/issues/export.xlsx", params={"mine": "true"}, headers=zhang_headers)
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][3:6] == ["责任单位", "配合单位", "责任人"]
    assert [(r[0], r[5]) for r in rows[1:]] == [(issue["code"], "张明；单位B：李华")]


async def test_a_person_outside_the_unit_or_inactive_is_refused_and_nothing_changes(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress")
    lead = world.headers("unit", "A")
    other_unit, _ = await person(world, "B", "外单位人员")
    gone, _ = await person(world, "A", "已停用人员", active=False)
    for user_id in (other_unit, gone, "no-such-user"):
        refused = await name(world, issue["id"], "A", user_id, lead)
        assert refused.status_code == 422, refused.text
        problem = refused.json()
        assert problem["code"] == "not-unit-staff"
        assert [e["field"] for e in problem["errors"]] == ["user_id"]
    # The co-unit may not name the lead unit's person; the office may name anyone of that unit.
    mine_a, _ = await person(world, "A", "赵六")
    assert (await name(world, issue["id"], "A", mine_a, world.headers("unit", "B"))).json()["code"] == "not-own-unit"
    parts = (await world.client.get(f"/api/v1/issues/{issue['id']}/assignees", headers=lead)).json()
    assert all(p["user_id"] is None for p in parts)
    assert (await name(world, issue["id"], "A", mine_a, world.headers("office"))).status_code == 200
    staff = await world.client.get(f"/api/v1/units/{world.units['A']}/staff", headers=lead)
    names = {s["display_name"] for s in staff.json()}
    assert "赵六" in names
    assert "已停用人员" not in names
    assert set(staff.json()[0]) == {"id", "display_name"}


async def subtask(world: LedgerWorld, issue_id: str, headers: Mapping[str, str], **fields: Any) -> Any:
    return await world.client.post(f"/api/v1/issues/{issue_id}/subtasks", json=fields, headers=headers)


async def test_a_subtask_is_due_no_later_than_its_item(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress")  # deadline 2026-12-31
    worker, _ = await person(world, "A", "孙七")
    lead = world.headers("unit", "A")
    late = await subtask(world, issue["id"], lead, title="梳理清单", assignee_id=worker, deadline="2027-01-01")
    assert late.status_code == 422, late.text
    assert late.json()["code"] == "subtask-deadline-after-issue"
    assert late.json()["issue_deadline"] == "2026-12-31"
    assert [e["field"] for e in late.json()["errors"]] == ["deadline"]
    listed = await world.client.get(f"/api/v1/issues/{issue['id']}/subtasks", headers=lead)
    assert listed.json() == []

    made = await subtask(world, issue["id"], lead, title="梳理清单", assignee_id=worker, deadline="2026-12-31")
    assert made.status_code == 201, made.text
    path = f"/api/v1/issues/{issue['id']}/subtasks/{made.json()['id']}"
    moved = await world.client.patch(path, json={"deadline": "2027-01-15"}, headers=lead)
    assert (moved.status_code, moved.json()["code"]) == (422, "subtask-deadline-after-issue")

    # An approved extension moves the item's deadline later: the sub-task stays valid and may follow it.
    asked = await world.client.post(
        f"/api/v1/issues/{issue['id']}/extension-requests",
        json={"new_deadline": "2027-01-31", "reason": "跨部门会签"},
        headers=lead,
    )
    assert asked.status_code == 201, asked.text
    decided = await world.step(
        issue["id"], f"extension-requests/{asked.json()['id']}/decision", world.headers("office"), {"approved": True}
    )
    assert decided.status_code == 200, decided.text
    kept = (await world.client.get(f"/api/v1/issues/{issue['id']}/subtasks", headers=lead)).json()
    assert [(s["deadline"], s["past_item_deadline"]) for s in kept] == [("2026-12-31", False)]
    moved = await world.client.patch(path, json={"deadline": "2027-01-15"}, headers=lead)
    assert moved.status_code == 200, moved.text
    assert moved.json()["deadline"] == "2027-01-15"


async def test_subtasks_roll_up_into_the_item_and_an_open_one_makes_it_mine(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress")
    a1, a1_headers = await person(world, "A", "周一")
    b1, b1_headers = await person(world, "B", "吴二")
    lead, co = world.headers("unit", "A"), world.headers("unit", "B")
    first = await subtask(world, issue["id"], lead, title="材料梳理", assignee_id=a1, deadline="2026-12-10")
    second = await subtask(world, issue["id"], co, title="协办数据", assignee_id=b1, deadline="2026-12-20")
    assert (first.status_code, second.status_code) == (201, 201), second.text
    assert second.json()["unit_id"] == world.units["B"]
    # A unit splits only its own part, and gives it only to its own people.
    wrong_person = await subtask(world, issue["id"], lead, title="x", assignee_id=b1, deadline="2026-12-10")
    assert (wrong_person.status_code, wrong_person.json()["code"]) == (422, "not-unit-staff")
    other_part = await subtask(
        world, issue["id"], lead, unit_id=world.units["B"], title="x", assignee_id=b1, deadline="2026-12-10"
    )
    assert (other_part.status_code, other_part.json()["code"]) == (403, "not-own-unit")
    assert await mine(world, a1_headers) == {issue["id"]}
    assert await mine(world, b1_headers) == {issue["id"]}

    base = f"/api/v1/issues/{issue['id']}/subtasks"
    reported = await world.client.post(
        f"{base}/{first.json()['id']}/progress", json={"percent": 40, "note": "已梳理一半"}, headers=a1_headers
    )
    assert reported.status_code == 200, reported.text
    assert (reported.json()["percent"], reported.json()["done"]) == (40, False)
    done = await world.client.post(f"{base}/{second.json()['id']}/progress", json={"percent": 100}, headers=co)
    assert done.json()["done"] is True
    refused = await world.client.post(f"{base}/{second.json()['id']}/progress", json={"percent": 5}, headers=lead)
    assert refused.status_code == 403

    detail = (await world.client.get(f"/api/v1/issues/{issue['id']}", headers=lead)).json()
    assert (detail["subtask_total"], detail["subtask_done"], detail["subtask_progress"]) == (2, 1, 70)
    assert detail["progress_percent"] == 0  # the item's own progress reports stay as they are
    # A done sub-task no longer makes the item "mine".
    assert issue["id"] not in await mine(world, b1_headers)
    assert issue["id"] in await mine(world, a1_headers)
    types = [
        e["type"]
        for e in (await world.client.get(f"/api/v1/issues/{issue['id']}/timeline", headers=lead)).json()["items"]
    ]
    assert types.count("issue.subtask_added") == 2
    assert types.count("issue.subtask_progress_reported") == 2


async def test_a_subtask_given_to_someone_else_names_who_had_it_in_its_event(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress")
    first, _ = await person(world, "A", "冯一")
    second, _ = await person(world, "A", "陈二")
    lead = world.headers("unit", "A")
    made = await subtask(world, issue["id"], lead, title="整理台账", assignee_id=first, deadline="2026-12-10")
    path = f"/api/v1/issues/{issue['id']}/subtasks/{made.json()['id']}"
    retitled = await world.client.patch(path, json={"title": "整理台账并归档"}, headers=lead)
    moved = await world.client.patch(path, json={"assignee_id": second}, headers=lead)
    assert (retitled.status_code, moved.status_code) == (200, 200), moved.text
    timeline = (await world.client.get(f"/api/v1/issues/{issue['id']}/timeline", headers=lead)).json()["items"]
    updates = [e["data"] for e in timeline if e["type"] == "issue.subtask_updated"]
    assert [u["changed"] for u in updates] == [["title"], ["assignee_id"]]
    assert "previous_assignee" not in updates[0]
    assert updates[1]["previous_assignee"] == {"user_id": first, "display_name": "冯一"}
    assert updates[1]["subtask"]["assignee_id"] == second


async def test_a_settled_item_keeps_its_people(world: LedgerWorld) -> None:
    issue = await world.issue_in("closed")
    worker, _ = await person(world, "A", "郑八")
    answer = await name(world, issue["id"], "A", worker, world.headers("office"))
    assert (answer.status_code, answer.json()["code"]) == (409, "issue-settled")
    made = await subtask(
        world, issue["id"], world.headers("office"), unit_id=world.units["A"], title="x", assignee_id=worker,
        deadline="2026-12-01",
    )  # fmt: skip
    assert made.status_code == 409


async def test_a_saved_view_keeps_mine(world: LedgerWorld) -> None:
    _, headers = await person(world, "A", "钱九")
    body = {"name": "我负责的", "filters": {"mine": True, "open": True}}
    saved = await world.client.post("/api/v1/issues/saved-views", json=body, headers=headers)
    assert saved.status_code == 201, saved.text
    assert saved.json()["filters"] == {"mine": True, "open": True}


async def test_a_reassignment_with_an_earlier_deadline_flags_the_subtasks_left_behind(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress")  # deadline 2026-12-31
    worker, _ = await person(world, "A", "冯十")
    lead = world.headers("unit", "A")
    made = await subtask(world, issue["id"], lead, title="整理台账", assignee_id=worker, deadline="2026-12-20")
    assert made.status_code == 201, made.text
    body = {"lead_unit_id": world.units["A"], "co_unit_ids": [world.units["B"]], "deadline": "2026-12-10"}
    moved = await world.step(issue["id"], "reassign", world.headers("office"), body)
    assert moved.status_code == 200, moved.text
    [kept] = (await world.client.get(f"/api/v1/issues/{issue['id']}/subtasks", headers=lead)).json()
    assert (kept["deadline"], kept["past_item_deadline"]) == ("2026-12-20", True)
    # It cannot be moved anywhere but within the item's new deadline.
    path = f"/api/v1/issues/{issue['id']}/subtasks/{kept['id']}"
    refused = await world.client.patch(path, json={"deadline": "2026-12-15"}, headers=lead)
    assert (refused.status_code, refused.json()["code"]) == (422, "subtask-deadline-after-issue")
    fixed = await world.client.patch(path, json={"deadline": "2026-12-10"}, headers=lead)
    assert (fixed.status_code, fixed.json()["past_item_deadline"]) == (200, False)


async def test_the_ledger_list_names_each_units_responsible_person_lead_first_without_contacts(
    world: LedgerWorld,
) -> None:
    issue = await world.issue_in("in_progress", co_units=("B",), title="list-responsible")
    other = await world.issue_in("in_progress", co_units=("B",), title="list-responsible")
    co_person, _ = await person(world, "B", "李华")
    lead_person, _ = await person(world, "A", "张明")
    assert (await name(world, issue["id"], "B", co_person, world.headers("unit", "B"))).status_code == 200
    assert (await name(world, issue["id"], "A", lead_person, world.headers("unit", "A"))).status_code == 200
    response = await world.client.get(
        "/api/v1/issues", params={"q": "list-responsible"}, headers=world.headers("unit", "B")
    )
    assert response.status_code == 200, response.text
    items = {i["id"]: i for i in response.json()["items"]}
    assert items[issue["id"]]["responsible"] == [
        {"unit_id": world.units["A"], "user_id": lead_person, "display_name": "张明"},
        {"unit_id": world.units["B"], "user_id": co_person, "display_name": "李华"},
    ]
    assert items[other["id"]]["responsible"] == []
