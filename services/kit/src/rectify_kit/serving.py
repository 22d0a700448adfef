"""Serving a service with uvicorn, and stopping it cleanly.

On SIGTERM (or Ctrl-C) the app's `draining` event is set, the replica keeps answering for `drain_seconds` with
`/readyz` saying so (load balancers take it out of their rotation), then uvicorn stops accepting connections,
closes the idle ones and waits for the requests in flight. Once `draining` is set, what would hold a connection
open for long ends at once (a server-sent-event stream sends its last line and closes, a feed long-poll answers
what it has), and background loops waiting on the event finish their round. Requests still running after
`shutdown_grace_seconds` are cancelled; then the app's shutdown hooks run. So a stop takes the drain, the longest
request in flight (at most the grace period) and the hooks.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import socket
from typing import Any

import uvicorn
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import HTTPConnection

from rectify_kit.protocol import HttpProtocol
from rectify_kit.settings import ServiceSettings


class DrainingServer(uvicorn.Server):
    """uvicorn's server that sets `draining` as it begins to stop, before waiting for the requests in flight."""

    def __init__(self, config: uvicorn.Config, draining: asyncio.Event, *, drain_seconds: float = 0) -> None:
        self._stop_asked: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        super().__init__(config)
        self._draining = draining
        self._drain_seconds = drain_seconds

    # uvicorn's `main_loop` wakes every 0.1 s to see whether `should_exit` was set (by its signal handler, or by a
    # test): ten wake-ups a second in every idle process, some 0.07 s of CPU a minute each. Here setting it wakes
    # the loop, which otherwise ticks once a second (what `on_tick` does that is not about stopping: the `Date`
    # header, once a second).
    @property  # uvicorn's is a plain attribute, set in its __init__ and by its signal handler
    def should_exit(self) -> bool:
        return self._should_exit

    @should_exit.setter
    def should_exit(self, value: bool) -> None:
        self._should_exit = value
        if value and self._loop is not None and self._stop_asked is not None:
            # From the signal handler or another thread: the loop's own thread-safe way in.
            self._loop.call_soon_threadsafe(self._stop_asked.set)

    async def main_loop(self) -> None:
        self._loop, self._stop_asked = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 10) % 864000  # `on_tick` refreshes the Date header when counter % 10 == 0
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop_asked.wait(), 1.0)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        freeze_startup_objects()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self._draining.set()
        if self._drain_seconds:
            await asyncio.sleep(self._drain_seconds)
        await super().shutdown(sockets)


def serve(app: FastAPI, settings: ServiceSettings, **options: Any) -> None:
    """Run `app` until a signal stops it, on the uvloop event loop with `protocol.HttpProtocol` (uvicorn's httptools
    protocol, leaner), with lean log records; `options` are uvicorn's (`proxy_headers=`, …)."""
    lean_log_records()
    served: dict[str, Any] = {"loop": "uvloop", "http": HttpProtocol} | options
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
        **served,
    )
    DrainingServer(config, draining_event(app), drain_seconds=settings.drain_seconds).run()


def lean_log_records() -> None:
    """Log records without what no Rectify log line shows (the kit's formats name the time, level, logger, message
    and request id): the caller's file and line (a walk up the stack per record; logging's documented switch), the
    process id (a system call per record), the thread and process names. The access log writes a record for every
    request. For a served process only: set once, before the app logs anything."""
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False


def freeze_startup_objects() -> None:
    """Move what the process holds once started (modules, models, routes, metadata: some 200,000 objects in the
    largest service) out of the garbage collector's reach, after collecting what startup left behind.

    A full collection walks every tracked object: on the shared 2-core machine one took about half a second of CPU,
    during which no request was answered. Frozen objects are never walked again; what requests allocate is
    collected as before."""
    gc.collect()
    gc.freeze()


def draining_event(app: Starlette) -> asyncio.Event:
    """Set once the server has begun to stop (`create_service_app` gives every app one; others get it here)."""
    event: asyncio.Event | None = getattr(app.state, "draining", None)
    if event is None:
        event = app.state.draining = asyncio.Event()
    return event


def draining(connection: HTTPConnection) -> asyncio.Event:
    """The draining event of the app serving this request."""
    return draining_event(connection.app)
