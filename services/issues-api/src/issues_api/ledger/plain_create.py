"""`POST /api/v1/issues`'s plain create answered without FastAPI's dependency solving.

A plain create (PostgreSQL, a JSON body without `assign`, no Idempotency-Key) is the route's whole load under a
client that registers items one after another, and FastAPI's work around it (solving the session, the caller,
the clock and the idempotency store, each with its exit stack, the body parsed as JSON and then validated) cost
more CPU than registering it. `answer_plain_create` answers such a request itself: the body validated once
straight from its bytes, the caller as the `CreatorDep` dependency gives it, the one statement of registering.py,
the relay, the answer serialized straight to bytes. Everything else (another content type, a body that does not
validate, `assign`, an Idempotency-Key, SQLite) goes to the route as declared, which also gives the OpenAPI
document: its problem answers (422, 401, 403, 409) stay the declared route's own.

It answers from the edge (`@direct_by` on the route, rectify_kit.direct), before Starlette's and FastAPI's layers
and the routing through the included routers; a request it declines goes on into the app's stack with the body
messages it read given again. `PlainCreateRoute` asks it too, for a request the edge passes on as it is (an app
mounted under a root path).
"""

from __future__ import annotations

from fastapi import Request, Response

from issues_api.ledger import service
from issues_api.ledger.deps import creator_of
from issues_api.ledger.presenter import new_issue_detail
from issues_api.ledger.schemas import IssueCreateAndAssign
from rectify_kit.clock import get_clock
from rectify_kit.db import get_database
from rectify_kit.direct import plain_json_body, route_answered_by


async def answer_plain_create(request: Request) -> Response | None:
    """The 201 of a plain create, or None when the request is not one (or its body does not validate): nothing
    has been written then, and only the body has been read (Starlette keeps it for the declared route)."""
    database = get_database(request)
    if not database.is_postgres or "idempotency-key" in request.headers:
        return None
    _, body = await plain_json_body(request, IssueCreateAndAssign)
    if body is None or body.assign is not None:
        return None
    # In the order of the declared route: its dependencies (the caller) are solved after the body is read as JSON.
    viewer = await creator_of(request)
    clock = get_clock(request)
    record = await service.register_plain_issue(database, data=body, actor=viewer.actor, clock=clock)
    detail = new_issue_detail(record, viewer=viewer, clock=clock)
    location = {"Location": f"/api/v1/issues/{detail.id}"}
    return Response(detail.model_dump_json().encode(), 201, location, media_type="application/json")


class PlainCreateRoute(route_answered_by(answer_plain_create)):  # type: ignore[misc]
    """The create route: a plain create by `answer_plain_create`, any other request by the route as declared."""
