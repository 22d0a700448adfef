"""A circuit breaker per upstream, so a dead upstream costs its callers nothing but a quick 503."""

from __future__ import annotations

import time
from collections.abc import Callable


class CircuitBreaker:
    """Closed → open after `failures` consecutive failures; after `open_seconds` one trial call is let through
    (half-open): its success closes the circuit, its failure opens it again."""

    def __init__(self, *, failures: int, open_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._threshold = max(1, failures)
        self._open_seconds = open_seconds
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_at: float | None = None

    @property
    def is_open(self) -> bool:
        return self._opened_at is not None

    def retry_after(self) -> float:
        """Seconds until a trial call is allowed (0 when calls pass)."""
        if self._opened_at is None:
            return 0.0
        return max(0.0, self._opened_at + self._open_seconds - self._clock())

    def allow(self) -> bool:
        """Whether a call may go to the upstream now; in half-open state only one at a time does.

        A trial that never reports back (its client went away) stops counting after `open_seconds`.
        """
        if self._opened_at is None:
            return True
        now = self._clock()
        if self.retry_after() > 0 or (self._trial_at is not None and now - self._trial_at < self._open_seconds):
            return False
        self._trial_at = now
        return True

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._trial_at = None

    def record_failure(self) -> None:
        self._failures += 1
        self._trial_at = None
        if self._opened_at is not None or self._failures >= self._threshold:
            self._opened_at = self._clock()
