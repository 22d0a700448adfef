"""Issue numbers: one per created issue, none for a refused create, and creates in one campaign side by side."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import text, update
from sqlalchemy.exc import IntegrityError

from issues_api.campaigns.models import Campaign
from issues_api.events.service import SYSTEM_ACTOR
from issues_api.ledger import registering, service
from issues_api.ledger.schemas import IssueCreate
from issues_testing.ledger import LedgerWorld, migrated_ledger_world
from rectify_kit.testing import pg_admin_url

# On both backends: a number is taken outside the transaction on PostgreSQL, inside it on SQLite.
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]


def number(issue: dict[str, str]) -> int:
    return int(issue["code"].rsplit("-", 1)[1])


class TestNumbers:
    async def test_a_refused_create_takes_no_number(self, world: LedgerWorld) -> None:
        first = await world.create_issue()
        body = {"campaign_id": world.campaign_id, "title": "t", "description": "d", "category_id": "nope"}
        refused = await world.client.post("/api/v1/issues", json=body, headers=world.headers("office"))
        second = await world.create_issue()
        assert refused.status_code == 422
        assert number(second) == number(first) + 1

    async def test_the_created_event_carries_the_issue_as_it_is_read(self, world: LedgerWorld) -> None:
        # A plain create writes its event in the statement that takes the number on PostgreSQL (registering.py):
        # the code and the phase in its data are set there, the rest from Python.
        created = await world.create_issue()
        feed = await world.client.get("/api/v1/events", params={"after": 0}, headers=world.headers("admin"))
        (event,) = [e for e in feed.json()["events"] if e["subject_id"] == created["id"]]
        read = (await world.client.get(f"/api/v1/issues/{created['id']}", headers=world.headers("office"))).json()
        assert event["type"] == "issue.created"
        assert event["data"]["issue"]["code"] == created["code"]
        assert event["data"]["issue"]["phase_id"] == created["phase_id"] is not None
        state = event["data"]["issue"]
        assert datetime.fromisoformat(state.pop("created_at")) == datetime.fromisoformat(read["created_at"])
        assert state == {key: read[key] for key in state}

    async def test_a_code_has_four_digits_or_more(self, world: LedgerWorld) -> None:
        async with world.database.session() as session:
            await session.execute(update(Campaign).values(next_issue_number=9999))
        codes = [(await world.create_issue())["code"] for _ in range(2)]
        assert codes == ["YS-2017-9999", "YS-2017-10000"]


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

        async def test_creates_sent_together_share_statements_and_take_one_block_in_order(
            self, pg_world: LedgerWorld
        ) -> None:
            # registering.py: creates of a campaign arriving while its last statement runs go in the next one.
            created = await asyncio.gather(*(pg_world.create_issue() for _ in range(40)))
            numbers = sorted(number(issue) for issue in created)
            assert numbers == list(range(numbers[0], numbers[0] + 40))
            ids = [issue["id"] for issue in created]
            async with pg_world.database.session() as session:
                # Rows written by one statement in autocommit share its transaction id.
                transactions = await session.scalar(
                    text("SELECT count(DISTINCT xmin::text) FROM issues WHERE id = ANY(:ids)"), {"ids": ids}
                )
            assert transactions is not None
            assert transactions < 40
            feed = await pg_world.client.get(
                "/api/v1/events", params={"after": 0, "limit": 1000}, headers=pg_world.headers("admin")
            )
            mine = [e["data"]["issue"]["code"] for e in feed.json()["events"] if e["subject_id"] in set(ids)]
            assert [int(code.rsplit("-", 1)[1]) for code in mine] == numbers  # the feed in the numbers' order

        async def test_a_create_that_fails_in_a_shared_statement_fails_alone_and_takes_no_number(
            self, pg_world: LedgerWorld
        ) -> None:
            def values(lead_unit_id: str | None) -> dict[str, Any]:
                data = IssueCreate(campaign_id=pg_world.campaign_id, title="同批", description="d")
                return service.new_issue_values(data, lead_unit_id=lead_unit_id, now=pg_world.clock.now())

            given = [values(None), values(None), values("no-such-unit"), values(None)]
            engine = pg_world.database.read_engine
            day = pg_world.clock.now().date()
            outcomes = await asyncio.gather(
                *(
                    registering.register(engine, v, phase_id=None, day=day, actor=SYSTEM_ACTOR, clock=pg_world.clock)
                    for v in given
                ),
                return_exceptions=True,
            )
            assert outcomes[:2] + outcomes[3:] == [True, True, True]
            assert isinstance(outcomes[2], IntegrityError)
            taken = sorted(int(v["code"].rsplit("-", 1)[1]) for v in given if v.get("code"))
            assert taken == list(range(taken[0], taken[0] + 3))
            assert (await pg_world.create_issue())["code"].endswith(f"-{taken[-1] + 1:04d}")
