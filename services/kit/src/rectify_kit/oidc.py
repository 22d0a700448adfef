"""Tokens of an external OIDC issuer (a provincial identity platform, Keycloak): who they speak for is decided
here, by configuration, never by the token's own `role`, `unit_id` or `scope` claims.

Each trusted issuer names the claim that lists a person's groups or roles there (`role_claim`, a dotted path such
as Keycloak's `realm_access.roles`) and maps those values to a Rectify role (`roles`); a `unit` user's unit comes
from `unit_claim` through `units` (external value → unit id). The subject becomes `<issuer>#<sub>`, so that two
issuers' subjects never meet, nor one of theirs a Rectify account. Such tokens carry no scopes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field

ROLE_ORDER = ("admin", "office", "leader", "unit")


class ExternalIssuer(BaseModel):
    """`AUTH__TRUSTED_ISSUERS='[{"issuer": ..., "jwks_url": ..., "roles": {"rectify-office": "office"}, ...}]'`."""

    issuer: str
    jwks_url: str
    audience: str | None = None
    role_claim: str = "roles"
    roles: dict[str, str] = Field(default_factory=dict, description="external role or group -> Rectify role")
    unit_claim: str | None = None
    units: dict[str, str] = Field(default_factory=dict, description="external unit value -> unit id")


class NoMappedRole(ValueError):
    """The token's account has no role in Rectify by this issuer's mapping."""


def _values(claims: Mapping[str, Any], path: str) -> list[str]:
    current: Any = claims
    for part in path.split("."):
        if not isinstance(current, Mapping):
            return []
        current = current.get(part)
    if isinstance(current, str):
        return current.split()
    return [str(v) for v in current] if isinstance(current, list | tuple) else []


def mapped_claims(claims: Mapping[str, Any], issuer: ExternalIssuer) -> dict[str, Any]:
    """The claims a Principal is built from: the issuer-scoped subject and the mapped role and unit only."""
    granted = {issuer.roles[value] for value in _values(claims, issuer.role_claim) if value in issuer.roles}
    role = next((r for r in ROLE_ORDER if r in granted), None)
    if role is None:
        raise NoMappedRole("this account has no role in Rectify")
    unit_id = None
    if role == "unit":
        units = [issuer.units[v] for v in _values(claims, issuer.unit_claim or "") if v in issuer.units]
        if len(set(units)) != 1:
            raise NoMappedRole("a unit user's token must name exactly one known unit")
        unit_id = units[0]
    name = claims.get("name") or claims.get("preferred_username")
    return {
        **{k: v for k, v in claims.items() if k in ("iss", "aud", "exp", "iat", "nbf")},
        "sub": f"{issuer.issuer}#{claims['sub']}",
        "kind": "user",
        "role": role,
        "unit_id": unit_id,
        "username": claims.get("preferred_username"),
        "name": name,
        "scope": "",
    }
