"""Every figure of a known event history, exactly; the edge cases are named in scenario.py."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from openpyxl import Workbook, load_workbook

from rectify_kit.clock import FixedClock
from rectify_kit.db import Database
from rectify_kit.testing import TokenFactory
from report_api.readmodel.feeds import escalations_consumer, issues_consumer
from report_api.readmodel.service import apply_escalations_page, apply_issues_page
from report_testing.rebuild import NoSource
from report_testing.scenario import CAMPAIGN, K1, U1, U2, U3, Scenario, build


async def feed(database: Database, scenario: Scenario, *, page: int = 7) -> None:
    """Apply both feeds in small interleaved pages, escalations first (they may arrive before the issue)."""
    issues = issues_consumer(database, NoSource())
    escalations = escalations_consumer(database, NoSource())
    await escalations.apply(scenario.escalations.page())
    for start in range(0, len(scenario.issues.events), page):
        await issues.apply(scenario.issues.page(start, start + page))


# The history is fed once per backend; every test here only reads it.
# On both backends: the read model is written by each dialect's upserts and read through its rollups' aggregates.
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fed(module_database_url: str) -> AsyncIterator[tuple[Database, Scenario]]:
    database = Database(module_database_url)
    built = build()
    await feed(database, built)
    try:
        yield database, built
    finally:
        await database.dispose()


@pytest.fixture
def scenario(fed: tuple[Database, Scenario]) -> Scenario:
    return fed[1]


@pytest_asyncio.fixture(loop_scope="module")
async def client(
    fed: tuple[Database, Scenario], make_app: Callable[[Database, Path], FastAPI], tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    app = make_app(fed[0], tmp_path)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://report") as http:
        yield http


def office(tokens: TokenFactory) -> dict[str, str]:
    return dict(tokens.headers("office-1", role="office"))


def unit_user(tokens: TokenFactory, unit: str) -> dict[str, str]:
    return dict(tokens.headers(f"user-{unit}", role="unit", unit_id=unit))


class TestSummary:
    async def test_every_figure_of_the_known_history(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        body = (await client.get("/api/v1/reports/summary", headers=office(tokens))).json()
        # Freshness has tests of its own (test_freshness.py): its figures depend on when the feeds were read.
        assert datetime.fromisoformat(body.pop("checked_at")) <= datetime.now(UTC)
        assert body.pop("lag_events") in (0, None)
        assert body == {
            "total": 7,
            "open": 3,
            "closed": 3,
            "cancelled": 1,
            "overdue": 1,
            "closure_rate": 0.5,
            "on_time_rate": 0.6667,
            "on_time_rate_original": 0.3333,
            "satisfaction_rate": 0.5,
            "dissatisfied": 1,
            "appeals": 1,
            "avg_working_days_to_close": 13.67,
            "reopen_count": 1,
            "escalations_by_level": {"0": 0, "1": 1, "2": 0, "3": 1, "4": 0},
            "province": None,
            "phases": None,
            "as_of_seq": len(scenario.issues.events),
        }

    async def test_replaying_the_feeds_changes_nothing(
        self, client: httpx.AsyncClient, tokens: TokenFactory, fed: tuple[Database, Scenario]
    ) -> None:
        database, scenario = fed
        before = (await client.get("/api/v1/reports/summary", headers=office(tokens))).json()
        async with database.session() as session:
            await apply_issues_page(session, scenario.issues.events)
            await apply_escalations_page(session, scenario.escalations.events)
        after = (await client.get("/api/v1/reports/summary", headers=office(tokens))).json()
        assert after == before


class TestFilters:
    @pytest.mark.parametrize(
        ("query", "total", "closed", "open_"),
        [
            ({"unit_id": U1}, 3, 3, 0),  # A and B led by U1, C with U1 as co-unit
            ({"unit_id": U3}, 2, 0, 2),  # G led by U3, E with U3 as co-unit
            ({"category_id": K1}, 3, 3, 0),
            ({"source": "public"}, 2, 1, 1),
            ({"city": "130200"}, 1, 0, 1),
            ({"from": "2026-09-05", "to": "2026-09-15"}, 3, 0, 2),  # D (cancelled), E, G
            ({"campaign_id": CAMPAIGN, "source": "inspection"}, 5, 2, 2),
            ({"campaign_id": "c0000000-0000-0000-0000-0000000000ff"}, 0, 0, 0),  # a campaign with no issues
        ],
    )
    async def test_summary_counts_only_matching_issues(
        self,
        client: httpx.AsyncClient,
        tokens: TokenFactory,
        scenario: Scenario,
        query: dict[str, str],
        total: int,
        closed: int,
        open_: int,
    ) -> None:
        body = (await client.get("/api/v1/reports/summary", params=query, headers=office(tokens))).json()
        assert (body["total"], body["closed"], body["open"]) == (total, closed, open_)

    @pytest.mark.parametrize("field", ["campaign_id", "unit_id", "category_id"])
    @pytest.mark.parametrize("path", ["summary", "units", "trend", "overdue", "lights", "ledger.xlsx"])
    async def test_an_id_filter_that_is_no_id_is_a_422_problem_not_empty_figures(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario, path: str, field: str
    ) -> None:
        for value in ("another", f"{CAMPAIGN}0", "' or 1=1 --"):
            response = await client.get(f"/api/v1/reports/{path}", params={field: value}, headers=office(tokens))
            assert response.status_code == 422, (value, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["errors"][0]["field"] == field


class TestUnits:
    async def test_ranking_orders_lead_units_and_names_red_and_black_lists(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        body = (await client.get("/api/v1/reports/units", headers=office(tokens))).json()
        rows = [
            (r["rank"], r["unit_id"], r["unit_name"], r["total"], r["closed"], r["cancelled"], r["overdue"])
            for r in body["items"]
        ]
        assert rows == [
            (1, U1, "政策法规处", 2, 2, 0, 0),
            (2, U2, "科技合作处", 3, 1, 1, 1),
            (3, U3, "成果转化处", 1, 0, 0, 0),
        ]
        rates = [(r["closure_rate"], r["on_time_rate"], r["on_time_rate_original"]) for r in body["items"]]
        assert rates == [(1.0, 1.0, 0.5), (0.5, 0.0, 0.0), (0.0, None, None)]
        assert (body["red_list"], body["black_list"]) == ([U1], [U3])

    async def test_unit_user_sees_only_their_row_with_its_overall_rank(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        body = (await client.get("/api/v1/reports/units", headers=unit_user(tokens, U2))).json()
        assert [(r["rank"], r["unit_id"]) for r in body["items"]] == [(2, U2)]
        assert (body["red_list"], body["black_list"]) == ([], [])


class TestTrend:
    async def test_monthly_new_closed_and_open_at_end(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        params = {"granularity": "month", "from": "2026-09-01", "to": "2026-10-31"}
        body = (await client.get("/api/v1/reports/trend", params=params, headers=office(tokens))).json()
        points = [(p["period"], p["new"], p["closed"], p["open_at_end"]) for p in body["items"]]
        assert points == [("2026-09", 6, 3, 2), ("2026-10", 1, 0, 3)]

    async def test_weekly_counts_the_final_closure_of_a_reopened_issue(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        params = {"granularity": "week", "from": "2026-09-14", "to": "2026-09-20"}
        body = (await client.get("/api/v1/reports/trend", params=params, headers=office(tokens))).json()
        assert [(p["period"], p["new"], p["closed"], p["open_at_end"]) for p in body["items"]] == [
            ("2026-W38", 1, 2, 3)
        ]

    async def test_default_window_is_twelve_weeks_ending_today(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        body = (await client.get("/api/v1/reports/trend", headers=office(tokens))).json()
        assert len(body["items"]) == 12
        assert body["items"][-1]["period"] == "2026-W41"
        assert body["items"][-1]["open_at_end"] == 3


class TestCategories:
    async def test_figures_per_category(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        body = (await client.get("/api/v1/reports/categories", headers=office(tokens))).json()
        rows = [
            (r["category_name"], r["total"], r["open"], r["closed"], r["cancelled"], r["overdue"], r["closure_rate"])
            for r in body["items"]
        ]
        assert rows == [("监管执法", 4, 3, 0, 1, 1, 0.0), ("审批服务", 3, 0, 3, 0, 0, 1.0)]


class TestOverdue:
    async def test_days_overdue_skip_the_national_day_holiday(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        body = (await client.get("/api/v1/reports/overdue", headers=office(tokens))).json()
        assert body["total"] == 1
        [item] = body["items"]
        # Deadline Wed 30 Sep; 1–7 Oct are holidays; Thu 8 and Fri 9 Oct are the two working days past it.
        assert (item["id"], item["deadline"], item["days_overdue"]) == (scenario.stories["E"].id, "2026-09-30", 2)
        assert (item["lead_unit_name"], item["co_unit_ids"], item["max_escalation_level"]) == ("科技合作处", [U3], 3)

    async def test_pages_with_a_cursor(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        first = (await client.get("/api/v1/reports/overdue", params={"limit": 1}, headers=office(tokens))).json()
        assert len(first["items"]) == 1
        params = {"limit": 1, "cursor": first["next_cursor"]}
        second = (await client.get("/api/v1/reports/overdue", params=params, headers=office(tokens))).json()
        assert (second["items"], second["next_cursor"], second["total"]) == ([], None, 1)

    async def test_unit_user_sees_only_their_units_overdue_items(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        mine = (await client.get("/api/v1/reports/overdue", headers=unit_user(tokens, U3))).json()
        other = (await client.get("/api/v1/reports/overdue", headers=unit_user(tokens, U1))).json()
        assert [i["id"] for i in mine["items"]] == [scenario.stories["E"].id]
        assert (other["items"], other["total"]) == ([], 0)


class TestAccountability:
    async def test_red_card_and_repeated_returns_are_listed(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        body = (await client.get("/api/v1/reports/accountability", headers=office(tokens))).json()
        stories = scenario.stories
        assert [(i["id"], i["reasons"]) for i in body["items"]] == [
            (stories["E"].id, ["red_card"]),
            (stories["G"].id, ["repeated_returns"]),
        ]
        assert [(u["unit_id"], u["issues"], u["red_cards"], u["repeated_returns"]) for u in body["units"]] == [
            (U2, 1, 1, 0),
            (U3, 1, 0, 1),
        ]

    async def test_unit_user_sees_none_of_another_units_items(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        body = (await client.get("/api/v1/reports/accountability", headers=unit_user(tokens, U1))).json()
        assert (body["items"], body["units"], body["total"]) == ([], [], 0)


class TestScoping:
    async def test_unit_user_gets_their_figures_and_the_province_totals(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        body = (await client.get("/api/v1/reports/summary", headers=unit_user(tokens, U3))).json()
        assert (body["total"], body["open"], body["overdue"], body["closure_rate"]) == (2, 2, 1, 0.0)
        assert body["escalations_by_level"]["3"] == 1
        assert (body["province"]["total"], body["province"]["closed"]) == (7, 3)

    @pytest.mark.parametrize("path", ["summary", "units", "trend", "categories", "overdue", "accountability"])
    async def test_unit_user_cannot_filter_on_another_unit(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario, path: str
    ) -> None:
        response = await client.get(f"/api/v1/reports/{path}", params={"unit_id": U1}, headers=unit_user(tokens, U3))
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "other-unit-forbidden"

    async def test_anonymous_reader_is_refused(self, client: httpx.AsyncClient, scenario: Scenario) -> None:
        assert (await client.get("/api/v1/reports/summary")).status_code == 401

    async def test_integration_client_needs_the_reports_scope(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        without = tokens.headers("client-1", kind="client", scope="events:read")
        with_scope = tokens.headers("client-2", kind="client", scope="reports:read")
        assert (await client.get("/api/v1/reports/summary", headers=without)).status_code == 403
        assert (await client.get("/api/v1/reports/summary", headers=with_scope)).json()["total"] == 7


async def workbook(client: httpx.AsyncClient, headers: dict[str, str], **params: str) -> Workbook:
    response = await client.get("/api/v1/reports/ledger.xlsx", params=params, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


class TestLedgerExport:
    async def test_columns_dates_and_frozen_header(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        book = await workbook(client, office(tokens))
        [sheet] = book.worksheets
        rows = list(sheet.iter_rows(values_only=True))
        assert sheet.title == "整改台账"
        assert rows[0] == (
            "序号",
            "编号",
            "问题",
            "原因",
            "措施",
            "责任单位",
            "配合单位",
            "责任人",
            "整改时限",
            "进展",
            "状态",
            "销号时间",
        )
        assert (sheet.freeze_panes, sheet.column_dimensions["C"].width) == ("A2", 40)
        by_title = {row[2]: row for row in rows[1:]}
        assert [row[0] for row in rows[1:]] == list(range(1, 8))
        a, c = by_title["问题A"], by_title["问题C"]
        # Excel has no time zone: the deadline is a date, the closure Beijing wall-clock time.
        deadline, closed_at = datetime.fromisoformat("2026-09-20"), datetime.fromisoformat("2026-09-20T23:00")
        assert (a[5], a[7], a[8], a[10], a[11]) == ("政策法规处", "", deadline, "已销号", closed_at)
        assert (c[5], c[6]) == ("科技合作处", "政策法规处")
        assert by_title["问题B"][9] == "100% 已完成大部分"
        assert sheet["I2"].number_format == "yyyy-mm-dd"

    async def test_one_sheet_per_status_in_english(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        book = await workbook(client, office(tokens), split="status", lang="en")
        assert book.sheetnames == ["Registered", "In progress", "Closed", "Cancelled"]
        assert [s.max_row - 1 for s in book.worksheets] == [1, 2, 3, 1]
        assert book.worksheets[0]["A1"].value == "No."

    async def test_one_sheet_per_lead_unit(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        book = await workbook(client, office(tokens), split="unit")
        assert sorted(book.sheetnames) == sorted(["政策法规处", "科技合作处", "成果转化处", "未交办"])

    async def test_unit_user_exports_only_their_units_issues(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        book = await workbook(client, unit_user(tokens, U1))
        titles = sorted(row[2] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True))
        assert titles == ["问题A", "问题B", "问题C"]

    async def test_accept_language_english_and_another_units_export_refused(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        book = await workbook(client, {**office(tokens), "Accept-Language": "en-GB,en;q=0.9"})
        assert (book.sheetnames, book.worksheets[0]["K1"].value) == (["Ledger"], "Status")
        other = await client.get("/api/v1/reports/ledger.xlsx", params={"unit_id": U1}, headers=unit_user(tokens, U3))
        assert other.status_code == 403


class TestStatuses:
    async def test_every_status_is_counted_zero_or_not(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        body = (await client.get("/api/v1/reports/statuses", headers=office(tokens))).json()
        assert {i["status"]: i["count"] for i in body["items"]} == {
            "registered": 1,
            "assigned": 0,
            "returned": 0,
            "in_progress": 2,
            "pending_review": 0,
            "closed": 3,
            "cancelled": 1,
        }
        assert body["as_of_seq"] == len(scenario.issues.events)

    async def test_a_unit_user_counts_only_their_units_issues(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        body = (await client.get("/api/v1/reports/statuses", headers=unit_user(tokens, U3))).json()
        counted = {i["status"]: i["count"] for i in body["items"] if i["count"]}
        assert counted == {"in_progress": 2}  # E as co-unit, G as lead


class TestLights:
    async def test_open_issues_by_light_with_the_make_up_saturday_counted(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        body = (await client.get("/api/v1/reports/lights", headers=office(tokens))).json()
        # Friday 9 October: Saturday 10 (调休), Monday 12 and Tuesday 13 are the next three working days.
        assert (body["today"], body["due_soon_until"]) == ("2026-10-09", "2026-10-13")
        # E is past its deadline, G (20 October) is green, F has no deadline yet.
        assert (body["red"], body["yellow"], body["green"], body["no_deadline"]) == (1, 0, 1, 1)

    async def test_an_issue_turns_yellow_three_working_days_before_its_deadline(
        self, client: httpx.AsyncClient, tokens: TokenFactory, clock: FixedClock, scenario: Scenario
    ) -> None:
        clock.set(datetime(2026, 10, 15, 4, 0, tzinfo=UTC))  # Thursday: Friday 16, Monday 19, Tuesday 20
        body = (await client.get("/api/v1/reports/lights", headers=office(tokens))).json()
        assert (body["due_soon_until"], body["red"], body["yellow"], body["green"]) == ("2026-10-20", 1, 1, 0)

    async def test_a_unit_user_sees_their_units_lights(
        self, client: httpx.AsyncClient, tokens: TokenFactory, scenario: Scenario
    ) -> None:
        mine = (await client.get("/api/v1/reports/lights", headers=unit_user(tokens, U1))).json()
        other = await client.get("/api/v1/reports/lights", params={"unit_id": U2}, headers=unit_user(tokens, U1))
        assert (mine["red"], mine["yellow"], mine["green"], mine["no_deadline"]) == (0, 0, 0, 0)
        assert other.status_code == 403
