"""Writing events: every change of issues-api records one, in the transaction of the change."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.events.models import events
from rectify_kit.auth import Principal
from rectify_kit.clock import Clock
from rectify_kit.outbox import Event, append_event

SYSTEM_ACTOR: dict[str, Any] = {"kind": "system", "id": None, "username": "system", "role": None, "unit_id": None}
PUBLIC_ACTOR: dict[str, Any] = {"kind": "public", "id": None, "username": None, "role": None, "unit_id": None}


def actor_of(principal: Principal) -> dict[str, Any]:
    """The `actor` of an event: who did it, never more personal data than the username."""
    return {
        "kind": principal.kind,
        "id": principal.sub,
        "username": principal.username,
        "role": principal.role,
        "unit_id": principal.unit_id,
    }


async def record_event(
    session: AsyncSession,
    *,
    type: str,
    subject_id: str,
    actor: dict[str, Any],
    data: dict[str, Any],
    clock: Clock,
) -> Event:
    """Append one event to the outbox in the caller's transaction (types follow docs/events.md)."""
    return await append_event(
        session, events, type=type, subject_id=subject_id, actor=actor, data=data, occurred_at=clock.now()
    )
