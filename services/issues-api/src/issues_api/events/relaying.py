"""The app's relay loop: staged events of this and other processes into the feed (kit relay.py)."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from issues_api.events.models import outbox


async def start_relaying(app: FastAPI) -> None:
    """Startup hook: relay rows left staged (by a failed after-commit relay, or by another process) each second."""
    stop = asyncio.Event()
    app.state.relay_stop = stop
    app.state.relay_task = asyncio.create_task(outbox.run_relay(app.state.database, stop=stop))


async def stop_relaying(app: FastAPI) -> None:
    """Shutdown hook: let the round in progress finish, then stop."""
    app.state.relay_stop.set()
    await app.state.relay_task
