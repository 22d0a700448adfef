"""Header handling of the proxy: hop-by-hop headers dropped, X-Forwarded-* and X-Request-ID set."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from starlette.types import Scope

# RFC 9110 §7.6.1 hop-by-hop headers, plus `host` (the upstream's own is sent) and `proxy-connection`.
_HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
_SET_BY_GATEWAY = frozenset(
    {b"host", b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host", b"x-request-id", b"x-real-ip"}
)
# The gateway's server adds its own `date` and `server`; the upstream's would be duplicates.
_RESPONSE_DROP = _HOP_BY_HOP | {b"date", b"server", b"x-request-id"}


def _connection_tokens(value: bytes) -> set[bytes]:
    """Headers named in `Connection` are hop-by-hop too."""
    return {token.strip().lower() for token in value.split(b",")}


def client_ip(scope: Scope, trusted_proxies: Sequence[str]) -> str:
    """The caller's address: the peer, or the last untrusted hop of X-Forwarded-For behind a trusted proxy."""
    peer = scope["client"][0] if scope.get("client") else "unknown"
    if peer not in trusted_proxies:
        return str(peer)
    raw: list[tuple[bytes, bytes]] = scope["headers"]
    for key, value in raw:
        if key == b"x-forwarded-for":
            hops = [hop.strip() for hop in value.decode("latin-1").split(",") if hop.strip()]
            for hop in reversed(hops):
                if hop not in trusted_proxies:
                    return hop
    return str(peer)


def upstream_request_headers(
    scope: Scope, *, client: str, request_id: str, behind_proxy: bool
) -> list[tuple[bytes, bytes]]:
    """The headers sent upstream: the client's end-to-end headers and the forwarding headers (ASGI's lower-case
    names, latin-1 bytes as they came).

    Behind a trusted proxy (TLS terminated in front) its X-Forwarded-Proto and -Host are kept.
    """
    raw: list[tuple[bytes, bytes]] = scope["headers"]
    headers: list[tuple[bytes, bytes]] = []
    extra_hop: set[bytes] | None = None
    host = b""
    proto: bytes | None = None
    for key, value in raw:
        if key == b"host" and not host:
            host = value
        elif behind_proxy and key == b"x-forwarded-host":
            host = value.split(b",")[0].strip()
        elif behind_proxy and key == b"x-forwarded-proto":
            proto = value.split(b",")[0].strip()
        if key in _HOP_BY_HOP or key in _SET_BY_GATEWAY:
            if key == b"connection":
                extra_hop = (extra_hop or set()) | _connection_tokens(value)
            continue
        headers.append((key, value))
    if extra_hop:
        headers = [(key, value) for key, value in headers if key not in extra_hop]
    headers.append((b"X-Forwarded-For", client.encode("latin-1")))
    headers.append((b"X-Forwarded-Proto", proto if proto is not None else str(scope.get("scheme", "http")).encode()))
    if host:
        headers.append((b"X-Forwarded-Host", host))
    headers.append((b"X-Request-ID", request_id.encode("latin-1")))
    return headers


def downstream_response_headers(raw: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The upstream's response headers minus the hop-by-hop ones (ASGI wants lower-case names)."""
    result: list[tuple[bytes, bytes]] = []
    extra_hop: set[bytes] | None = None
    for key, value in raw:
        name = key.lower()
        if name in _RESPONSE_DROP:
            if name == b"connection":
                extra_hop = (extra_hop or set()) | _connection_tokens(value)
            continue
        result.append((name, value))
    if extra_hop:
        result = [(name, value) for name, value in result if name not in extra_hop]
    return result
