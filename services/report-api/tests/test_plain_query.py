"""The summary and the unit ranking read a plainly valid query by hand (`figures.filters.parse_filters`) and leave
any other to FastAPI's solving: the same filters, the same answers, FastAPI's 422s and the same refusals."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from starlette.datastructures import QueryParams

from rectify_kit.db import Database
from rectify_kit.testing import TokenFactory
from report_api.figures.filters import ReportFilters, parse_filters
from report_api.readmodel.feeds import escalations_consumer, issues_consumer
from report_testing.rebuild import NoSource
from report_testing.scenario import CAMPAIGN, P1, U1, U2, build

PATHS = ("/api/v1/reports/summary", "/api/v1/reports/units")


async def fed(database: Database) -> None:
    built = build()
    await escalations_consumer(database, NoSource()).apply(built.escalations.page())
    await issues_consumer(database, NoSource()).apply(built.issues.page())


class TestParseFilters:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("", ReportFilters()),
            (f"campaign_id={CAMPAIGN}&phase_id={P1}", ReportFilters(campaign_id=CAMPAIGN, phase_id=P1)),
            (f"unit_id={U1.upper()}&source=public&city=130100", ReportFilters(unit_id=U1.upper(), source="public",
                                                                               city="130100")),
            ("from=2026-01-01&to=2026-10-09", ReportFilters(date_from=date(2026, 1, 1), date_to=date(2026, 10, 9))),
            ("city=", ReportFilters(city="")),
            (f"unit_id={U1}&unit_id={U2}&granularity=week&other=1", ReportFilters(unit_id=U2)),
        ],
    )  # fmt: skip
    def test_a_plainly_valid_query_gives_the_filters_fastapi_would(self, query: str, expected: ReportFilters) -> None:
        assert parse_filters(QueryParams(query)) == expected

    @pytest.mark.parametrize(
        "query",
        [
            "campaign_id=another",
            f"campaign_id={CAMPAIGN}%0A",
            "campaign_id=",
            f"campaign_id=another&campaign_id={CAMPAIGN}",
            "source=web",
            "from=2026-02-30",
            "to=2026-1-01",
            "from=",
        ],
    )
    def test_anything_else_is_left_to_fastapi(self, query: str) -> None:
        assert parse_filters(QueryParams(query)) is None


# On both backends: the answers read by hand and solved by FastAPI come from each dialect's read connection.
@pytest.mark.both_backends
class TestAnswers:
    @pytest.mark.parametrize("path", PATHS)
    async def test_a_query_read_by_hand_is_answered_as_fastapi_answers_it(
        self, client: httpx.AsyncClient, tokens: TokenFactory, database: Database, app: FastAPI, path: str
    ) -> None:
        await fed(database)
        app.state.figures_cache = None  # both answers computed
        headers = dict(tokens.headers("office-1", role="office"))
        plain = await client.get(path, params={"campaign_id": CAMPAIGN}, headers=headers)
        # FastAPI counts the last of a repeated parameter; the one before it sends the query to FastAPI's solving.
        solved = await client.get(path, params=[("campaign_id", "x"), ("campaign_id", CAMPAIGN)], headers=headers)
        assert plain.status_code == solved.status_code == 200
        assert plain.headers["content-type"] == solved.headers["content-type"] == "application/json"
        assert plain.json() == solved.json()
        assert plain.json()["items" if path.endswith("units") else "phases"]

    @pytest.mark.parametrize("path", PATHS)
    async def test_a_plain_query_is_refused_as_fastapi_refuses_it(
        self, client: httpx.AsyncClient, tokens: TokenFactory, path: str
    ) -> None:
        assert (await client.get(path)).status_code == 401
        integration = dict(tokens.headers("client-1", role="integration"))
        assert (await client.get(path, headers=integration)).status_code == 403
        unit = dict(tokens.headers("user-u1", role="unit", unit_id=U1))
        other = await client.get(path, params={"unit_id": U2}, headers=unit)
        assert (other.status_code, other.json()["code"]) == (403, "other-unit-forbidden")
        invalid = await client.get(path, params={"campaign_id": "another"}, headers=unit)
        assert (invalid.status_code, invalid.json()["errors"][0]["field"]) == (422, "campaign_id")
