"""notify-api's own feed (`GET /api/v1/escalations/feed`): the events it publishes, written in the transaction
of what they tell (docs/events.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.db import metadata
from rectify_kit.outbox import make_event_table

if TYPE_CHECKING:  # the models (and `migrate`) import this module; the token verifier's libraries are not theirs
    from rectify_kit.auth import Principal

events = make_event_table(metadata)

# The actor of what notify-api does by itself (a firing, a start-up announcement).
SYSTEM_ACTOR: dict[str, Any] = {"kind": "system", "id": None, "username": "notify-api", "role": None, "unit_id": None}


def actor_of(principal: Principal) -> dict[str, Any]:
    """The `actor` of an event: who did it, never more personal data than the username."""
    return {
        "kind": principal.kind,
        "id": principal.sub,
        "username": principal.username,
        "role": principal.role,
        "unit_id": principal.unit_id,
    }


async def subjects_told(session: AsyncSession, event_type: str) -> set[str]:
    """The subjects the feed has published an event of `event_type` about."""
    query = select(events.c.subject_id).where(events.c.type == event_type)
    return set((await session.execute(query)).scalars())
