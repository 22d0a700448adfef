"""Wrong passwords make an account wait, a little longer each time, with a clear 429; an admin can end the wait."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from issues_testing.tokens import Tokens, post_ok
from rectify_kit.clock import FixedClock

PASSWORD = "correct horse 42"


@pytest.fixture
def clock(app: FastAPI) -> FixedClock:
    app.state.clock = FixedClock(datetime.now(UTC))
    return app.state.clock


async def make_user(client: httpx.AsyncClient, tokens: Tokens) -> dict[str, Any]:
    body = {"username": "KJT-GX", "display_name": "高新处", "role": "office", "password": PASSWORD}
    user: dict[str, Any] = await post_ok(client, "/api/v1/users", body, tokens.admin())
    return user


async def login(client: httpx.AsyncClient, password: str, *, lang: str = "zh-CN") -> httpx.Response:
    form = {"username": "KJT-GX", "password": password}
    return await client.post("/api/v1/auth/token", data=form, headers={"Accept-Language": lang})


async def fail(client: httpx.AsyncClient, times: int) -> list[int]:
    return [(await login(client, "wrong")).status_code for _ in range(times)]


class TestLoginWait:
    async def test_five_wrong_passwords_are_free_then_the_account_waits_a_second(
        self, client: httpx.AsyncClient, tokens: Tokens, clock: FixedClock
    ) -> None:
        await make_user(client, tokens)
        assert await fail(client, 5) == [400] * 5  # RFC 6749 invalid_grant
        waiting = await login(client, PASSWORD)
        assert waiting.status_code == 429
        assert waiting.headers["content-type"] == "application/problem+json"
        assert waiting.headers["retry-after"] == "1"
        assert waiting.json()["code"] == "login-throttled"
        assert waiting.json()["title"] == "密码错误次数过多，请稍后再试"
        assert waiting.json()["retry_after"] == 1
        clock.advance(timedelta(seconds=1))
        assert (await login(client, PASSWORD)).status_code == 200

    async def test_each_further_failure_doubles_the_wait_up_to_the_cap(
        self, client: httpx.AsyncClient, tokens: Tokens, clock: FixedClock
    ) -> None:
        await make_user(client, tokens)
        await fail(client, 5)
        waits = []
        for _ in range(12):
            answer = await login(client, "wrong", lang="en")
            waits.append(int(answer.headers["retry-after"]))
            assert answer.json()["title"] == "Too many failed sign-ins, try again later"
            clock.advance(timedelta(seconds=waits[-1]))
            assert (await login(client, "wrong")).status_code == 400
        assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]

    async def test_the_owner_is_not_shut_out_for_a_quarter_of_an_hour_by_five_guesses(
        self, client: httpx.AsyncClient, tokens: Tokens, clock: FixedClock
    ) -> None:
        await make_user(client, tokens)
        await fail(client, 5)
        clock.advance(timedelta(seconds=2))
        assert (await login(client, PASSWORD)).status_code == 200

    async def test_an_admin_unlock_ends_the_wait_and_is_recorded(
        self, client: httpx.AsyncClient, tokens: Tokens, clock: FixedClock
    ) -> None:
        user = await make_user(client, tokens)
        await fail(client, 5)
        assert (await login(client, PASSWORD)).status_code == 429
        office = await client.post(f"/api/v1/users/{user['id']}/unlock", headers=tokens.office())
        assert office.status_code == 403
        unlocked = await client.post(f"/api/v1/users/{user['id']}/unlock", headers=tokens.admin())
        assert unlocked.status_code == 200
        assert unlocked.json()["username"] == "KJT-GX"
        assert (await login(client, PASSWORD)).status_code == 200
        events = (await client.get("/api/v1/events", headers=tokens.admin())).json()["events"]
        assert [e["type"] for e in events if e["subject_id"] == user["id"]] == ["user.created", "user.unlocked"]

    async def test_unlocking_an_unknown_user_is_404(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        answer = await client.post("/api/v1/users/nobody/unlock", headers=tokens.admin())
        assert answer.status_code == 404

    async def test_a_new_password_ends_the_wait(
        self, client: httpx.AsyncClient, tokens: Tokens, clock: FixedClock
    ) -> None:
        user = await make_user(client, tokens)
        await fail(client, 6)
        headers = {**tokens.admin(), "If-Match": '"1"'}
        changed = await client.patch(f"/api/v1/users/{user['id']}", json={"password": "brand new 99"}, headers=headers)
        assert changed.status_code == 200
        assert (await login(client, "brand new 99")).status_code == 200
