"""A user deactivated or moved in issues-api's directory loses the reports at once, not when the token expires."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from rectify_kit.db import Database
from rectify_kit.revocation import AccountCheck
from rectify_kit.testing import TokenFactory
from report_api.readmodel.accounts import account_lookup
from report_api.readmodel.service import apply_issues_page
from report_testing.history import Feed, at

UNIT_A, UNIT_B = "unit-a", "unit-b"


def user(**changes: Any) -> dict[str, Any]:
    body = {"id": "u-a", "username": "a", "display_name": "A", "role": "unit", "unit_id": UNIT_A, "active": True}
    return {**body, **changes}


async def apply_user(database: Database, feed: Feed, type_: str, data: dict[str, Any]) -> None:
    feed.add(type_, data["id"], {"user": data}, at("2026-08-01"))
    async with database.session() as session:
        await apply_issues_page(session, feed.events[-1:])


@pytest.fixture
def checked(app: FastAPI, database: Database, tokens: TokenFactory) -> None:
    """The app's verifier with the account check it has in production, looking the account up every time."""
    app.state.token_verifier = tokens.verifier(account_check=AccountCheck(account_lookup(database), ttl_seconds=0))


@pytest.mark.usefixtures("checked")
@pytest.mark.parametrize(
    ("change", "expected"),
    [({}, 200), ({"active": False}, 401), ({"unit_id": UNIT_B}, 401), ({"role": "leader", "unit_id": None}, 401)],
)
async def test_a_token_holds_while_the_feed_says_its_user_is_unchanged(
    client: httpx.AsyncClient, database: Database, tokens: TokenFactory, change: dict[str, Any], expected: int
) -> None:
    feed = Feed()
    await apply_user(database, feed, "user.created", user())
    headers = dict(tokens.headers("u-a", role="unit", unit_id=UNIT_A, kind="user"))
    assert (await client.get("/api/v1/reports/summary", headers=headers)).status_code == 200
    await apply_user(database, feed, "user.updated", user(**change))
    response = await client.get("/api/v1/reports/summary", headers=headers)
    assert response.status_code == expected
    if expected == 401:
        assert response.json()["code"] == "invalid-token"


@pytest.mark.usefixtures("checked")
async def test_a_user_the_feed_has_not_brought_yet_passes(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    headers = dict(tokens.headers("u-new", role="leader", kind="user"))
    assert (await client.get("/api/v1/reports/summary", headers=headers)).status_code == 200


@pytest.mark.usefixtures("checked")
async def test_a_token_older_than_the_users_password_change_is_refused(
    client: httpx.AsyncClient, database: Database, tokens: TokenFactory
) -> None:
    feed = Feed()
    await apply_user(database, feed, "user.created", user())
    old = dict(tokens.headers("u-a", role="unit", unit_id=UNIT_A, kind="user", iat=1_700_000_000))
    assert (await client.get("/api/v1/reports/summary", headers=old)).status_code == 200
    await apply_user(database, feed, "user.updated", user(not_before="2025-01-01T00:00:00+00:00"))
    refused = await client.get("/api/v1/reports/summary", headers=old)
    fresh = dict(tokens.headers("u-a", role="unit", unit_id=UNIT_A, kind="user"))
    assert refused.status_code == 401
    assert (await client.get("/api/v1/reports/summary", headers=fresh)).status_code == 200


async def apply_client(database: Database, feed: Feed, type_: str, **changes: Any) -> None:
    body = {"id": "oa", "name": "省协同办公", "scopes": ["reports:read"], "active": True, "not_before": None}
    feed.add(type_, "oa", {"client": {**body, **changes}}, at("2026-08-01"))
    async with database.session() as session:
        await apply_issues_page(session, feed.events[-1:])


@pytest.mark.usefixtures("checked")
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, 200),
        ({"active": False}, 401),
        ({"scopes": []}, 401),
        ({"not_before": "2025-01-01T00:00:00+00:00"}, 401),
    ],
)
async def test_a_disabled_or_rotated_client_loses_the_reports_at_once(
    client: httpx.AsyncClient, database: Database, tokens: TokenFactory, change: dict[str, Any], expected: int
) -> None:
    feed = Feed()
    await apply_client(database, feed, "client.created")
    headers = dict(tokens.headers("oa", kind="client", scope="reports:read", iat=1_700_000_000))
    assert (await client.get("/api/v1/reports/summary", headers=headers)).status_code == 200
    await apply_client(database, feed, "client.updated", **change)
    assert (await client.get("/api/v1/reports/summary", headers=headers)).status_code == expected


@pytest.mark.usefixtures("checked")
@pytest.mark.parametrize(("bound", "expected"), [(["unit-a", "unit-b"], 200), (["unit-b"], 401)])
async def test_a_client_bound_to_units_reads_the_reports_while_it_keeps_them(
    client: httpx.AsyncClient, database: Database, tokens: TokenFactory, bound: list[str], expected: int
) -> None:
    """Its tokens claim the units it is bound to (`unit_ids`): a token is void only once a claimed unit is lost."""
    feed = Feed()
    await apply_client(database, feed, "client.created", scopes=["reports:read", "issues:act"], unit_ids=["unit-a"])
    headers = dict(tokens.headers("oa", kind="client", scope="reports:read issues:act", unit_ids=["unit-a"]))
    assert (await client.get("/api/v1/reports/summary", headers=headers)).status_code == 200
    await apply_client(database, feed, "client.updated", scopes=["reports:read", "issues:act"], unit_ids=bound)
    assert (await client.get("/api/v1/reports/summary", headers=headers)).status_code == expected


async def test_a_page_of_directory_events_is_written_once_per_table_the_last_word_kept(database: Database) -> None:
    """A directory import comes as a page of `unit.*` and `user.*` events: one statement per table, and of a
    user named twice in the page, what the later event says."""
    from sqlalchemy import event, select

    from report_api.readmodel import repository as repo

    feed = Feed()
    for n in range(3):
        feed.add("unit.created", f"unit-{n}", {"unit": {"id": f"unit-{n}", "code": f"U{n}", "name": f"处室{n}"}}, "")
    feed.add("user.created", "u-a", {"user": user()}, at("2026-08-01"))
    feed.add("user.created", "u-b", {"user": user(id="u-b", username="b")}, at("2026-08-01"))
    feed.add("user.updated", "u-a", {"user": user(active=False)}, at("2026-08-02"))
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    try:
        async with database.session() as session:
            await apply_issues_page(session, feed.events)
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", count)
    assert len(statements) == 2, statements
    async with database.session(write=False) as session:
        accounts = dict((await session.execute(select(repo.accounts.c.id, repo.accounts.c.active))).all())
        units = (await session.execute(select(repo.unit_names.c.name).order_by(repo.unit_names.c.id))).scalars()
        assert (accounts, list(units)) == ({"u-a": False, "u-b": True}, ["处室0", "处室1", "处室2"])
