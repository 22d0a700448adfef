"""A user deactivated or moved in issues-api's directory loses notify-api at once, not when the token expires."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from notify_support import UNIT_A, UNIT_B, World, user

from notify_api.directory.accounts import account_lookup
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
async def test_a_user_the_feed_has_not_brought_yet_passes(client: httpx.AsyncClient, world: World) -> None:
    headers = dict(world.tokens.headers("u-new", role="unit", unit_id=UNIT_A, username="new"))
    assert (await client.get("/api/v1/notifications", headers=headers)).status_code == 200
