"""The upstream services: one pooled aiohttp session and one circuit breaker each."""

from __future__ import annotations

from dataclasses import dataclass, field

import aiohttp

from gateway.breaker import CircuitBreaker
from gateway.config import Settings

# uvicorn closes idle keep-alive connections after 5 s; giving them up sooner on our side avoids sending a
# request on a connection the upstream is closing at that very moment.
_KEEPALIVE_SECONDS = 4.0


@dataclass
class Upstream:
    name: str
    base_url: str
    breaker: CircuitBreaker
    pool_size: int = 100
    _session: aiohttp.ClientSession | None = field(default=None, init=False, repr=False)

    @property
    def session(self) -> aiohttp.ClientSession:
        """Created on first use, inside the running event loop that serves the requests."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=self.pool_size, keepalive_timeout=_KEEPALIVE_SECONDS, enable_cleanup_closed=False
            )
            self._session = aiohttp.ClientSession(
                base_url=None,
                connector=connector,
                # Bodies pass through as they are: compressed stays compressed, cookies stay the client's.
                auto_decompress=False,
                cookie_jar=aiohttp.DummyCookieJar(),
                skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
                timeout=aiohttp.ClientTimeout(total=None),
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class Upstreams:
    """All upstreams by name, built from settings."""

    def __init__(self, settings: Settings) -> None:
        self.by_name: dict[str, Upstream] = {
            name: Upstream(
                name=name,
                base_url=url.rstrip("/"),
                breaker=CircuitBreaker(failures=settings.breaker.failures, open_seconds=settings.breaker.open_seconds),
                pool_size=settings.pool_size,
            )
            for name, url in settings.upstream_urls().items()
        }

    def __getitem__(self, name: str) -> Upstream:
        return self.by_name[name]

    async def close(self) -> None:
        for upstream in self.by_name.values():
            await upstream.close()
