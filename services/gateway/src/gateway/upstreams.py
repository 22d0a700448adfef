"""The upstream services: each a pool of replicas (backends) behind one pooled aiohttp session.

A backend takes requests while its last health check passed and its circuit breaker lets calls through
(passive ejection: consecutive failures open it). Requests go round-robin over the backends that take them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import aiohttp

from gateway.breaker import CircuitBreaker
from gateway.client import Origin, Pool
from gateway.config import Settings

# uvicorn closes idle keep-alive connections after 5 s; giving them up sooner on our side avoids sending a
# request on a connection the upstream is closing at that very moment.
_KEEPALIVE_SECONDS = 4.0


@dataclass
class Backend:
    """One replica of a service: its base URL, its breaker and what its last health check said."""

    base_url: str
    breaker: CircuitBreaker
    # Until a check says otherwise a backend is presumed up: the breaker ejects it at its first failures.
    healthy: bool = True
    last_check: str = "not checked yet"
    # Where the proxy's own client connects (None: not plain http, aiohttp asks it).
    origin: Origin | None = field(init=False)

    def __post_init__(self) -> None:
        self.origin = Origin.of(self.base_url)

    def takes_requests(self) -> bool:
        """Whether a request would be sent here now, without claiming the breaker's half-open trial."""
        return self.healthy and self.breaker.retry_after() == 0

    def checked(self, status: str) -> None:
        """Record a health check; one that passes closes the breaker (the replica answers again)."""
        self.last_check = status
        self.healthy = status == "ok"
        if self.healthy and self.breaker.is_open:
            self.breaker.record_success()


@dataclass
class Upstream:
    name: str
    backends: list[Backend]
    pool_size: int = 100
    stream_pool_size: int = 0
    _next: int = field(default=0, init=False, repr=False)
    _session: aiohttp.ClientSession | None = field(default=None, init=False, repr=False)
    _stream_session: aiohttp.ClientSession | None = field(default=None, init=False, repr=False)
    # The proxy's own client's connections (client.py), for ordinary requests.
    pool: Pool = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.pool = Pool(limit=self.pool_size, keepalive=_KEEPALIVE_SECONDS)

    def pick(self, *, exclude: tuple[Backend, ...] = ()) -> Backend | None:
        """The next backend round-robin that is healthy and whose breaker allows a call (None: none is)."""
        count = len(self.backends)
        for step in range(count):
            backend = self.backends[(self._next + step) % count]
            if backend in exclude or not backend.healthy:
                continue
            if backend.breaker.allow():
                self._next = (self._next + step + 1) % count
                return backend
        return None

    def available(self) -> bool:
        return any(backend.takes_requests() for backend in self.backends)

    def retry_after(self) -> float:
        """Seconds until some backend's breaker lets a trial through."""
        return min(backend.breaker.retry_after() for backend in self.backends)

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
        self.pool.close()
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
    """All upstreams by name, built from settings (a comma-separated list of replica URLs per service)."""

    def __init__(self, settings: Settings) -> None:
        self.by_name: dict[str, Upstream] = {
            name: Upstream(
                name=name,
                backends=[
                    Backend(
                        base_url=url,
                        breaker=CircuitBreaker(
                            failures=settings.breaker.failures, open_seconds=settings.breaker.open_seconds
                        ),
                    )
                    for url in urls
                ],
                pool_size=settings.pool_size,
                stream_pool_size=settings.stream_pool_size,
            )
            for name, urls in settings.upstream_urls().items()
        }

    def __getitem__(self, name: str) -> Upstream:
        return self.by_name[name]

    async def close(self) -> None:
        for upstream in self.by_name.values():
            await upstream.close()
