"""Phases (阶段): the `phase_id` filter gives exactly the phase's figures, recomputed here from the items' final
state as the ledger holds it, and the summary of a campaign breaks it down by phase."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from rectify_kit.db import Database
from rectify_kit.testing import TokenFactory
from report_testing.history import campaign_event
from report_testing.scenario import CAMPAIGN, P1, P2, P3, PHASES, U1, Scenario, apply, build

# On both backends: the read model is written by each dialect's upserts and read through its rollups' aggregates.
pytestmark = pytest.mark.both_backends

TODAY = "2026-10-09"  # conftest's clock
SUMMARY = "/api/v1/reports/summary"


@pytest.fixture
async def scenario(database: Database) -> Scenario:
    built = build()
    await apply(database, built)
    return built


def office(tokens: TokenFactory) -> dict[str, str]:
    return dict(tokens.headers("office-1", role="office"))


def ledger_figures(scenario: Scenario, phase: str | None, unit: str | None = None) -> dict[str, int]:
    """The counts of the items in `phase` (and of `unit`, lead or co-unit) from their final state."""
    states = [s.state for s in scenario.stories.values() if s.state["phase_id"] == phase]
    if unit is not None:
        states = [s for s in states if unit == s["lead_unit_id"] or unit in s["co_unit_ids"]]
    closed = sum(s["status"] == "closed" for s in states)
    cancelled = sum(s["status"] == "cancelled" for s in states)
    overdue = sum(
        s["status"] not in ("closed", "cancelled") and s["deadline"] is not None and s["deadline"] < TODAY
        for s in states
    )
    return {
        "total": len(states),
        "open": len(states) - closed - cancelled,
        "closed": closed,
        "cancelled": cancelled,
        "overdue": overdue,
    }


def counts(body: dict[str, Any]) -> dict[str, int]:
    return {key: body[key] for key in ("total", "open", "closed", "cancelled", "overdue")}


class TestPhaseFilter:
    @pytest.mark.parametrize("phase", [P1, P2, P3])
    async def test_summary_of_a_phase_counts_exactly_its_items(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario, phase: str
    ) -> None:
        params = {"campaign_id": CAMPAIGN, "phase_id": phase}
        body = (await client.get(SUMMARY, params=params, headers=office(tokens))).json()
        assert counts(body) == ledger_figures(scenario, phase)
        [row] = body["phases"]
        assert (row["phase_id"], counts(row)) == (phase, ledger_figures(scenario, phase))

    async def test_an_item_moved_to_another_phase_counts_in_its_new_phase(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        g = scenario.stories["G"].id
        first = await client.get("/api/v1/reports/accountability", params={"phase_id": P1}, headers=office(tokens))
        second = await client.get("/api/v1/reports/accountability", params={"phase_id": P2}, headers=office(tokens))
        assert g not in [i["id"] for i in first.json()["items"]]
        assert g in [i["id"] for i in second.json()["items"]]

    async def test_a_unit_users_phase_figures_are_their_units_items_of_the_phase(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        unit = tokens.headers("user-u1", role="unit", unit_id=U1)
        body = (await client.get(SUMMARY, params={"phase_id": P1}, headers=unit)).json()
        assert counts(body) == ledger_figures(scenario, P1, unit=U1)
        assert body["province"]["total"] == ledger_figures(scenario, P1)["total"]

    async def test_every_report_takes_the_filter(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        get = client.get
        headers = office(tokens)
        phase = {"phase_id": P2}
        overdue = (await get("/api/v1/reports/overdue", params=phase, headers=headers)).json()
        assert [i["id"] for i in overdue["items"]] == [scenario.stories["E"].id]
        units = (await get("/api/v1/reports/units", params=phase, headers=headers)).json()
        assert sorted((r["unit_code"], r["total"]) for r in units["items"]) == [("KJT-B", 2), ("KJT-C", 1)]
        trend = (await get("/api/v1/reports/trend", params={**phase, "granularity": "month",
                                                             "from": "2026-09-01", "to": "2026-10-31"},
                           headers=headers)).json()  # fmt: skip
        assert [(p["new"], p["closed"], p["open_at_end"]) for p in trend["items"]] == [(3, 0, 2), (0, 0, 2)]
        statuses = (await get("/api/v1/reports/statuses", params=phase, headers=headers)).json()
        assert {s["status"]: s["count"] for s in statuses["items"] if s["count"]} == {
            "cancelled": 1,
            "in_progress": 2,
        }
        lights = (await get("/api/v1/reports/lights", params=phase, headers=headers)).json()
        assert (lights["red"], lights["yellow"], lights["green"], lights["no_deadline"]) == (1, 0, 1, 0)
        categories = (await get("/api/v1/reports/categories", params=phase, headers=headers)).json()
        assert [(c["category_name"], c["total"]) for c in categories["items"]] == [("监管执法", 3)]

    @pytest.mark.parametrize("value", ["not-an-id", "0f100000-0000-4000-8000-00000000000", "' or 1=1 --"])
    @pytest.mark.parametrize("path", ["summary", "units", "trend", "overdue", "ledger.xlsx"])
    async def test_a_phase_id_that_is_no_id_is_a_422_problem(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario, path: str, value: str
    ) -> None:
        response = await client.get(f"/api/v1/reports/{path}", params={"phase_id": value}, headers=office(tokens))
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"] == "phase_id"


class TestPhaseBreakdown:
    async def test_a_campaigns_summary_lists_each_phase_in_order_then_the_items_without_one(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        body = (await client.get(SUMMARY, params={"campaign_id": CAMPAIGN}, headers=office(tokens))).json()
        rows = [(r["phase_id"], r["phase_name"], r["starts_on"], r["ends_on"]) for r in body["phases"]]
        assert rows == [
            (P1, "自查自纠", "2026-08-01", "2026-09-10"),
            (P2, "集中整治", "2026-09-11", "2026-11-30"),
            (P3, "巩固提升", "2026-12-01", "2026-12-31"),
            (None, "", None, None),
        ]
        assert [counts(r) for r in body["phases"]] == [ledger_figures(scenario, p) for p in (P1, P2, P3, None)]
        # A and B closed on time, C late after its reopening; nothing closed in the other phases.
        assert [(r["on_time_rate"], r["closure_rate"]) for r in body["phases"]] == [
            (0.6667, 1.0),
            (None, 0.0),
            (None, None),
            (None, 0.0),
        ]
        assert sum(r["total"] for r in body["phases"]) == body["total"]

    async def test_no_breakdown_without_a_campaign(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        assert (await client.get(SUMMARY, headers=office(tokens))).json()["phases"] is None

    async def test_a_renamed_or_dropped_phase_follows_the_campaign(
        self, client: httpx.AsyncClient, tokens: TokenFactory, database: Database, scenario: Scenario
    ) -> None:
        start = len(scenario.issues.events)
        renamed = [{**PHASES[0], "name": "自查自纠（延长）"}, PHASES[1]]  # the third phase is dropped
        campaign_event(scenario.issues, CAMPAIGN, {}, renamed)
        await apply(database, scenario, start=start)
        body = (await client.get(SUMMARY, params={"campaign_id": CAMPAIGN}, headers=office(tokens))).json()
        assert [(r["phase_id"], r["phase_name"]) for r in body["phases"]] == [
            (P1, "自查自纠（延长）"),
            (P2, "集中整治"),
            (None, ""),
        ]
