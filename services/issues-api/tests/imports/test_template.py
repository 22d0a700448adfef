"""The ledger template: columns, one sample row, drop-down lists, text never a formula, and it imports back."""

from __future__ import annotations

import io
import uuid

import pytest
from openpyxl import load_workbook

from issues_api.campaigns.models import Category
from issues_testing.ledger import LedgerWorld
from issues_testing.sheets import fill_template

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def template(world: LedgerWorld) -> bytes:
    response = await world.client.get(
        "/api/v1/issues/import/template.xlsx",
        params={"campaign_id": world.campaign_id},
        headers=world.headers("office"),
    )
    assert response.status_code == 200, response.text
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    return response.content


class TestTemplate:
    async def test_the_template_has_the_ledger_columns_and_one_sample_row(self, world: LedgerWorld) -> None:
        book = load_workbook(io.BytesIO(await template(world)))
        ledger = book.worksheets[0]
        headers = [c.value for c in ledger[1]]
        assert headers[:8] == ["序号", "问题*", "问题描述", "原因", "措施", "责任单位", "配合单位", "整改时限"]
        assert {"分类", "阶段", "来源", "类型"} <= set(headers)
        assert ledger.max_row == 2
        assert ledger.cell(row=2, column=1).value == "示例"
        assert book.properties.keywords == "rectify-campaign:YS"

    async def test_units_categories_and_phases_are_drop_down_lists(self, world: LedgerWorld) -> None:
        book = load_workbook(io.BytesIO(await template(world)))
        ledger, options = book.worksheets[0], book["选项"]
        headers = [c.value for c in ledger[1]]
        lists = {str(v.sqref).split(":")[0][0]: v.formula1 for v in ledger.data_validations.dataValidation}
        column = {name: chr(ord("A") + headers.index(name)) for name in ("责任单位", "分类", "阶段")}
        for name, letter in column.items():
            assert letter in lists, name

        def listed(letter: str) -> list[object]:
            return [c.value for c in options[letter][1:] if c.value is not None]

        assert {"单位A", "单位B", "单位C"} <= set(listed("A"))
        assert listed("B") == ["简政放权"]
        assert listed("C") == ["自查自纠阶段", "集中整治阶段"]
        assert options.sheet_state == "hidden"

    async def test_a_name_that_looks_like_a_formula_stays_text(self, world: LedgerWorld) -> None:
        async with world.database.session() as session:
            session.add(
                Category(id=str(uuid.uuid4()), campaign_id=world.campaign_id, code="EVIL", name="=1+1", position=9)
            )
        book = load_workbook(io.BytesIO(await template(world)))
        cells = [c for row in book["选项"].iter_rows() for c in row if c.value == "=1+1"]
        assert cells
        assert all(c.data_type == "s" for c in cells)

    async def test_units_may_not_download_the_office_template(self, world: LedgerWorld) -> None:
        response = await world.client.get(
            "/api/v1/issues/import/template.xlsx",
            params={"campaign_id": world.campaign_id},
            headers=world.headers("unit", "A"),
        )
        assert response.status_code == 403


class TestTemplateRoundTrip:
    async def test_a_filled_template_imports_its_rows_without_a_campaign_id(self, world: LedgerWorld) -> None:
        filled = fill_template(
            await template(world),
            [
                {"问题*": "template 审批材料多", "责任单位": "单位A", "整改时限": "2027-01-31", "来源": "督导检查"},
                {"问题*": "template 收费不公开", "原因": "制度缺失", "阶段": "集中整治阶段"},
            ],
        )
        response = await world.client.post(
            "/api/v1/issues/import",
            files={"file": ("台账模板.xlsx", filled, "application/octet-stream")},
            headers=world.headers("office"),
        )
        assert response.status_code == 201, response.text
        assert response.json()["campaign_id"] == world.campaign_id
        assert len(response.json()["created"]) == 2  # the sample row is skipped
        listed = await world.client.get(
            "/api/v1/issues", params={"q": "template ", "sort": "code"}, headers=world.headers("office")
        )
        first, second = listed.json()["items"]
        assert (first["status"], first["source"], first["deadline"]) == ("assigned", "inspection", "2027-01-31")
        assert (second["status"], second["cause"]) == ("registered", "制度缺失")
