"""Idempotency keys and the refresh tokens of ended sessions do not pile up: a periodic round deletes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from issues_api.auth.models import RefreshToken
from issues_api.config import RetentionSettings
from issues_api.events.models import idempotency_keys
from issues_api.housekeeping.service import purge
from issues_testing.tokens import Tokens
from rectify_kit.clock import FixedClock

# On both backends: the periodic deletes compare stored times, kept differently by each dialect.
pytestmark = pytest.mark.both_backends


async def counts(app: FastAPI) -> tuple[int, int]:
    async with app.state.database.session(write=False) as session:
        keys = (await session.execute(select(func.count()).select_from(idempotency_keys))).scalar_one()
        tokens = (await session.execute(select(func.count()).select_from(RefreshToken))).scalar_one()
    return int(keys), int(tokens)


async def run_purge(app: FastAPI, clock: FixedClock) -> None:
    async with app.state.database.session() as session:
        await purge(session, settings=RetentionSettings(), clock=clock)


class TestRetention:
    async def test_old_keys_and_ended_sessions_go_and_fresh_ones_stay(
        self, app: FastAPI, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        clock = FixedClock(datetime.now(UTC))
        app.state.clock = clock
        body = {"username": "wang", "display_name": "王五", "role": "office", "password": "correct horse 42"}
        headers = {**tokens.admin(), "Idempotency-Key": "first"}
        assert (await client.post("/api/v1/users", json=body, headers=headers)).status_code == 201
        signed_in = await client.post("/api/v1/auth/token", data={"username": "wang", "password": "correct horse 42"})
        assert signed_in.status_code == 200
        assert await counts(app) == (1, 1)
        await run_purge(app, clock)
        assert await counts(app) == (1, 1)  # both still in use
        clock.advance(timedelta(days=8))
        later = {"code": "KJT-X", "name": "新单位", "kind": "department"}
        unit_headers = {**tokens.admin(), "Idempotency-Key": "second"}
        assert (await client.post("/api/v1/units", json=later, headers=unit_headers)).status_code == 201
        await run_purge(app, clock)
        assert await counts(app) == (1, 0)  # the week-old key and the expired session are gone, the new key stays
