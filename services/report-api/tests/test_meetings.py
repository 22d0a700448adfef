"""Meeting reports: frozen snapshots with the change since the last meeting, as Word and Excel."""

from __future__ import annotations

import io
from datetime import timedelta

import httpx
import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from rectify_kit.clock import FixedClock
from rectify_kit.db import Database
from rectify_kit.testing import TokenFactory
from report_testing.history import accountability_event
from report_testing.scenario import CAMPAIGN, U1, U2, Scenario, apply, build

BASE = "/api/v1/reports/meetings"


@pytest.fixture
async def scenario(database: Database) -> Scenario:
    built = build()
    await apply(database, built)
    return built


def office(tokens: TokenFactory) -> dict[str, str]:
    return dict(tokens.headers("office-1", role="office", username="office", name="领导小组办公室"))


async def create(client: httpx.AsyncClient, tokens: TokenFactory, period: str) -> dict[str, object]:
    response = await client.post(BASE, json={"campaign_id": CAMPAIGN, "period": period}, headers=office(tokens))
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


class TestMeetingSnapshots:
    async def test_snapshot_names_its_author_as_people_know_them(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        created = await create(client, tokens, "2026-09")
        assert created["created_by"] == "领导小组办公室"

    async def test_snapshot_keeps_its_figures_and_the_next_one_shows_the_change(
        self,
        client: httpx.AsyncClient,
        tokens: TokenFactory,
        database: Database,
        scenario: Scenario,
        clock: FixedClock,
    ) -> None:
        first = await create(client, tokens, "2026-09")
        clock.advance(timedelta(hours=1))
        assert (first["figures"]["total"], first["figures"]["overdue"], first["changes"]) == (7, 1, None)  # type: ignore[index]
        scenario.stories["E"].submitted("2026-10-09").closed("2026-10-09")  # E is closed after the meeting
        await apply(database, scenario, start=len(scenario.issues.events) - 2)
        second = await create(client, tokens, "2026-10")
        again = (await client.get(f"{BASE}/{first['id']}", headers=office(tokens))).json()
        assert again["figures"] == first["figures"]
        # each phase's progress as frozen, then the items without a phase
        rows = [(p["phase_name"], p["starts_on"], p["total"], p["closed"], p["overdue"]) for p in again["phases"]]
        assert rows == [
            ("自查自纠", "2026-08-01", 3, 3, 0),
            ("集中整治", "2026-09-11", 3, 0, 1),
            ("巩固提升", "2026-12-01", 0, 0, 0),
            ("", None, 1, 0, 0),
        ]
        changes = second["changes"]
        assert (changes["closed"], changes["overdue"], changes["open"], changes["closure_rate"]) == (1, -1, -1, 0.1667)  # type: ignore[index]
        listed = (await client.get(BASE, params={"campaign_id": CAMPAIGN}, headers=office(tokens))).json()
        assert [m["period"] for m in listed["items"]] == ["2026-10", "2026-09"]

    async def test_word_document_has_the_sections_charts_and_cjk_fonts(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        meeting = await create(client, tokens, "2026-09")
        response = await client.get(str(meeting["docx_url"]), headers=office(tokens))
        assert response.status_code == 200
        document = Document(io.BytesIO(response.content))
        text = "\n".join(p.text for p in document.paragraphs)
        assert "优化营商环境整改工作例会材料（2026-09）" in text
        assert "共登记问题7个，已销号3个，撤销1个，在办3个，其中逾期1个；销号率50.0%" in text
        kpi, phases, units, overdue, key = document.tables
        assert [c.text for c in phases.rows[1].cells] == ["自查自纠", "2026-08-01 ~ 2026-09-10", "3", "3", "0"]
        assert [c.text for c in kpi.rows[1].cells] == ["问题总数", "7", "首次例会"]
        assert [c.text for c in units.rows[1].cells][:2] == ["1", "政策法规处"]
        assert [c.text for c in overdue.rows[0].cells][2:4] == ["单位", "责任人"]
        assert [c.text for c in overdue.rows[1].cells][3:] == ["", "2026-09-30", "2"]  # no 责任人 named
        assert len(key.rows) == 3
        assert len(document.inline_shapes) == 2
        fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "宋体"

    async def test_excel_and_english_versions(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        meeting = await create(client, tokens, "2026-09")
        xlsx = await client.get(str(meeting["xlsx_url"]), headers=office(tokens))
        book = load_workbook(io.BytesIO(xlsx.content))
        assert book.sheetnames == ["主要指标", "分阶段进度", "单位排名", "逾期清单", "重点问题", "趋势", "约谈问责"]
        assert [c.value for c in book["主要指标"][2]] == ["问题总数", 7, None]
        english = await client.get(str(meeting["docx_url"]), params={"lang": "en"}, headers=office(tokens))
        heading = Document(io.BytesIO(english.content)).paragraphs[0].text
        assert heading == "优化营商环境: rectification meeting report (2026-09)"


class TestPhasesInTheMeeting:
    async def test_workbook_has_each_phases_dates_items_closed_and_overdue(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        meeting = await create(client, tokens, "2026-10")
        xlsx = await client.get(str(meeting["xlsx_url"]), headers=office(tokens))
        sheet = load_workbook(io.BytesIO(xlsx.content))["分阶段进度"]
        assert [[c.value for c in row] for row in sheet.iter_rows()] == [
            ["阶段", "起止日期", "问题总数", "已销号", "逾期"],
            ["自查自纠", "2026-08-01 ~ 2026-09-10", 3, 3, 0],  # A, B, C
            ["集中整治", "2026-09-11 ~ 2026-11-30", 3, 0, 1],  # D (cancelled), E (overdue), G (moved here)
            ["巩固提升", "2026-12-01 ~ 2026-12-31", 0, 0, 0],
            ["未分阶段", None, 1, 0, 0],  # F (an empty cell reads back as None)
        ]

    async def test_english_versions_name_the_phase_table_and_items_without_a_phase(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        meeting = await create(client, tokens, "2026-10")
        xlsx = await client.get(str(meeting["xlsx_url"]), params={"lang": "en"}, headers=office(tokens))
        sheet = load_workbook(io.BytesIO(xlsx.content))["Phases"]
        assert [c.value for c in sheet[1]] == ["Phase", "Dates", "Total", "Closed", "Overdue"]
        assert sheet["A5"].value == "No phase"
        docx = await client.get(str(meeting["docx_url"]), params={"lang": "en"}, headers=office(tokens))
        document = Document(io.BytesIO(docx.content))
        assert "Progress by phase" in [p.text for p in document.paragraphs]
        assert [c.text for c in document.tables[1].rows[2].cells] == [
            "集中整治", "2026-09-11 ~ 2026-11-30", "3", "0", "1"
        ]  # fmt: skip


class TestAccountabilityInTheMeeting:
    async def test_accountability_records_appear_in_the_meeting_workbook_and_document(
        self, client: httpx.AsyncClient, tokens: TokenFactory, database: Database, scenario: Scenario
    ) -> None:
        e = scenario.stories["E"]
        start = len(scenario.issues.events)
        accountability_event(scenario.issues, CAMPAIGN, U2, [e.id], "约谈", "2026-10-09", "约谈处长，限期整改")
        accountability_event(scenario.issues, "another-campaign", U1, [], "问责", "2026-10-08", "不属于本行动")
        await apply(database, scenario, start=start)
        meeting = await create(client, tokens, "2026-10")
        xlsx = await client.get(str(meeting["xlsx_url"]), headers=office(tokens))
        sheet = load_workbook(io.BytesIO(xlsx.content))["约谈问责"]
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        assert rows[0] == ["决定日期", "单位", "方式", "所涉事项", "处理结果", "文件文号"]
        assert rows[1:] == [
            ["2026-10-09", "科技合作处", "约谈", f"YS-{e.id[:6]}", "约谈处长，限期整改", "冀科督〔2026〕3号"]
        ]
        docx = await client.get(str(meeting["docx_url"]), headers=office(tokens))
        document = Document(io.BytesIO(docx.content))
        assert "约谈问责记录" in [p.text for p in document.paragraphs]
        assert [c.text for c in document.tables[-1].rows[1].cells][:3] == ["2026-10-09", "科技合作处", "约谈"]
        english = await client.get(str(meeting["xlsx_url"]), params={"lang": "en"}, headers=office(tokens))
        assert load_workbook(io.BytesIO(english.content))["Accountability"]["C2"].value == "Interview"


class TestMeetingAccess:
    async def test_unit_users_neither_create_nor_read_meeting_reports(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        unit = dict(tokens.headers("unit-1", role="unit", unit_id=U1))
        created = await client.post(BASE, json={"campaign_id": CAMPAIGN, "period": "2026-09"}, headers=unit)
        assert created.status_code == 403
        assert (await client.get(BASE, headers=unit)).status_code == 403

    async def test_unknown_meeting_is_a_404_problem(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        response = await client.get(f"{BASE}/nope.docx", headers=office(tokens))
        assert response.status_code == 404
        assert response.json()["code"] == "meeting-not-found"

    async def test_unknown_fields_are_refused(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        body = {"campaign_id": CAMPAIGN, "period": "2026-09", "extra": 1}
        assert (await client.post(BASE, json=body, headers=office(tokens))).status_code == 422

    async def test_a_campaign_id_that_is_no_id_is_a_422_problem_when_listing_or_creating(
        self, client: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        listed = await client.get(BASE, params={"campaign_id": "not-an-id"}, headers=office(tokens))
        created = await client.post(BASE, json={"campaign_id": "c1", "period": "2026-09"}, headers=office(tokens))
        for response in (listed, created):
            assert response.status_code == 422
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["errors"][0]["field"] == "campaign_id"
        assert (await client.get(BASE, headers=office(tokens))).json()["items"] == []

    @pytest.mark.parametrize("period", ["2026-13", "0", "last month", "2026-1", "2026-11-01"])
    async def test_a_period_that_is_no_month_is_refused_before_any_work(
        self, client: httpx.AsyncClient, tokens: TokenFactory, period: str
    ) -> None:
        body = {"campaign_id": CAMPAIGN, "period": period}
        response = await client.post(BASE, json=body, headers=office(tokens))
        assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "period")
        assert (await client.get(BASE, headers=office(tokens))).json()["items"] == []
