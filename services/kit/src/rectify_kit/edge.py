"""The outermost layer of every service: the request id, the security headers and the metrics in one middleware.

Each was a middleware of its own, and each wrapped `send` once more: three calls and three closures per message
of every answer, about as much CPU as a hot read's query. One layer does the three with one wrapper. It sits
outside Starlette's error middleware, so an unexpected error's 500 carries the headers and the request id too.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Mapping, Sequence

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rectify_kit.observability import REQUEST_ID_OK, Metrics, request_id_var
from rectify_kit.security_headers import HSTS, SECURITY_HEADERS, is_https

_HSTS = (b"strict-transport-security", HSTS.encode())
# A new request id: this process's random half, then a counter (32 hex digits, as a uuid4's hex): unique without a
# uuid4's system call and object per request. A forked child draws its own half.
_PROCESS_ID = os.urandom(8).hex()
_NEXT = itertools.count()


def _new_process_id() -> None:
    global _PROCESS_ID
    _PROCESS_ID = os.urandom(8).hex()


os.register_at_fork(after_in_child=_new_process_id)
_SECURITY_HEADER_NAMES = frozenset(key for key, _ in SECURITY_HEADERS)
_END_OF_HEAD: Message = {"type": "http.response.body", "body": b"", "more_body": False}


class EdgeMiddleware:
    """Per HTTP request: takes a well-formed `X-Request-ID` or makes one (on the request's state, the logs and the
    answer); adds the security headers the answer does not set itself (HSTS over https, security_headers.py);
    counts the request and its latency by route template, and the requests in progress (observability.Metrics);
    answers a HEAD as its GET, without the body (unless `head_as_get` is off: an app that answers HEAD itself)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: Metrics,
        trusted_proxies: Sequence[str] = (),
        head_as_get: bool = True,
        templates: Mapping[int, str] | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.trusted_proxies = tuple(trusted_proxies)
        self.head_as_get = head_as_get
        # A route's whole template by the route's id (`route_templates`): a route of an included router knows only
        # its own part of the path (`/{issue_id}/assign`), its router's prefix is the inclusion's.
        self.templates = templates or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        incoming = None
        for key, value in scope["headers"]:
            if key == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        request_id = incoming if incoming and REQUEST_ID_OK.match(incoming) else f"{_PROCESS_ID}{next(_NEXT):016x}"
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        hsts = is_https(scope, self.trusted_proxies)
        status = 500
        metrics = self.metrics
        method: str = scope.get("method", "")
        in_progress = metrics.in_progress.labels(metrics.service, method)
        in_progress.inc()
        # A HEAD is the GET without its body (RFC 9110 §9.3.2): FastAPI's routes take no HEAD of their own, so the
        # app answers it as the GET. The server's scope keeps the HEAD: uvicorn then writes no body either.
        head = method == "HEAD" and self.head_as_get
        inner = {**scope, "method": "GET"} if head else scope

        async def edge_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != b"x-request-id"]
                present = {k.lower() for k, _ in headers} & _SECURITY_HEADER_NAMES if headers else frozenset()
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                if hsts and not any(k.lower() == _HSTS[0] for k, _ in headers):
                    headers.append(_HSTS)
                headers.append((b"x-request-id", request_id.encode()))
                await send({**message, "headers": headers})
                if head:
                    # A HEAD's answer ends with its head. The body the app goes on to send is dropped, and the
                    # server now tells the app the client has gone: a stream (the inbox's events, an export) ends
                    # instead of running on into nothing with the connection held.
                    await send(_END_OF_HEAD)
            elif not (head and message["type"] == "http.response.body"):
                await send(message)

        try:
            await self.app(inner, receive, edge_send)
        finally:
            request_id_var.reset(token)
            in_progress.dec()
            # The route template, never the raw path: ids in paths would explode the label set.
            route = inner.get("route")
            label = self.templates.get(id(route)) or getattr(route, "path", None) or "unmatched"
            metrics.requests.labels(metrics.service, method, label, str(status)).inc()
            metrics.latency.labels(metrics.service, method, label).observe(time.perf_counter() - started)


def route_templates(app: FastAPI) -> dict[int, str]:
    """Each of the app's routes' whole path template (prefixes included) by the route's id, for the metrics' route
    label; a route included under two prefixes keeps its own path (the label cannot tell which one was asked)."""
    templates: dict[int, str] = {}
    ambiguous: set[int] = set()
    for context in iter_route_contexts(app.router.routes):
        key, template = id(context.original_route), context.path_format
        if not template or key in ambiguous:
            continue
        if templates.setdefault(key, template) != template:
            ambiguous.add(key)
            del templates[key]
    return templates
