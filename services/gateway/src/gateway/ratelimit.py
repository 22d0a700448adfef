"""Rate limits keyed by client IP or token subject: sliding-window counters of the `limits` library, kept in
Redis when `GATEWAY_REDIS_URL` is set (shared by every gateway replica) and in this process's memory otherwise."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import StorageError

from gateway.config import RateLimitSettings
from gateway.routing import LOGIN_PATH, OPEN311_PREFIX, PUBLIC_WRITE_PREFIX, SIGN_IN_PATHS

logger = logging.getLogger(__name__)
# A request never waits long for Redis: past this it is counted in memory (and the failure logged).
_REDIS_TIMEOUT_SECONDS = 0.5


@dataclass(frozen=True)
class Limit:
    """`requests` per `seconds`, counted over a sliding window of that length."""

    name: str
    requests: int
    seconds: float

    def item(self) -> RateLimitItemPerSecond:
        return RateLimitItemPerSecond(self.requests, max(1, round(self.seconds)), namespace="rectify-gateway")


class RateLimiter:
    """Counts each request against every limit of its key; with Redis the counts are shared by all replicas.

    The limits are taken in the order given (shortest window first) and counting stops at the first refusal, so
    a request refused by the minute's limit takes nothing from the day's. Each hit is one atomic step in the
    store (a Lua script in Redis). While Redis cannot be reached, requests are counted in memory instead.
    """

    def __init__(self, redis_url: str | None = None) -> None:
        self._memory = SlidingWindowCounterRateLimiter(MemoryStorage())
        self._shared: SlidingWindowCounterRateLimiter | None = None
        if redis_url:
            storage = RedisStorage(
                "async+" + redis_url,
                wrap_exceptions=True,
                implementation="redispy",
                key_prefix="rectify",
                socket_connect_timeout=_REDIS_TIMEOUT_SECONDS,
                socket_timeout=_REDIS_TIMEOUT_SECONDS,
            )
            self._shared = SlidingWindowCounterRateLimiter(storage)

    @property
    def shared(self) -> bool:
        return self._shared is not None

    async def hit(self, key: str, limits: Sequence[Limit]) -> float:
        """Count a request for `key`; returns 0 when allowed, else seconds until it would be."""
        if self._shared is not None:
            try:
                return await _hit(self._shared, key, limits)
            except StorageError as exc:
                logger.warning("rate limits counted in memory: redis failed (%s)", exc.storage_error)
        return await _hit(self._memory, key, limits)


async def _hit(strategy: SlidingWindowCounterRateLimiter, key: str, limits: Sequence[Limit]) -> float:
    for limit in limits:
        item = limit.item()
        if not await strategy.hit(item, limit.name, key):
            stats = await strategy.get_window_stats(item, limit.name, key)
            return max(stats.reset_time - time.time(), 1.0)
    return 0.0


def retry_after_header(seconds: float) -> str:
    """Retry-After in whole seconds, never 0 (a client retrying at once would be refused again)."""
    return str(max(1, math.ceil(seconds)))


class RatePolicy:
    """Which limits apply to a request: per client IP on public submissions, sign-ins and Open311 posts, per
    subject elsewhere. A web session's refresh and logout carry its cookie, not a password: they count per client
    IP apart from sign-ins, at the subject's rate, so that a whole office behind one address renewing its sessions
    all day never uses up the address's sign-ins."""

    def __init__(self, settings: RateLimitSettings) -> None:
        self.public = _limits(
            ("public-minute", settings.public_per_minute, 60), ("public-day", settings.public_per_day, 86_400)
        )
        self.login = _limits(
            ("login-minute", settings.login_per_minute, 60), ("login-day", settings.login_per_day, 86_400)
        )
        self.subject = _limits(("subject-minute", settings.subject_per_minute, 60))

    def for_request(self, method: str, path: str, *, client: str, subject: str | None) -> tuple[str, tuple[Limit, ...]]:
        """(bucket key, limits); no limits for anonymous reads of public routes."""
        if method == "POST" and path.startswith(PUBLIC_WRITE_PREFIX):
            return f"ip:{client}", self.public
        if method == "POST" and (path == LOGIN_PATH or path.startswith(OPEN311_PREFIX)):
            return f"ip:{client}", self.login
        if method == "POST" and path in SIGN_IN_PATHS:
            return f"session-ip:{client}", self.subject
        if subject is not None:
            return f"sub:{subject}", self.subject
        return "", ()


def _limits(*specs: tuple[str, int, float]) -> tuple[Limit, ...]:
    return tuple(Limit(name, requests, seconds) for name, requests, seconds in specs if requests > 0)
