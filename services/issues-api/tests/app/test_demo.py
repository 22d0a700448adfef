"""`python -m issues_api demo`: loads the campaign, accounts, items and service clients once per database."""

from __future__ import annotations

import stat

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from issues_api.__main__ import main
from issues_api.campaigns.definition import default_definition_path, load_definition
from issues_api.campaigns.models import Campaign, Phase
from issues_api.config import Settings, get_settings
from issues_api.demo.loader import load_demo
from issues_api.directory.models import User
from issues_api.ledger.models import Issue
from rectify_kit.clock import SystemClock, business_today

ITEMS = 22  # the generator's first forced stories: every status and twist once


async def counts(app: FastAPI) -> tuple[int, int, int]:
    async with app.state.database.session(write=False) as session:
        users = (await session.execute(select(func.count()).select_from(User))).scalar_one()
        issues = (await session.execute(select(func.count()).select_from(Issue))).scalar_one()
        campaigns = (await session.execute(select(func.count()).select_from(Campaign))).scalar_one()
    return users, issues, campaigns


class TestDemo:
    async def test_demo_loads_once_and_its_accounts_and_service_clients_log_in(
        self, app: FastAPI, client: httpx.AsyncClient, settings: Settings
    ) -> None:
        """One load (it is slow): counts, idempotence, shifted dates, and every kind of login it provides."""
        text = default_definition_path().read_bytes()
        definition = load_definition(text)
        first = await load_demo(app.state.database, settings, definition_file=text, items=ITEMS)
        loaded = await counts(app)
        second = await load_demo(app.state.database, settings, definition_file=text, items=ITEMS)
        assert (first, second) == (True, False)
        assert await counts(app) == loaded
        assert loaded == (3 + len(definition.units), len(definition.tasks) + ITEMS, 1)
        async with app.state.database.session(write=False) as session:
            phase = (await session.execute(select(Phase).where(Phase.code == "rectify"))).scalar_one()
        assert phase.starts_on <= business_today(SystemClock()) <= phase.ends_on
        assert phase.starts_on.year > definition.concentrated_phase.starts_on.year
        for username in ("admin", "office", "leader", "KJT-ZCFG"):
            response = await client.post("/api/v1/auth/token", data={"username": username, "password": "demo12345"})
            assert response.status_code == 200, username
        for client_id in ("notify-api", "report-api"):
            path = settings.var_dir / "secrets" / client_id
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": path.read_text()}
            token = await client.post("/api/v1/auth/token", data=form)
            assert token.status_code == 200
            bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
            assert (await client.get("/api/v1/events?limit=1", headers=bearer)).status_code == 200


def test_demo_command_refuses_outside_demo_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ISSUES_DEMO", "false")
    get_settings.cache_clear()
    try:
        assert main(["demo"]) == 2
    finally:
        get_settings.cache_clear()
