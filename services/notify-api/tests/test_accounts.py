"""A user deactivated or moved in issues-api's directory loses notify-api at once, not when the token expires;
so does an integration client deactivated, unbound from a unit or deprived of a scope (`client.*` events)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from notify_api.directory.accounts import account_lookup
from notify_testing.world import UNIT_A, UNIT_B, World, user
from rectify_kit.revocation import AccountCheck
from rectify_kit.testing import TokenFactory


@pytest.fixture
def checked(app: FastAPI, tokens: TokenFactory) -> None:
    """The app's verifier with the account check it has in production, looking the account up every time."""
    accounts = AccountCheck(account_lookup(app.state.database), ttl_seconds=0)
    app.state.token_verifier = tokens.verifier(account_check=accounts)


@pytest.mark.usefixtures("checked")
@pytest.mark.parametrize(
    ("change", "expected"),
    [({}, 200), ({"active": False}, 401), ({"unit_id": UNIT_B}, 401), ({"role": "office", "unit_id": None}, 401)],
)
async def test_a_token_holds_while_the_feed_says_its_user_is_unchanged(
    client: httpx.AsyncClient, world: World, change: dict[str, object], expected: int
) -> None:
    headers = world.headers("u-a")
    assert (await client.get("/api/v1/notifications", headers=headers)).status_code == 200
    await world.feed("user.updated", "u-a", {"user": {**user("u-a", "unit", UNIT_A), **change}})
    response = await client.get("/api/v1/notifications", headers=headers)
    assert response.status_code == expected
    if expected == 401:
        assert response.json()["code"] == "invalid-token"


@pytest.mark.usefixtures("checked")
async def test_a_token_older_than_the_users_password_change_is_refused(client: httpx.AsyncClient, world: World) -> None:
    old = dict(world.tokens.headers("u-a", role="unit", unit_id=UNIT_A, username="u-a", iat=1_700_000_000))
    assert (await client.get("/api/v1/notifications", headers=old)).status_code == 200
    changed = {**user("u-a", "unit", UNIT_A), "not_before": "2025-01-01T00:00:00+00:00"}
    await world.feed("user.updated", "u-a", {"user": changed})
    refused = await client.get("/api/v1/notifications", headers=old)
    assert refused.status_code == 401
    assert refused.json()["code"] == "invalid-token"
    fresh = dict(world.tokens.headers("u-a", role="unit", unit_id=UNIT_A, username="u-a"))
    assert (await client.get("/api/v1/notifications", headers=fresh)).status_code == 200


@pytest.mark.usefixtures("checked")
async def test_a_user_the_feed_has_not_brought_yet_passes(client: httpx.AsyncClient, world: World) -> None:
    headers = dict(world.tokens.headers("u-new", role="unit", unit_id=UNIT_A, username="new"))
    assert (await client.get("/api/v1/notifications", headers=headers)).status_code == 200


def oa_client(**change: object) -> dict[str, object]:
    base = {"id": "client-oa", "name": "协同办公", "scopes": ["webhooks:manage", "events:read"], "unit_ids": [UNIT_A]}
    return {**base, "active": True, **change}


@pytest.mark.usefixtures("checked")
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, 200),
        ({"active": False}, 401),
        ({"unit_ids": []}, 401),
        ({"scopes": ["webhooks:manage"]}, 401),
        ({"not_before": "2999-01-01T00:00:00+00:00"}, 401),  # its secret rotated after the token was issued
    ],
)
async def test_a_client_token_holds_while_the_feed_says_the_client_still_has_its_scopes_and_units(
    client: httpx.AsyncClient, world: World, change: dict[str, object], expected: int
) -> None:
    claims = {"kind": "client", "role": "integration", "scope": "webhooks:manage events:read", "unit_ids": [UNIT_A]}
    headers = dict(world.tokens.headers("client-oa", **claims))
    await world.feed("client.created", "client-oa", {"client": oa_client()})
    assert (await client.get("/api/v1/webhooks", headers=headers)).status_code == 200
    await world.feed("client.updated", "client-oa", {"client": oa_client(**change)})
    response = await client.get("/api/v1/webhooks", headers=headers)
    assert response.status_code == expected
