"""Webhook subscriptions of other systems: who may manage which, and which subscriptions take an event.

The office and admins manage every subscription; an integration client with `webhooks:manage` manages its
own, and they receive only what it may read now: the event kinds its current scopes open, and, when it is
bound to units, only events about issues of those units. "Now" is the client as issues-api's last `client.*`
event described it (`directory.models.Client`, passed in as a `Grant`): an admin's unbinding of a unit or
withdrawal of a scope stops the next event, whatever token made the subscription.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.outbound import OutboundGuard
from notify_api.webhooks import repository
from notify_api.webhooks.errors import WebhookNotFound
from notify_api.webhooks.models import WebhookSubscription
from notify_api.webhooks.schemas import Audience, Grant, WebhookIn, WebhookPatch
from rectify_kit.auth import Principal
from rectify_kit.errors import Forbidden

# How long the previous secret keeps signing after a rotation: receivers switch within it.
ROTATION_GRACE = timedelta(hours=24)
# The scopes that let a client read each kind of event (the feeds' rules).
READ_SCOPES = {
    "issue": frozenset({"events:read", "issues:read", "issues:act"}),
    "intake": frozenset({"events:read"}),
    "escalation": frozenset({"events:read"}),
    "notification": frozenset({"events:read"}),
}


def _is_client(principal: Principal) -> bool:
    return principal.kind == "client"


async def subscribe(
    session: AsyncSession, *, data: WebhookIn, owner: Principal, guard: OutboundGuard, now: datetime
) -> WebhookSubscription:
    """Store a subscription (its URL must reach a permitted address); matching events are signed with its
    secret, never shown again. A client's subscription is its own and may name only kinds it may read."""
    await guard.check_url(str(data.url))
    if _is_client(owner):
        _check_readable(owner, data.event_types)
    sub = WebhookSubscription(
        id=str(uuid.uuid4()),
        url=str(data.url),
        secret=data.secret,
        event_types=list(data.event_types),
        campaign_ids=list(data.campaign_ids),
        unit_ids=list(data.unit_ids),
        description=data.description,
        active=True,
        created_at=now,
    )
    _own(sub, owner)
    session.add(sub)
    await session.flush()
    return sub


def _own(sub: WebhookSubscription, owner: Principal) -> None:
    """Record (or refresh) what the owning client may read, as its token says now: the grant used until
    notify-api has heard of the client from the feed."""
    if _is_client(owner):
        sub.owner_client_id = owner.sub
        sub.owner_scopes = sorted(owner.scopes)
        sub.owner_unit_ids = sorted(owner.unit_ids)


def _check_readable(owner: Principal, event_types: list[str]) -> None:
    for event_type in event_types:
        kind = event_type.split(".", 1)[0]
        if kind != "*" and not READ_SCOPES[kind] & set(owner.scopes):
            needed = sorted(READ_SCOPES[kind])[0]
            raise Forbidden(f"{event_type} needs the scope {needed}", required_scope=needed)


async def list_for(session: AsyncSession, *, principal: Principal) -> list[WebhookSubscription]:
    """Every subscription for the office and admins; a client's own for a client."""
    if _is_client(principal):
        return await repository.of_client(session, principal.sub)
    return await repository.all_subscriptions(session)


async def get(session: AsyncSession, *, subscription_id: str, principal: Principal) -> WebhookSubscription:
    """A subscription the caller may see (another client's is not found)."""
    return await _visible(session, subscription_id, principal, lock=False)


async def _visible(
    session: AsyncSession, subscription_id: str, principal: Principal, *, lock: bool
) -> WebhookSubscription:
    sub = await repository.get(session, subscription_id, lock=lock)
    if sub is None or (_is_client(principal) and sub.owner_client_id != principal.sub):
        raise WebhookNotFound(subscription_id)
    return sub


async def change(
    session: AsyncSession,
    *,
    subscription_id: str,
    data: WebhookPatch,
    principal: Principal,
    guard: OutboundGuard,
    now: datetime,
) -> WebhookSubscription:
    """Change the given fields. Deliveries read their subscription at each attempt: a new URL applies to every
    later attempt, queued and retrying ones included, and `active=false` holds the queued ones until
    `active=true`; new filters apply to events from now on. A new secret signs every later attempt, and the
    previous one signs beside it for `ROTATION_GRACE`, so receivers can switch without losing a message."""
    sub = await _visible(session, subscription_id, principal, lock=True)
    if data.url is not None:
        await guard.check_url(str(data.url))
        sub.url = str(data.url)
    if data.secret is not None and data.secret != sub.secret:
        sub.previous_secret, sub.previous_secret_until = sub.secret, now + ROTATION_GRACE
        sub.secret = data.secret
    if data.event_types is not None:
        if _is_client(principal):
            _check_readable(principal, data.event_types)
        sub.event_types = list(data.event_types)
    for name in ("campaign_ids", "unit_ids", "description", "active"):
        value = getattr(data, name)
        if value is not None:
            setattr(sub, name, list(value) if isinstance(value, list) else value)
    if sub.owner_client_id == principal.sub:
        _own(sub, principal)
    await session.flush()
    return sub


async def unsubscribe(session: AsyncSession, *, subscription_id: str, principal: Principal) -> None:
    """Delete the subscription: no new deliveries; the delivery worker dead-letters its queued and retrying
    ones (they never go out), and its delivery log stays readable under /api/v1/deliveries?subscription_id=."""
    sub = await _visible(session, subscription_id, principal, lock=True)
    await repository.delete(session, sub)


def signing_secrets(subscription: WebhookSubscription, now: datetime) -> list[str]:
    """The secrets that sign a delivery now: the current one, and the previous one during its grace."""
    until = subscription.previous_secret_until
    if subscription.previous_secret and until is not None and now < until:
        return [subscription.secret, subscription.previous_secret]
    return [subscription.secret]


def wants(subscription: WebhookSubscription, audience: Audience, *, owner: Grant | None = None) -> bool:
    """Whether an active subscription takes this event: its type, campaign and unit filters, and, for a
    client's subscription, what that client may read now (`owner`: kinds by scope, its bound units only; an
    inactive client nothing). Without `owner` (no `client.*` event seen yet) the token's grant at the last
    change of the subscription stands in."""
    if not subscription.active or not _type_matches(subscription.event_types, audience.event_type):
        return False
    if subscription.campaign_ids and audience.campaign_id not in subscription.campaign_ids:
        return False
    if subscription.unit_ids and not audience.unit_ids & set(subscription.unit_ids):
        return False
    if subscription.owner_client_id is None:
        return True
    grant = owner or snapshot(subscription)
    kind = audience.event_type.split(".", 1)[0]
    if not grant.active or not READ_SCOPES.get(kind, frozenset()) & grant.scopes:
        return False
    return not grant.unit_ids or bool(audience.unit_ids & grant.unit_ids)


def snapshot(subscription: WebhookSubscription) -> Grant:
    """The owning client's grant as its token said when it last changed the subscription."""
    return Grant(scopes=frozenset(subscription.owner_scopes), unit_ids=frozenset(subscription.owner_unit_ids))


def _type_matches(patterns: list[str], event_type: str) -> bool:
    kind = event_type.split(".", 1)[0]
    return any(p in ("*", event_type, f"{kind}.*") for p in patterns)
