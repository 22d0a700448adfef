"""Writing events: every change of issues-api records one, in the transaction of the change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.events.models import outbox
from rectify_kit.auth import Principal
from rectify_kit.clock import Clock
from rectify_kit.outbox import NewEvent

SYSTEM_ACTOR: dict[str, Any] = {"kind": "system", "id": None, "username": "system", "role": None, "unit_id": None}
PUBLIC_ACTOR: dict[str, Any] = {"kind": "public", "id": None, "username": None, "role": None, "unit_id": None}


def actor_of(principal: Principal) -> dict[str, Any]:
    """The `actor` of an event: who did it, never more personal data than the username.

    An integration client is named too (`display_name`, the system's name, e.g. 省政务服务平台), so that the
    timeline says which system took a step; a system's name is no one's personal data.
    """
    actor: dict[str, Any] = {
        "kind": principal.kind,
        "id": principal.sub,
        "username": principal.username,
        "role": principal.role,
        "unit_id": principal.unit_id,
    }
    if principal.kind == "client":
        actor["display_name"] = principal.name
    return actor


async def record_event(
    session: AsyncSession,
    *,
    type: str,
    subject_id: str,
    actor: dict[str, Any],
    data: dict[str, Any],
    clock: Clock,
) -> None:
    """Stage one event in the caller's transaction (types follow docs/events.md); it is in the feed, numbered
    and chained, once the request's session has committed (kit relay.py)."""
    await outbox.add(session, [NewEvent(type, subject_id, actor, data, occurred_at=clock.now())])


async def record_events(session: AsyncSession, new_events: Sequence[NewEvent]) -> None:
    """Stage many events at once, in order, in the caller's transaction (an import writes thousands)."""
    await outbox.add(session, new_events)
