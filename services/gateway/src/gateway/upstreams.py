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
    stream_pool_size: int = 0
    _session: aiohttp.ClientSession | None = field(default=None, init=False, repr=False)
    _stream_session: aiohttp.ClientSession | None = field(default=None, init=False, repr=False)

    @property
    def session(self) -> aiohttp.ClientSession:
        """The pool for ordinary requests; created on first use, inside the event loop that serves them."""
        if self._session is None or self._session.closed:
            self._session = _session(self.pool_size)
        return self._session

    @property
    def stream_session(self) -> aiohttp.ClientSession:
        """A pool of its own for server-sent event streams: each holds a connection for as long as a browser
        keeps its inbox open, and must never leave ordinary requests waiting for a free one."""
        if self._stream_session is None or self._stream_session.closed:
            self._stream_session = _session(self.stream_pool_size)
        return self._stream_session

    async def close(self) -> None:
        for session in (self._session, self._stream_session):
            if session is not None:
                await session.close()
        self._session = self._stream_session = None


def _session(limit: int) -> aiohttp.ClientSession:
    """`limit` connections at most (0: no limit)."""
    connector = aiohttp.TCPConnector(limit=limit, keepalive_timeout=_KEEPALIVE_SECONDS)
    return aiohttp.ClientSession(
        connector=connector,
        # Bodies pass through as they are: compressed stays compressed, cookies stay the client's.
        auto_decompress=False,
        cookie_jar=aiohttp.DummyCookieJar(),
        skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
        timeout=aiohttp.ClientTimeout(total=None),
    )


class Upstreams:
    """All upstreams by name, built from settings."""

    def __init__(self, settings: Settings) -> None:
        self.by_name: dict[str, Upstream] = {
            name: Upstream(
                name=name,
                base_url=url.rstrip("/"),
                breaker=CircuitBreaker(failures=settings.breaker.failures, open_seconds=settings.breaker.open_seconds),
                pool_size=settings.pool_size,
                stream_pool_size=settings.stream_pool_size,
            )
            for name, url in settings.upstream_urls().items()
        }

    def __getitem__(self, name: str) -> Upstream:
        return self.by_name[name]

    async def close(self) -> None:
        for upstream in self.by_name.values():
            await upstream.close()
