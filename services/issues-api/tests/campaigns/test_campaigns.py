"""Campaign import and export: the definition file round trip, its tasks in the ledger, and its errors."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from issues_api.campaigns.definition import default_definition_path, load_definition
from issues_api.events.models import events
from issues_api.ledger.models import Issue
from issues_testing.tokens import Tokens

SMALL = """
campaign: {code: TS, name: 测试行动, starts_on: 2026-01-01, ends_on: 2026-12-31, escalation_policy: default}
phases:
  - {code: mobilize, name: 动员, starts_on: 2026-01-01, ends_on: 2026-01-31}
  - {code: rectify, name: 集中整治, starts_on: 2026-02-01, ends_on: 2026-10-31, concentrated: true}
categories:
  - {code: A, name: 领域A}
  - {code: A1, name: 子领域, parent: A}
units:
  - {code: TOP, name: 厅, kind: department}
  - {code: SUB, name: 处, kind: department, parent: TOP}
tasks:
  - {code: T1, title: 任务一, description: 做事, category: A1, lead_unit: SUB, co_units: [TOP], deadline: 2026-06-30}
"""
YAML_HEADERS = {"Content-Type": "application/yaml"}


async def import_yaml(client: httpx.AsyncClient, tokens: Tokens, text: str) -> httpx.Response:
    return await client.post(
        "/api/v1/campaigns/import", content=text.encode(), headers={**YAML_HEADERS, **tokens.office()}
    )


class TestImport:
    async def test_import_creates_campaign_units_and_assigned_task_items(
        self, app: FastAPI, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        response = await import_yaml(client, tokens, SMALL)
        assert response.status_code == 201, response.text
        result = response.json()
        assert (result["units_created"], result["tasks_created"]) == (2, 1)
        detail = await client.get(f"/api/v1/campaigns/{result['campaign']['id']}", headers=tokens.user("leader"))
        body = detail.json()
        assert [p["code"] for p in body["phases"]] == ["mobilize", "rectify"]
        by_code = {c["code"]: c for c in body["categories"]}
        assert by_code["A1"]["parent_id"] == by_code["A"]["id"]
        async with app.state.database.session(write=False) as session:
            issue = (await session.execute(select(Issue))).scalar_one()
            types = (await session.execute(select(events.c.type).order_by(events.c.seq))).scalars().all()
        assert (issue.kind, issue.status, str(issue.deadline)) == ("task", "assigned", "2026-06-30")
        assert [c.unit_id for c in issue.co_units] == [u["id"] for u in await units(client, tokens, "TOP")]
        assert types == ["unit.created", "unit.created", "campaign.created", "issue.created", "issue.assigned"]

    async def test_existing_units_are_reused(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        await client.post(
            "/api/v1/units", json={"code": "TOP", "name": "已有", "kind": "department"}, headers=tokens.admin()
        )
        result = (await import_yaml(client, tokens, SMALL)).json()
        assert result["units_created"] == 1
        assert (await units(client, tokens, "TOP"))[0]["name"] == "已有"

    async def test_same_campaign_code_twice_is_409(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        await import_yaml(client, tokens, SMALL)
        again = await import_yaml(client, tokens, SMALL)
        assert again.status_code == 409
        assert again.json()["code"] == "campaign-code-taken"

    async def test_definition_errors_are_a_422_naming_each_field(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        broken = SMALL.replace("lead_unit: SUB", "lead_unit: NOPE")
        response = await import_yaml(client, tokens, broken)
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["tasks[0].lead_unit"]

    async def test_multipart_upload_is_accepted(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        files = {"file": ("ts.yaml", SMALL.encode(), "application/yaml")}
        response = await client.post("/api/v1/campaigns/import", files=files, headers=tokens.office())
        assert response.status_code == 201

    async def test_unit_users_cannot_import(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        response = await client.post(
            "/api/v1/campaigns/import", content=SMALL.encode(), headers={**YAML_HEADERS, **tokens.user("unit")}
        )
        assert response.status_code == 403


class TestExport:
    async def test_the_built_in_campaign_round_trips_through_import_and_export(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        text = default_definition_path().read_text(encoding="utf-8")
        imported = await import_yaml(client, tokens, text)
        assert imported.status_code == 201, imported.text
        campaign = imported.json()["campaign"]
        assert len(campaign["phases"]) == 3
        assert len(campaign["categories"]) == 5
        exported = await client.get(f"/api/v1/campaigns/{campaign['id']}/export", headers=tokens.user("leader"))
        assert exported.headers["content-type"].startswith("application/yaml")
        assert load_definition(exported.content) == load_definition(text)
        listed = (await client.get("/api/v1/campaigns", headers=tokens.user("unit"))).json()
        assert [c["code"] for c in listed["items"]] == ["YS"]

    async def test_unknown_campaign_is_404(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        assert (await client.get("/api/v1/campaigns/nope/export", headers=tokens.office())).status_code == 404


async def units(client: httpx.AsyncClient, tokens: Tokens, code: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = (await client.get("/api/v1/units", headers=tokens.office())).json()["items"]
    return [u for u in items if u["code"] == code]
