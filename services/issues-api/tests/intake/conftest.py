"""A driver for the intake's tests: submit as the public, triage as the office, work an issue to closure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from issues_testing.campaigns import seed_campaign
from issues_testing.tokens import Tokens, post_ok
from rectify_kit.clock import FixedClock

SUBMISSION: dict[str, Any] = {
    "title": "审批材料重复提交",
    "content": "同一份营业执照复印件在三个窗口各交一次。",
    "city": "130100",
    "enterprise_name": "石家庄某某科技有限公司",
    "contact_name": "王小明",
    "contact_phone": "139-1234-5678",
    "contact_email": "wang@example.cn",
}


@dataclass
class Intake:
    app: FastAPI
    client: httpx.AsyncClient
    tokens: Tokens
    clock: FixedClock

    async def campaign(self) -> str:
        return await seed_campaign(self.app.state.database, self.clock.now())

    async def send(self, *, address: str = "203.0.113.7", key: str | None = None, **extra: Any) -> httpx.Response:
        headers = {"X-Forwarded-For": address}
        if key is not None:
            headers["Idempotency-Key"] = key
        return await self.client.post("/api/v1/public/submissions", json={**SUBMISSION, **extra}, headers=headers)

    async def submit(self, **extra: Any) -> str:
        self.clock.advance(timedelta(seconds=1))  # the newest submission lists first
        response = await self.send(**extra)
        assert response.status_code == 201, response.text
        return str(response.json()["tracking_code"])

    async def ids(self) -> list[str]:
        listed = await self.client.get("/api/v1/intake?contacts=false&limit=200", headers=self.tokens.office())
        return [item["id"] for item in listed.json()["items"]]

    async def page(self, code: str) -> dict[str, Any]:
        response = await self.client.get(f"/api/v1/public/submissions/{code}")
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def unit(self, code: str = "U1", name: str = "审批处") -> str:
        unit = await post_ok(
            self.client, "/api/v1/units", {"code": code, "name": name, "kind": "department"}, self.tokens.admin()
        )
        return str(unit["id"])

    async def accepted(self, *, code: str | None = None, **extra: Any) -> tuple[str, str, str]:
        """(tracking code, submission id, issue id) of a fresh submission accepted by the office."""
        tracking_code = code or await self.submit(**extra)
        submission_id = (await self.ids())[0]
        accepted = await post_ok(self.client, f"/api/v1/intake/{submission_id}/accept", {}, self.tokens.office())
        return tracking_code, submission_id, str(accepted["issue_id"])

    async def close(self, issue_id: str, unit_id: str) -> None:
        office, staff = self.tokens.office(), self.tokens.user("unit", unit_id=unit_id)
        base = f"/api/v1/issues/{issue_id}"
        issue = (await self.client.get(base, headers=office)).json()
        if issue["status"] == "registered":
            await post_ok(self.client, f"{base}/assign", {"lead_unit_id": unit_id, "deadline": "2099-01-01"}, office)
        if issue["status"] in ("registered", "assigned"):
            await post_ok(self.client, f"{base}/accept", {}, staff)
        await post_ok(self.client, f"{base}/submit-completion", {"summary": "窗口已合并"}, staff)
        await post_ok(self.client, f"{base}/close", {"comment": "内部意见：张科长核实"}, office)


@pytest.fixture
def intake(app: FastAPI, client: httpx.AsyncClient, tokens: Tokens) -> Intake:
    clock = FixedClock(datetime(2026, 6, 1, 2, 0, tzinfo=UTC))
    app.state.clock = clock
    return Intake(app=app, client=client, tokens=tokens, clock=clock)
