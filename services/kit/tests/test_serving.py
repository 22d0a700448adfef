"""Serving: the objects a started process holds are out of the garbage collector's reach."""

from __future__ import annotations

import asyncio
import gc

import uvicorn
from fastapi import FastAPI

from rectify_kit.serving import DrainingServer


async def test_startup_freezes_what_the_started_process_holds() -> None:
    gc.unfreeze()
    app = FastAPI()
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None)
    config.load()
    server = DrainingServer(config, asyncio.Event())
    server.lifespan = config.lifespan_class(config)  # as uvicorn's Server._serve sets it before startup
    try:
        await server.startup()
        assert gc.get_freeze_count() > 0
        # What requests allocate afterwards is collected as before.
        assert gc.isenabled()
    finally:
        await server.shutdown()
        gc.unfreeze()
