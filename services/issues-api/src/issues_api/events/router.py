"""The event feed (GET /api/v1/events) and the audit check (GET /api/v1/audit/verify)."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, Request

from issues_api.events.anchor import anchors_path, check_anchors
from issues_api.events.models import events
from issues_api.events.schemas import ChainVerification
from rectify_kit.auth import CurrentPrincipal, Principal
from rectify_kit.db import SessionDep
from rectify_kit.errors import Forbidden, problem_responses
from rectify_kit.feed import FeedNotifier, feed_router
from rectify_kit.outbox import verify_chain

# Which event types each scope opens (docs/events.md); `admin` sees every type.
SCOPE_TYPES: dict[str, tuple[str, ...]] = {
    "events:read": ("issue.", "intake.", "campaign."),
    "directory:read": ("unit.", "user."),
}
AUDIT_ROLES = frozenset({"admin", "office", "leader"})

# Wakes long-polling readers on commit; the app calls `feed_notifier.watch(database)`.
feed_notifier = FeedNotifier()


def visible_types(principal: Principal) -> Sequence[str] | None:
    if principal.kind != "client" and principal.role == "admin":
        return None
    return [prefix for scope, prefixes in SCOPE_TYPES.items() if principal.has_scope(scope) for prefix in prefixes]


async def feed_reader(principal: CurrentPrincipal) -> Principal:
    """`admin`, or a client holding `events:read` or `directory:read`."""
    if visible_types(principal) != []:
        return principal
    raise Forbidden("events:read or directory:read scope required", required_scope="events:read")


router = APIRouter()
router.include_router(
    feed_router(
        path="/api/v1/events",
        table=events,
        principal_dependency=feed_reader,
        visible_types=visible_types,
        notifier=feed_notifier,
    )
)


@router.get(
    "/api/v1/audit/verify",
    response_model=ChainVerification,
    tags=["audit"],
    summary="校验审计链 / Verify the audit chain",
    responses=problem_responses(401, 403),
)
async def verify(request: Request, session: SessionDep, principal: CurrentPrincipal) -> ChainVerification:
    """Recompute every event hash from the start, then match the chain heads published outside the database."""
    if principal.kind == "client" or principal.role not in AUDIT_ROLES:
        raise Forbidden("only the office, leaders and admins may verify the audit chain")
    chain = await verify_chain(session, events)
    anchors = await check_anchors(
        session, path=anchors_path(request.app.state.settings.var_dir), signer=request.app.state.keys
    )
    bad = [s for s in (chain.first_bad_seq, anchors.first_bad_seq) if s is not None]
    return ChainVerification(
        ok=not bad, checked=chain.checked, first_bad_seq=min(bad) if bad else None, anchors_checked=anchors.checked
    )
