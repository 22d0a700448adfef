"""The proxy's hot path: check the token and the limits, forward to the upstream, stream the answer back.

A raw ASGI endpoint rather than a FastAPI route: no dependency resolution and no body parsing per request.
Errors raised before the answer starts become problems through the app's exception handlers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
from starlette.types import Message, Receive, Scope, Send
from yarl import URL

from gateway.client import Answer, ConnectFailed, Disconnected, Timeouts, UpstreamError
from gateway.config import Settings
from gateway.errors import BadGateway, UpstreamTimeout, UpstreamUnavailable
from gateway.headers import client_ip, downstream_response_headers, upstream_request_headers
from gateway.ratelimit import RateLimiter, RatePolicy, retry_after_header
from gateway.routing import PREFIXES, TimeoutKind, is_public, timeout_kind
from gateway.upstreams import Backend, Upstream, Upstreams
from rectify_kit.auth import InvalidToken, TokenVerifier
from rectify_kit.errors import BadRequest, PayloadTooLarge, ProblemError, TooManyRequests, Unauthorized
from rectify_kit.serving import draining_event

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Bodies up to this size are read whole (one message each way); larger or unknown ones are streamed.
_SMALL_BODY = 256 * 1024


@dataclass(frozen=True)
class RouteLabel:
    """What the metrics middleware reads as the route: the prefix, never the raw path."""

    path: str


class UpstreamBrokeOff(Exception):
    """The upstream failed in the middle of a streamed answer."""


class _BodyAborted(Exception):
    """The client's body went over the limit, or the client went away while sending it."""


class Proxy:
    """Forwards one request to its upstream (already chosen by prefix)."""

    def __init__(self, settings: Settings, upstreams: Upstreams, limiter: RateLimiter) -> None:
        self._upstreams = upstreams
        self.limiter = limiter
        self._policy = RatePolicy(settings.rate_limits)
        self._max_body = settings.max_body_bytes
        self._trusted_proxies = tuple(settings.trusted_proxies)
        t = settings.timeouts
        self._timeouts = {
            TimeoutKind.default: aiohttp.ClientTimeout(
                total=None, connect=t.pool_wait, sock_connect=t.connect, sock_read=t.read
            ),
            TimeoutKind.long: aiohttp.ClientTimeout(
                total=None, connect=t.pool_wait, sock_connect=t.connect, sock_read=t.long_read
            ),
            TimeoutKind.stream: aiohttp.ClientTimeout(
                total=None, connect=t.pool_wait, sock_connect=t.connect, sock_read=t.stream_read
            ),
        }
        # The same, for the proxy's own client (client.py).
        self._own_timeouts = {
            TimeoutKind.default: Timeouts(pool_wait=t.pool_wait, connect=t.connect, read=t.read),
            TimeoutKind.long: Timeouts(pool_wait=t.pool_wait, connect=t.connect, read=t.long_read),
        }
        self._labels = {prefix: RouteLabel(prefix + "/*") for prefixes in PREFIXES.values() for prefix in prefixes}

    async def handle(self, scope: Scope, receive: Receive, send: Send, *, service: str, prefix: str) -> None:
        scope["route"] = self._labels[prefix]
        method: str = scope["method"]
        path: str = scope["path"]
        client = client_ip(scope, self._trusted_proxies)
        subject = None if is_public(path) else await self._authenticate(scope)
        await self._check_rate(method, path, client=client, subject=subject)
        length = self._content_length(scope)
        upstream = self._upstreams[service]
        await self._forward(scope, receive, send, upstream=upstream, client=client, length=length)

    async def _authenticate(self, scope: Scope) -> str:
        token = _bearer(scope)
        if token is None:
            raise Unauthorized("missing bearer token", headers={"WWW-Authenticate": "Bearer"})
        verifier: TokenVerifier = scope["app"].state.token_verifier
        try:
            principal = await verifier.verify(token)
        except InvalidToken as exc:
            if exc.status == 401:
                exc.headers.setdefault("WWW-Authenticate", 'Bearer error="invalid_token"')
            raise
        return f"{principal.claims.get('iss')}|{principal.sub}"

    async def _check_rate(self, method: str, path: str, *, client: str, subject: str | None) -> None:
        key, limits = self._policy.for_request(method, path, client=client, subject=subject)
        if not limits:
            return
        wait = await self.limiter.hit(key, limits)
        if wait > 0:
            seconds = retry_after_header(wait)
            raise TooManyRequests(headers={"Retry-After": seconds}, retry_after=int(seconds))

    def _content_length(self, scope: Scope) -> int | None:
        """The declared body length (-1: a body of unknown length, None: no body); too large is 413 at once."""
        length: int | None = None
        for key, value in scope["headers"]:
            if key == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    raise BadRequest("invalid Content-Length header") from None
            elif key == b"transfer-encoding" and length is None:
                length = -1
        if length is not None and length > self._max_body:
            raise PayloadTooLarge(f"request body over {self._max_body} bytes", max_bytes=self._max_body)
        return length or None

    async def _forward(
        self, scope: Scope, receive: Receive, send: Send, *, upstream: Upstream, client: str, length: int | None
    ) -> None:
        request_id = scope.get("state", {}).get("request_id") or ""
        peer = scope["client"][0] if scope.get("client") else None
        headers = upstream_request_headers(
            scope, client=client, request_id=request_id, behind_proxy=peer in self._trusted_proxies
        )
        query: bytes = scope.get("query_string", b"")
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        target = raw_path.decode("latin-1") + ("?" + query.decode("latin-1") if query else "")
        body = _BodyReader(receive, self._max_body)
        kind = timeout_kind(scope["path"], query, event_stream=_accepts_event_stream(headers))
        method: str = scope["method"]
        # What the proxy's own client asks (client.py): no body or one read whole, an answer that is not a stream.
        own = kind is not TimeoutKind.stream and method != "HEAD" and (length is None or 0 < length <= _SMALL_BODY)
        data: bytes | AsyncIterator[bytes] | None = None
        tried: tuple[Backend, ...] = ()
        while True:
            backend = upstream.pick(exclude=tried)
            if backend is None:
                raise _no_replica(upstream)
            try:
                if length is not None and data is None:
                    data = await body.read_all() if 0 < length <= _SMALL_BODY else body.stream()
                response: Answer | aiohttp.ClientResponse
                if own and backend.origin is not None:
                    assert not isinstance(data, AsyncIterator)  # noqa: S101 - a body read whole, or none
                    response = await upstream.pool.request(
                        backend.origin, method, target, headers, data, self._own_timeouts[kind]
                    )
                else:
                    session = upstream.stream_session if kind is TimeoutKind.stream else upstream.session
                    response = await session.request(
                        method,
                        URL(backend.base_url + target, encoded=True),
                        headers=[(key.decode("latin-1"), value.decode("latin-1")) for key, value in headers],
                        data=data,
                        allow_redirects=False,
                        timeout=self._timeouts[kind],
                    )
                break
            except Exception as exc:
                problem = _translate(exc, upstream.name, backend, body)
                if problem is None:
                    raise
                tried += (backend,)
                if not _may_retry(exc, method, data) or len(tried) == len(upstream.backends):
                    raise problem from exc
        try:
            watch = receive if length is None or body.done else None
            stop = draining_event(scope["app"]) if kind is TimeoutKind.stream else None
            await self._respond(response, send, watch, upstream.name, backend, stop)
        finally:
            response.release()

    async def _respond(
        self,
        response: Answer | aiohttp.ClientResponse,
        send: Send,
        receive: Receive | None,
        name: str,
        backend: Backend,
        stop: asyncio.Event | None,
    ) -> None:
        start: Message = {
            "type": "http.response.start",
            "status": response.status,
            "headers": downstream_response_headers(response.raw_headers),
        }
        size = response.content_length
        if size is not None and size <= _SMALL_BODY:
            try:
                content = await response.read()
            except Exception as exc:
                problem = _translate(exc, name, backend, None)
                if problem is None:
                    raise
                raise problem from exc
            backend.breaker.record_success()
            await send(start)
            await send({"type": "http.response.body", "body": content})
            return
        backend.breaker.record_success()
        await send(start)
        await _pump(response, send, receive, stop)


async def _pump(
    response: Answer | aiohttp.ClientResponse, send: Send, receive: Receive | None, stop: asyncio.Event | None = None
) -> None:
    """Stream the body chunk by chunk as it arrives; stop reading upstream when the client goes away, and end
    the answer (a stream's) when `stop` is set: the gateway is stopping, the client reconnects elsewhere."""

    async def copy() -> None:
        async for chunk in response.content.iter_any():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    if receive is None and stop is None:
        await copy()
        return
    copying = asyncio.ensure_future(copy())
    watching = {asyncio.ensure_future(_disconnected(receive))} if receive is not None else set()
    stopping = asyncio.ensure_future(stop.wait()) if stop is not None else None
    try:
        await asyncio.wait({copying, *watching, *filter(None, [stopping])}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (*watching, stopping):
            if task is not None:
                task.cancel()
        if not copying.done():
            copying.cancel()
            # The rest of the upstream's answer is not wanted: its connection cannot be reused.
            response.close()
        with contextlib.suppress(asyncio.CancelledError):
            await copying
    if copying.cancelled() and stop is not None and stop.is_set():
        await send({"type": "http.response.body", "body": b""})
    elif not copying.cancelled() and copying.exception() is not None:
        # The answer has started: no problem can be sent any more, only the connection dropped.
        raise UpstreamBrokeOff(repr(copying.exception()))


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


class _BodyReader:
    """The client's request body, read from ASGI messages, counted against the size limit."""

    def __init__(self, receive: Receive, limit: int) -> None:
        self._receive = receive
        self.limit = limit
        self.received = 0
        self.done = False
        self.too_large = False
        self.client_gone = False

    async def stream(self) -> AsyncIterator[bytes]:
        while not self.done:
            chunk = await self._next()
            if chunk:
                yield chunk

    async def read_all(self) -> bytes:
        """The whole body: most often one message (no generator, no list, no join for it)."""
        body = await self._next() if not self.done else b""
        if self.done:
            return body if type(body) is bytes else bytes(body)
        chunks = [body]
        while not self.done:
            chunks.append(await self._next())
        return b"".join(chunks)

    async def _next(self) -> bytes:
        message = await self._receive()
        if message["type"] == "http.disconnect":
            self.client_gone = True
            raise _BodyAborted("client went away")
        chunk: bytes = message.get("body", b"")
        self.received += len(chunk)
        if self.received > self.limit:
            self.too_large = True
            raise _BodyAborted("request body too large")
        self.done = not message.get("more_body", False)
        return chunk


def _translate(exc: Exception, name: str, backend: Backend, body: _BodyReader | None) -> ProblemError | None:
    """An aiohttp failure as the problem the client sees (None: not a proxying failure, let it propagate).

    Failures of the replica count against its circuit; a body the client broke off does not."""
    if body is not None and body.too_large:
        return PayloadTooLarge(f"request body over {body.limit} bytes", max_bytes=body.limit)
    if body is not None and body.client_gone:
        return BadGateway("the request body was not received whole")
    if not isinstance(exc, aiohttp.ClientError | UpstreamError | TimeoutError):
        return None
    backend.breaker.record_failure()
    if isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError | ConnectFailed):
        return UpstreamUnavailable(f"{name} is unavailable", upstream=name)
    if isinstance(exc, TimeoutError):
        return UpstreamTimeout(f"{name} did not answer in time", upstream=name)
    return BadGateway(f"{name} failed: {type(exc).__name__}", upstream=name)


def _may_retry(exc: Exception, method: str, data: bytes | AsyncIterator[bytes] | None) -> bool:
    """Whether the request may go to another replica: never with a body already streamed away; any method when
    the connection was never made (nothing was sent); reads also when the replica dropped the connection, whether
    aiohttp saw it closed (ServerDisconnectedError) or reset under a pooled request (ClientOSError)."""
    if data is not None and not isinstance(data, bytes):
        return False
    if isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError | ConnectFailed):
        return True
    return method in _SAFE_METHODS and isinstance(
        exc, aiohttp.ServerDisconnectedError | aiohttp.ClientOSError | Disconnected
    )


def _no_replica(upstream: Upstream) -> UpstreamUnavailable:
    """No replica of the service takes requests: its circuits are open or its health checks fail."""
    return UpstreamUnavailable(
        f"{upstream.name} is unavailable",
        headers={"Retry-After": retry_after_header(upstream.retry_after())},
        upstream=upstream.name,
        circuit="open",
    )


def _accepts_event_stream(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(name == b"accept" and b"text/event-stream" in value for name, value in headers)


def _bearer(scope: Scope) -> str | None:
    raw: list[tuple[bytes, bytes]] = scope["headers"]
    for key, value in raw:
        if key == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
            return None
    return None
