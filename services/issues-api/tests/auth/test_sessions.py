"""The web app's session: an HttpOnly refresh cookie set at sign-in, rotated on each refresh, ended on sign-out,
on reuse, on a password change and when the account is deactivated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from issues_testing.tokens import Tokens, post_ok
from rectify_kit.clock import FixedClock

# On both backends: a refresh locks its token (FOR UPDATE, BEGIN IMMEDIATE on SQLite); two at once must both win.
pytestmark = pytest.mark.both_backends

PASSWORD = "correct horse 42"
COOKIE = "rectify_refresh"


@pytest.fixture
def clock(app: FastAPI) -> FixedClock:
    app.state.clock = FixedClock(datetime.now(UTC))
    return app.state.clock


async def make_user(client: httpx.AsyncClient, tokens: Tokens) -> dict[str, Any]:
    body = {"username": "li", "display_name": "李四", "role": "office", "password": PASSWORD}
    user: dict[str, Any] = await post_ok(client, "/api/v1/users", body, tokens.admin())
    return user


async def sign_in(client: httpx.AsyncClient) -> httpx.Response:
    answer = await client.post("/api/v1/auth/token", data={"username": "li", "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return answer


async def refresh(client: httpx.AsyncClient, cookie: str | None) -> httpx.Response:
    client.cookies.clear()
    headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
    return await client.post("/api/v1/auth/refresh", headers=headers)


def cookie_of(answer: httpx.Response) -> str:
    return answer.cookies[COOKIE]


class TestCookie:
    async def test_signing_in_sets_an_httponly_secure_strict_cookie_on_the_auth_path(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        await make_user(client, tokens)
        answer = await sign_in(client)
        header = answer.headers["set-cookie"]
        attributes = {part.strip().split("=")[0].lower() for part in header.split(";")}
        assert {"httponly", "secure", "samesite", "path", "max-age"} <= attributes
        assert "SameSite=strict" in header or "samesite=strict" in header.lower()
        assert "Path=/api/v1/auth" in header
        assert cookie_of(answer) not in answer.text  # the refresh token is in the cookie only

    async def test_a_client_credentials_token_sets_no_cookie(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        created = await post_ok(client, "/api/v1/clients", {"id": "sys", "name": "系统", "scopes": []}, tokens.admin())
        form = {"grant_type": "client_credentials", "client_id": "sys", "client_secret": created["client_secret"]}
        answer = await client.post("/api/v1/auth/token", data=form)
        assert answer.status_code == 200
        assert "set-cookie" not in answer.headers


class TestRefresh:
    async def test_the_cookie_buys_a_new_access_token_and_a_new_cookie(
        self, client: httpx.AsyncClient, tokens: Tokens, clock: FixedClock
    ) -> None:
        user = await make_user(client, tokens)
        first = cookie_of(await sign_in(client))
        renewed = await refresh(client, first)
        assert renewed.status_code == 200, renewed.text
        assert renewed.headers["cache-control"] == "no-store"
        second = cookie_of(renewed)
        assert second != first
        me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {renewed.json()['access_token']}"})
        assert me.json()["id"] == user["id"]

    async def test_without_a_cookie_the_answer_is_401(self, client: httpx.AsyncClient) -> None:
        answer = await refresh(client, None)
        assert answer.status_code == 401
        assert answer.json()["code"] == "session-ended"

    async def test_a_spent_cookie_used_again_ends_the_whole_session(
        self, client: httpx.AsyncClient, tokens: Tokens, clock: FixedClock
    ) -> None:
        await make_user(client, tokens)
        first = cookie_of(await sign_in(client))
        second = cookie_of(await refresh(client, first))
        clock.advance(timedelta(minutes=5))
        stolen = await refresh(client, first)
        assert stolen.status_code == 401
        assert stolen.json()["code"] == "refresh-reused"
        assert (await refresh(client, second)).status_code == 401  # the rightful holder must sign in again

    async def test_two_tabs_refreshing_at_once_both_get_a_token(
        self, client: httpx.AsyncClient, tokens: Tokens, clock: FixedClock
    ) -> None:
        await make_user(client, tokens)
        first = cookie_of(await sign_in(client))
        one = await refresh(client, first)
        other = await refresh(client, first)  # within the grace: the browser keeps the first answer's cookie
        assert (one.status_code, other.status_code) == (200, 200)
        assert "set-cookie" not in other.headers
        assert (await refresh(client, cookie_of(one))).status_code == 200

    async def test_a_session_lasts_its_ttl_after_its_last_use(
        self, client: httpx.AsyncClient, tokens: Tokens, clock: FixedClock
    ) -> None:
        await make_user(client, tokens)
        cookie = cookie_of(await sign_in(client))
        clock.advance(timedelta(hours=11))
        cookie = cookie_of(await refresh(client, cookie))
        clock.advance(timedelta(hours=11))
        cookie = cookie_of(await refresh(client, cookie))
        clock.advance(timedelta(hours=13))
        assert (await refresh(client, cookie)).status_code == 401

    async def test_a_password_change_ends_the_session(
        self, client: httpx.AsyncClient, tokens: Tokens, clock: FixedClock
    ) -> None:
        user = await make_user(client, tokens)
        cookie = cookie_of(await sign_in(client))
        clock.advance(timedelta(seconds=2))
        headers = {**tokens.admin(), "If-Match": '"1"'}
        changed = await client.patch(f"/api/v1/users/{user['id']}", json={"password": "another one 7"}, headers=headers)
        assert changed.status_code == 200
        assert (await refresh(client, cookie)).status_code == 401

    async def test_a_deactivated_account_cannot_refresh(
        self, client: httpx.AsyncClient, tokens: Tokens, clock: FixedClock
    ) -> None:
        user = await make_user(client, tokens)
        cookie = cookie_of(await sign_in(client))
        headers = {**tokens.admin(), "If-Match": '"1"'}
        await client.patch(f"/api/v1/users/{user['id']}", json={"active": False}, headers=headers)
        assert (await refresh(client, cookie)).status_code == 401


class TestLogout:
    async def test_signing_out_ends_the_session_and_clears_the_cookie(
        self, client: httpx.AsyncClient, tokens: Tokens, clock: FixedClock
    ) -> None:
        await make_user(client, tokens)
        cookie = cookie_of(await sign_in(client))
        client.cookies.clear()
        out = await client.post("/api/v1/auth/logout", headers={"Cookie": f"{COOKIE}={cookie}"})
        assert out.status_code == 204
        assert 'rectify_refresh=""' in out.headers["set-cookie"] or "Max-Age=0" in out.headers["set-cookie"]
        assert (await refresh(client, cookie)).status_code == 401

    async def test_signing_out_without_a_session_is_fine(self, client: httpx.AsyncClient) -> None:
        assert (await client.post("/api/v1/auth/logout")).status_code == 204
