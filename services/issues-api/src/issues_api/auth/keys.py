"""The service's RSA signing key: loaded from a PEM file, generated there on first start when missing.

The same key signs access tokens (RS256) and anything else issues-api vouches for, such as the published
head of the audit chain: `sign(data)` returns a base64url RSASSA-PKCS1-v1_5 SHA-256 signature that anyone can
check with `verify(...)` or with the public key from `/.well-known/jwks.json`.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from issues_api.config import Settings, get_settings
from rectify_kit.auth import public_jwk, signing_key


@dataclass(frozen=True)
class ServiceKeys:
    """The private key (PEM), its public half and the key id tokens name in their `kid` header."""

    private_pem: str
    public_pem: str
    kid: str

    def sign(self, data: bytes) -> str:
        signature = signing_key(self.private_pem).sign(data, padding.PKCS1v15(), hashes.SHA256())
        return base64.urlsafe_b64encode(signature).decode().rstrip("=")

    def verify(self, data: bytes, signature: str) -> bool:
        return verify(data, signature, public_pem=self.public_pem)

    def jwk(self) -> dict[str, Any]:
        return public_jwk(self.public_pem, self.kid)


def verify(data: bytes, signature: str, *, public_pem: str) -> bool:
    """True when `signature` (from `sign`) is the service key's signature of `data`."""
    key = serialization.load_pem_public_key(public_pem.encode())
    if not isinstance(key, rsa.RSAPublicKey):
        return False
    try:
        raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
        key.verify(raw, data, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True


def _from_private_pem(private_pem: str) -> ServiceKeys:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("the service key must be an RSA key")
    public = key.public_key()
    public_pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    # The kid follows the key: a new key gets a new kid, so verifiers refresh their JWKS.
    return ServiceKeys(private_pem=private_pem, public_pem=public_pem, kid=hashlib.sha256(der).hexdigest()[:16])


def _generate_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _create_exclusive(path: Path, content: str) -> None:
    """Write `path` only if it does not exist (0600); a concurrent first start keeps the winner's key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)
    try:
        os.link(tmp, path)  # atomic, and fails when another process created the file first
    except FileExistsError:
        pass
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


@lru_cache(maxsize=8)
def _load(path: Path) -> ServiceKeys:
    if not path.exists():
        _create_exclusive(path, _generate_pem())
    keys = _from_private_pem(path.read_text())
    signing_key(keys.private_pem)  # parsed now, not during the first login
    return keys


def load_keys(settings: Settings | None = None) -> ServiceKeys:
    """The service key of `settings` (default: the process settings), generated on first use when missing."""
    settings = settings or get_settings()
    return _load(settings.key_file().resolve())


def keyring_dir(settings: Settings) -> Path:
    """Every public key this service ever signed with, one `<kid>.pem` each, kept across key rotations."""
    return settings.key_file().resolve().parent / "public"


def remember_public_key(keys: ServiceKeys, settings: Settings) -> None:
    """Keep the current key's public half in the keyring (once; never overwritten)."""
    _create_exclusive(keyring_dir(settings) / f"{keys.kid}.pem", keys.public_pem)


def known_public_keys(settings: Settings) -> dict[str, str]:
    """kid -> public PEM of every key in the keyring: the current one and those rotated out."""
    directory = keyring_dir(settings)
    if not directory.is_dir():
        return {}
    return {path.stem: path.read_text() for path in sorted(directory.glob("*.pem"))}


def sign(data: bytes, *, settings: Settings | None = None) -> str:
    """Sign `data` with the service key; base64url RS256 signature (see `verify`)."""
    return load_keys(settings).sign(data)
