"""The read model rebuilt from sequence 0 equals the one built incrementally (100,000 issues: bench_report.py)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date
from typing import Any

import httpx
import pytest

from rectify_kit.db import Database
from rectify_kit.testing import TokenFactory
from report_api.figures import service as figures
from report_api.figures.filters import ReportFilters
from report_testing.history import Feed, generated
from report_testing.rebuild import apply_incrementally, read_model, rebuild, recompute_rollups

# On both backends: a rebuild and the incremental build write through each dialect's upserts.
pytestmark = pytest.mark.both_backends

ISSUES = 300  # the bench runs the same comparison on 100,000


class TestRebuild:
    async def test_rebuilt_read_model_equals_the_incremental_one(self, database: Database) -> None:
        issues, escalations = generated(ISSUES)
        await apply_incrementally(database, issues, escalations)
        incremental = await read_model(database)
        await rebuild(database, issues, escalations)
        assert await read_model(database) == incremental
        await recompute_rollups(database)
        assert await read_model(database) == incremental
        assert len(incremental["report_issues"]) == ISSUES
        # Phases included: the campaign's three (the second renamed at the end), and items moved between them.
        assert sorted(row[3] for row in incremental["report_phases"]) == ["巩固提升", "自查自纠", "集中整治（延长）"]

    async def test_rollups_and_raw_facts_give_the_same_figures(self, database: Database) -> None:
        issues, escalations = generated(ISSUES, seed=11)
        await rebuild(database, issues, escalations)
        today = date(2026, 6, 1)
        campaign = next(e.data["campaign"] for e in reversed(issues.events) if e.type.startswith("campaign."))
        one = ReportFilters(campaign_id=campaign["id"])
        phase = replace(one, phase_id=campaign["phases"][1]["id"])
        every = (ReportFilters(), ReportFilters(source="public"), one, phase, replace(phase, campaign_id=None))
        async with database.session(write=False) as session:
            for f in (*every, replace(phase, source="public")):
                # the summary with its per-phase breakdown (under a campaign) from the phase rollup
                fast_summary = await figures.summary(session, f, today=today, with_province=False)
                plain_summary = await figures.summary(session, f, today=today, with_province=False, use_rollups=False)
                assert fast_summary == plain_summary
                assert (fast_summary.phases is not None) == (f.campaign_id is not None)
                fast = await figures.figures(session, f, today=today)
                plain = await figures.figures(session, f, today=today, use_rollups=False)
                assert fast == plain
                fast_units = await figures.unit_ranking(session, f, today=today, only_unit=None)
                plain_units = await figures.unit_ranking(session, f, today=today, only_unit=None, use_rollups=False)
                assert fast_units == plain_units
                fast_trend = await figures.trend(session, f, granularity="month", today=today)
                plain_trend = await figures.trend(session, f, granularity="month", today=today, use_rollups=False)
                assert fast_trend == plain_trend
                assert fast.total > 0

    async def test_a_phases_trend_is_summed_from_the_daily_rollup(self, database: Database) -> None:
        """A leader's trend of one phase sums the daily rollup's rows (keyed by campaign and phase), not every
        fact of the campaign, and says what the facts say."""
        from sqlalchemy import event

        issues, escalations = generated(ISSUES, seed=11)
        await rebuild(database, issues, escalations)
        today = date(2026, 6, 1)
        campaign = next(e.data["campaign"] for e in reversed(issues.events) if e.type.startswith("campaign."))
        statements: list[str] = []

        def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            statements.append(statement)

        async with database.session(write=False) as session:
            for phase in campaign["phases"]:
                f = ReportFilters(campaign_id=campaign["id"], phase_id=phase["id"])
                event.listen(database.engine.sync_engine, "before_cursor_execute", count)
                try:
                    trend = await figures.trend(session, f, granularity="week", today=today)
                finally:
                    event.remove(database.engine.sync_engine, "before_cursor_execute", count)
                assert trend == await figures.trend(session, f, granularity="week", today=today, use_rollups=False)
        assert statements
        assert not [s for s in statements if "report_issues" in s]


def final_states(issues: Feed) -> list[dict[str, Any]]:
    """Each item's state after its last event: what the ledger holds."""
    return list({e.subject_id: e.data["issue"] for e in issues.events if e.type.startswith("issue.")}.values())


class TestPhaseFigures:
    async def test_each_phases_figures_equal_a_recomputation_from_the_items(self, database: Database) -> None:
        issues, escalations = generated(ISSUES, seed=11)
        await apply_incrementally(database, issues, escalations)
        campaign = next(e.data["campaign"] for e in reversed(issues.events) if e.type.startswith("campaign."))
        today = date(2026, 6, 1)
        states = final_states(issues)
        async with database.session(write=False) as session:
            f = ReportFilters(campaign_id=campaign["id"])
            breakdown = await figures.phase_breakdown(session, f, campaign_id=campaign["id"], today=today)
            for phase_id in [p["id"] for p in campaign["phases"]] + [None]:
                mine = [s for s in states if s["phase_id"] == phase_id]
                closed = sum(s["status"] == "closed" for s in mine)
                cancelled = sum(s["status"] == "cancelled" for s in mine)
                overdue = sum(
                    s["status"] not in ("closed", "cancelled") and bool(s["deadline"]) and s["deadline"] < str(today)
                    for s in mine
                )
                expected = (len(mine), closed, cancelled, overdue)
                if phase_id is not None:
                    got = await figures.figures(session, replace(f, phase_id=phase_id), today=today)
                    assert (got.total, got.closed, got.cancelled, got.overdue) == expected
                [row] = [r for r in breakdown if r.phase_id == phase_id]
                assert (row.total, row.closed, row.cancelled, row.overdue) == expected
                assert mine, "every phase and the no-phase group hold items in this history"
        assert [r.phase_name for r in breakdown] == ["自查自纠", "集中整治（延长）", "巩固提升", ""]


class TestRebuildEndpoint:
    async def test_admin_rebuild_clears_the_read_model_and_cursors(
        self, client: httpx.AsyncClient, tokens: TokenFactory, database: Database
    ) -> None:
        issues, escalations = generated(20)
        await rebuild(database, issues, escalations)
        admin = tokens.headers("admin-1", role="admin")
        office = tokens.headers("office-1", role="office")
        assert (await client.post("/api/v1/reports/admin/rebuild", headers=office)).status_code == 403
        response = await client.post("/api/v1/reports/admin/rebuild", headers=admin)
        assert response.status_code == 202
        for _ in range(100):  # cleared in the background, after the answer
            summary = (await client.get("/api/v1/reports/summary", headers=admin)).json()
            if (summary["total"], summary["as_of_seq"]) == (0, 0):
                break
            await asyncio.sleep(0.05)
        assert (summary["total"], summary["as_of_seq"]) == (0, 0)
        await rebuild(database, issues, escalations)
        assert (await client.get("/api/v1/reports/summary", headers=admin)).json()["total"] == 20


class TestPageStatements:
    """A page of issue events is folded in memory and written in a few statements, whatever its size: the facts and
    the rollups' moves (summed by key over the page) one statement on PostgreSQL, a statement a table on SQLite,
    never a statement per event."""

    async def test_a_page_is_written_in_a_few_round_trips_whatever_it_holds(self, database: Database) -> None:
        from sqlalchemy import event

        from report_api.readmodel.feeds import issues_consumer
        from report_testing.rebuild import NoSource

        issues, _ = generated(120, seed=5)
        consumer = issues_consumer(database, NoSource())
        round_trips: list[int] = []

        def count(*_args: Any) -> None:
            round_trips[-1] += 1

        # The directory's and the campaign's events first (a statement each), then pages of issue events only.
        kinds = [e.type.split(".", 1)[0] for e in issues.events]
        first_issue = kinds.index("issue")
        end = next(i for i in range(first_issue, len(kinds)) if kinds[i] != "issue")  # the campaign's renaming
        assert end > first_issue + 400
        await consumer.apply(issues.page(0, first_issue))
        event.listen(database.engine.sync_engine, "before_cursor_execute", count)
        try:
            for start, stop in ((first_issue, first_issue + 3), (first_issue + 3, first_issue + 300), (300, end)):
                round_trips.append(0)
                await consumer.apply(issues.page(start, stop))
        finally:
            event.remove(database.engine.sync_engine, "before_cursor_execute", count)
        if database.is_postgres:
            # The cursor's lock and move; the facts, the escalation levels of new ones and the calendar read in one
            # statement; the facts and every rollup written in one, the emptied rollup rows removed in another; the
            # moved units deleted and inserted.
            assert max(round_trips) <= 7, round_trips
        else:
            # `BEGIN` and the same with the facts, the levels and the calendar read, and the facts and each of the
            # five rollups written and emptied, a statement each.
            assert max(round_trips) <= 19, round_trips
        assert round_trips[0] >= 4, round_trips  # counted at all
