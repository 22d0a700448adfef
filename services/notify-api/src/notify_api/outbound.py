"""The guard of outbound addresses: webhooks, robots and the SMS gateway go only to global addresses that are
not this deployment's own, unless an allow-list names them.

A URL is checked when it is stored (422) and again at every send, where the HTTP client connects only to an
address it has just checked: a name that resolves to a public address when stored and to 127.0.0.1 later (DNS
rebinding) is refused at the connection, not followed.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
import ssl
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlsplit

import httpcore
import httpx
from fastapi import Depends, Request

from notify_api.config import OutboundSettings
from rectify_kit.errors import Unprocessable

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class AddressRefused(Unprocessable):
    code, title_zh, title_en = "outbound-address-refused", "不允许的目标地址", "Address not allowed"

    def __init__(self, reason: str, *, field_name: str = "url") -> None:
        super().__init__(reason, errors=[{"field": field_name, "message": reason}])
        self.reason = reason


@dataclass(frozen=True)
class OutboundGuard:
    """Which addresses outbound HTTP may reach (see the module)."""

    allow_networks: tuple[Network, ...] = ()
    allow_hosts: frozenset[str] = frozenset()
    own: frozenset[Address] = field(default_factory=frozenset)

    def refusal(self, host: str, address: Address) -> str | None:
        """Why `address` (of `host`) is refused, or None when it may be reached."""
        if host.lower() in self.allow_hosts or any(address in net for net in self.allow_networks):
            return None
        mapped = getattr(address, "ipv4_mapped", None)
        real = mapped or address
        if real in self.own:
            return f"{host} is this deployment's own address {real}"
        if not real.is_global or real.is_multicast:
            return f"{host} resolves to {real}, which is not a public address"
        return None

    async def addresses(self, host: str, port: int) -> list[str]:
        """The addresses of `host` that may be reached; raises AddressRefused when any may not (a name that
        resolves to one public and one private address is refused whole)."""
        literal = _literal(host)
        if literal is not None:
            found = [literal]
        else:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
            found = [ipaddress.ip_address(info[4][0]) for info in infos]
        for address in found:
            reason = self.refusal(host, address)
            if reason is not None:
                raise AddressRefused(reason)
        return list(dict.fromkeys(str(a) for a in found))

    async def check_url(self, url: str, *, field_name: str = "url") -> None:
        """Refuse (422 `outbound-address-refused`) a URL whose host is or resolves to a refused address. A name
        that does not resolve now is let through: every send checks again, at the connection."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise AddressRefused("not an http(s) URL", field_name=field_name)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            await self.addresses(parts.hostname, port)
        except AddressRefused as refused:
            raise AddressRefused(refused.reason, field_name=field_name) from None
        except OSError:
            return


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def guard_from(settings: OutboundSettings) -> OutboundGuard:
    """The guard of these settings; the deployment's own addresses are those of this machine's host name and
    of `own_hosts`, resolved now."""
    networks: list[Network] = []
    hosts: set[str] = set()
    for entry in settings.allow:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            hosts.add(entry.lower())
    return OutboundGuard(
        allow_networks=tuple(networks), allow_hosts=frozenset(hosts), own=frozenset(_resolve_all(own_names(settings)))
    )


def own_names(settings: OutboundSettings) -> list[str]:
    return [socket.gethostname(), *settings.own_hosts]


def _resolve_all(names: Iterable[str]) -> set[Address]:
    found: set[Address] = set()
    for name in names:
        try:
            infos = socket.getaddrinfo(name, None)
        except OSError:
            continue
        found.update(ipaddress.ip_address(info[4][0]) for info in infos)
    return {a for a in found if a.is_global}  # loopback and private ones are refused anyway


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to addresses the guard has just checked."""

    def __init__(self, guard: OutboundGuard) -> None:
        self.guard = guard
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await self.guard.addresses(host, port)
        except AddressRefused as refused:
            raise httpcore.ConnectError(f"refused: {refused.reason}") from None
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
        raise failure or httpcore.ConnectError(f"no address for {host}")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The process's one TLS client context (certifi's CA bundle) for every HTTP client: building one costs tens
    of milliseconds of CPU, and each httpx client or transport left to itself builds its own."""
    return httpx.create_ssl_context()


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over the guarded backend; no proxy (it would connect for us, unchecked)."""

    def __init__(self, guard: OutboundGuard) -> None:
        super().__init__(verify=tls_context(), trust_env=False)
        # httpx builds its connection pool without a way to pass a network backend: give it ours.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=tls_context(), network_backend=GuardedBackend(guard), max_connections=100
        )


def get_guard(request: Request) -> OutboundGuard:
    guard: OutboundGuard = request.app.state.outbound_guard
    return guard


GuardDep = Annotated[OutboundGuard, Depends(get_guard)]
