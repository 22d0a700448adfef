"""What a whole-system test does as a client: sign in through the gateway, wait for the feeds to follow."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

PASSWORD = "demo12345"  # every demo account's


def login(client: httpx.Client, username: str, *, patience: float = 60.0) -> dict[str, str]:
    """Bearer headers of the demo account `username`.

    A 503 with `Retry-After` (the gateway's breaker, open while a busy machine made issues-api miss its checks) is
    waited out as a client should, for up to `patience` seconds."""
    deadline = time.monotonic() + patience
    while True:
        response = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
        wait = response.headers.get("retry-after")
        if response.status_code != 503 or wait is None or time.monotonic() > deadline:
            break
        time.sleep(min(max(float(wait), 0.5), 5.0))
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def eventually(check: Callable[[], Any], *, timeout: float = 180.0, every: float = 0.2) -> Any:
    """Poll until `check` returns something truthy: the feeds are asynchronous by design."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(every)
