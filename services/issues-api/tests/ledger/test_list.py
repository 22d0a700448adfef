"""Listing issues: filters, search, sorting, cursor pagination and the total."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from issues_testing.ledger import LedgerWorld
from rectify_kit.pagination import encode_cursor

# On both backends: the list's SQL differs (ILIKE search, `= ANY` on PostgreSQL, an IN list on SQLite), and so
# could its sorting and keyset pagination.
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]


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


async def _walk(world: LedgerWorld, headers: Any, **params: Any) -> tuple[list[str], set[int]]:
    seen: list[str] = []
    totals: set[int] = set()
    cursor = None
    while True:
        sent = {**params, **({"cursor": cursor} if cursor else {})}
        response = await world.client.get("/api/v1/issues", params=sent, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        seen += [i["id"] for i in page["items"]]
        totals.add(page["total"])
        cursor = page["next_cursor"]
        if cursor is None:
            return seen, totals


async def test_unit_lists_merge_led_and_co_handled_issues_page_by_page(world: LedgerWorld) -> None:
    led_by_c, co_handled_by_c = [], []
    for n in range(6):
        world.clock.advance(timedelta(minutes=1))
        issue = await world.create_issue(title=f"branch-{n}")
        lead, co = ("C", "B") if n % 2 else ("A", "C")
        body = {"lead_unit_id": world.units[lead], "co_unit_ids": [world.units[co]], "deadline": "2026-12-31"}
        assert (await world.step(issue["id"], "assign", world.headers("office"), body)).status_code == 200
        (led_by_c if lead == "C" else co_handled_by_c).append(issue["id"])
    await world.create_issue(title="branch-unassigned")
    newest_first = [i for pair in zip(led_by_c[::-1], co_handled_by_c[::-1], strict=True) for i in pair]
    as_office = await _walk(world, world.headers("office"), q="branch-", unit_id=world.units["C"], limit=4)
    as_unit = await _walk(world, world.headers("unit", "C"), q="branch-", limit=4, sort="-created_at")
    assert as_office == as_unit == (newest_first, {6})
    # A unit user filtering by another unit sees only the issues both have a part in.
    shared_with_b = await _walk(world, world.headers("unit", "C"), q="branch-", unit_id=world.units["B"], limit=2)
    assert shared_with_b == (led_by_c[::-1], {3})


async def test_search_finds_an_item_by_its_code(world: LedgerWorld) -> None:
    issue = await world.create_issue(title="编号检索 code-search")
    other = await world.create_issue(title="编号检索 code-search")
    exact = await listing(world, q=issue["code"])
    lower = await listing(world, q=issue["code"].lower())
    assert [i["id"] for i in exact["items"]] == [issue["id"]]
    assert [i["id"] for i in lower["items"]] == [issue["id"]]
    # The campaign's prefix finds its items alongside words.
    by_prefix = await listing(world, q="YS-", limit=200)
    assert {issue["id"], other["id"]} <= {i["id"] for i in by_prefix["items"]}
    as_other_unit = await world.client.get(
        "/api/v1/issues", params={"q": issue["code"]}, headers=world.headers("unit", "C")
    )
    assert as_other_unit.json()["total"] == 0  # a unit finds only its own items, by code as by words


async def test_offset_jumps_to_a_page_for_the_office_and_a_unit(world: LedgerWorld) -> None:
    for n in range(7):
        world.clock.advance(timedelta(minutes=1))
        issue = await world.create_issue(title=f"jump-{n}")
        lead, co = ("C", "B") if n % 2 else ("A", "C")
        body = {"lead_unit_id": world.units[lead], "co_unit_ids": [world.units[co]], "deadline": "2026-12-31"}
        assert (await world.step(issue["id"], "assign", world.headers("office"), body)).status_code == 200
    for headers in (world.headers("office"), world.headers("unit", "C")):
        every, _ = await _walk(world, headers, q="jump-", limit=200, sort="-created_at")
        assert len(every) == 7
        third = await world.client.get(
            "/api/v1/issues", params={"q": "jump-", "limit": 3, "offset": 6, "sort": "-created_at"}, headers=headers
        )
        second = await world.client.get(
            "/api/v1/issues", params={"q": "jump-", "limit": 3, "offset": 3, "sort": "-created_at"}, headers=headers
        )
        assert [i["id"] for i in second.json()["items"]] == every[3:6]
        assert [i["id"] for i in third.json()["items"]] == every[6:]
        assert third.json()["total"] == 7
    negative = await world.client.get("/api/v1/issues", params={"offset": -1}, headers=world.headers("office"))
    assert negative.status_code == 422
    assert negative.headers["content-type"].startswith("application/problem+json")


async def test_urgency_puts_the_most_overdue_open_items_first_and_closed_ones_last(world: LedgerWorld) -> None:
    closed = await world.issue_in("closed", title="urgency-sort")
    undated = await world.create_issue(title="urgency-sort")
    later = await world.issue_in("in_progress", title="urgency-sort")
    sooner = await world.issue_in("assigned", title="urgency-sort")
    move = {"lead_unit_id": world.units["A"], "co_unit_ids": [], "deadline": "2026-11-20"}
    assert (await world.step(sooner["id"], "reassign", world.headers("office"), move)).status_code == 200
    expected = [sooner["id"], later["id"], undated["id"], closed["id"]]
    page = await listing(world, q="urgency-sort", sort="urgency")
    walked, _ = await _walk(world, world.headers("office"), q="urgency-sort", sort="urgency", limit=1)
    as_unit, _ = await _walk(world, world.headers("unit", "A"), q="urgency-sort", sort="urgency", limit=1)
    assert [i["id"] for i in page["items"]] == expected
    assert page["items"][0]["overdue"] is True
    assert walked == expected
    assert as_unit == [sooner["id"], later["id"], closed["id"]]
    reversed_ = await listing(world, q="urgency-sort", sort="-urgency")
    assert [i["id"] for i in reversed_["items"]] == expected[::-1]
