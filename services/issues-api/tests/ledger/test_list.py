"""Listing issues: filters, search, sorting, cursor pagination and the total."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from issues_api.ledger.testing import LedgerWorld
from rectify_kit.pagination import encode_cursor

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def listing(world: LedgerWorld, **params: Any) -> dict[str, Any]:
    response = await world.client.get("/api/v1/issues", params=params, headers=world.headers("office"))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_pages_walk_every_issue_once_in_order(world: LedgerWorld) -> None:
    created = []
    for minute in range(7):
        world.clock.advance(timedelta(minutes=1))
        created.append((await world.create_issue(title=f"分页 paging-{minute}"))["id"])
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"q": "paging-", "limit": 3, "sort": "created_at"}
        if cursor:
            params["cursor"] = cursor
        page = await listing(world, **params)
        assert page["total"] == 7
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == created
    newest_first = await listing(world, q="paging-", limit=3, sort="-created_at")
    assert [i["id"] for i in newest_first["items"]] == created[::-1][:3]


async def test_filters_by_status_unit_source_category_and_campaign(world: LedgerWorld) -> None:
    assigned = await world.issue_in("assigned", source="public", category_id=world.category_id, title="filter-a")
    await world.issue_in("registered", source="public", title="filter-b")
    by_status = await listing(world, q="filter-", status="assigned")
    by_unit = await listing(world, q="filter-", unit_id=world.units["B"])
    by_source = await listing(world, q="filter-", source="public", category_id=world.category_id)
    by_campaign = await listing(world, q="filter-", campaign_id="other")
    assert [i["id"] for i in by_status["items"]] == [assigned["id"]]
    assert [i["id"] for i in by_unit["items"]] == [assigned["id"]]
    assert [i["id"] for i in by_source["items"]] == [assigned["id"]]
    assert by_campaign["total"] == 0


async def test_several_statuses_at_once(world: LedgerWorld) -> None:
    await world.issue_in("returned", title="multi-status")
    await world.issue_in("cancelled", title="multi-status")
    page = await listing(world, q="multi-status", status=["returned", "cancelled"])
    assert sorted(i["status"] for i in page["items"]) == ["cancelled", "returned"]


async def test_overdue_filter_uses_the_clock(world: LedgerWorld) -> None:
    late = await world.issue_in("in_progress", title="overdue-check")
    start = world.clock.now()
    try:
        world.clock.set(datetime(2027, 1, 2, 2, 0, tzinfo=UTC))
        overdue = await listing(world, q="overdue-check", overdue=True)
        world.clock.set(start)
        not_yet = await listing(world, q="overdue-check", overdue=True)
    finally:
        world.clock.set(start)
    assert [i["id"] for i in overdue["items"]] == [late["id"]]
    assert overdue["items"][0]["overdue"] is True
    assert not_yet["total"] == 0


async def test_search_matches_description_and_treats_wildcards_literally(world: LedgerWorld) -> None:
    issue = await world.create_issue(title="普通标题", description="企业反映审批100%_超时")
    found = await listing(world, q="100%_超时")
    wildcard = await listing(world, q="%")
    assert [i["id"] for i in found["items"]] == [issue["id"]]
    assert [i["id"] for i in wildcard["items"]] == [issue["id"]]


async def test_sort_by_deadline_puts_undated_issues_last(world: LedgerWorld) -> None:
    undated = await world.create_issue(title="deadline-sort")
    dated = await world.issue_in("assigned", title="deadline-sort")
    page = await listing(world, q="deadline-sort", sort="deadline")
    assert [i["id"] for i in page["items"]] == [dated["id"], undated["id"]]


async def test_bad_sort_or_cursor_is_422(world: LedgerWorld) -> None:
    bad_sort = await world.client.get("/api/v1/issues", params={"sort": "title"}, headers=world.headers("office"))
    bad_cursor = await world.client.get("/api/v1/issues", params={"cursor": "!!"}, headers=world.headers("office"))
    bad_status = await world.client.get("/api/v1/issues", params={"status": "done"}, headers=world.headers("office"))
    wrong_kind = await world.client.get(
        "/api/v1/issues",
        params={"sort": "deadline", "cursor": encode_cursor(["not-a-date", "x"])},
        headers=world.headers("office"),
    )
    assert [r.status_code for r in (bad_sort, bad_cursor, bad_status, wrong_kind)] == [422, 422, 422, 422]
