"""FastAPI dependencies of the ledger: the clock, the caller as a Viewer, the idempotency store."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from issues_api.events.models import idempotency_keys
from issues_api.ledger.access import Viewer
from rectify_kit.auth import CurrentPrincipal, principal_of
from rectify_kit.clock import get_clock
from rectify_kit.errors import Forbidden
from rectify_kit.idempotency import Idempotency, idempotency_dependency

READ_ROLES = frozenset({"admin", "office", "leader", "unit"})
CREATE_ROLES = frozenset({"admin", "office"})
# A client that works the ledger for its units (issues:act) reads it too.
READ_SCOPES = frozenset({"issues:read", "issues:write", "issues:act"})


async def get_viewer(principal: CurrentPrincipal) -> Viewer:
    """Users of the four roles, and integration clients holding `issues:read`, `issues:write` or `issues:act`."""
    viewer = Viewer.of(principal)
    if viewer.role in READ_ROLES or (viewer.role == "integration" and principal.scopes & READ_SCOPES):
        return viewer
    raise Forbidden("issues:read scope or a user role required", required_scope="issues:read")


async def viewer_of(request: Request) -> Viewer:
    """`get_viewer` for a route that takes no dependencies (`rectify_kit.auth.principal_of`)."""
    return await get_viewer(await principal_of(request))


async def get_creator(principal: CurrentPrincipal) -> Viewer:
    """The office and admins, and integration clients holding `issues:write`."""
    viewer = Viewer.of(principal)
    if viewer.role in CREATE_ROLES or (viewer.role == "integration" and principal.has_scope("issues:write")):
        return viewer
    raise Forbidden("only the office or an issues:write client may create issues", required_scope="issues:write")


async def creator_of(request: Request) -> Viewer:
    """`get_creator` for a route that takes no dependencies (`rectify_kit.auth.principal_of`)."""
    return await get_creator(await principal_of(request))


ViewerDep = Annotated[Viewer, Depends(get_viewer)]
CreatorDep = Annotated[Viewer, Depends(get_creator)]


def _now(request: Request) -> datetime:
    return get_clock(request).now()


IdempotencyDep = Annotated[Idempotency, Depends(idempotency_dependency(idempotency_keys, _now))]
