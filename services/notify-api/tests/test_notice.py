"""The numbered notices (督办通知书, 通报) as Word documents: what they say and who may download them."""

from __future__ import annotations

import io
from datetime import UTC, date

import httpx
import pytest
from docx import Document
from docx.oxml.ns import qn

from notify_testing.world import World, issue, local

# On both backends: notice numbers come from an upsert of each dialect (ON CONFLICT DO NOTHING).
pytestmark = pytest.mark.both_backends


async def fire_backfilled(world: World) -> None:
    """Assign issue-1 on 14 October 2026 with a deadline of 30 September: T+5 (level 3, 通报) fires at once."""
    world.clock.set(local(2026, 10, 14, 10).astimezone(UTC))
    await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 9, 30))})
    await world.tick()


def text_of(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


class TestNoticeDocument:
    async def test_the_notice_opens_in_word_with_its_number_and_issue(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        await fire_backfilled(world)
        [notice] = (await client.get("/api/v1/escalations", headers=world.headers("u-office"))).json()["items"]
        answer = await client.get(f"/api/v1/escalations/{notice['id']}/notice.docx", headers=world.headers("u-a"))
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
        assert "filename*=UTF-8''%E9%80%9A%E6%8A%A5" in answer.headers["content-disposition"]  # 通报
        text = text_of(answer.content)
        assert notice["number"] == "督〔2026〕1号"
        assert "通报" in text
        assert notice["number"] in text
        assert "YS-2026-0001" in text
        assert "审批超时" in text
        assert "2026年9月30日" in text
        assert "处室A承办" in text

    async def test_its_styles_name_a_chinese_font(self, world: World, client: httpx.AsyncClient) -> None:
        await fire_backfilled(world)
        [notice] = (await client.get("/api/v1/escalations", headers=world.headers("u-office"))).json()["items"]
        path = f"/api/v1/escalations/{notice['id']}/notice.docx"
        data = (await client.get(path, headers=world.headers("u-a"))).content
        normal = Document(io.BytesIO(data)).styles["Normal"].element.rPr.rFonts
        assert normal.get(qn("w:eastAsia")) == "仿宋"

    async def test_another_unit_gets_404_and_leaders_read_it(self, world: World, client: httpx.AsyncClient) -> None:
        await fire_backfilled(world)
        [notice] = (await client.get("/api/v1/escalations", headers=world.headers("u-office"))).json()["items"]
        path = f"/api/v1/escalations/{notice['id']}/notice.docx"
        assert (await client.get(path, headers=world.headers("u-c"))).status_code == 404
        assert (await client.get(path, headers=world.headers("u-leader"))).status_code == 200
        assert (await client.get(path)).status_code == 401
        missing = await client.get("/api/v1/escalations/nope/notice.docx", headers=world.headers("u-office"))
        assert missing.json()["code"] == "escalation-not-found"

    async def test_a_reminder_has_no_notice(self, world: World, client: httpx.AsyncClient) -> None:
        world.clock.set(local(2026, 9, 22, 10).astimezone(UTC))
        await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 9, 30))})
        world.clock.set(local(2026, 9, 24, 9).astimezone(UTC))
        await world.tick()
        [reminder, *_] = (await client.get("/api/v1/escalations?level=0", headers=world.headers("u-a"))).json()["items"]
        answer = await client.get(f"/api/v1/escalations/{reminder['id']}/notice.docx", headers=world.headers("u-a"))
        assert answer.status_code == 409
        assert answer.json()["code"] == "escalation-without-notice"
