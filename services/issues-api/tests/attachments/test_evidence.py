"""Evidence files (佐证材料): each attachment names the step it proves; a campaign may require one with the
completion; the office lists and downloads a completion's evidence, a unit of another issue cannot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import pytest
import pytest_asyncio
from sqlalchemy import update

from issues_api.campaigns.models import Campaign
from issues_testing.ledger import LedgerWorld

pytestmark = pytest.mark.asyncio(loop_scope="module")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def upload(world: LedgerWorld, issue_id: str, name: str, step: str, headers: Any) -> Any:
    return await world.client.post(
        f"/api/v1/issues/{issue_id}/attachments?step={step}",
        files={"file": (name, PDF, "application/pdf")},
        headers=headers,
    )


@pytest_asyncio.fixture(loop_scope="module")
async def evidence_required(world: LedgerWorld) -> AsyncIterator[None]:
    """The world's campaign, as if its definition file said `require_completion_evidence: true`."""

    async def set_definition(definition: dict[str, Any] | None) -> None:
        async with world.database.session() as session:
            await session.execute(
                update(Campaign).where(Campaign.id == world.campaign_id).values(definition=definition)
            )

    await set_definition({"campaign": {"require_completion_evidence": True}})
    try:
        yield
    finally:
        await set_definition(None)


async def test_the_office_lists_and_downloads_a_completions_evidence(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress", co_units=())
    unit = world.headers("unit", "A", display_name="张科长")
    sent = await upload(world, issue["id"], "整改完成佐证.pdf", "completion", unit)
    assert sent.status_code == 201, sent.text
    await upload(world, issue["id"], "进展照片说明.pdf", "progress", unit)
    listed = await world.client.get(f"/api/v1/issues/{issue['id']}/attachments", headers=world.headers("office"))
    assert listed.status_code == 200
    rows = {a["name"]: a for a in listed.json()}
    evidence = rows["整改完成佐证.pdf"]
    assert (evidence["step"], evidence["size"], evidence["content_type"]) == ("completion", len(PDF), "application/pdf")
    assert evidence["uploaded_by"] == "unit-A"
    assert evidence["uploaded_at"] == sent.json()["uploaded_at"]
    assert rows["进展照片说明.pdf"]["step"] == "progress"
    path = f"/api/v1/issues/{issue['id']}/attachments/{evidence['id']}"
    download = await world.client.get(path, headers=world.headers("office"))
    assert download.status_code == 200
    assert download.content == PDF
    assert quote("整改完成佐证.pdf") in download.headers["content-disposition"]


async def test_a_unit_of_another_issue_gets_404(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress", co_units=())
    sent = (await upload(world, issue["id"], "佐证.pdf", "completion", world.headers("unit", "A"))).json()
    other = world.headers("unit", "C")
    listed = await world.client.get(f"/api/v1/issues/{issue['id']}/attachments", headers=other)
    download = await world.client.get(f"/api/v1/issues/{issue['id']}/attachments/{sent['id']}", headers=other)
    assert (listed.status_code, download.status_code) == (404, 404)
    # The attachment id under an issue unit C does see is no way in either.
    own = await world.issue_in("in_progress", co_units=("C",))
    sideways = await world.client.get(f"/api/v1/issues/{own['id']}/attachments/{sent['id']}", headers=other)
    assert sideways.status_code == 404


async def test_an_unknown_step_is_a_422(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress", co_units=())
    answer = await upload(world, issue["id"], "x.pdf", "closing", world.headers("unit", "A"))
    assert answer.status_code == 422


@pytest.mark.usefixtures("evidence_required")
async def test_a_campaign_requiring_evidence_refuses_a_completion_without_it(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress", co_units=())
    unit = world.headers("unit", "A")
    campaign = await world.client.get(f"/api/v1/campaigns/{world.campaign_id}", headers=world.headers("office"))
    assert campaign.json()["require_completion_evidence"] is True
    refused = await world.step(issue["id"], "submit-completion", unit, {"summary": "已整改"})
    assert refused.status_code == 409
    assert refused.json()["code"] == "evidence-required"
    assert "佐证材料" in refused.json()["title"]
    still = await world.client.get(f"/api/v1/issues/{issue['id']}", headers=unit)
    assert still.json()["status"] == "in_progress"
    # A progress photo is no proof of completion.
    await upload(world, issue["id"], "进展.pdf", "progress", unit)
    again = await world.step(issue["id"], "submit-completion", unit, {"summary": "已整改"})
    assert again.status_code == 409
    await upload(world, issue["id"], "完成佐证.pdf", "completion", unit)
    done = await world.step(issue["id"], "submit-completion", unit, {"summary": "已整改"})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "pending_review"


async def test_without_the_setting_a_completion_needs_no_file(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress", co_units=())
    done = await world.step(issue["id"], "submit-completion", world.headers("unit", "A"), {"summary": "已整改"})
    assert done.status_code == 200, done.text
