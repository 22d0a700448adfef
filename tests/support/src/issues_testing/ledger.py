"""A ledger world for the tests of the ledger and the modules built on it, and for the bench.

`ledger_world(database_url, directory)` seeds three units and a campaign with two phases into a migrated
database, builds the real app over it (`create_app`, every router, its own key and verifier), and hands back a
`LedgerWorld` that mints tokens per role with the app's key and drives issues to any status through the HTTP API.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from issues_api.__main__ import MIGRATIONS
from issues_api.campaigns.models import Campaign, Category, Phase
from issues_api.config import Settings, TokenSettings
from issues_api.directory.models import Unit
from issues_api.ledger.replay import ReplayStep, replay_steps
from issues_api.ledger.schemas import IssueCreate
from issues_api.ledger.service import create_issue
from issues_api.main import create_app
from rectify_kit import migrations
from rectify_kit.clock import FixedClock
from rectify_kit.db import Database
from rectify_kit.testing import TokenFactory, create_pg_database, drop_pg_database, share_routes, sqlite_test_url

START = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai
OFFICE_ACTOR = {"kind": "user", "id": "office-x", "username": "office-x", "role": "office", "unit_id": None}


@dataclass
class LedgerWorld:
    app: FastAPI
    client: httpx.AsyncClient
    database: Database
    tokens: TokenFactory
    clock: FixedClock
    units: dict[str, str]  # "A", "B", "C" -> unit id
    campaign_id: str
    category_id: str
    settings: Settings
    _serial: int = field(default=0)
    _headers: dict[tuple[Any, ...], Mapping[str, str]] = field(default_factory=dict)

    def headers(self, role: str, unit: str | None = None, **extra: Any) -> Mapping[str, str]:
        """A bearer token of a user with `role` (and for `unit`, the unit named "A", "B" or "C")."""
        key = (role, unit, tuple(sorted(extra.items())))
        if key not in self._headers:  # minted once: signing and verifying RSA tokens is the slow part
            unit_id = self.units[unit] if unit else None
            sub = f"{role}-{unit or 'x'}"
            self._headers[key] = self.tokens.headers(
                sub, role=role, unit_id=unit_id, username=sub, kind="user", ttl=3600, **extra
            )
        return self._headers[key]

    def client_headers(
        self, *scopes: str, client_id: str = "integration-1", units: tuple[str, ...] = ()
    ) -> Mapping[str, str]:
        """A bearer token of an integration client with `scopes`, bound to `units` (named "A", "B" or "C")."""
        key = ("client", client_id, scopes, units)
        if key not in self._headers:
            self._headers[key] = self.tokens.headers(
                client_id,
                kind="client",
                role="integration",
                scope=" ".join(scopes),
                username=client_id,
                name=f"系统 {client_id}",
                unit_ids=[self.units[u] for u in units],
                ttl=3600,
            )
        return self._headers[key]

    async def create_issue(self, **fields: Any) -> dict[str, Any]:
        self._serial += 1
        body = {
            "campaign_id": self.campaign_id,
            "title": f"问题 {self._serial}",
            "description": "审批时限过长 / approvals take too long",
            "kind": "problem",
            "source": "inspection",
            **fields,
        }
        response = await self.client.post("/api/v1/issues", json=body, headers=self.headers("office"))
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def step(self, issue_id: str, path: str, headers: Mapping[str, str], body: Any = None) -> httpx.Response:
        return await self.client.post(f"/api/v1/issues/{issue_id}/{path}", json=body, headers=headers)

    async def issue_in(self, status: str, *, co_units: tuple[str, ...] = ("B",), **fields: Any) -> dict[str, Any]:
        """A new issue led by unit A (co-units B by default), brought to `status` in one transaction.

        The steps run through the same service functions and checks as the API (`replay_steps`); the issue is
        then read back over HTTP as the office sees it.
        """
        self._serial += 1
        defaults = {"title": f"问题 {self._serial}", "description": "审批时限过长", "source": "inspection"}
        data = IssueCreate(campaign_id=self.campaign_id, **{**defaults, **fields})
        a, now = self.units["A"], self.clock.now()
        assign = {"lead_unit_id": a, "co_unit_ids": [self.units[u] for u in co_units], "deadline": "2026-12-31"}
        plan = [] if status == "registered" else [ReplayStep("assign", "office", now, assign)]
        if status == "returned":
            plan.append(ReplayStep("return", "unit", now, {"reason_code": "other", "reason": "不属于本单位"}, a))
        if status == "cancelled":
            plan.append(ReplayStep("cancel", "office", now, {"reason": "重复登记"}))
        if status in ("in_progress", "pending_review", "closed"):
            plan.append(ReplayStep("accept", "unit", now, unit_id=a))
        if status in ("pending_review", "closed"):
            plan += [ReplayStep("co_unit_waive", "office", now, target_unit_id=self.units[u]) for u in co_units]
            plan.append(ReplayStep("submit_completion", "unit", now, {"summary": "已整改"}, a))
        if status == "closed":
            plan.append(ReplayStep("close", "office", now, {"comment": "同意销号"}))
        async with self.database.session() as session:
            issue = await create_issue(session, data=data, actor=OFFICE_ACTOR, clock=self.clock)
            await replay_steps(session, issue_id=issue.id, steps_=plan)
        response = await self.client.get(f"/api/v1/issues/{issue.id}", headers=self.headers("office"))
        result: dict[str, Any] = response.json()
        assert result["status"] == status
        return result


async def _seed(database: Database, now: datetime) -> tuple[dict[str, str], str, str]:
    units = {name: str(uuid.uuid4()) for name in ("A", "B", "C")}
    campaign = Campaign(
        code="YS",
        name="优化营商环境",
        starts_on=date(2017, 6, 1),
        ends_on=date(2017, 12, 31),
        next_issue_number=1,
        created_at=now,
        updated_at=now,
    )
    async with database.session() as session:
        for name, unit_id in units.items():
            session.add(
                Unit(
                    id=unit_id, code=f"U-{name}", name=f"单位{name}", kind="department", created_at=now, updated_at=now
                )
            )
        session.add(campaign)
        await session.flush()
        session.add_all(
            [
                Phase(campaign_id=campaign.id, code="self", name="自查自纠阶段", starts_on=date(2017, 6, 1),
                      ends_on=date(2017, 8, 31), position=0),
                Phase(campaign_id=campaign.id, code="rectify", name="集中整治阶段", starts_on=date(2017, 9, 1),
                      ends_on=date(2017, 12, 31), position=1),
            ]
        )  # fmt: skip
        category = Category(campaign_id=campaign.id, code="C1", name="简政放权")
        session.add(category)
        await session.flush()
        return units, campaign.id, category.id


@asynccontextmanager
async def ledger_world(
    database_url: str, directory: Path, *, key_file: Path | None = None
) -> AsyncIterator[LedgerWorld]:
    """The real app over `database_url` (migrated, without rows) with seed units and a campaign."""
    tokens = TokenSettings(private_key_file=key_file) if key_file else TokenSettings()
    settings = Settings(var_dir=directory, database_url=database_url, log_json=False, tokens=tokens)
    app = share_routes(create_app(settings))
    database: Database = app.state.database
    try:
        units, campaign_id, category_id = await _seed(database, START)
        keys = app.state.keys
        factory = TokenFactory(
            settings.auth.issuer, settings.auth.audience, keys.kid, (keys.private_pem, keys.public_pem)
        )
        clock = FixedClock(START)
        app.state.clock = clock
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://issues") as client:
            yield LedgerWorld(app, client, database, factory, clock, units, campaign_id, category_id, settings)
    finally:
        await database.dispose()


@asynccontextmanager
async def migrated_ledger_world(backend: str, directory: Path) -> AsyncIterator[LedgerWorld]:
    """A ledger world on a database of its own, created and migrated here, dropped afterwards (for the bench)."""
    url = await create_pg_database("issues_ledger") if backend == "postgresql" else sqlite_test_url(directory, "ledger")
    try:
        migrations.upgrade(MIGRATIONS, url)
        async with ledger_world(url, directory) as world:
            yield world
    finally:
        if backend == "postgresql":
            await drop_pg_database(url)
