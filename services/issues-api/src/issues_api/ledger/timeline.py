"""An issue's history as people read it: its events, each actor named by display name and unit."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.ledger import lookups
from issues_api.ledger.lookups import DirectoryNames
from issues_api.ledger.models import Issue
from issues_api.ledger.schemas import IssueTimelineEntry, Timeline, TimelineActor


async def issue_timeline(session: AsyncSession, *, issue: Issue) -> Timeline:
    """Every event of `issue` in order, without the issue state it carries, its actor's names looked up now.

    Names are read from the directory at the time of reading (a renamed unit shows its new name); an actor the
    directory does not know (the public, the system, a removed account) keeps null names.
    """
    rows = await lookups.issue_events(session, issue.id)
    actors = [_recorded(r.actor) for r in rows]
    names = await lookups.directory_names(
        session,
        user_ids={a["id"] for a in actors if a.get("kind") == "user" and a.get("id")},
        client_ids={a["id"] for a in actors if a.get("kind") == "client" and a.get("id")},
        unit_ids={a["unit_id"] for a in actors if a.get("unit_id")},
    )
    return Timeline(
        items=[
            IssueTimelineEntry(
                seq=r.seq,
                type=r.type,
                occurred_at=r.occurred_at,
                actor=_named(actor, names),
                data=_without_issue(r.data),
            )
            for r, actor in zip(rows, actors, strict=True)
        ]
    )


def _recorded(actor: Any) -> dict[str, Any]:
    """The event's actor object (an old entry naming only a user becomes one with that username)."""
    if isinstance(actor, dict):
        return actor
    return {"kind": "user", "id": None, "username": str(actor) if actor else None, "role": None, "unit_id": None}


def _named(actor: dict[str, Any], names: DirectoryNames) -> TimelineActor:
    kind = str(actor.get("kind") or "system")
    actor_id = actor.get("id")
    own = {"user": names.users, "client": names.clients}.get(kind, {})
    display_name = own.get(actor_id) if actor_id else None
    unit_id = actor.get("unit_id")
    fields = {
        **actor,
        "kind": kind,
        "id": actor_id,
        "username": actor.get("username"),
        "role": actor.get("role"),
        "unit_id": unit_id,
        "display_name": display_name or actor.get("display_name"),
        "unit_name": names.units.get(unit_id) if unit_id else None,
    }
    return TimelineActor(**fields)


def _without_issue(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "issue"}
