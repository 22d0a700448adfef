"""The services' HTTP/1.1 server (`serving.serve`): uvicorn's httptools protocol, each answer's head written with its
body, one keep-alive timer per connection, access lines written without a log record (accesslog.py).

uvicorn writes an answer's status line and headers as soon as the app sends `http.response.start`, and its body
with the next message: two writes, two system calls and two TCP segments for every answer (py-spy put about a
quarter of the gateway's samples for a proxied `GET` in the first write, the kernel's work for both ends of the
loopback included). Here the head waits for the first body bytes and leaves with them in one write; a head whose
body does not follow at once (a stream's first event may come much later) is written at the loop's next turn, so
a client never waits for it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from rectify_kit.accesslog import AccessLine, access_logger


class HeadWithBody:
    """The connection's transport as the server protocol sees it: after `expect_head()` the next write (the head
    of an answer) is held until the write after it, or the loop's next turn, whichever comes first; every other
    write goes straight through. Everything else is the transport's own."""

    __slots__ = ("_flush_scheduled", "_held", "_loop", "_transport", "expecting_head")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None
        self._flush_scheduled = False
        self.expecting_head = False

    def write(self, data: bytes) -> None:
        held = self._held
        if held is not None:
            self._held = None
            self._transport.writelines((held, data))
        elif self.expecting_head:
            self.expecting_head = False
            self._held = data
            if not self._flush_scheduled:
                self._flush_scheduled = True
                self._loop.call_soon(self._flush_at_turn)
        else:
            self._transport.write(data)

    def flush(self) -> None:
        """Write what is held now."""
        held = self._held
        if held is not None:
            self._held = None
            if not self._transport.is_closing():
                self._transport.write(held)

    def _flush_at_turn(self) -> None:
        self._flush_scheduled = False
        self.flush()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol writing each answer's head with its first body bytes (`HeadWithBody`), and its
    access lines with `accesslog.AccessLine` when logging is the kit's."""

    transport: HeadWithBody  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.access_log:
            self.access_logger = _access_logger(self.access_logger)  # type: ignore[assignment]
        # Since when the connection has waited for its next request (None: a request is being read or answered).
        self._idle_since: float | None = None

    # The keep-alive timeout. uvicorn arms a timer (`call_later`) when an answer ends and cancels it when the next
    # request's bytes arrive: a uvloop timer made, started and stopped for every request, about 2 µs of CPU. Here
    # one timer is kept armed: when it fires it closes the connection if it has been idle for the timeout, waits
    # for the rest of it if it has been idle for less, and lapses if a request is on (the answer's end arms it).

    def _unset_keepalive_if_required(self) -> None:
        self._idle_since = None

    def on_response_complete(self) -> None:
        # uvicorn's, but for the timer.
        self.server_state.total_requests += 1
        if self.transport.is_closing():
            return
        self._idle_since = None
        self.flow.resume_reading()
        if self.pipeline:
            cycle, app = self.pipeline.pop()
            self._start_asgi_task(cycle, app)
        else:
            self._idle_since = now = self.loop.time()
            if self.timeout_keep_alive_task is None:
                self.timeout_keep_alive_task = self.loop.call_at(now + self.timeout_keep_alive, self._keep_alive_due)

    def _keep_alive_due(self) -> None:
        self.timeout_keep_alive_task = None
        idle_since = self._idle_since
        if idle_since is None:
            return
        due = idle_since + self.timeout_keep_alive
        if due - self.loop.time() > 0.001:
            self.timeout_keep_alive_task = self.loop.call_at(due, self._keep_alive_due)
        else:
            self.timeout_keep_alive_handler()

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        if self.timeout_keep_alive_task is not None:
            self.timeout_keep_alive_task.cancel()
            self.timeout_keep_alive_task = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = HeadWithBody(transport, self.loop)

    def on_headers_complete(self) -> None:
        # A request starts: the next write on this connection is its answer's head (or a 100 Continue).
        self.transport.expecting_head = True
        super().on_headers_complete()


_made: tuple[tuple[Any, ...], logging.Logger | AccessLine] | None = None


def _access_logger(logger: logging.Logger) -> logging.Logger | AccessLine:
    """`access_logger(logger)`, made once for as long as the root logger keeps its handlers (each connection asks)."""
    global _made
    key = (logger, *logging.getLogger().handlers)
    if _made is None or _made[0] != key:
        _made = (key, access_logger(logger))
    return _made[1]
