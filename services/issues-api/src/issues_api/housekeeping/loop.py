"""The retention round every `ISSUES_RETENTION__INTERVAL_SECONDS` (hourly by default), from start to shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from fastapi import FastAPI

from issues_api.housekeeping.service import purge
from rectify_kit.clock import SystemClock

log = logging.getLogger("issues_api.retention")


async def _purge_forever(app: FastAPI) -> None:
    settings = app.state.settings.retention
    while True:
        try:
            async with app.state.database.session() as session:
                purged = await purge(session, settings=settings, clock=SystemClock())
            if purged.idempotency_keys or purged.refresh_tokens:
                log.info("retention round", extra={"purged": purged.__dict__})
        except Exception:  # a failed round is tried again at the next interval; the service goes on
            log.exception("the retention round failed")
        await asyncio.sleep(settings.interval_seconds)


async def start_retention(app: FastAPI) -> None:
    app.state.retention_task = asyncio.create_task(_purge_forever(app))


async def stop_retention(app: FastAPI) -> None:
    task: asyncio.Task[None] | None = getattr(app.state, "retention_task", None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
