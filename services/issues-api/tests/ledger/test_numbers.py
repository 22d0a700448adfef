"""Issue numbers: one per created issue, none for a refused create, and creates in one campaign side by side."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from issues_api.events.service import SYSTEM_ACTOR
from issues_api.ledger import service
from issues_api.ledger.schemas import IssueCreate
from issues_testing.ledger import LedgerWorld, migrated_ledger_world
from rectify_kit.testing import pg_admin_url

# On both backends: a number is taken outside the transaction on PostgreSQL, inside it on SQLite.
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]


def number(issue: dict[str, str]) -> int:
    return int(issue["code"][-4:])


class TestNumbers:
    async def test_a_refused_create_takes_no_number(self, world: LedgerWorld) -> None:
        first = await world.create_issue()
        body = {"campaign_id": world.campaign_id, "title": "t", "description": "d", "category_id": "nope"}
        refused = await world.client.post("/api/v1/issues", json=body, headers=world.headers("office"))
        second = await world.create_issue()
        assert refused.status_code == 422
        assert number(second) == number(first) + 1


if pg_admin_url():  # SQLite has one writer: there an open transaction holds the whole database

    @pytest_asyncio.fixture(scope="module", loop_scope="module")
    async def pg_world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LedgerWorld]:
        async with migrated_ledger_world("postgresql", tmp_path_factory.mktemp("numbers")) as built:
            yield built

    class TestNumbersOnPostgres:
        async def test_a_create_waits_for_no_other_open_create_in_the_campaign(self, pg_world: LedgerWorld) -> None:
            data = IssueCreate(campaign_id=pg_world.campaign_id, title="未提交", description="d")
            async with pg_world.database.session() as open_one:
                held = await service.create_issue(open_one, data=data, actor=SYSTEM_ACTOR, clock=pg_world.clock)
                async with asyncio.timeout(10):  # it would wait here while the campaign row stayed locked
                    other = await pg_world.create_issue()
            assert number(other) == int(held.code[-4:]) + 1
