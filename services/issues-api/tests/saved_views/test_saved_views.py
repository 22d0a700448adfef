"""常用筛选: each user keeps named sets of the ledger's filters, sees only their own, and bad ones change nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from issues_testing.ledger import LedgerWorld

pytestmark = pytest.mark.asyncio(loop_scope="module")
PATH = "/api/v1/issues/saved-views"


async def views_of(world: LedgerWorld, headers: Any) -> list[dict[str, Any]]:
    response = await world.client.get(PATH, headers=headers)
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()
    return result


async def test_a_user_saves_lists_and_deletes_their_own_views(world: LedgerWorld) -> None:
    office = world.headers("office")
    filters = {"status": ["in_progress", "assigned"], "overdue": True, "q": " YS-2017 ", "sort": "urgency"}
    created = await world.client.post(PATH, json={"name": "超期办理中", "filters": filters}, headers=office)
    assert created.status_code == 201, created.text
    view = created.json()
    assert view["name"] == "超期办理中"
    assert view["filters"] == {
        "status": ["in_progress", "assigned"],
        "overdue": True,
        "q": "YS-2017",
        "sort": "urgency",
    }
    world.clock.advance(timedelta(minutes=1))
    second = await world.client.post(
        PATH, json={"name": "待交办", "filters": {"status": ["registered"]}}, headers=office
    )
    assert second.status_code == 201
    assert [v["name"] for v in await views_of(world, office)] == ["超期办理中", "待交办"]
    # Another user, even of the same role, neither sees nor deletes them.
    other_office = world.tokens.headers(
        "office-y", role="office", unit_id=None, username="office-y", kind="user", ttl=3600
    )
    assert await views_of(world, other_office) == []
    assert (await world.client.delete(f"{PATH}/{view['id']}", headers=other_office)).status_code == 404
    assert (await world.client.delete(f"{PATH}/{view['id']}", headers=office)).status_code == 204
    assert [v["name"] for v in await views_of(world, office)] == ["待交办"]
    assert (await world.client.delete(f"{PATH}/{view['id']}", headers=office)).status_code == 404


async def test_the_same_name_twice_is_a_conflict(world: LedgerWorld) -> None:
    unit = world.headers("unit", "A")
    body = {"name": "我的临期", "filters": {"deadline_from": "2026-12-01", "deadline_to": "2026-12-05"}}
    assert (await world.client.post(PATH, json=body, headers=unit)).status_code == 201
    again = await world.client.post(PATH, json=body, headers=unit)
    assert again.status_code == 409
    assert again.json()["code"] == "view-name-taken"
    assert [v["name"] for v in await views_of(world, unit)] == ["我的临期"]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "", "filters": {}},
        {"name": "x" * 61, "filters": {}},
        {"name": "bad status", "filters": {"status": ["done"]}},
        {"name": "bad sort", "filters": {"sort": "title"}},
        {"name": "unknown filter", "filters": {"colour": "red"}},
        {"name": "bad date", "filters": {"deadline_from": "2026-13-01"}},
        {"name": "window", "filters": {"deadline_from": "2026-12-31", "deadline_to": "2026-12-01"}},
        {"filters": {}},
    ],
)
async def test_a_bad_view_is_a_problem_and_nothing_is_saved(world: LedgerWorld, body: dict[str, Any]) -> None:
    headers = world.headers("leader")
    response = await world.client.post(PATH, json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await views_of(world, headers) == []


async def test_saved_views_need_a_reader(world: LedgerWorld) -> None:
    assert (await world.client.get(PATH)).status_code == 401
