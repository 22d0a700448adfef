"""An external OIDC issuer's tokens get their role and unit from this deployment's mapping, never from their own
claims, and their subjects are scoped by issuer."""

from __future__ import annotations

import pytest

from rectify_kit.auth import InvalidToken, JWKSKeySet, TokenVerifier, TrustedIssuer
from rectify_kit.oidc import ExternalIssuer
from rectify_kit.testing import TokenFactory

KC = "https://kc.example/realms/hebei"
KEYCLOAK = TokenFactory(issuer=KC, audience="rectify", kid="kc-key")
RECTIFY = TokenFactory()
MAPPING = ExternalIssuer(
    issuer=KC,
    jwks_url="http://kc.invalid/certs",
    role_claim="realm_access.roles",
    roles={"rectify-office": "office", "rectify-unit": "unit", "rectify-admin": "admin"},
    unit_claim="org",
    units={"HBKJT-GX": "unit-gx"},
)


def verifier() -> TokenVerifier:
    own = TrustedIssuer(RECTIFY.issuer, RECTIFY.audience, JWKSKeySet(keys=RECTIFY.jwks["keys"]))
    external = TrustedIssuer(KC, "rectify", JWKSKeySet(keys=KEYCLOAK.jwks["keys"]), external=MAPPING)
    return TokenVerifier([own, external])


class TestExternalIssuer:
    async def test_the_role_comes_from_the_mapping_not_from_the_tokens_own_claims(self) -> None:
        token = KEYCLOAK.token(
            "abc", realm_access={"roles": ["rectify-office", "offline_access"]}, role="admin", unit_id="x",
            scope="events:read contacts:read",
        )  # fmt: skip
        principal = await verifier().verify(token)
        assert (principal.role, principal.unit_id, principal.kind) == ("office", None, "user")
        assert principal.scopes == frozenset()

    async def test_a_unit_user_gets_the_mapped_unit(self) -> None:
        token = KEYCLOAK.token("u1", realm_access={"roles": ["rectify-unit"]}, org="HBKJT-GX", unit_id="other-unit")
        principal = await verifier().verify(token)
        assert (principal.role, principal.unit_id) == ("unit", "unit-gx")

    async def test_a_unit_user_without_a_known_unit_is_refused(self) -> None:
        token = KEYCLOAK.token("u1", realm_access={"roles": ["rectify-unit"]}, org="NOWHERE")
        with pytest.raises(InvalidToken) as refused:
            await verifier().verify(token)
        assert refused.value.status == 403

    async def test_an_account_without_a_mapped_role_is_refused_even_if_it_claims_admin(self) -> None:
        token = KEYCLOAK.token("abc", role="admin", realm_access={"roles": ["offline_access"]})
        with pytest.raises(InvalidToken) as refused:
            await verifier().verify(token)
        assert refused.value.code == "no-rectify-role"

    async def test_subjects_are_scoped_by_issuer(self) -> None:
        own = await verifier().verify(RECTIFY.token("user-1", role="office"))
        external = await verifier().verify(KEYCLOAK.token("user-1", realm_access={"roles": ["rectify-office"]}))
        assert own.sub == "user-1"
        assert external.sub == f"{KC}#user-1"
        assert own.sub != external.sub
