"""The proxy's own HTTP/1.1 client for ordinary requests: kept-alive connections to each replica, httptools' parser.

aiohttp's client cost about 80 µs of CPU per request in process (its request and response objects, header
multidicts, timers per read, traces, cookies, redirects), a fifth of what the gateway spends on a proxied `GET`;
this one about 13. It speaks plain HTTP/1.1 to the replicas only, for what the proxy sends most: a request without
a body or with one read whole. Streams (server-sent events), bodies streamed up, `HEAD` and non-`http` replicas
stay with aiohttp (`Proxy._forward`), as do the health checks.

A pool per upstream: at most `limit` connections over its replicas (0: no limit), idle ones reused for
`keepalive` seconds; a request waits `pool_wait` seconds for one, `connect` for a new one to open, and `read` for
each next bytes of the answer. Answers stream: their bytes are queued as they arrive, and reading from the replica
pauses while more than `_PAUSE_OVER` bytes wait for the client.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit

import httptools

_PAUSE_OVER = 256 * 1024
_NO_BODY_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "CONNECT"})
# Asked again once on a new connection when the one taken was closed under them (RFC 9112 §9.3.1), as aiohttp does.
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})


class UpstreamError(Exception):
    """The replica could not be asked, or its answer did not arrive whole."""


class ConnectFailed(UpstreamError):
    """No connection could be had (refused, unreachable, too slow to open, or none free in time): nothing was sent."""


class NotSent(ConnectFailed):
    """The connection taken was closed or reset before the request was written (a replica killed with connections
    waiting in its accept queue resets them just after they opened): nothing was sent."""


class Disconnected(UpstreamError):
    """The replica closed or reset the connection before its answer ended."""


class InvalidAnswer(UpstreamError):
    """The replica's answer was not HTTP/1.1 as its parser knows it."""


class ReadTimeout(UpstreamError, TimeoutError):
    """No bytes of the answer arrived for the read timeout."""


@dataclass(frozen=True)
class Origin:
    """Where a replica listens, parsed once: host and port to connect to, its Host header and path prefix."""

    host: str
    port: int
    host_header: bytes
    path_prefix: str

    @classmethod
    def of(cls, base_url: str) -> Origin | None:
        """None for a replica this client does not speak to (not plain http)."""
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            return None
        port = parts.port or 80
        host_header = parts.netloc.rpartition("@")[2]
        if parts.port == 80:
            host_header = host_header.rsplit(":", 1)[0]
        return cls(parts.hostname, port, host_header.encode("latin-1"), parts.path.rstrip("/"))


@dataclass(frozen=True)
class Timeouts:
    pool_wait: float
    connect: float
    read: float


class Answer:
    """A replica's answer: status and headers at once, the body as it arrives (`read`, `iter_any`)."""

    __slots__ = (
        "_chunks",
        "_connection",
        "_done",
        "_error",
        "_queued",
        "_waiter",
        "content_length",
        "keep_alive",
        "raw_headers",
        "status",
    )

    def __init__(self, connection: _Connection) -> None:
        # None once released or closed: a second call must not touch a connection another request has taken.
        self._connection: _Connection | None = connection
        self.status = 0
        self.raw_headers: list[tuple[bytes, bytes]] = []
        self.content_length: int | None = None
        self.keep_alive = False
        self._chunks: collections.deque[bytes] = collections.deque()
        self._queued = 0
        self._done = False
        self._error: BaseException | None = None
        self._waiter: asyncio.Future[None] | None = None

    @property
    def content(self) -> Answer:
        """As aiohttp's answer names its body stream."""
        return self

    async def read(self) -> bytes:
        while not self._done:
            await self._wait()
        if self._error is not None:
            raise self._error
        return b"".join(self._chunks)

    async def iter_any(self) -> AsyncIterator[bytes]:
        while True:
            if self._chunks:
                chunk = self._chunks.popleft()
                self._queued -= len(chunk)
                if self._queued <= _PAUSE_OVER and self._connection is not None:
                    self._connection.resume_reading()
                yield chunk
            elif self._error is not None:
                raise self._error
            elif self._done:
                return
            else:
                await self._wait()

    def release(self) -> None:
        """The answer is done with: its connection goes back to the pool when the whole answer was read."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.finished(reuse=self._done and self._error is None and self.keep_alive)

    def close(self) -> None:
        """The rest of the answer is not wanted: its connection is closed."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.finished(reuse=False)

    async def _wait(self) -> None:
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def _feed(self, chunk: bytes) -> None:
        self._chunks.append(chunk)
        self._queued += len(chunk)
        if self._queued > _PAUSE_OVER and self._connection is not None:
            self._connection.pause_reading()
        self._wake()

    def _end(self, error: BaseException | None = None) -> None:
        if not self._done:
            self._done = True
            self._error = error
            self._wake()


class _Connection(asyncio.Protocol):
    """One kept-alive connection to a replica; one request at a time."""

    def __init__(self, pool: Pool, origin: Origin) -> None:
        self._pool = pool
        self.origin = origin
        self._loop = asyncio.get_running_loop()
        self._parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.idle_since = 0.0
        self._answer: Answer | None = None
        self._head: asyncio.Future[Answer] | None = None
        # The read timer is kept from one request to the next (arming and cancelling one cost about 2 µs of CPU a
        # request): when it fires it looks at what is being read, and lapses when nothing is.
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = 0.0
        self._reading = False  # a request waits for the rest of its answer
        self._read_timeout = 0.0
        self._last_read = 0.0
        self._paused = False

    # The request.
    async def ask(self, request: bytes, read_timeout: float) -> Answer:
        assert self.transport is not None  # noqa: S101 - set when the connection was made
        if self.closed or self.transport.is_closing():
            # Writing would raise on uvloop (a 500) or be dropped unsent on asyncio's loop (a read timeout).
            self.abort()
            raise NotSent("the connection closed before the request was sent")
        answer = self._answer = Answer(self)
        head = self._head = self._loop.create_future()
        self._read_timeout = read_timeout
        self._last_read = now = self._loop.time()
        self._reading = True
        if self._timer is None or self._timer_at > now + read_timeout:
            self._arm(now + read_timeout)
        self.transport.write(request)
        try:
            await head
        except BaseException:
            self.finished(reuse=False)
            raise
        finally:
            self._head = None
        return answer

    def finished(self, *, reuse: bool) -> None:
        self._reading = False
        self._answer = None
        if reuse and not self.closed:
            self._pool.put(self)
        else:
            self._disarm()
            self.abort()

    def abort(self) -> None:
        if not self.closed:
            self.closed = True
            if self.transport is not None:
                self.transport.close()
            self._pool.forget(self)

    def pause_reading(self) -> None:
        if not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()

    def resume_reading(self) -> None:
        if self._paused and self.transport is not None:
            self._paused = False
            self._last_read = self._loop.time()
            self.transport.resume_reading()

    def _arm(self, at: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self._loop.call_at(at, self._check_read)
        self._timer_at = at

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _check_read(self) -> None:
        self._timer = None
        if not self._reading:
            return  # armed for an earlier request, whose answer has ended: the next request arms it again
        now = self._loop.time()
        if self._paused or now - self._last_read < self._read_timeout:
            self._arm(max(now, self._last_read) + self._read_timeout)
            return
        self._fail(ReadTimeout(f"no answer for {self._read_timeout} s"))
        self.abort()

    def _fail(self, error: BaseException) -> None:
        if self._head is not None and not self._head.done():
            self._head.set_exception(error)
        elif self._answer is not None:
            self._answer._end(error)

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # a TCP connection (uvloop's is not a subclass)

    def data_received(self, data: bytes) -> None:
        self._last_read = self._loop.time()
        if self._answer is None:  # bytes no request asked for: the connection cannot be trusted
            self.abort()
            return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(InvalidAnswer(str(exc)))
            self.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        answer = self._answer
        if answer is not None and self._head is None and exc is None and _ends_with_close(answer):
            answer._end()  # a body that lasts until the connection closes has ended
        else:
            self._fail(Disconnected("the connection was closed" if exc is None else repr(exc)))
        self._reading = False
        self._disarm()
        if not self.closed:
            self.closed = True
            self._pool.forget(self)

    # httptools' callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        assert self._answer is not None  # noqa: S101 - only fed while a request waits
        self._answer.raw_headers.append((name, value))

    def on_headers_complete(self) -> None:
        answer = self._answer
        assert answer is not None  # noqa: S101
        answer.status = self._parser.get_status_code()
        answer.keep_alive = self._parser.should_keep_alive()
        for name, value in answer.raw_headers:
            if len(name) == 14 and name.lower() == b"content-length":
                answer.content_length = int(value)
        if self._head is not None and not self._head.done():
            self._head.set_result(answer)

    def on_body(self, body: bytes) -> None:
        if self._answer is not None:
            self._answer._feed(body)

    def on_message_complete(self) -> None:
        self._reading = False
        if self._answer is not None:
            self._answer._end()


def _ends_with_close(answer: Answer) -> bool:
    """An answer whose body is delimited by the end of the connection (neither a length nor chunked)."""
    return answer.content_length is None and not any(
        name.lower() == b"transfer-encoding" for name, _ in answer.raw_headers
    )


class Pool:
    """Connections to one upstream's replicas: at most `limit` open (0: no limit), idle ones kept `keepalive` s."""

    def __init__(self, *, limit: int, keepalive: float) -> None:
        self._limit = limit
        self._keepalive = keepalive
        self._idle: dict[Origin, list[_Connection]] = {}
        self._open = 0
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()

    async def request(
        self,
        origin: Origin,
        method: str,
        target: str,
        headers: list[tuple[bytes, bytes]],
        body: bytes | None,
        timeouts: Timeouts,
    ) -> Answer:
        """Send one request and return its answer once its head has arrived (`release()` or `close()` it)."""
        request = _request_bytes(origin, method, target, headers, body)
        connection = await self._acquire(origin, timeouts)
        try:
            return await connection.ask(request, timeouts.read)
        except NotSent:
            pass  # any method may be sent on another connection
        except Disconnected:
            if method not in _IDEMPOTENT_METHODS:
                raise
        connection = await self._acquire(origin, timeouts)
        return await connection.ask(request, timeouts.read)

    async def _acquire(self, origin: Origin, timeouts: Timeouts) -> _Connection:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeouts.pool_wait
        while True:
            idle = self._idle.get(origin)
            now = loop.time()
            while idle:
                connection = idle.pop()
                if not connection.closed and now - connection.idle_since < self._keepalive:
                    return connection
                connection.abort()
            if not self._limit or self._open < self._limit or self._close_an_idle_one():
                break
            waiter = loop.create_future()
            self._waiters.append(waiter)
            try:
                await asyncio.wait_for(waiter, max(0.0, deadline - now))
            except TimeoutError:
                raise ConnectFailed(f"no free connection in {timeouts.pool_wait} s") from None
            finally:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
        self._open += 1
        try:
            _, connection = await asyncio.wait_for(
                loop.create_connection(lambda: _Connection(self, origin), origin.host, origin.port), timeouts.connect
            )
        except (OSError, TimeoutError) as exc:
            self._open -= 1
            self._wake_one()
            raise ConnectFailed(f"cannot connect to {origin.host}:{origin.port}: {exc!r}") from exc
        except BaseException:  # cancelled while connecting: its place is free again
            self._open -= 1
            self._wake_one()
            raise
        return connection

    def _close_an_idle_one(self) -> bool:
        """At the limit with a connection idle to another replica: close it to open one here."""
        for idle in self._idle.values():
            if idle:
                idle.pop(0).abort()
                return True
        return False

    def put(self, connection: _Connection) -> None:
        connection.idle_since = asyncio.get_running_loop().time()
        self._idle.setdefault(connection.origin, []).append(connection)
        self._wake_one()

    def forget(self, connection: _Connection) -> None:
        self._open -= 1
        idle = self._idle.get(connection.origin)
        if idle and connection in idle:
            idle.remove(connection)
        self._wake_one()

    def _wake_one(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def close(self) -> None:
        for idle in list(self._idle.values()):
            for connection in list(idle):
                connection.abort()
        self._idle.clear()


def _request_bytes(
    origin: Origin, method: str, target: str, headers: list[tuple[bytes, bytes]], body: bytes | None
) -> bytes:
    """The request as it goes on the wire: request line, Host, the headers given, a length for a body."""
    parts = [f"{method} {origin.path_prefix}{target} HTTP/1.1\r\n".encode("latin-1"), b"Host: ", origin.host_header]
    has_length = False
    for name, value in headers:
        if not has_length and len(name) == 14 and name.lower() == b"content-length":
            has_length = True
        parts += (b"\r\n", name, b": ", value)
    if body is not None and not has_length:
        parts.append(b"\r\nContent-Length: %d" % len(body))
    elif body is None and not has_length and method not in _NO_BODY_METHODS:
        parts.append(b"\r\nContent-Length: 0")
    parts.append(b"\r\n\r\n")
    if body:
        parts.append(body)
    return b"".join(parts)
