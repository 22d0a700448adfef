"""The workflow steps answered from the edge: each step's own endpoint, given its arguments without FastAPI.

A step's route (actions_router.py) takes the issue (and a co-unit or an extension request) from its path, a JSON
body, a session, the caller and the clock, and answers the issue as `GET` shows it. FastAPI's part of that (routing
through the included routers, solving the session, the caller and the clock with their exit stacks, the body parsed
and then validated, the answer validated again on its way out) cost an assign about as much CPU as reading the issue
for update. `answered_at_the_edge` marks such an endpoint (`rectify_kit.direct.direct_by`) with an answer that calls
it with the same arguments: the body validated once from its bytes, the caller as `ViewerDep` gives it, the clock,
a session committed before the answer is sent (as `SessionDep`'s), and the issue serialized straight to bytes.

A request it cannot take as plainly goes to the route as declared, which answers it as it always has: another
content type, a body that does not validate (the route's 422), a body where the step takes none given one, or an
app limiting bodies' size. Errors raised by the step are the app's own (its exception handlers answer them at the
edge too), and a step that fails leaves nothing written: the session rolls back.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from fastapi import Request, Response
from pydantic import BaseModel

from issues_api.ledger.deps import viewer_of
from issues_api.ledger.schemas import IssueDetail
from rectify_kit.clock import get_clock
from rectify_kit.db import get_database
from rectify_kit.direct import direct_by, plain_json_body

Step = TypeVar("Step", bound=Callable[..., Awaitable[IssueDetail]])

# The arguments the answer gives itself; any other parameter of a step's endpoint is one of its path's.
_SOLVED = frozenset({"body", "session", "viewer", "clock"})


def answered_at_the_edge(endpoint: Step) -> Step:
    """Mark a step's endpoint (below its route's decorator) to be answered from the edge with its own code."""
    hints = get_type_hints(endpoint)
    if hints.get("return") is not IssueDetail or not {"session", "viewer", "clock"} <= hints.keys():
        raise TypeError(f"{endpoint.__name__}: not a step answering the issue")
    path_names = [name for name in inspect.signature(endpoint).parameters if name not in _SOLVED]
    if unknown := [name for name in path_names if hints[name] is not str]:
        raise TypeError(f"{endpoint.__name__}: cannot give {', '.join(unknown)} from the path")
    body_model, body_optional = _body_of(hints.get("body"))

    async def answer(request: Request, **path: str) -> Response | None:
        arguments: dict[str, Any] = dict(path)
        if body_model is not None:
            taken, arguments["body"] = await plain_json_body(request, body_model, optional=body_optional)
            if not taken:
                return None
        # The caller first: its token check may read the account from the pool, before the session takes a
        # connection of it for the step.
        viewer = await viewer_of(request)
        clock = get_clock(request)
        async with get_database(request).session(write=True) as session:
            shown = await endpoint(**arguments, session=session, viewer=viewer, clock=clock)
        return Response(shown.model_dump_json().encode(), media_type="application/json")

    # The edge gives an answer the request and the path's parameters by name, and checks its signature for them.
    answer.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY) for name in path_names]
    )
    return direct_by(answer)(endpoint)


def _body_of(hint: object) -> tuple[type[BaseModel] | None, bool]:
    """The body's model and whether it may be absent (`Model | None = None`), from the endpoint's `body` hint."""
    if hint is None:
        return None, False
    if get_origin(hint) in (Union, types.UnionType):
        models = [arg for arg in get_args(hint) if arg is not type(None)]
        if len(models) == 1 and isinstance(models[0], type) and issubclass(models[0], BaseModel):
            return models[0], True
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return hint, False
    raise TypeError(f"a step's body is one model, not {hint!r}")
