"""Token verification refuses every forged, incomplete or misdirected token, and lets a good one through."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends, FastAPI

from rectify_kit.auth import (
    InvalidToken,
    JWKSKeySet,
    Principal,
    TokenVerifier,
    TrustedIssuer,
    decode_token,
    encode_token,
    require_roles,
    require_scope,
    verifier_from_settings,
)
from rectify_kit.errors import install_problem_handlers
from rectify_kit.settings import AuthSettings
from rectify_kit.testing import TokenFactory, rsa_key_pair

FACTORY = TokenFactory()
Check = Callable[[str], Awaitable[dict[str, Any]]]


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    body: dict[str, Any] = {"iss": "rectify", "aud": "rectify", "sub": "user-1", "iat": now, "exp": now + 300}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def signed(body: dict[str, Any], *, kid: str = FACTORY.kid) -> str:
    return encode_token(body, private_key_pem=FACTORY.keys[0], kid=kid)


def unsigned(header: dict[str, Any], body: dict[str, Any], signature: bytes = b"") -> str:
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(body).encode())}.{b64(signature)}"


def hs256_with_public_key(body: dict[str, Any]) -> str:
    header = {"alg": "HS256", "typ": "JWT", "kid": FACTORY.kid}
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(body).encode())}"
    mac = hmac.new(FACTORY.keys[1].encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(mac)}"


def tampered_signature(token: str) -> str:
    head, payload, signature = token.split(".")
    flipped = ("A" if signature[10] != "A" else "B") + signature[11:]
    return f"{head}.{payload}.{signature[:10]}{flipped}"


def tampered_payload(token: str) -> str:
    head, _, signature = token.split(".")
    return f"{head}.{b64(json.dumps(claims(sub='admin', role='admin')).encode())}.{signature}"


async def with_decode_token(token: str) -> dict[str, Any]:
    return decode_token(token, key=FACTORY.jwks["keys"][0], issuer="rectify", audience="rectify")


async def with_verifier(token: str) -> dict[str, Any]:
    return dict((await FACTORY.verifier().verify(token)).claims)


BAD_TOKENS: dict[str, Callable[[], str]] = {
    "alg_none": lambda: unsigned({"alg": "none", "typ": "JWT", "kid": FACTORY.kid}, claims()),
    "alg_none_with_signature": lambda: unsigned({"alg": "none", "kid": FACTORY.kid}, claims(), b"x" * 32),
    "hs256_signed_with_public_key": lambda: hs256_with_public_key(claims()),
    "no_exp": lambda: signed(claims(exp=None)),
    "no_iat": lambda: signed(claims(iat=None)),
    "no_sub": lambda: signed(claims(sub=None)),
    "wrong_aud": lambda: signed(claims(aud="someone-else")),
    "no_aud": lambda: signed(claims(aud=None)),
    "expired": lambda: signed(claims(iat=int(time.time()) - 600, exp=int(time.time()) - 60)),
    "tampered_signature": lambda: tampered_signature(signed(claims())),
    "tampered_payload": lambda: tampered_payload(signed(claims())),
    "signed_by_another_key": lambda: encode_token(claims(), private_key_pem=rsa_key_pair()[0], kid=FACTORY.kid),
    "garbage": lambda: "not.a.token",
}


class TestDecodeTokenAndVerifier:
    @pytest.mark.parametrize("check", [with_decode_token, with_verifier], ids=["decode_token", "verifier"])
    @pytest.mark.parametrize("bad", sorted(BAD_TOKENS))
    async def test_bad_token_is_refused(self, check: Check, bad: str) -> None:
        with pytest.raises(InvalidToken):
            await check(BAD_TOKENS[bad]())

    @pytest.mark.parametrize("check", [with_decode_token, with_verifier], ids=["decode_token", "verifier"])
    async def test_good_token_is_accepted(self, check: Check) -> None:
        result = await check(signed(claims(role="office")))
        assert result["sub"] == "user-1"
        assert result["role"] == "office"

    async def test_wrong_issuer_is_refused_by_decode_token(self) -> None:
        with pytest.raises(InvalidToken):
            await with_decode_token(signed(claims(iss="https://evil.example")))

    async def test_wrong_issuer_is_untrusted_by_the_verifier(self) -> None:
        with pytest.raises(InvalidToken, match="untrusted issuer"):
            await with_verifier(signed(claims(iss="https://evil.example")))

    def test_decode_token_refuses_to_be_asked_for_another_algorithm(self) -> None:
        with pytest.raises(ValueError, match="RS256"):
            decode_token(
                signed(claims()), key=FACTORY.keys[1], issuer="rectify", audience="rectify", algorithms=["HS256"]
            )

    def test_decode_token_accepts_a_pem_public_key(self) -> None:
        token = signed(claims())
        assert decode_token(token, key=FACTORY.keys[1], issuer="rectify", audience="rectify")["sub"] == "user-1"


def jwks_client(jwks: dict[str, Any], calls: list[str]) -> httpx.AsyncClient:
    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(200, json=jwks)

    return httpx.AsyncClient(transport=httpx.MockTransport(answer))


class TestJWKSKeySet:
    async def test_unknown_kid_triggers_one_refresh_then_the_key_is_used(self) -> None:
        calls: list[str] = []
        async with jwks_client(FACTORY.jwks, calls) as http:
            keys = JWKSKeySet("http://issuer/jwks", http=http)
            verifier = TokenVerifier([TrustedIssuer("rectify", "rectify", keys)])
            principal = await verifier.verify(signed(claims()))
            again = await verifier.verify(signed(claims(sub="user-2")))
        assert principal.sub == "user-1"
        assert again.sub == "user-2"
        assert calls == ["http://issuer/jwks"]

    async def test_kid_missing_after_refresh_is_refused(self) -> None:
        calls: list[str] = []
        async with jwks_client(FACTORY.jwks, calls) as http:
            keys = JWKSKeySet("http://issuer/jwks", http=http)
            with pytest.raises(InvalidToken, match="unknown signing key"):
                await keys.get("rotated-away")
        assert len(calls) == 1

    async def test_refreshes_are_rate_limited(self) -> None:
        calls: list[str] = []
        async with jwks_client(FACTORY.jwks, calls) as http:
            keys = JWKSKeySet("http://issuer/jwks", http=http, min_refresh_seconds=60)
            for kid in ("a", "b", "c"):
                with pytest.raises(InvalidToken):
                    await keys.get(kid)
        assert len(calls) == 1

    async def test_unreachable_jwks_is_503(self) -> None:
        def fail(request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError("down", request=request)

        async with httpx.AsyncClient(transport=httpx.MockTransport(fail)) as http:
            keys = JWKSKeySet("http://issuer/jwks", http=http)
            with pytest.raises(InvalidToken) as caught:
                await keys.get(FACTORY.kid)
        assert caught.value.status == 503


class TestPrincipal:
    def test_scopes_split_from_the_scope_claim(self) -> None:
        principal = Principal.from_claims({"sub": "c1", "kind": "client", "scope": "events:read issues:read"})
        assert principal.scopes == frozenset({"events:read", "issues:read"})
        assert principal.has_scope("events:read")
        assert not principal.has_scope("issues:write")

    def test_user_claims_carry_role_and_unit(self) -> None:
        principal = Principal.from_claims({"sub": "u1", "role": "unit", "unit_id": "KJT", "username": "kjt"})
        assert (principal.kind, principal.role, principal.unit_id) == ("user", "unit", "KJT")
        assert principal.scopes == frozenset()


def guarded_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.token_verifier = FACTORY.verifier()

    @app.get("/office")
    async def office(principal: Annotated[Principal, Depends(require_roles("office", "admin"))]) -> dict[str, str]:
        return {"sub": principal.sub}

    @app.get("/feed")
    async def feed(principal: Annotated[Principal, Depends(require_scope("events:read"))]) -> dict[str, str]:
        return {"sub": principal.sub}

    return app


async def call(path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=guarded_app()), base_url="http://t") as c:
        return await c.get(path, headers=headers)


class TestRequireRoles:
    async def test_missing_token_is_401_with_bearer_challenge(self) -> None:
        response = await call("/office")
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"

    async def test_invalid_token_is_401_invalid_token(self) -> None:
        response = await call("/office", {"Authorization": "Bearer " + BAD_TOKENS["alg_none"]()})
        assert response.status_code == 401
        assert response.json()["code"] == "invalid-token"
        assert 'error="invalid_token"' in response.headers["www-authenticate"]

    async def test_other_role_is_403(self) -> None:
        response = await call("/office", dict(FACTORY.headers(role="unit")))
        assert response.status_code == 403
        assert response.json()["required_roles"] == ["office", "admin"]

    async def test_allowed_role_passes(self) -> None:
        response = await call("/office", dict(FACTORY.headers("u9", role="admin")))
        assert response.json() == {"sub": "u9"}


class TestRequireScope:
    async def test_client_with_the_scope_passes(self) -> None:
        response = await call("/feed", dict(FACTORY.headers("c1", kind="client", scope="events:read")))
        assert response.status_code == 200

    async def test_client_without_the_scope_is_403(self) -> None:
        response = await call("/feed", dict(FACTORY.headers("c1", kind="client", scope="issues:read")))
        assert response.status_code == 403
        assert response.json()["required_scope"] == "events:read"

    async def test_admin_user_passes_without_the_scope(self) -> None:
        assert (await call("/feed", dict(FACTORY.headers(role="admin")))).status_code == 200

    async def test_other_user_is_403(self) -> None:
        assert (await call("/feed", dict(FACTORY.headers(role="office")))).status_code == 403


class TestVerifierFromSettings:
    async def test_own_issuer_is_trusted_and_others_are_not(self) -> None:
        settings = AuthSettings(jwks_url="http://unused/jwks")
        verifier = verifier_from_settings(settings, own_keys=JWKSKeySet(keys=FACTORY.jwks["keys"]))
        assert (await verifier.verify(FACTORY.token("own"))).sub == "own"
        with pytest.raises(InvalidToken, match="untrusted issuer"):
            await verifier.verify(TokenFactory(issuer="https://kc.example", keys=FACTORY.keys).token())

    async def test_extra_issuer_keeps_its_own_audience(self) -> None:
        settings = AuthSettings(
            trusted_issuers=[{"issuer": "https://kc.example", "jwks_url": "http://kc/certs", "audience": "prov"}]
        )
        verifier = verifier_from_settings(settings, own_keys=JWKSKeySet(keys=FACTORY.jwks["keys"]))
        trusted = verifier._issuers["https://kc.example"]
        assert (trusted.audience, trusted.keys.url) == ("prov", "http://kc/certs")
