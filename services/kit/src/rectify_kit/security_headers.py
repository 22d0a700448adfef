"""Security headers on every answer of every service, whatever produced it (routes, errors, the proxy).

An answer that set a header itself keeps it: the gateway's HTML pages carry their own Content-Security-Policy
(with the nonce of that answer), the API documentation page its own. Everything else is data, never a page: its
policy allows nothing to run and no one to frame it. HSTS only goes out over https — said by the connection
itself, or by the `X-Forwarded-Proto` of a proxy the service was told to trust (TLS ends in front of it).
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import Scope

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HSTS = "max-age=31536000; includeSubDomains"
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"content-security-policy", API_POLICY.encode()),
)


def is_https(scope: Scope, trusted_proxies: Iterable[str] = ()) -> bool:
    """The request came over https: its own scheme, or a trusted proxy's `X-Forwarded-Proto`."""
    if scope.get("scheme") == "https":
        return True
    peer = scope["client"][0] if scope.get("client") else None
    if peer is None or peer not in trusted_proxies:
        return False
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    for key, value in headers:
        if key == b"x-forwarded-proto":
            return value.decode("latin-1").split(",")[0].strip().lower() == "https"
    return False
