"""Direct routes: the hottest reads answered from the edge, without Starlette's and FastAPI's layers in between.

A route is still declared (and documented) as usual; `@direct` on its endpoint lets the edge call it
itself when a request matches it: no routing through the included routers (every earlier route tried, twice), no
body-limit, telemetry or exit-stack layers, no request handler solving parameters. Those cost a `GET` by id about
a third of its CPU, more than its query. Errors are answered as the app answers them: the app's own exception
handlers, in Starlette's own two error layers, built from the same handlers as the app's stack.

The endpoint of a direct route takes the request and its path's parameters, all strings (`async def get(request:
Request, item_id: str) -> Response`), and returns a `Response`; it declares no dependencies and reads no body, so
only `GET` routes may be direct, and only in an app without middleware of its own (that middleware would be
skipped). A direct route that an earlier route could take some of its paths from is refused; the literal paths of
earlier routes it would match (`/items/export` before `/items/{item_id}`) stay with them.

A direct endpoint may decline a request by returning None (before it sends or reads anything): the request then
goes on into the app's stack exactly as it came, routed and solved as if nothing had looked at it. A route whose
declared endpoint takes dependencies is answered from the edge by another function, `@direct_by(answer)` below the
route's decorator: `answer` takes the request and the path's parameters as above and answers what it can read
exactly as the route would, declining the rest (a list route may answer a query it reads plainly by hand and
leave any other to FastAPI's solving, its 422 included).

A `POST` route may be answered from the edge by `@direct_by(answer)` too (its `answer` may read the body): the edge
keeps the messages `answer` reads, and when it declines, the stack is given those same messages again, in order,
before any the server sends later, so the route as declared reads the body as it came. Refused when the app or
the route limits a body's size (FastAPI's `max_body_size`): the edge would skip that limit.

`route_answered_by(answer)` is the same inside the app: a route class that gives a request to `answer` (the request
alone) first and to the route as declared when it declines, for what the edge does not take (a `POST`, an app
mounted under a root path) or a route that is not direct. A request the edge's `answer` declined is asked
again there (an `answer` declines by reading the request alone, so it declines again): what declines is the odd
request, a 422 or a shape the plain reading leaves to FastAPI.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, ValidationError
from starlette.convertors import StringConvertor
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_DIRECT = "_rectify_direct"
_METHODS = frozenset({"GET", "POST"})
_DECLINED = "rectify.direct_declined"
_PARAMETER = re.compile(r"{(\w+)(:\w+)?}")
Endpoint = TypeVar("Endpoint", bound=Callable[..., Awaitable[Response | None]])
Declared = TypeVar("Declared", bound=Callable[..., Any])
Model = TypeVar("Model", bound=BaseModel)


def direct(endpoint: Endpoint) -> Endpoint:
    """Mark a route's endpoint to be answered from the edge (below the route's decorator)."""
    setattr(endpoint, _DIRECT, endpoint)
    return endpoint


def direct_by(answer: Callable[..., Awaitable[Response | None]]) -> Callable[[Declared], Declared]:
    """Mark a route's endpoint (which may take dependencies) to be answered from the edge by `answer`, which takes
    the request and the path's parameters and returns the route's answer or None to leave the request to the app."""

    def mark(endpoint: Declared) -> Declared:
        setattr(endpoint, _DIRECT, answer)
        return endpoint

    return mark


async def plain_json_body(request: Request, model: type[Model], *, optional: bool = False) -> tuple[bool, Model | None]:
    """For a `POST` answer: (True, the body) as the declared route would take it, `model` validated once from the
    bytes of an `application/json` body (None for an absent body when `optional`, as FastAPI takes an optional body
    whatever the content type says); (False, None) for a request the declared route must answer itself, as it always
    has: another content type, a body that does not validate (its 422), one it cannot read (400), or a request under
    a body size limit (its 413)."""
    if MAX_BODY_SIZE_SCOPE_KEY in request.scope:
        return False, None
    try:
        raw = await request.body()
    except Exception:  # the declared route reads it again
        return False, None
    if not raw and optional:
        return True, None
    if not raw or request.headers.get("content-type") != "application/json":
        return False, None
    try:
        return True, model.model_validate_json(raw)
    except ValidationError:
        return False, None


def route_answered_by(answer: Callable[[Request], Awaitable[Response | None]]) -> type[APIRoute]:
    """A route class answering a request with `answer` first, and with the route as declared (its dependencies
    solved, its 422) when `answer` returns None."""

    class AnsweredRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            declared = super().get_route_handler()

            async def handle(request: Request) -> Response:
                response = await answer(request)
                return response if response is not None else await declared(request)

            return handle

    return AnsweredRoute


class DirectRouteError(TypeError):
    """A route marked `@direct` that cannot be answered from the edge as the app would answer it."""


@dataclass(frozen=True, slots=True)
class _Direct:
    route: BaseRoute
    pattern: re.Pattern[str]
    endpoint: Callable[..., Awaitable[Response | None]]
    taken_by_earlier: frozenset[str]
    method: str = "GET"  # or POST: what its answer reads of the body is kept, and given to the stack when declined


class _Recorded:
    """A request's `receive` that keeps every message it gives (what an edge answer read of a POST's body)."""

    __slots__ = ("messages", "receive")

    def __init__(self, receive: Receive) -> None:
        self.receive = receive
        self.messages: list[Message] = []

    async def __call__(self) -> Message:
        message = await self.receive()
        self.messages.append(message)
        return message

    def replaying(self) -> Receive:
        """`receive` that gives the messages kept first, in order, then what the server sends."""
        pending = iter(self.messages)

        async def replay() -> Message:
            message = next(pending, None)
            return message if message is not None else await self.receive()

        return replay


class DirectRoutes:
    """Answers a request that a direct route matches; passes every other request to `app`, the app's stack."""

    def __init__(self, app: ASGIApp, routes: Sequence[_Direct], errors: Callable[[ASGIApp], ASGIApp]) -> None:
        self.app = app
        self.routes = tuple(routes)
        # The app's own error layers (the 500 handler outside, every other handler inside) around the endpoint.
        self.answer = errors(self._call_endpoint)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in _METHODS and not scope.get("root_path"):
            path: str = scope["path"]
            method: str = scope["method"]
            for direct_route in self.routes:
                if direct_route.method != method:
                    continue
                found = direct_route.pattern.match(path)
                if found is not None and path not in direct_route.taken_by_earlier:
                    scope["path_params"] = found.groupdict()
                    scope["route"] = direct_route.route
                    scope["endpoint"] = direct_route.endpoint
                    recorded = _Recorded(receive) if method == "POST" else None
                    await self.answer(scope, recorded or receive, send)
                    if not scope.pop(_DECLINED, False):
                        return
                    # Declined: on into the stack as the request came, to be routed and solved there.
                    del scope["path_params"], scope["route"], scope["endpoint"]
                    if recorded is not None and recorded.messages:  # what it read of the body, given again
                        receive = recorded.replaying()
                    break
        await self.app(scope, receive, send)

    @staticmethod
    async def _call_endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        response = await scope["endpoint"](request=Request(scope, receive), **scope["path_params"])
        if response is None:
            scope[_DECLINED] = True
            return
        await response(scope, receive, send)


def with_direct_routes(app: FastAPI, stack: ASGIApp) -> ASGIApp:
    """`stack` (the app's middleware stack), with the app's `@direct` routes answered in front of it."""
    contexts = [c for c in iter_route_contexts(app.router.routes) if c.methods]
    found: list[_Direct] = []
    for index, context in enumerate(contexts):
        if getattr(context.endpoint, _DIRECT, None) is not None:
            found.append(_direct_of(context, contexts[:index]))
            limits = (app.max_body_size, context.max_body_size, getattr(context.original_route, "max_body_size", None))
            if found[-1].method == "POST" and any(limit is not None for limit in limits):
                raise DirectRouteError(f"{context.path_format}: the edge would skip the limit on its body's size")
    if not found:
        return stack
    if app.user_middleware:
        raise DirectRouteError("direct routes would skip the app's own middleware")
    error_handler = None
    handlers: dict[Any, Any] = {}
    for key, value in app.exception_handlers.items():
        if key in (500, Exception):
            error_handler = value
        else:
            handlers[key] = value

    def errors(endpoint: ASGIApp) -> ASGIApp:
        inner = ExceptionMiddleware(endpoint, handlers=handlers, debug=app.debug)
        return ServerErrorMiddleware(inner, handler=error_handler, debug=app.debug)

    return DirectRoutes(stack, found, errors)


def _direct_of(context: Any, earlier: Sequence[Any]) -> _Direct:
    path: str = context.path_format or ""
    answer: Callable[..., Awaitable[Response | None]] = getattr(context.endpoint, _DIRECT)
    methods = set(context.methods)
    # A POST route answered by `direct_by(answer)`: the endpoint itself (`@direct`) reads no body.
    posted = methods == {"POST"} and answer is not context.endpoint
    if methods - {"GET", "HEAD"} and not posted:
        raise DirectRouteError(f"{path}: only GET routes may be direct (and POST routes answered by direct_by)")
    method = "POST" if posted else "GET"
    names = [match.group(1) for match in _PARAMETER.finditer(path)]
    if any(not isinstance(convertor, StringConvertor) for convertor in context.param_convertors.values()):
        raise DirectRouteError(f"{path}: a direct route's parameters are strings")
    parameters = list(inspect.signature(answer).parameters)
    if sorted(parameters) != sorted(["request", *names]):
        raise DirectRouteError(f"{path}: a direct endpoint takes the request and its path's parameters only")
    pattern: re.Pattern[str] = context.path_regex
    sample = _PARAMETER.sub(lambda match: f"some-{match.group(1)}", path)
    taken: set[str] = set()
    for other in earlier:
        if method not in (other.methods or ()):
            continue
        other_path: str = other.path_format or ""
        if other.path_regex.match(sample) or ("{" in other_path and pattern.match(other_path)):
            raise DirectRouteError(f"{path}: the earlier route {other_path} takes some of its paths")
        if pattern.match(other_path):
            taken.add(other_path)
    return _Direct(context.original_route, pattern, answer, frozenset(taken), method)
