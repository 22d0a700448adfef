"""The campaign import's dry run (`?dry_run=true`): the preview of what the import would change, writing nothing."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from issues_api.campaigns.definition import default_definition_path
from issues_api.campaigns.models import Campaign
from issues_api.directory.models import Unit
from issues_api.events.models import events
from issues_api.ledger.models import Issue
from issues_testing.tokens import Tokens

DEFINITION = """
campaign: {code: DR, name: 试导入行动, starts_on: 2026-01-01, ends_on: 2026-12-31}
phases:
  - {code: mobilize, name: 动员, starts_on: 2026-01-01, ends_on: 2026-01-31}
  - {code: rectify, name: 集中整治, starts_on: 2026-02-01, ends_on: 2026-10-31, concentrated: true}
  - {code: review, name: 总结, starts_on: 2026-11-01, ends_on: 2026-12-31}
categories:
  - {code: A, name: 领域A}
  - {code: A1, name: 子领域, parent: A}
units:
  - {code: DR-TOP, name: 试厅, kind: department}
  - {code: DR-SUB, name: 试处, kind: department, parent: DR-TOP}
tasks:
  - {code: T1, title: 任务一, description: 做事, category: A1, lead_unit: DR-SUB, co_units: [DR-TOP],
     deadline: 2026-06-30}
  - {code: T2, title: 任务二, description: 再做, category: A, lead_unit: DR-TOP}
"""
YAML = {"Content-Type": "application/yaml"}


async def dry_run(client: httpx.AsyncClient, tokens: Tokens, text: str) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/campaigns/import",
        params={"dry_run": "true"},
        content=text.encode(),
        headers={**YAML, **tokens.office()},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def import_for_real(client: httpx.AsyncClient, tokens: Tokens, text: str) -> httpx.Response:
    return await client.post("/api/v1/campaigns/import", content=text.encode(), headers={**YAML, **tokens.office()})


async def row_counts(app: FastAPI) -> tuple[int, ...]:
    async with app.state.database.session(write=False) as session:
        tables = (Campaign, Unit, Issue)
        counts = [(await session.execute(select(func.count()).select_from(t))).scalar_one() for t in tables]
        counts.append((await session.execute(select(func.count()).select_from(events))).scalar_one())
    return tuple(counts)


class TestDryRun:
    async def test_a_dry_run_writes_nothing(self, app: FastAPI, client: httpx.AsyncClient, tokens: Tokens) -> None:
        before = await row_counts(app)
        body = await dry_run(client, tokens, DEFINITION)
        assert (body["dry_run"], body["importable"], body["units_to_create"], body["tasks_to_create"]) == (
            True, True, 2, 2,
        )  # fmt: skip
        assert await row_counts(app) == before

    async def test_preview_lists_the_campaign_phases_categories_and_tasks(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        body = await dry_run(client, tokens, DEFINITION)
        campaign = body["campaign"]
        assert (campaign["code"], campaign["name"], campaign["ends_on"], campaign["code_taken"]) == (
            "DR", "试导入行动", "2026-12-31", False,
        )  # fmt: skip
        assert [(p["code"], p["concentrated"]) for p in body["phases"]] == [
            ("mobilize", False), ("rectify", True), ("review", False),
        ]  # fmt: skip
        assert [(c["code"], c["parent"]) for c in body["categories"]] == [("A", None), ("A1", "A")]
        first, second = body["tasks"]
        assert (first["title"], first["lead_unit"], first["co_units"]) == (
            "任务一", {"code": "DR-SUB", "name": "试处"}, [{"code": "DR-TOP", "name": "试厅"}],
        )  # fmt: skip
        assert (first["deadline"], first["phase"], first["category_name"]) == ("2026-06-30", "rectify", "子领域")
        # No deadline: the campaign's end, and the phase that end falls in.
        assert (second["deadline"], second["phase"], second["phase_name"]) == ("2026-12-31", "review", "总结")

    async def test_units_with_an_existing_code_are_matched_not_created(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        made = await client.post(
            "/api/v1/units", json={"code": "DR-TOP", "name": "已有的厅", "kind": "department"}, headers=tokens.admin()
        )
        body = await dry_run(client, tokens, DEFINITION)
        units = {u["code"]: u for u in body["units"]}
        assert (units["DR-TOP"]["action"], units["DR-TOP"]["existing_id"]) == ("match", made.json()["id"])
        assert units["DR-TOP"]["existing_name"] == "已有的厅"
        assert (units["DR-SUB"]["action"], units["DR-SUB"]["existing_id"]) == ("create", None)
        assert (body["units_to_create"], body["units_matched"]) == (1, 1)
        # Items show the existing unit's own name: the import reuses it as it is.
        assert body["tasks"][0]["co_units"] == [{"code": "DR-TOP", "name": "已有的厅"}]

    async def test_a_taken_campaign_code_is_shown_as_the_409_it_would_be(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        first = (await import_for_real(client, tokens, DEFINITION)).json()
        body = await dry_run(client, tokens, DEFINITION)
        assert (body["campaign"]["code_taken"], body["campaign"]["existing_campaign_id"]) == (
            True, first["campaign"]["id"],
        )  # fmt: skip
        assert (body["importable"], body["problems"]) == (False, [])
        assert all(u["action"] == "match" for u in body["units"])
        assert (await import_for_real(client, tokens, DEFINITION)).status_code == 409


class TestDryRunProblems:
    async def test_reference_problems_are_those_of_the_422_with_the_rows_still_shown(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        broken = DEFINITION.replace("lead_unit: DR-SUB", "lead_unit: NOPE").replace("category: A,", "category: Z,")
        body = await dry_run(client, tokens, broken)
        refused = await import_for_real(client, tokens, broken)
        assert refused.status_code == 422
        assert body["problems"] == [{"field": e["field"], "message": e["message"]} for e in refused.json()["errors"]]
        assert [p["field"] for p in body["problems"]] == ["tasks[0].lead_unit", "tasks[1].category"]
        assert body["importable"] is False
        assert [(t["index"], t["lead_unit"]) for t in body["tasks"]] == [
            (0, {"code": "NOPE", "name": None}), (1, {"code": "DR-TOP", "name": "试厅"}),
        ]  # fmt: skip

    async def test_an_entry_invalid_on_its_own_is_left_out_and_the_rest_keeps_its_position(
        self, app: FastAPI, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        broken = DEFINITION.replace("title: 任务一, ", "").replace("kind: department, parent", "kind: ministry, parent")
        before = await row_counts(app)
        body = await dry_run(client, tokens, broken)
        assert sorted(p["field"] for p in body["problems"]) == ["tasks[0].title", "units[1].kind"]
        assert [t["index"] for t in body["tasks"]] == [1]
        assert [u["code"] for u in body["units"]] == ["DR-TOP"]
        assert (body["campaign"]["code"], len(body["phases"])) == ("DR", 3)
        assert await row_counts(app) == before

    async def test_a_title_longer_than_an_items_is_a_problem_before_anything_is_written(
        self, app: FastAPI, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        broken = DEFINITION.replace("title: 任务二", f"title: {'长' * 301}")
        body = await dry_run(client, tokens, broken)
        assert [p["field"] for p in body["problems"]] == ["tasks[1].title"]
        before = await row_counts(app)
        refused = await import_for_real(client, tokens, broken)
        assert [e["field"] for e in refused.json()["errors"]] == ["tasks[1].title"]
        assert await row_counts(app) == before

    async def test_a_file_that_is_not_yaml_is_previewed_as_its_one_problem(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        body = await dry_run(client, tokens, "campaign: [not closed")
        assert (body["campaign"], body["units"], body["tasks"], body["importable"]) == (None, [], [], False)
        assert [p["field"] for p in body["problems"]] == [""]
        assert "YAML" in body["problems"][0]["message"]


class TestImportAfterDryRun:
    async def test_the_import_does_what_the_preview_said(
        self, app: FastAPI, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        await client.post(
            "/api/v1/units", json={"code": "DR-TOP", "name": "已有的厅", "kind": "department"}, headers=tokens.admin()
        )
        preview = await dry_run(client, tokens, DEFINITION)
        response = await import_for_real(client, tokens, DEFINITION)
        assert response.status_code == 201, response.text
        result = response.json()
        assert (result["units_created"], result["tasks_created"]) == (
            preview["units_to_create"], preview["tasks_to_create"],
        )  # fmt: skip
        phases = {p["id"]: p["code"] for p in result["campaign"]["phases"]}
        async with app.state.database.session(write=False) as session:
            issues = (await session.execute(select(Issue).order_by(Issue.title))).scalars().all()
            unit_names = {u.id: u.name for u in (await session.execute(select(Unit))).scalars()}
            made = [(i.title, unit_names[i.lead_unit_id], str(i.deadline), phases[i.phase_id]) for i in issues]
        said = [(t["title"], t["lead_unit"]["name"], t["deadline"], t["phase"]) for t in preview["tasks"]]
        assert sorted(made) == sorted(said)

    async def test_the_built_in_campaign_previews_as_importable(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        body = await dry_run(client, tokens, default_definition_path().read_text(encoding="utf-8"))
        assert (body["importable"], body["problems"], body["campaign"]["code"]) == (True, [], "YS")
        assert body["units_to_create"] == len(body["units"]) > 0
        assert all(t["lead_unit"]["name"] for t in body["tasks"])


class TestDryRunAccess:
    async def test_a_unit_user_cannot_dry_run(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        response = await client.post(
            "/api/v1/campaigns/import",
            params={"dry_run": "true"},
            content=DEFINITION.encode(),
            headers={**YAML, **tokens.user("unit", unit_id="u-1")},
        )
        assert response.status_code == 403

    async def test_a_multipart_upload_can_be_dry_run(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        response = await client.post(
            "/api/v1/campaigns/import",
            params={"dry_run": "true"},
            files={"file": ("试导入.yaml", DEFINITION.encode(), "application/yaml")},
            headers=tokens.office(),
        )
        assert (response.status_code, response.json()["tasks_to_create"]) == (200, 2)
