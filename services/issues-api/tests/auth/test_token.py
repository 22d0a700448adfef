"""The token endpoint, /auth/me and the JWKS: grants and tokens that must be refused (login waits: test_throttle.py)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import httpx
from fastapi import FastAPI

from issues_testing.tokens import Tokens, post_ok
from rectify_kit.auth import decode_token, encode_token

PASSWORD = "correct horse 42"


async def make_user(client: httpx.AsyncClient, tokens: Tokens, username: str = "zhang") -> dict[str, Any]:
    body = {"username": username, "display_name": "张三", "role": "office", "password": PASSWORD}
    user: dict[str, Any] = await post_ok(client, "/api/v1/users", body, tokens.admin())
    return user


async def login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post("/api/v1/auth/token", data={"username": username, "password": password})


def comparable(response: httpx.Response) -> tuple[int, dict[str, Any]]:
    body = response.json()
    body.pop("request_id", None)
    return response.status_code, body


def b64(value: dict[str, Any] | bytes) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class TestPasswordGrant:
    async def test_right_password_gives_a_bearer_token_that_me_accepts(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        user = await make_user(client, tokens)
        response = await login(client, "zhang", PASSWORD)
        assert response.status_code == 200
        body = response.json()
        assert body["token_type"] == "bearer"
        assert body["expires_in"] == 3600
        me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
        assert me.json() == {
            "id": user["id"],
            "username": "zhang",
            "display_name": "张三",
            "role": "office",
            "unit_id": None,
        }

    async def test_token_verifies_against_the_published_jwks(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        user = await make_user(client, tokens)
        token = (await login(client, "zhang", PASSWORD)).json()["access_token"]
        jwks = (await client.get("/.well-known/jwks.json")).json()
        claims = decode_token(token, key=jwks["keys"][0], issuer="rectify", audience="rectify")
        assert claims["sub"] == user["id"]
        assert claims["kind"] == "user"
        assert claims["role"] == "office"
        assert claims["username"] == "zhang"
        assert claims["exp"] - claims["iat"] == 3600

    async def test_wrong_password_is_answered_like_an_unknown_user(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        await make_user(client, tokens)
        wrong = await login(client, "zhang", "not the password")
        unknown = await login(client, "nobody", "not the password")
        assert comparable(wrong) == comparable(unknown)
        assert wrong.status_code == 400
        assert wrong.headers["content-type"] == "application/json"
        assert wrong.headers["cache-control"] == "no-store"
        body = wrong.json()
        # RFC 6749 for OAuth clients, and the problem's members the SPA shows.
        assert body["error"] == "invalid_grant"
        assert body["error_description"]
        assert (body["title"], body["status"], body["code"]) == ("用户名或密码错误", 400, "invalid-credentials")

    async def test_a_success_resets_the_failure_count(
        self, app: FastAPI, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        await make_user(client, tokens)
        for _ in range(4):
            await login(client, "zhang", "wrong")
        assert (await login(client, "zhang", PASSWORD)).status_code == 200
        for _ in range(4):
            await login(client, "zhang", "wrong")
        assert (await login(client, "zhang", PASSWORD)).status_code == 200

    async def test_inactive_user_cannot_log_in(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        user = await make_user(client, tokens)
        headers = {**tokens.admin(), "If-Match": '"1"'}
        await client.patch(f"/api/v1/users/{user['id']}", json={"active": False}, headers=headers)
        answer = await login(client, "zhang", PASSWORD)
        assert (answer.status_code, answer.json()["error"]) == (400, "invalid_grant")

    async def test_unknown_grant_type_is_unsupported_grant_type(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/api/v1/auth/token", data={"grant_type": "implicit"})
        assert response.status_code == 400
        assert response.json()["error"] == "unsupported_grant_type"
        assert response.json()["code"] == "unsupported-grant-type"

    async def test_a_missing_password_is_invalid_request(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/api/v1/auth/token", data={"username": "zhang"})
        assert (response.status_code, response.json()["error"]) == (400, "invalid_request")

    async def test_an_overlong_field_is_invalid_request_and_costs_no_hashing(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/api/v1/auth/token", data={"username": "zhang", "password": "x" * 201})
        assert (response.status_code, response.json()["error"]) == (400, "invalid_request")

    async def test_english_title_on_request(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/api/v1/auth/token", data={"username": "x", "password": "y"}, headers={"Accept-Language": "en"}
        )
        assert response.json()["title"] == "Invalid credentials"


class TestClientCredentialsGrant:
    async def _client(self, client: httpx.AsyncClient, tokens: Tokens) -> dict[str, Any]:
        body = {"id": "notify-api", "name": "通知服务", "scopes": ["events:read", "directory:read"]}
        created: dict[str, Any] = await post_ok(client, "/api/v1/clients", body, tokens.admin())
        return created

    async def test_client_secret_gives_a_token_with_its_scopes(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        created = await self._client(client, tokens)
        response = await client.post(
            "/api/v1/auth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": "notify-api",
                "client_secret": created["client_secret"],
            },
        )
        assert response.status_code == 200
        jwks = (await client.get("/.well-known/jwks.json")).json()
        claims = decode_token(
            response.json()["access_token"], key=jwks["keys"][0], issuer="rectify", audience="rectify"
        )
        assert claims["kind"] == "client"
        assert claims["role"] == "integration"
        assert set(claims["scope"].split()) == {"events:read", "directory:read"}

    async def test_credentials_may_come_in_http_basic(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        created = await self._client(client, tokens)
        response = await client.post(
            "/api/v1/auth/token",
            data={"grant_type": "client_credentials"},
            auth=("notify-api", created["client_secret"]),
        )
        assert response.status_code == 200

    async def test_a_narrower_scope_can_be_asked_but_not_a_wider_one(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        secret = (await self._client(client, tokens))["client_secret"]
        form = {"grant_type": "client_credentials", "client_id": "notify-api", "client_secret": secret}
        narrow = await client.post("/api/v1/auth/token", data={**form, "scope": "events:read"})
        wide = await client.post("/api/v1/auth/token", data={**form, "scope": "events:read issues:write"})
        assert narrow.status_code == 200
        assert (wide.status_code, wide.json()["error"]) == (400, "invalid_scope")

    async def test_wrong_secret_and_unknown_client_are_the_same_401(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        await self._client(client, tokens)
        wrong = await client.post(
            "/api/v1/auth/token",
            data={"grant_type": "client_credentials", "client_id": "notify-api", "client_secret": "guess"},
        )
        unknown = await client.post(
            "/api/v1/auth/token",
            data={"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "guess"},
        )
        assert wrong.status_code == 401
        assert wrong.json()["error"] == "invalid_client"
        assert wrong.headers["www-authenticate"].startswith("Basic")
        assert comparable(wrong) == comparable(unknown)


class TestRefusedTokens:
    def _claims(self, **extra: Any) -> dict[str, Any]:
        now = int(time.time())
        return {"iss": "rectify", "aud": "rectify", "sub": "admin-id", "iat": now, "exp": now + 300, **extra}

    async def _me(self, client: httpx.AsyncClient, token: str) -> int:
        return (await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})).status_code

    async def test_alg_none_is_refused(self, client: httpx.AsyncClient) -> None:
        token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(self._claims(role='admin'))}."
        assert await self._me(client, token) == 401

    async def test_hs256_signed_with_the_public_key_is_refused(self, app: FastAPI, client: httpx.AsyncClient) -> None:
        public_pem = app.state.keys.public_pem.encode()
        signing_input = f"{b64({'alg': 'HS256', 'typ': 'JWT', 'kid': app.state.keys.kid})}.{b64(self._claims())}"
        signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
        assert await self._me(client, f"{signing_input}.{b64(signature)}") == 401

    async def test_token_without_exp_is_refused(self, tokens: Tokens, client: httpx.AsyncClient) -> None:
        claims = self._claims()
        del claims["exp"]
        token = encode_token(claims, private_key_pem=tokens.factory.keys[0], kid=tokens.factory.kid)
        assert await self._me(client, token) == 401

    async def test_token_for_another_audience_is_refused(self, tokens: Tokens, client: httpx.AsyncClient) -> None:
        assert await self._me(client, tokens.factory.token("admin-id", aud="another-system")) == 401

    async def test_expired_token_is_refused(self, tokens: Tokens, client: httpx.AsyncClient) -> None:
        assert await self._me(client, tokens.factory.token("admin-id", ttl=-60)) == 401
