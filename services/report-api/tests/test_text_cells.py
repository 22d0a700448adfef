"""Text from users never becomes a formula in an exported workbook (CSV/formula injection)."""

from __future__ import annotations

import io
import re
import zipfile

import httpx
import pytest
from openpyxl import load_workbook

from rectify_kit.db import Database
from rectify_kit.testing import TokenFactory
from report_api.readmodel.feeds import escalations_consumer, issues_consumer
from report_testing.history import Feed, IssueStory, campaign_event, unit_event
from report_testing.rebuild import NoSource
from report_testing.scenario import CAMPAIGN, K1, U1

LINK = '=HYPERLINK("http://evil.example/x","点击查看详情")'
OFFICE = {"sub": "office-1", "role": "office", "username": "office"}


@pytest.fixture
async def overdue_public_issue(database: Database) -> None:
    """An accepted public submission titled like a formula, past its deadline on the test day (2026-10-09)."""
    feed = Feed()
    unit_event(feed, U1, "KJT-A", "政策法规处")
    campaign_event(feed, CAMPAIGN, {K1: "审批服务"})
    story = IssueStory(feed, CAMPAIGN, category_id=K1, source="public", title=LINK)
    story.created("2026-09-01").assigned("2026-09-02", U1, "2026-09-20").accepted("2026-09-03")
    story.progress("2026-09-05", "+cmd|' /C calc'!A0", 10)
    await issues_consumer(database, NoSource()).apply(feed.page())
    await escalations_consumer(database, NoSource()).apply(Feed().page())


def formulas(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        return [m for n in sheets for m in re.findall(r"<f[ >].*?</f>", archive.read(n).decode())]


def cell_texts(content: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(content))
    return {str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value}


@pytest.mark.usefixtures("overdue_public_issue")
class TestTextCells:
    async def test_meeting_workbook_keeps_a_formula_like_title_as_text(
        self, client: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        headers = tokens.headers(**OFFICE)
        meeting = await client.post(
            "/api/v1/reports/meetings", json={"campaign_id": CAMPAIGN, "period": "2026-09"}, headers=headers
        )
        assert meeting.status_code == 201, meeting.text
        xlsx = await client.get(meeting.json()["xlsx_url"], headers=headers)
        assert xlsx.status_code == 200
        assert formulas(xlsx.content) == []
        assert LINK in cell_texts(xlsx.content)  # the overdue list shows the title as the submitter wrote it

    async def test_ledger_export_keeps_a_formula_like_title_as_text(
        self, client: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        xlsx = await client.get("/api/v1/reports/ledger.xlsx", headers=tokens.headers(**OFFICE))
        assert xlsx.status_code == 200
        assert formulas(xlsx.content) == []
        assert LINK in cell_texts(xlsx.content)
