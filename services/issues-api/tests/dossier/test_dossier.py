"""The dossier zip: a Word summary with the issue's history, the timeline with hashes, and the attachments."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from docx import Document

from issues_testing.ledger import LedgerWorld

pytestmark = pytest.mark.asyncio(loop_scope="module")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def test_dossier_bundles_summary_timeline_and_attachments(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress", title="案卷测试事项")
    lead = world.headers("unit", "A")
    await world.step(issue["id"], "progress", lead, {"content": "已完成现场核查", "percent": 60})
    await world.client.post(
        f"/api/v1/issues/{issue['id']}/attachments",
        files={"file": ("核查记录.pdf", PDF, "application/pdf")},
        headers=lead,
    )
    response = await world.client.get(f"/api/v1/issues/{issue['id']}/dossier.zip", headers=lead)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(bundle.namelist()) == ["attachments/01-核查记录.pdf", "summary.docx", "timeline.json"]
    assert bundle.read("attachments/01-核查记录.pdf") == PDF
    timeline = json.loads(bundle.read("timeline.json"))
    assert [e["type"] for e in timeline][-2:] == ["issue.progress_reported", "issue.attachment_added"]
    assert all(len(e["hash"]) == 64 for e in timeline)
    document = Document(io.BytesIO(bundle.read("summary.docx")))
    text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert issue["code"] in document.paragraphs[0].text
    assert "案卷测试事项" in text
    assert "已完成现场核查" in text
    assert "issue.accepted" in text


async def test_dossier_of_another_units_issue_is_not_found(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress")
    response = await world.client.get(f"/api/v1/issues/{issue['id']}/dossier.zip", headers=world.headers("unit", "C"))
    assert response.status_code == 404
