"""Importing an Excel or CSV ledger: row errors reported by a dry run, all-or-nothing writes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from issues_testing.ledger import LedgerWorld
from issues_testing.sheets import xlsx

# On both backends: an import locks its job (FOR UPDATE), takes its numbers in one statement and writes rows in bulk.
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]


async def post_sheet(world: LedgerWorld, data: bytes, name: str, **params: Any) -> httpx.Response:
    return await world.client.post(
        "/api/v1/issues/import",
        params={"campaign_id": world.campaign_id, **params},
        files={"file": (name, data, "application/octet-stream")},
        headers=world.headers("office"),
    )


async def test_excel_rows_become_assigned_issues(world: LedgerWorld) -> None:
    data = xlsx(
        [
            ["序号", "问题", "原因", "措施", "责任单位", "配合单位", "整改时限", "分类"],
            [1, "excel-import 审批环节多", "流程冗长", "精简环节", "U-A", "U-B、U-C", "2027-03-31", "C1"],
            [2, "excel-import 收费不透明", "", "", "", "", "", ""],
        ]
    )
    response = await post_sheet(world, data, "台账.xlsx")
    assert response.status_code == 201, response.text
    assert len(response.json()["created"]) == 2
    listed = await world.client.get(
        "/api/v1/issues", params={"q": "excel-import", "sort": "code"}, headers=world.headers("office")
    )
    first, second = listed.json()["items"]
    assert (first["status"], first["lead_unit_id"], first["deadline"]) == ("assigned", world.units["A"], "2027-03-31")
    assert first["co_unit_ids"] == [world.units["B"], world.units["C"]]
    assert (first["cause"], first["category_id"]) == ("流程冗长", world.category_id)
    assert second["status"] == "registered"


async def test_dry_run_reports_row_errors_and_writes_nothing(world: LedgerWorld) -> None:
    csv_data = "问题,责任单位,整改时限\ncsv-dry 正常,U-A,2027-01-31\ncsv-dry 坏单位,无此单位,2027-01-31\n,U-A,明天\n"
    response = await post_sheet(world, csv_data.encode("utf-8-sig"), "ledger.csv", dry_run="true")
    assert response.status_code == 200
    report = response.json()
    assert report["created"] == []
    assert {(e["row"], e["field"]) for e in report["errors"]} == {(3, "lead_unit"), (4, "deadline"), (4, "title")}
    listed = await world.client.get("/api/v1/issues", params={"q": "csv-dry"}, headers=world.headers("office"))
    assert listed.json()["total"] == 0


async def test_a_sheet_with_errors_imports_nothing(world: LedgerWorld) -> None:
    csv_data = "title,lead_unit,deadline\ncsv-all-or-nothing ok,U-A,2027-01-31\ncsv-all-or-nothing bad,U-Z,2027-01-31\n"
    response = await post_sheet(world, csv_data.encode(), "ledger.csv")
    assert (response.status_code, response.json()["code"]) == (422, "import-rejected")
    listed = await world.client.get(
        "/api/v1/issues", params={"q": "csv-all-or-nothing"}, headers=world.headers("office")
    )
    assert listed.json()["total"] == 0


async def test_gbk_csv_from_chinese_excel_is_read(world: LedgerWorld) -> None:
    response = await post_sheet(world, "问题\ngbk-import 窗口排队久\n".encode("gb18030"), "ledger.csv")
    assert response.status_code == 201
    assert len(response.json()["created"]) == 1


async def test_units_cannot_import_and_a_sheet_without_titles_is_422(world: LedgerWorld) -> None:
    unit = await world.client.post(
        "/api/v1/issues/import",
        params={"campaign_id": world.campaign_id},
        files={"file": ("x.csv", b"title\nx\n", "text/csv")},
        headers=world.headers("unit", "A"),
    )
    no_title = await post_sheet(world, b"foo,bar\n1,2\n", "x.csv")
    assert unit.status_code == 403
    assert no_title.status_code == 422
