"""Serving: the objects a started process holds are out of the garbage collector's reach; a stop drains first."""

from __future__ import annotations

import asyncio
import gc
import socket

import httpx
import pytest
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


async def test_a_stopping_server_answers_through_its_drain_saying_it_drains_then_closes() -> None:
    """Between SIGTERM and closing its connections the replica still answers, `/readyz` 503: a balancer checking it
    takes it out of rotation while requests sent meanwhile are still served."""
    app = FastAPI()
    draining = asyncio.Event()

    @app.get("/readyz")
    async def readyz() -> dict[str, bool]:
        return {"draining": draining.is_set()}

    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()  # connections wait in the backlog until the server takes them
        port = listening.getsockname()[1]
        config = uvicorn.Config(app, log_config=None, lifespan="off")
        server = DrainingServer(config, draining, drain_seconds=1.0)
        serving = asyncio.create_task(server.serve(sockets=[listening]))
        url = f"http://127.0.0.1:{port}/readyz"
        async with httpx.AsyncClient(timeout=5) as client:
            assert (await client.get(url)).json() == {"draining": False}
            server.should_exit = True  # what uvicorn's SIGTERM handler does
            await asyncio.wait_for(draining.wait(), 5)
            assert (await client.get(url, headers={"Connection": "close"})).json() == {"draining": True}
            await asyncio.wait_for(serving, 10)
            with pytest.raises(httpx.ConnectError):
                await client.get(url)
    gc.unfreeze()
