"""The token check at the gateway: RS256 against the issuer's keys; forged or stale tokens never pass."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway.main import create_app
from rectify_kit.auth import JWKSKeySet, TokenVerifier, TrustedIssuer
from rectify_kit.testing import TokenFactory


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())


def _claims(tokens: TokenFactory) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": tokens.issuer, "aud": tokens.audience, "sub": "user-1", "iat": now, "exp": now + 300}


async def _get(gateway: httpx.AsyncClient, token: str | None, path: str = "/api/v1/issues") -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return await gateway.get(path, headers=headers)


def _assert_rejected(answer: httpx.Response) -> None:
    assert answer.status_code == 401, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert "service" not in answer.json()  # the upstream never saw it


class TestRejection:
    async def test_no_token_is_401(self, gateway: httpx.AsyncClient) -> None:
        _assert_rejected(await _get(gateway, None))

    async def test_a_valid_token_passes(self, gateway: httpx.AsyncClient, tokens: TokenFactory) -> None:
        answer = await _get(gateway, tokens.token())
        assert answer.status_code == 200
        assert answer.json()["service"] == "issues-api"

    async def test_expired_token_is_rejected(self, gateway: httpx.AsyncClient, tokens: TokenFactory) -> None:
        _assert_rejected(await _get(gateway, tokens.token(ttl=-60)))

    async def test_wrong_issuer_is_rejected(self, gateway: httpx.AsyncClient, tokens: TokenFactory) -> None:
        impostor = TokenFactory(issuer="someone-else", kid=tokens.kid, keys=tokens.keys)
        _assert_rejected(await _get(gateway, impostor.token()))

    async def test_wrong_audience_is_rejected(self, gateway: httpx.AsyncClient, tokens: TokenFactory) -> None:
        other = TokenFactory(audience="another-app", kid=tokens.kid, keys=tokens.keys)
        _assert_rejected(await _get(gateway, other.token()))

    async def test_alg_none_is_rejected(self, gateway: httpx.AsyncClient, tokens: TokenFactory) -> None:
        token = _unsigned({"alg": "none", "typ": "JWT", "kid": tokens.kid}, _claims(tokens)) + "."
        _assert_rejected(await _get(gateway, token))

    async def test_hs256_signed_with_the_public_key_is_rejected(
        self, gateway: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        signing_input = _unsigned({"alg": "HS256", "typ": "JWT", "kid": tokens.kid}, _claims(tokens))
        mac = hmac.new(tokens.keys[1].encode(), signing_input.encode(), hashlib.sha256).digest()
        _assert_rejected(await _get(gateway, signing_input + "." + _b64(mac)))

    async def test_a_key_nobody_published_is_rejected(self, gateway: httpx.AsyncClient) -> None:
        _assert_rejected(await _get(gateway, TokenFactory(kid="rogue").token()))

    async def test_garbage_is_rejected(self, gateway: httpx.AsyncClient) -> None:
        _assert_rejected(await _get(gateway, "not.a.token"))


class TestPublicRoutes:
    @pytest.mark.parametrize(
        "path",
        [
            "/api/v1/public/submissions/ABCD-EFGH",
            "/.well-known/openid-configuration",
            "/api/v1/auth/token",
            "/open311/v2/requests.json",
            "/open311/v2/services.xml",
        ],
    )
    async def test_public_routes_pass_without_token(self, gateway: httpx.AsyncClient, path: str) -> None:
        method = "POST" if path.endswith("token") else "GET"
        answer = await gateway.request(method, path)
        assert answer.status_code == 200
        assert answer.json()["service"] == "issues-api"

    async def test_other_auth_routes_need_a_token(self, gateway: httpx.AsyncClient) -> None:
        _assert_rejected(await _get(gateway, None, "/api/v1/auth/me"))


class TestKeysFromTheIssuer:
    """The verifier built from settings fetches the issuer's JWKS over HTTP and refreshes it for a new kid."""

    async def test_keys_are_fetched_from_the_jwks_url(
        self, make_settings: Callable[..., Any], upstreams: dict[str, Any], tokens: TokenFactory
    ) -> None:
        upstreams["issues-api"].state.jwks = tokens.jwks
        settings = make_settings(auth={"jwks_url": upstreams["issues-api"].url + "/.well-known/jwks.json"})
        app: FastAPI = create_app(settings)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test") as client:
            assert (await _get(client, tokens.token())).status_code == 200
            _assert_rejected(await _get(client, TokenFactory(kid="rogue").token()))
        await app.state.upstreams.close()

    async def test_an_unknown_kid_refreshes_the_keys(
        self, make_gateway: Callable[..., FastAPI], upstreams: dict[str, Any], tokens: TokenFactory
    ) -> None:
        rotated = TokenFactory(kid="rotated-key")
        upstreams["issues-api"].state.jwks = {"keys": tokens.jwks["keys"] + rotated.jwks["keys"]}
        app = make_gateway()
        # The gateway knows only the old key until a token signed with the new one arrives.
        stale = JWKSKeySet(upstreams["issues-api"].url + "/.well-known/jwks.json", keys=tokens.jwks["keys"])
        app.state.token_verifier = TokenVerifier([TrustedIssuer(tokens.issuer, tokens.audience, stale)])
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test") as client:
            assert (await _get(client, rotated.token())).status_code == 200
            assert (await _get(client, tokens.token())).status_code == 200
        await app.state.upstreams.close()
