"""Token verification. `decode_token` is the only place in Rectify that decodes a JWT.

python-jose accepts any algorithm when `decode` is called without `algorithms`, and a token without `exp`
by default; so here the algorithm, issuer and audience are always pinned and `exp`, `iat`, `sub` required.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import Depends, Request
from jose import jwk, jwt
from jose.exceptions import JOSEError

from rectify_kit.errors import Forbidden, Unauthorized
from rectify_kit.oidc import ExternalIssuer, NoMappedRole, mapped_claims
from rectify_kit.openapi import OAUTH2, SCHEME_NAME
from rectify_kit.settings import AuthSettings

PINNED_ALGORITHMS = ("RS256",)
_DECODE_OPTIONS = {
    "verify_signature": True,
    "verify_aud": True,
    "verify_iss": True,
    "verify_exp": True,
    "verify_iat": True,
    "require_exp": True,
    "require_iat": True,
    "require_sub": True,
    "require_aud": True,
    "require_iss": True,
}


class InvalidToken(Unauthorized):
    code = "invalid-token"


def decode_token(
    token: str,
    *,
    key: Mapping[str, Any] | str,
    issuer: str,
    audience: str,
    algorithms: Iterable[str] = PINNED_ALGORITHMS,
) -> dict[str, Any]:
    """Verify signature, algorithm, issuer, audience and expiry; return the claims or raise InvalidToken."""
    allowed = [a for a in algorithms if a in PINNED_ALGORITHMS]
    if not allowed:
        raise ValueError("only RS256 is accepted")
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") not in allowed:
            raise InvalidToken("token algorithm not accepted")
        claims: dict[str, Any] = jwt.decode(
            token,
            dict(key) if isinstance(key, Mapping) else key,
            algorithms=allowed,
            audience=audience,
            issuer=issuer,
            options=_DECODE_OPTIONS,
        )
    except JOSEError as exc:
        raise InvalidToken(f"invalid token: {exc}") from exc
    return claims


@lru_cache(maxsize=8)
def signing_key(private_key_pem: str) -> rsa.RSAPrivateKey:
    """The private key of a PEM, parsed once: parsing checks the RSA key, ~0.15 s of CPU each time."""
    key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("an RSA private key is required")
    return key


def encode_token(claims: Mapping[str, Any], *, private_key_pem: str, kid: str) -> str:
    """Sign claims with RS256 under the given key id."""
    key = signing_key(private_key_pem)
    token: str = jwt.encode(dict(claims), key, algorithm="RS256", headers={"kid": kid})
    return token


def public_jwk(public_key_pem: str, kid: str) -> dict[str, Any]:
    """The JWKS entry for an RSA public key."""
    entry: dict[str, Any] = jwk.construct(public_key_pem, algorithm="RS256").to_dict()
    entry.update({"kid": kid, "use": "sig", "alg": "RS256"})
    return {k: (v.decode() if isinstance(v, bytes) else v) for k, v in entry.items()}


class JWKSKeySet:
    """Public keys by `kid`: fetched from a JWKS URL (or given), refreshed when an unknown `kid` appears."""

    def __init__(
        self,
        url: str | None = None,
        *,
        keys: Iterable[Mapping[str, Any]] = (),
        min_refresh_seconds: float = 10.0,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.url = url
        self._keys: dict[str, dict[str, Any]] = {str(k.get("kid", "")): dict(k) for k in keys}
        self._last_refresh = 0.0
        self._min_refresh = min_refresh_seconds
        self._lock = asyncio.Lock()
        self._http = http

    def set_keys(self, keys: Iterable[Mapping[str, Any]]) -> None:
        self._keys = {str(k.get("kid", "")): dict(k) for k in keys}

    async def get(self, kid: str) -> dict[str, Any]:
        key = self._keys.get(kid)
        if key is not None:
            return key
        await self.refresh()
        key = self._keys.get(kid)
        if key is None:
            raise InvalidToken("unknown signing key")
        return key

    async def refresh(self, *, force: bool = False) -> None:
        if self.url is None:
            return
        async with self._lock:
            if not force and time.monotonic() - self._last_refresh < self._min_refresh and self._keys:
                return
            self._last_refresh = time.monotonic()
            try:
                if self._http is not None:
                    response = await self._http.get(self.url, timeout=5.0)
                else:
                    async with httpx.AsyncClient(timeout=5.0) as client:
                        response = await client.get(self.url)
                response.raise_for_status()
                self.set_keys(response.json().get("keys", []))
            except (httpx.HTTPError, ValueError) as exc:
                raise InvalidToken("signing keys unavailable", status=503, code="jwks-unavailable") from exc


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user (with role and unit) or an integration client (with scopes, and the units it is
    bound to: the claim `unit_ids`)."""

    sub: str
    kind: str = "user"
    role: str | None = None
    unit_id: str | None = None
    username: str | None = None
    name: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    unit_ids: frozenset[str] = field(default_factory=frozenset)
    claims: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Principal:
        scope = claims.get("scope") or ""
        unit_ids = claims.get("unit_ids") or ()
        return cls(
            sub=str(claims["sub"]),
            kind=str(claims.get("kind", "user")),
            role=claims.get("role"),
            unit_id=claims.get("unit_id"),
            username=claims.get("username"),
            name=claims.get("name"),
            scopes=frozenset(scope.split()) if isinstance(scope, str) else frozenset(scope),
            unit_ids=frozenset(str(u) for u in unit_ids) if isinstance(unit_ids, list | tuple) else frozenset(),
            claims=dict(claims),
        )

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


AccountCheck = Callable[[Principal], Awaitable[bool]]


@dataclass
class TrustedIssuer:
    """An issuer whose tokens are accepted; `account_check` (see revocation.py) may veto a valid token."""

    issuer: str
    audience: str
    keys: JWKSKeySet
    account_check: AccountCheck | None = None
    # An external issuer's mapping (oidc.py): its tokens' own role, unit and scope claims are never taken.
    external: ExternalIssuer | None = None


class TokenVerifier:
    """Verifies bearer tokens of the configured issuers; caches verified tokens until they expire."""

    def __init__(self, issuers: Iterable[TrustedIssuer], *, cache_size: int = 10_000) -> None:
        self._issuers = {i.issuer: i for i in issuers}
        self._cache: OrderedDict[str, tuple[float, Principal, TrustedIssuer]] = OrderedDict()
        self._cache_size = cache_size

    async def verify(self, token: str) -> Principal:
        now = time.time()
        cached = self._cache.get(token)
        if cached is not None and cached[0] > now:
            self._cache.move_to_end(token)
            _, principal, trusted = cached
        else:
            principal, trusted = await self._verify_signed(token)
            self._cache[token] = (float(principal.claims["exp"]), principal, trusted)
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        if trusted.account_check is not None and not await trusted.account_check(principal):
            raise InvalidToken("the account was deactivated or changed since this token was issued; sign in again")
        return principal

    async def _verify_signed(self, token: str) -> tuple[Principal, TrustedIssuer]:
        try:
            unverified = jwt.get_unverified_claims(token)
            header = jwt.get_unverified_header(token)
        except JOSEError as exc:
            raise InvalidToken("malformed token") from exc
        trusted = self._issuers.get(str(unverified.get("iss")))
        if trusted is None:
            raise InvalidToken("untrusted issuer")
        key = await trusted.keys.get(str(header.get("kid", "")))
        claims = decode_token(token, key=key, issuer=trusted.issuer, audience=trusted.audience)
        if trusted.external is not None:
            try:
                claims = mapped_claims(claims, trusted.external)
            except NoMappedRole as exc:
                raise InvalidToken(str(exc), status=403, code="no-rectify-role") from exc
        return Principal.from_claims(claims), trusted


def bearer_token(request: Request) -> str | None:
    return _bearer(request.headers.get("authorization", ""))


def _bearer(header: str | None) -> str | None:
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


# Depending on the scheme puts it in the OpenAPI document of every route that needs a token; it only reads the
# Authorization header (auto_error=False), the checks below decide.
AuthorizationHeader = Annotated[str | None, Depends(OAUTH2)]


async def get_principal(request: Request, authorization: AuthorizationHeader) -> Principal:
    token = _bearer(authorization)
    if token is None:
        raise Unauthorized("missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    verifier: TokenVerifier = request.app.state.token_verifier
    try:
        return await verifier.verify(token)
    except InvalidToken as exc:
        exc.headers.setdefault("WWW-Authenticate", 'Bearer error="invalid_token"')
        raise


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


async def principal_of(request: Request) -> Principal:
    """`get_principal` without FastAPI's dependency solving, for the hottest reads, which take no dependencies:
    solving them (the principal, the scheme, a connection's context, the clock) cost a service's hottest read by
    id about a quarter of its CPU, more than its query. Such a route lists `SECURED` as its `openapi_extra`."""
    return await get_principal(request, request.headers.get("authorization"))


# The `openapi_extra` of a route that calls `principal_of`: in the document as if it depended on the scheme.
SECURED: dict[str, Any] = {"security": [{SCHEME_NAME: []}]}


def require_roles(*roles: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets only the given roles through (403 otherwise)."""

    async def dependency(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise Forbidden("role not allowed", required_roles=list(roles))
        return principal

    return dependency


def require_scope(scope: str, *, roles: Iterable[str] = ("admin",)) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency for machine access: a client with `scope`, or a user with one of `roles`."""
    allowed_roles = frozenset(roles)

    async def dependency(principal: CurrentPrincipal) -> Principal:
        if principal.has_scope(scope) or principal.role in allowed_roles:
            return principal
        raise Forbidden(f"scope {scope} required", required_scope=scope)

    return dependency


def verifier_from_settings(
    settings: AuthSettings, *, own_keys: JWKSKeySet | None = None, account_check: AccountCheck | None = None
) -> TokenVerifier:
    """The verifier a service uses: its issuer's JWKS (or `own_keys` in the issuer itself) plus trusted OIDC.

    `account_check` applies to Rectify's own tokens; other issuers' accounts are not ours to know.
    """
    issuers = [
        TrustedIssuer(
            settings.issuer, settings.audience, own_keys or JWKSKeySet(settings.jwks_url), account_check=account_check
        )
    ]
    for extra in settings.trusted_issuers:
        audience = extra.audience or settings.audience
        issuers.append(TrustedIssuer(extra.issuer, audience, JWKSKeySet(extra.jwks_url), external=extra))
    return TokenVerifier(issuers)
