"""python-jose signs and verifies with the cryptography package, and its ecdsa fallback is not installed."""

from __future__ import annotations

import importlib.util

from jose.backends import ECKey, RSAKey
from jose.backends.cryptography_backend import CryptographyECKey, CryptographyRSAKey

from rectify_kit.auth import decode_token, signing_key
from rectify_kit.testing import TokenFactory


def test_jose_uses_the_cryptography_backend() -> None:
    assert RSAKey is CryptographyRSAKey
    assert ECKey is CryptographyECKey


def test_the_pure_python_fallbacks_are_not_installed() -> None:
    # ecdsa: CVE-2024-23342 (Minerva timing attack), never fixed upstream.
    assert [name for name in ("ecdsa", "rsa", "pyasn1") if importlib.util.find_spec(name) is not None] == []


def test_tokens_still_round_trip() -> None:
    factory = TokenFactory()
    claims = decode_token(
        factory.token("user-1"), key=factory.jwks["keys"][0], issuer=factory.issuer, audience=factory.audience
    )
    assert claims["sub"] == "user-1"


def test_the_signing_key_is_parsed_once_not_per_token() -> None:
    factory = TokenFactory()
    signing_key.cache_clear()
    for sub in ("a", "b", "c"):
        factory.token(sub)
    # Parsing a PEM validates the RSA key (~0.15 s of CPU): once per key, never on each login.
    assert signing_key.cache_info().misses == 1
    assert signing_key.cache_info().hits == 2
