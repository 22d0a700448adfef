"""Answers reused while the read model stays at one position (figures/cache.py), and never once it has moved."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from rectify_kit.clock import FixedClock, business_today
from rectify_kit.db import Database
from rectify_kit.testing import TokenFactory
from report_api.figures import service
from report_api.figures.cache import FiguresCache, answered
from report_api.figures.filters import ReportFilters
from report_api.figures.schemas import Statuses
from report_api.readmodel.feeds import escalations_consumer, issues_consumer
from report_testing.rebuild import NoSource
from report_testing.scenario import CAMPAIGN, P1, Scenario, build

# On both backends: whether an answer may be kept depends on what each dialect's read sees while a page lands.
pytestmark = pytest.mark.both_backends

SUMMARY = "/api/v1/reports/summary"
UNITS = "/api/v1/reports/units"


def office(tokens: TokenFactory) -> dict[str, str]:
    return dict(tokens.headers("office-1", role="office"))


async def half_applied(database: Database) -> tuple[Scenario, Any]:
    """The escalations and the first half of the issues feed applied; the consumer to apply the rest."""
    built = build()
    issues = issues_consumer(database, NoSource())
    await escalations_consumer(database, NoSource()).apply(built.escalations.page())
    await issues.apply(built.issues.page(0, len(built.issues.events) // 2))
    return built, issues


def counts(body: dict[str, Any]) -> tuple[Any, ...]:
    return body["as_of_seq"], body["total"], body["closed"], body["overdue"], body["phases"]


async def test_an_answer_is_reused_at_one_position_and_computed_again_once_a_page_lands(
    client: httpx.AsyncClient, tokens: TokenFactory, database: Database, app: FastAPI, clock: FixedClock
) -> None:
    built, issues = await half_applied(database)
    cache: FiguresCache = app.state.figures_cache
    params = {"campaign_id": CAMPAIGN}
    first = (await client.get(SUMMARY, params=params, headers=office(tokens))).json()
    assert (await client.get(SUMMARY, params=params, headers=office(tokens))).json() == first
    assert (cache.hits, cache.misses) == (1, 1)
    # another question is another answer
    phase = (await client.get(SUMMARY, params={**params, "phase_id": P1}, headers=office(tokens))).json()
    assert [row["phase_id"] for row in phase["phases"]] == [P1]
    ranking = (await client.get(UNITS, headers=office(tokens))).json()
    assert (await client.get(UNITS, headers=office(tokens))).json() == ranking
    assert (cache.hits, cache.misses) == (2, 3)

    await issues.apply(built.issues.page(len(built.issues.events) // 2))
    later = (await client.get(SUMMARY, params=params, headers=office(tokens))).json()
    assert later["as_of_seq"] == len(built.issues.events) > first["as_of_seq"]
    assert counts(later) != counts(first)
    async with database.session(write=False) as session:
        f = ReportFilters(campaign_id=CAMPAIGN)
        plain = await service.summary(session, f, today=business_today(clock), with_province=False, use_rollups=False)
    assert counts(later) == counts(plain.model_dump(mode="json"))
    assert (await client.get(UNITS, headers=office(tokens))).json() != ranking


async def test_an_answer_computed_while_a_page_lands_is_never_given_for_the_later_position(
    database: Database,
) -> None:
    built, issues = await half_applied(database)
    cache = FiguresCache()

    async def landing_meanwhile(session: Any) -> Statuses:
        async def compute() -> dict[str, Any]:
            body = (await service.statuses(session, ReportFilters())).model_dump(include={"items"})
            await issues.apply(built.issues.page(len(built.issues.events) // 2))  # another connection commits
            return body

        return await answered(session, cache, ("statuses", ReportFilters()), compute, Statuses)

    async with database.session(write=False) as session:
        during = await landing_meanwhile(session)
    async with database.session(write=False) as session:
        after = await service.statuses(session, ReportFilters(), cache=cache)
        plain = await service.statuses(session, ReportFilters(), use_rollups=False)
    assert after == plain
    assert after.as_of_seq == len(built.issues.events)
    assert sum(c.count for c in after.items) > sum(c.count for c in during.items)


async def test_an_answer_computed_while_a_page_lands_claims_the_position_before_it(database: Database) -> None:
    built, issues = await half_applied(database)
    half = len(built.issues.events) // 2

    async def compute_while_landing(session: Any, cache: FiguresCache | None) -> Statuses:
        async def compute() -> dict[str, Any]:
            body = (await service.statuses(session, ReportFilters())).model_dump(include={"items"})
            await issues.apply(built.issues.page(half))  # another connection commits the rest
            return body

        return await answered(session, cache, ("statuses", ReportFilters()), compute, Statuses)

    async with database.session(write=False) as session:
        during = await compute_while_landing(session, None)
    # Its figures are the half's: a reader waiting for the whole feed must not take them as the whole's.
    assert during.as_of_seq == half
