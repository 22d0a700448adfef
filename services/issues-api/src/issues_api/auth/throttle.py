"""How long an account waits after wrong passwords: nothing for the first few, then doubling up to a cap.

A silent lock lets anyone who knows a username (unit codes are easy to guess) shut its owner out for a quarter of
an hour with five requests. A short, growing wait costs the owner seconds and an attacker the whole cap.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from issues_api.config import LoginSettings


def wait_after(failures: int, settings: LoginSettings) -> timedelta | None:
    """The wait that `failures` wrong passwords in a row impose (None while they are free)."""
    over = failures - settings.free_attempts
    if over < 0:
        return None
    seconds = min(settings.first_delay_seconds * 2 ** min(over, 32), settings.max_delay_seconds)
    return timedelta(seconds=seconds)


def seconds_left(until: datetime | None, now: datetime) -> int | None:
    """Whole seconds until `until` (at least 1), or None when it has passed."""
    if until is None or until <= now:
        return None
    return max(1, math.ceil((until - now).total_seconds()))
