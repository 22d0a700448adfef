"""自查自纠 批量录入: a unit files many rows of its own list at once (pasted from Excel, or a sheet); they all wait
in `registered` on that unit's list, bad rows are reported row by row with nothing written, rows filed before are
not filed again, and a row naming another unit stays on the filing unit's list."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from issues_testing.ledger import LedgerWorld
from issues_testing.sheets import fill_template, xlsx

# On both backends: the rows are written in bulk (Core inserts) and checked against earlier ones in SQL.
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]
PATH = "/api/v1/issues/self-inspection/batch"
HEADER = "问题\t原因\t措施\t分类"


def pasted(*rows: str) -> bytes:
    """Rows as Excel puts them on the clipboard (tab-separated), under the header the web page adds."""
    return "\n".join([HEADER, *rows]).encode()


async def send(
    world: LedgerWorld, data: bytes, headers: Mapping[str, str], name: str = "粘贴.tsv", **params: Any
) -> httpx.Response:
    return await world.client.post(
        PATH,
        params={"campaign_id": world.campaign_id, **params},
        files={"file": (name, data, "application/octet-stream")},
        headers=headers,
    )


async def listed(world: LedgerWorld, q: str, headers: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    answer = await world.client.get(
        "/api/v1/issues", params={"q": q, "sort": "code", "limit": 100}, headers=headers or world.headers("office")
    )
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def test_a_unit_files_n_rows_and_they_all_wait_on_its_own_list(world: LedgerWorld) -> None:
    unit = world.headers("unit", "A")
    rows = [f"batch-n 问题{i}\t原因{i}\t措施{i}\t{'简政放权' if i % 2 else ''}" for i in range(1, 8)]
    answer = await send(world, pasted(*rows), unit)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["rows"], len(body["created"]), body["existing"], body["unit_id"]) == (7, 7, 0, world.units["A"])
    items = await listed(world, "batch-n ", unit)
    assert [i["code"] for i in items] == sorted(body["created"])
    assert {(i["status"], i["source"], i["lead_unit_id"]) for i in items} == {
        ("registered", "self_inspection", world.units["A"])
    }
    first = next(i for i in items if i["title"] == "batch-n 问题1")
    detail = (await world.client.get(f"/api/v1/issues/{first['id']}", headers=unit)).json()
    assert (detail["cause"], detail["measures"], detail["category_id"]) == ("原因1", "措施1", world.category_id)
    for item in items:  # each waits for the office, as one filed alone does
        review = await world.client.get(f"/api/v1/issues/{item['id']}/self-inspection", headers=world.headers("office"))
        assert (review.status_code, review.json()["status"], review.json()["unit_id"]) == (
            200,
            "pending",
            world.units["A"],
        )
    assert await listed(world, "batch-n ", world.headers("unit", "B")) == []
    confirmed = await world.client.post(
        f"/api/v1/issues/{first['id']}/self-inspection/confirm", json={}, headers=world.headers("office")
    )
    assert (confirmed.status_code, confirmed.json()["lead_unit_id"]) == (200, world.units["A"])


async def test_bad_rows_give_exact_row_errors_and_the_preview_writes_nothing(world: LedgerWorld) -> None:
    unit = world.headers("unit", "A")
    data = pasted(
        "batch-bad 好的一行\t原因\t措施\t",
        "batch-bad 缺措施\t原因\t\t",
        "\t原因\t措施\t",
        "batch-bad 坏分类\t原因\t措施\t无此分类",
    )
    answer = await send(world, data, unit, dry_run="true")
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert sorted((e["row"], e["field"]) for e in report["errors"]) == [(3, "measures"), (4, "title"), (5, "category")]
    assert next(e for e in report["errors"] if e["row"] == 3)["message"] == "须填写整改措施"
    assert [(p["row"], p["state"]) for p in report["preview"]] == [
        (2, "new"),
        (3, "invalid"),
        (4, "invalid"),
        (5, "invalid"),
    ]
    assert (report["preview"][0]["cause"], report["preview"][0]["measures"]) == ("原因", "措施")
    assert report["created"] == []
    assert await listed(world, "batch-bad") == []
    written = await send(world, data, unit)
    assert (written.status_code, written.json()["code"]) == (422, "import-rejected")
    assert sorted(r["row"] for r in written.json()["rows"]) == [3, 4, 5]
    assert await listed(world, "batch-bad") == []


async def test_the_same_rows_again_create_nothing_new(world: LedgerWorld) -> None:
    unit = world.headers("unit", "A")
    data = pasted("batch-twice 一\t原因\t措施\t", "batch-twice 二\t原因\t措施\t")
    first = await send(world, data, unit)
    assert (len(first.json()["created"]), first.json()["existing"]) == (2, 0)
    preview = (await send(world, data, unit, dry_run="true")).json()
    assert [p["state"] for p in preview["preview"]] == ["existing", "existing"]
    second = await send(world, data, unit)
    assert (second.status_code, second.json()["created"], second.json()["existing"]) == (201, [], 2)
    assert len(await listed(world, "batch-twice")) == 2


async def test_another_units_words_are_another_units_own_item(world: LedgerWorld) -> None:
    """The same row filed by two units is two items: one unit's rows never count as another's."""
    data = pasted("batch-both 同样的问题\t原因\t措施\t")
    a = await send(world, data, world.headers("unit", "A"))
    b = await send(world, data, world.headers("unit", "B"))
    assert (len(a.json()["created"]), len(b.json()["created"]), b.json()["existing"]) == (1, 1, 0)
    assert {i["lead_unit_id"] for i in await listed(world, "batch-both")} == {world.units["A"], world.units["B"]}


async def test_a_row_naming_another_unit_stays_on_the_filing_units_list(world: LedgerWorld) -> None:
    lines = ["问题,原因,措施,责任单位,配合单位,整改时限,来源", "batch-other 行,因,措,单位B,单位C,2027-01-31,督导检查"]
    csv_data = "\n".join(lines)
    answer = await send(world, csv_data.encode(), world.headers("unit", "A"), name="list.csv")
    assert answer.status_code == 201, answer.text
    (item,) = await listed(world, "batch-other")
    assert (item["lead_unit_id"], item["status"], item["source"], item["deadline"]) == (
        world.units["A"],
        "registered",
        "self_inspection",
        None,
    )
    assert item["co_unit_ids"] == []
    assert await listed(world, "batch-other", world.headers("unit", "B")) == []


async def test_a_unit_naming_another_unit_is_refused_before_its_file_is_read(world: LedgerWorld) -> None:
    data = pasted("batch-refused 行\t原因\t措施\t")
    answer = await send(world, data, world.headers("unit", "A"), unit_id=world.units["B"])
    assert (answer.status_code, answer.json()["code"]) == (403, "not-own-unit")
    assert (await send(world, data, world.headers("leader"))).status_code == 403
    no_unit = await send(world, data, world.headers("office"))
    assert (no_unit.status_code, no_unit.json()["code"]) == (422, "invalid-reference")
    assert await listed(world, "batch-refused") == []
    office = await send(world, data, world.headers("office"), unit_id=world.units["C"])
    assert (office.status_code, office.json()["unit_id"]) == (201, world.units["C"])


async def test_a_filled_in_unit_template_files_its_rows(world: LedgerWorld) -> None:
    unit = world.headers("unit", "B")
    got = await world.client.get(
        "/api/v1/issues/self-inspection/template.xlsx", params={"campaign_id": world.campaign_id}, headers=unit
    )
    assert got.status_code == 200, got.text
    headers = [c.value for c in load_workbook(io.BytesIO(got.content)).worksheets[0][1]]
    assert headers[:5] == ["序号", "问题*", "问题描述", "原因", "措施"]
    assert not {"责任单位", "配合单位", "整改时限"} & set(headers)
    filled = fill_template(
        got.content,
        [
            {"序号": 1, "问题*": "batch-template 一", "原因": "因", "措施": "措", "阶段": "自查自纠阶段"},
            {"序号": 2, "问题*": "batch-template 二", "原因": "因", "措施": "措"},
        ],
    )
    answer = await world.client.post(
        PATH, files={"file": ("自查清单.xlsx", filled, "application/octet-stream")}, headers=unit
    )
    assert answer.status_code == 201, answer.text
    assert (answer.json()["rows"], len(answer.json()["created"])) == (2, 2)
    assert (await world.client.get(got.request.url.path, headers=world.headers("leader"))).status_code == 403


async def test_an_excel_sheet_and_an_unreadable_file(world: LedgerWorld) -> None:
    unit = world.headers("unit", "C")
    data = xlsx([["问题", "原因", "措施"], ["batch-xlsx 行", "原因", "措施"]])
    answer = await send(world, data, unit, name="清单.xlsx")
    assert (answer.status_code, len(answer.json()["created"])) == (201, 1)
    broken = await send(world, b"PK\x03\x04 not a zip", unit, name="x.xlsx")
    assert (broken.status_code, broken.json()["code"]) == (422, "unreadable-ledger")
