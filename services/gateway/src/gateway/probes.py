"""Small GETs the gateway itself sends to the upstreams: their readiness and their OpenAPI documents."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import aiohttp

from gateway.upstreams import Upstream, Upstreams


async def upstream_ready(upstream: Upstream, *, seconds: float) -> str:
    """'ok', or why not (the upstream's /readyz answer, or the connection failure)."""
    try:
        async with upstream.session.get(
            upstream.base_url + "/readyz", timeout=aiohttp.ClientTimeout(total=seconds)
        ) as response:
            if response.status == 200:
                return "ok"
            return f"unavailable: HTTP {response.status}"
    except (aiohttp.ClientError, TimeoutError) as exc:
        return f"unreachable: {type(exc).__name__}"


async def readiness(upstreams: Upstreams, *, seconds: float) -> dict[str, str]:
    names = list(upstreams.by_name)
    results = await asyncio.gather(*(upstream_ready(upstreams[name], seconds=seconds) for name in names))
    return dict(zip(names, results, strict=True))


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
        try:
            async with upstream.session.get(
                upstream.base_url + "/openapi.json", timeout=aiohttp.ClientTimeout(total=self._timeout)
            ) as response:
                if response.status != 200:
                    return None
                document: dict[str, Any] = await response.json(content_type=None)
                return document
        except (aiohttp.ClientError, TimeoutError, ValueError):
            return None
