"""A token stops working when its account is deactivated, moved to another unit or loses scopes, without
waiting for the token to expire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from issues_api.config import Settings, TokenSettings
from issues_testing.tokens import Tokens, post_ok
from rectify_kit.clock import FixedClock
from rectify_kit.settings import AuthSettings

PASSWORD = "correct horse 42"


@pytest.fixture
def settings(database_url: str, key_file: Path, tmp_path: Path) -> Settings:
    # Looked up on every request here; the default trusts an account for 5 s between look-ups.
    return Settings(
        var_dir=tmp_path,
        database_url=database_url,
        log_json=False,
        tokens=TokenSettings(private_key_file=key_file),
        auth=AuthSettings(account_recheck_seconds=0),
    )


async def bearer(client: httpx.AsyncClient, form: dict[str, str]) -> dict[str, str]:
    response = await client.post("/api/v1/auth/token", data=form)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def unit_user(client: httpx.AsyncClient, tokens: Tokens, code: str) -> tuple[dict[str, object], str]:
    unit_body = {"code": code, "name": f"单位{code}", "kind": "department"}
    unit = await post_ok(client, "/api/v1/units", unit_body, tokens.admin())
    body = {"username": "li", "display_name": "李四", "role": "unit", "unit_id": unit["id"], "password": PASSWORD}
    return await post_ok(client, "/api/v1/users", body, tokens.admin()), unit["id"]


def first_edit(tokens: Tokens) -> dict[str, str]:
    """An admin's headers for the first change of a user (ETag version 1)."""
    return {**tokens.admin(), "If-Match": '"1"'}


def refused(response: httpx.Response) -> bool:
    return response.status_code == 401 and response.json()["code"] == "invalid-token"


async def test_a_deactivated_users_token_is_refused_at_once(client: httpx.AsyncClient, tokens: Tokens) -> None:
    user, _ = await unit_user(client, tokens, "A")
    headers = await bearer(client, {"username": "li", "password": PASSWORD})
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    patch = await client.patch(f"/api/v1/users/{user['id']}", json={"active": False}, headers=first_edit(tokens))
    assert patch.status_code == 200, patch.text
    assert refused(await client.get("/api/v1/auth/me", headers=headers))
    assert refused(await client.get("/api/v1/issues", headers=headers))


async def test_a_user_moved_to_another_unit_must_sign_in_again(client: httpx.AsyncClient, tokens: Tokens) -> None:
    user, _ = await unit_user(client, tokens, "A")
    other = await post_ok(client, "/api/v1/units", {"code": "B", "name": "单位B", "kind": "department"}, tokens.admin())
    old = await bearer(client, {"username": "li", "password": PASSWORD})
    patch = await client.patch(f"/api/v1/users/{user['id']}", json={"unit_id": other["id"]}, headers=first_edit(tokens))
    assert patch.status_code == 200, patch.text
    # The old token still names unit A: it would scope the lists to the wrong unit.
    assert refused(await client.get("/api/v1/issues", headers=old))
    new = await bearer(client, {"username": "li", "password": PASSWORD})
    me = await client.get("/api/v1/auth/me", headers=new)
    assert me.json()["unit_id"] == other["id"]


async def test_a_client_loses_its_token_with_a_scope_or_when_disabled(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    body = {"id": "provincial-oa", "name": "省协同办公", "scopes": ["events:read", "directory:read"]}
    created = await post_ok(client, "/api/v1/clients", body, tokens.admin())
    form = {"grant_type": "client_credentials", "client_id": "provincial-oa", "client_secret": created["client_secret"]}
    headers = await bearer(client, form)
    assert (await client.get("/api/v1/events", headers=headers)).status_code == 200
    narrowed = await client.patch(
        "/api/v1/clients/provincial-oa", json={"scopes": ["events:read"]}, headers=tokens.admin()
    )
    assert narrowed.status_code == 200, narrowed.text
    assert refused(await client.get("/api/v1/events", headers=headers))
    headers = await bearer(client, form)  # a new token carries only the remaining scope
    assert (await client.get("/api/v1/events", headers=headers)).status_code == 200
    disabled = await client.patch("/api/v1/clients/provincial-oa", json={"active": False}, headers=tokens.admin())
    assert disabled.status_code == 200, disabled.text
    assert refused(await client.get("/api/v1/events", headers=headers))


async def test_a_new_password_voids_the_tokens_issued_before_it(
    app: FastAPI, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    clock = FixedClock(datetime.now(UTC))
    app.state.clock = clock
    user, _ = await unit_user(client, tokens, "A")
    old = await bearer(client, {"username": "li", "password": PASSWORD})
    clock.advance(timedelta(seconds=2))
    patch = await client.patch(
        f"/api/v1/users/{user['id']}", json={"password": "another horse 43"}, headers=first_edit(tokens)
    )
    assert patch.status_code == 200, patch.text
    assert refused(await client.get("/api/v1/auth/me", headers=old))
    # Signing in again in the very second of the change works.
    new = await bearer(client, {"username": "li", "password": "another horse 43"})
    assert (await client.get("/api/v1/auth/me", headers=new)).status_code == 200


async def test_rotating_a_clients_secret_voids_its_tokens(
    app: FastAPI, client: httpx.AsyncClient, tokens: Tokens
) -> None:
    clock = FixedClock(datetime.now(UTC))
    app.state.clock = clock
    body = {"id": "provincial-oa", "name": "省协同办公", "scopes": ["events:read"]}
    created = await post_ok(client, "/api/v1/clients", body, tokens.admin())
    form = {"grant_type": "client_credentials", "client_id": "provincial-oa", "client_secret": created["client_secret"]}
    old = await bearer(client, form)
    clock.advance(timedelta(seconds=2))
    rotated = await client.patch("/api/v1/clients/provincial-oa", json={"rotate_secret": True}, headers=tokens.admin())
    assert rotated.status_code == 200, rotated.text
    assert refused(await client.get("/api/v1/events", headers=old))
    new = await bearer(client, {**form, "client_secret": rotated.json()["client_secret"]})
    assert (await client.get("/api/v1/events", headers=new)).status_code == 200


async def test_made_up_principals_of_the_issuer_still_pass(client: httpx.AsyncClient, tokens: Tokens) -> None:
    # Accounts are never deleted, so an account the directory does not know is not a revoked one.
    assert (await client.get("/api/v1/issues", headers=tokens.office())).status_code == 200
