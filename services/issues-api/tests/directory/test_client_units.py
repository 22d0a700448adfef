"""Integration clients bound to units work the ledger for those units (scope issues:act), and only for them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI

from issues_testing import campaigns
from issues_testing.tokens import Tokens, post_ok
from rectify_kit.auth import decode_token


async def seed_campaign(app: FastAPI) -> str:
    return await campaigns.seed_campaign(app.state.database, datetime.now(UTC))


async def unit(client: httpx.AsyncClient, tokens: Tokens, code: str) -> str:
    created = await post_ok(
        client, "/api/v1/units", {"code": code, "name": f"单位{code}", "kind": "city"}, tokens.admin()
    )
    return str(created["id"])


async def system_of_sjz(client: httpx.AsyncClient, tokens: Tokens) -> tuple[str, str, dict[str, str]]:
    """Units SJZ and BD, and the bearer headers of 石家庄市政务平台, a client bound to SJZ: (sjz, bd, headers)."""
    sjz, bd = await unit(client, tokens, "SJZ"), await unit(client, tokens, "BD")
    body = {"id": "sjz-gov", "name": "石家庄市政务平台", "scopes": ["issues:act"], "unit_ids": [sjz]}
    secret = (await post_ok(client, "/api/v1/clients", body, tokens.admin()))["client_secret"]
    return sjz, bd, await client_token(client, "sjz-gov", secret)


async def client_token(client: httpx.AsyncClient, client_id: str, secret: str) -> dict[str, str]:
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    answer = await client.post("/api/v1/auth/token", data=form)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def assigned_issue(
    client: httpx.AsyncClient, tokens: Tokens, campaign_id: str, lead_unit_id: str, co_unit_ids: list[str] | None = None
) -> str:
    body = {"campaign_id": campaign_id, "title": "审批超时", "description": "材料重复提交", "kind": "problem"}
    issue = await post_ok(client, "/api/v1/issues", {**body, "source": "inspection"}, tokens.office())
    assign = {"lead_unit_id": lead_unit_id, "co_unit_ids": co_unit_ids or [], "deadline": "2026-12-31"}
    await post_ok(client, f"/api/v1/issues/{issue['id']}/assign", assign, tokens.office())
    return str(issue["id"])


class TestBoundClient:
    async def test_binding_is_set_by_the_admin_and_carried_in_the_token(
        self, app: FastAPI, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        sjz, bd = await unit(client, tokens, "SJZ"), await unit(client, tokens, "BD")
        body = {"id": "sjz-gov", "name": "石家庄市政务平台", "scopes": ["issues:act"], "unit_ids": [sjz]}
        created = await post_ok(client, "/api/v1/clients", body, tokens.admin())
        assert created["unit_ids"] == [sjz]
        changed = await client.patch("/api/v1/clients/sjz-gov", json={"unit_ids": [sjz, bd]}, headers=tokens.admin())
        assert changed.json()["unit_ids"] == [sjz, bd]
        headers = await client_token(client, "sjz-gov", created["client_secret"])
        jwks = (await client.get("/.well-known/jwks.json")).json()
        claims = decode_token(headers["Authorization"][7:], key=jwks["keys"][0], issuer="rectify", audience="rectify")
        assert claims["unit_ids"] == [sjz, bd]

    async def test_an_unknown_unit_cannot_be_bound(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        body = {"id": "x", "name": "X", "scopes": ["issues:act"], "unit_ids": ["no-such-unit"]}
        answer = await client.post("/api/v1/clients", json=body, headers=tokens.admin())
        assert (answer.status_code, answer.json()["errors"][0]["field"]) == (422, "unit_ids")

    async def test_accepts_and_completes_its_units_issue_and_is_refused_another(
        self, app: FastAPI, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        campaign_id = await seed_campaign(app)
        sjz, bd, system = await system_of_sjz(client, tokens)
        own = await assigned_issue(client, tokens, campaign_id, sjz)
        other = await assigned_issue(client, tokens, campaign_id, bd)

        steps: list[tuple[str, dict[str, Any]]] = [
            ("accept", {}),
            ("progress", {"content": "已排查", "percent": 60}),
            ("submit-completion", {"summary": "已整改完毕"}),
        ]
        for path, step_body in steps:
            answer = await client.post(f"/api/v1/issues/{own}/{path}", json=step_body, headers=system)
            assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == "pending_review"
        timeline = (await client.get(f"/api/v1/issues/{own}/timeline", headers=system)).json()["items"]
        accepted = next(e for e in timeline if e["type"] == "issue.accepted")
        assert accepted["actor"]["display_name"] == "石家庄市政务平台"
        assert accepted["actor"]["role"] == "integration"

        refused = await client.post(f"/api/v1/issues/{other}/accept", json={}, headers=system)
        assert (refused.status_code, refused.json()["code"]) == (403, "not-lead-unit")

    async def test_returns_asks_for_more_time_and_gives_its_co_unit_part_each_named_for_the_system(
        self, app: FastAPI, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        campaign_id = await seed_campaign(app)
        sjz, bd, system = await system_of_sjz(client, tokens)

        returned = await assigned_issue(client, tokens, campaign_id, sjz)
        answer = await client.post(f"/api/v1/issues/{returned}/return", json={"reason": "不属本市职责"}, headers=system)
        assert (answer.status_code, answer.json()["status"]) == (200, "returned")

        extended = await assigned_issue(client, tokens, campaign_id, sjz)
        assert (await client.post(f"/api/v1/issues/{extended}/accept", json={}, headers=system)).status_code == 200
        wish = {"new_deadline": "2027-01-31", "reason": "涉及系统改造"}
        answer = await client.post(f"/api/v1/issues/{extended}/extension-requests", json=wish, headers=system)
        assert (answer.status_code, answer.json()["status"]) == (201, "pending"), answer.text

        shared = await assigned_issue(client, tokens, campaign_id, bd, [sjz])
        part = f"/api/v1/issues/{shared}/co-units/{sjz}"
        assert (await client.post(f"{part}/accept", json={}, headers=system)).status_code == 200
        answer = await client.post(f"{part}/contribution", json={"content": "已提供本市数据"}, headers=system)
        assert answer.status_code == 200, answer.text
        refused = await client.post(f"/api/v1/issues/{shared}/accept", json={}, headers=system)
        assert refused.status_code == 403

        for issue_id, kind in [
            (returned, "issue.returned"),
            (extended, "issue.extension_requested"),
            (shared, "issue.co_unit_contributed"),
        ]:
            timeline = (await client.get(f"/api/v1/issues/{issue_id}/timeline", headers=tokens.office())).json()
            [step] = [e for e in timeline["items"] if e["type"] == kind]
            assert (step["actor"]["kind"], step["actor"]["display_name"]) == ("client", "石家庄市政务平台"), kind

    async def test_a_token_is_void_once_its_unit_is_unbound(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        sjz = await unit(client, tokens, "SJZ")
        body = {"id": "sjz-gov", "name": "石家庄市政务平台", "scopes": ["issues:act"], "unit_ids": [sjz]}
        secret = (await post_ok(client, "/api/v1/clients", body, tokens.admin()))["client_secret"]
        system = await client_token(client, "sjz-gov", secret)
        await client.patch("/api/v1/clients/sjz-gov", json={"unit_ids": []}, headers=tokens.admin())
        answer = await client.get("/api/v1/issues", headers=system)
        assert (answer.status_code, answer.json()["code"]) == (401, "invalid-token")
