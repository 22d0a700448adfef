"""In-memory rate limits (per process): token buckets keyed by client IP or token subject."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gateway.config import RateLimitSettings
from gateway.routing import LOGIN_PATH, PUBLIC_WRITE_PREFIX


@dataclass(frozen=True)
class Limit:
    """`requests` per `seconds`; the bucket holds at most `requests` and refills evenly over `seconds`."""

    name: str
    requests: int
    seconds: float


class RateLimiter:
    """Token buckets: each key has one bucket per limit; a request takes one token from each, or none."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        self._clock = clock
        self._max_keys = max_keys
        # (limit name, key) -> (tokens, last refill time)
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}
        self._limits: dict[str, Limit] = {}

    def hit(self, key: str, limits: Sequence[Limit]) -> float:
        """Take a token for `key` under every limit; returns 0 when allowed, else seconds until it would be."""
        now = self._clock()
        levels: list[float] = []
        wait = 0.0
        for limit in limits:
            tokens = self._tokens(limit, key, now)
            levels.append(tokens)
            if tokens < 1:
                wait = max(wait, (1 - tokens) * limit.seconds / limit.requests)
        if wait > 0:
            return wait
        for limit, tokens in zip(limits, levels, strict=True):
            self._buckets[(limit.name, key)] = (tokens - 1, now)
            self._limits[limit.name] = limit
        if len(self._buckets) > self._max_keys:
            self._forget_full(now)
        return 0.0

    def _tokens(self, limit: Limit, key: str, now: float) -> float:
        stored = self._buckets.get((limit.name, key))
        if stored is None:
            return float(limit.requests)
        tokens, at = stored
        return min(float(limit.requests), tokens + (now - at) * limit.requests / limit.seconds)

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled to the brim: forgetting them changes nothing."""
        for bucket_key, (tokens, at) in list(self._buckets.items()):
            limit = self._limits[bucket_key[0]]
            if tokens + (now - at) * limit.requests / limit.seconds >= limit.requests:
                del self._buckets[bucket_key]


def retry_after_header(seconds: float) -> str:
    """Retry-After in whole seconds, never 0 (a client retrying at once would be refused again)."""
    return str(max(1, math.ceil(seconds)))


class RatePolicy:
    """Which limits apply to a request: per client IP on public submissions and login, per subject elsewhere."""

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
        if method == "POST" and path == LOGIN_PATH:
            return f"ip:{client}", self.login
        if subject is not None:
            return f"sub:{subject}", self.subject
        return "", ()


def _limits(*specs: tuple[str, int, float]) -> tuple[Limit, ...]:
    return tuple(Limit(name, requests, seconds) for name, requests, seconds in specs if requests > 0)
