"""The event feed (GET /api/v1/events) and the audit check (GET /api/v1/audit/verify)."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, Request

from issues_api.events.anchor import anchors_path, check_anchors
from issues_api.events.models import events
from issues_api.events.redaction import redact
from issues_api.events.schemas import ChainVerification
from rectify_kit.auth import CurrentPrincipal, Principal
from rectify_kit.db import SessionDep
from rectify_kit.errors import Forbidden, problem_responses
from rectify_kit.feed import FeedNotifier, feed_router
from rectify_kit.outbox import verify_chain

# Which event types each scope opens (docs/events.md); `admin` sees every type.
SCOPE_TYPES: dict[str, tuple[str, ...]] = {
    "events:read": ("issue.", "intake.", "campaign.", "accountability."),
    # `client.*` (id, name, scopes, bound units, active; never a secret): notify-api's webhooks and account
    # checks follow them.
    "directory:read": ("unit.", "user.", "client."),
}
AUDIT_ROLES = frozenset({"admin", "office", "leader"})

# A page of the feed as an integration client with `events:read` reads it (docs/events.md has every type).
FEED_EXAMPLE = {
    "events": [
        {
            "seq": 1842,
            "id": "5c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f",
            "type": "issue.assigned",
            "occurred_at": "2026-11-20T02:00:00+00:00",
            "actor": {"kind": "user", "id": "u-office", "username": "office", "role": "office", "unit_id": None},
            "subject_id": "0b5f0c8e-5a0a-4c1f-9f1e-3a4c2b1d0e9f",
            "data": {
                "issue": {
                    "id": "0b5f0c8e-5a0a-4c1f-9f1e-3a4c2b1d0e9f",
                    "code": "YS-2017-0042",
                    "status": "assigned",
                    "lead_unit_id": "9c2e4b10-1f3a-4d5e-8b7c-6a5f4e3d2c1b",
                    "deadline": "2026-12-15",
                }
            },
            "hash": "3f1a9c0e7b2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f",
        }
    ],
    "next": 1842,
    "head": 1907,
}

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
        redact=redact,
        example=FEED_EXAMPLE,
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
        session, path=anchors_path(request.app.state.settings.var_dir), public_keys=request.app.state.public_keys
    )
    bad = [s for s in (chain.first_bad_seq, anchors.first_bad_seq) if s is not None]
    return ChainVerification(
        ok=not bad, checked=chain.checked, first_bad_seq=min(bad) if bad else None, anchors_checked=anchors.checked
    )
