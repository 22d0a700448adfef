"""责任人 in the read model: the overdue list names the lead unit's responsible person as `issue.responsible_named`
carried it; a co-unit's person is not the lead's, and a new lead unit starts with none named."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from rectify_kit.db import Database
from rectify_kit.testing import TokenFactory
from report_api.readmodel.service import apply_issues_page
from report_testing.history import Feed, IssueStory

from .conftest import MakeApp

# On both backends: the read model is written by each dialect's upserts.
pytestmark = [pytest.mark.asyncio, pytest.mark.both_backends]


async def overdue_people(
    make_app: MakeApp, database: Database, tmp_path: Path, tokens: TokenFactory
) -> dict[str, str | None]:
    app = make_app(database, tmp_path)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://report") as http:
        headers = tokens.headers("office-1", role="office")
        body = (await http.get("/api/v1/reports/overdue", headers=headers)).json()
    return {item["code"]: item["responsible_name"] for item in body["items"]}


async def test_the_overdue_list_names_the_lead_units_responsible_person(
    make_app: MakeApp, database: Database, tmp_path: Path, tokens: TokenFactory
) -> None:
    feed = Feed()
    named = IssueStory(feed, "c1").created("2026-09-01", code="A").assigned("2026-09-01", "U1", "2026-09-30", ("U2",))
    named.responsible("2026-09-02", "U2", "李华").responsible("2026-09-03", "U1", "张明").progress(
        "2026-09-04", "推进", 30
    )
    moved = IssueStory(feed, "c1").created("2026-09-01", code="B").assigned("2026-09-01", "U1", "2026-09-30")
    moved.responsible("2026-09-02", "U1", "王芳").reassigned("2026-09-03", "U3")
    cleared = IssueStory(feed, "c1").created("2026-09-01", code="C").assigned("2026-09-01", "U1", "2026-09-30")
    cleared.responsible("2026-09-02", "U1", "赵六").responsible("2026-09-03", "U1", None)
    for start in range(0, len(feed.events), 4):  # pages that split the stories
        async with database.session() as session:
            await apply_issues_page(session, feed.events[start : start + 4])
    assert await overdue_people(make_app, database, tmp_path, tokens) == {"A": "张明", "B": None, "C": None}
