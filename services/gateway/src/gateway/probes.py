"""Small GETs the gateway itself sends to the upstreams: the replicas' health checks and the OpenAPI documents."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

import aiohttp

from gateway.upstreams import Backend, Upstream, Upstreams

logger = logging.getLogger(__name__)


async def backend_ready(upstream: Upstream, backend: Backend, *, seconds: float) -> str:
    """'ok', or why not (the replica's /readyz answer, or the connection failure)."""
    try:
        async with upstream.session.get(
            backend.base_url + "/readyz", timeout=aiohttp.ClientTimeout(total=seconds)
        ) as response:
            if response.status == 200:
                return "ok"
            return f"unavailable: HTTP {response.status}"
    except (aiohttp.ClientError, TimeoutError) as exc:
        return f"unreachable: {type(exc).__name__}"


async def check_backends(upstreams: Upstreams, *, seconds: float) -> None:
    """Ask every replica of every service at once and record each answer on its backend."""
    pairs = [(upstream, backend) for upstream in upstreams.by_name.values() for backend in upstream.backends]
    results = await asyncio.gather(*(backend_ready(upstream, backend, seconds=seconds) for upstream, backend in pairs))
    for (_, backend), status in zip(pairs, results, strict=True):
        backend.checked(status)


class HealthChecker:
    """The active health checks: a task that checks every replica every `interval` seconds while the app runs."""

    def __init__(self, upstreams: Upstreams, *, interval: float, timeout: float) -> None:
        self._upstreams = upstreams
        self._interval = interval
        self._timeout = timeout
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="gateway-health-checks")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await check_backends(self._upstreams, seconds=self._timeout)
            except Exception:
                logger.exception("health checks failed")
            await asyncio.sleep(self._interval)


class OpenApiSource:
    """The services' /openapi.json documents, cached for a while; an unreachable service is left out."""

    def __init__(
        self, upstreams: Upstreams, *, timeout: float, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._upstreams = upstreams
        self._timeout = timeout
        self._ttl = ttl
        self._clock = clock
        self._cached: tuple[float, dict[str, dict[str, Any]]] | None = None

    async def documents(self) -> tuple[dict[str, dict[str, Any]], list[str]]:
        """(documents by service, services that could not be read)."""
        if self._cached is not None and self._clock() - self._cached[0] < self._ttl:
            return self._cached[1], []
        names = list(self._upstreams.by_name)
        fetched = await asyncio.gather(*(self._fetch(self._upstreams[name]) for name in names))
        documents = {name: doc for name, doc in zip(names, fetched, strict=True) if doc is not None}
        missing = [name for name in names if name not in documents]
        if not missing:
            # Only a complete set is cached: a service that was down is asked again next time.
            self._cached = (self._clock(), documents)
        return documents, missing

    async def _fetch(self, upstream: Upstream) -> dict[str, Any] | None:
        backend = next((backend for backend in upstream.backends if backend.takes_requests()), None)
        if backend is None:
            return None
        try:
            async with upstream.session.get(
                backend.base_url + "/openapi.json", timeout=aiohttp.ClientTimeout(total=self._timeout)
            ) as response:
                if response.status != 200:
                    return None
                document: dict[str, Any] = await response.json(content_type=None)
                return document
        except (aiohttp.ClientError, TimeoutError, ValueError):
            return None
