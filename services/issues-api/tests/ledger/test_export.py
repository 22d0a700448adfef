"""导出台账: the Excel file holds exactly what the list's filters select, in the list's order, per caller."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import pytest
from openpyxl import load_workbook

from issues_testing.ledger import LedgerWorld

# On both backends: the export reads through the list's SQL, which differs by dialect (`= ANY`, ILIKE).
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]


async def export(world: LedgerWorld, headers: Mapping[str, str], **params: Any) -> list[list[Any]]:
    response = await world.client.get("/api/v1/issues/export.xlsx", params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content))["台账"]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def listed_codes(world: LedgerWorld, headers: Mapping[str, str], **params: Any) -> list[str]:
    response = await world.client.get("/api/v1/issues", params={**params, "limit": 200}, headers=headers)
    assert response.status_code == 200, response.text
    return [i["code"] for i in response.json()["items"]]


async def test_the_file_holds_exactly_the_filtered_list_in_its_order(world: LedgerWorld) -> None:
    open_ = await world.issue_in("in_progress", title="export-a", category_id=world.category_id)
    await world.issue_in("closed", title="export-a")
    await world.issue_in("registered", title="export-a")
    await world.create_issue(title='=HYPERLINK("x") export-a')
    await world.create_issue(title="not in the file")
    office = world.headers("office")
    cases: list[dict[str, Any]] = [
        {"q": "export-a"},
        {"q": "export-a", "status": ["in_progress", "closed"], "sort": "code"},
        {"q": "export-a", "open": "true", "sort": "urgency"},
        {"q": "export-a", "unit_id": world.units["B"], "category_id": world.category_id},
        {"q": "export-a", "deadline_from": "2026-12-01", "deadline_to": "2026-12-31", "source": "inspection"},
        {"q": "export-a", "overdue": "true"},
        {"q": open_["code"]},
    ]
    for params in cases:
        rows = await export(world, office, **params)
        assert rows[0][:4] == ["编号", "问题", "状态", "责任单位"]
        assert [r[0] for r in rows[1:]] == await listed_codes(world, office, **params), params
    rows = await export(world, office, q=open_["code"])
    assert rows[1][1:5] == ["export-a", "办理中", "单位A", "单位B"]
    assert rows[1][5] is None  # 责任人: none named yet (an empty cell)
    assert rows[1][6] == "简政放权"
    formula = await export(world, office, q="HYPERLINK")
    assert formula[1][1] == '=HYPERLINK("x") export-a'  # kept as text, not run as a formula


async def test_a_unit_exports_only_its_own_items(world: LedgerWorld) -> None:
    await world.issue_in("assigned", title="export-scope", co_units=())
    unit_c = await export(world, world.headers("unit", "C"), q="export-scope")
    unit_a = await export(world, world.headers("unit", "A"), q="export-scope")
    assert len(unit_c) == 1  # the header only
    assert len(unit_a) == 2


async def test_a_bad_filter_is_a_problem(world: LedgerWorld) -> None:
    for params in ({"sort": "title"}, {"status": "done"}, {"deadline_from": "2026-12-31", "deadline_to": "2026-12-01"}):
        response = await world.client.get("/api/v1/issues/export.xlsx", params=params, headers=world.headers("office"))
        assert response.status_code == 422, params
        assert response.headers["content-type"].startswith("application/problem+json")
    anonymous = await world.client.get("/api/v1/issues/export.xlsx")
    assert anonymous.status_code == 401


async def test_more_items_than_a_sheet_should_hold_is_refused(
    world: LedgerWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from issues_api.ledger import export as export_module

    for _ in range(3):
        await world.create_issue(title="export-many")
    monkeypatch.setattr(export_module, "MAX_ROWS", 2)
    response = await world.client.get(
        "/api/v1/issues/export.xlsx", params={"q": "export-many"}, headers=world.headers("office")
    )
    assert response.status_code == 422
    assert response.json()["code"] == "export-too-large"
    assert response.json()["total"] == 3
