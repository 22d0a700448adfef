"""Firing escalation steps and acknowledging numbered notices; both write to notify-api's own feed."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.escalations import repository
from notify_api.escalations.errors import EscalationNotFound, NotAcknowledgeable, NotYourUnit
from notify_api.escalations.models import Escalation, events
from notify_api.issues.models import IssueState
from notify_api.policies.schemas import NUMBERED_LEVELS
from notify_api.scheduler.models import Timer
from rectify_kit.auth import Principal
from rectify_kit.clock import BUSINESS_TZ
from rectify_kit.outbox import NewEvent, append_event

SYSTEM_ACTOR: dict[str, Any] = {"kind": "system", "id": None, "username": "notify-api", "role": None, "unit_id": None}


def notice_number(year: int, number: int) -> str:
    return f"督〔{year}〕{number}号"


def as_data(escalation: Escalation) -> dict[str, Any]:
    """The `escalation` object of docs/events.md."""
    return {
        "id": escalation.id,
        "issue_id": escalation.issue_id,
        "campaign_id": escalation.campaign_id,
        "unit_id": escalation.unit_id,
        "level": escalation.level,
        "step": escalation.step,
        "number": escalation.number,
        "fired_at": escalation.fired_at.isoformat(),
        "deadline": escalation.deadline.isoformat() if escalation.deadline else None,
        "acknowledged_at": escalation.acknowledged_at.isoformat() if escalation.acknowledged_at else None,
    }


async def fire(session: AsyncSession, *, timer: Timer, issue: IssueState, now: datetime) -> Escalation:
    """Record the escalation of a due timer; the caller has checked that its dedupe key is new (the unique
    key still refuses a second one) and appends `fired_event` for it. Levels 2 and 3 take the next notice
    number of the year."""
    number = None
    if timer.level in NUMBERED_LEVELS:
        year = now.astimezone(BUSINESS_TZ).year
        number = notice_number(year, await repository.next_notice_number(session, year))
    escalation = Escalation(
        id=str(uuid.uuid4()),
        dedupe_key=timer.dedupe_key,
        issue_id=issue.id,
        campaign_id=issue.campaign_id,
        unit_id=issue.lead_unit_id,
        level=timer.level,
        step=timer.step,
        version=timer.version,
        number=number,
        deadline=issue.deadline,
        fired_at=now,
    )
    session.add(escalation)
    return escalation


def fired_event(escalation: Escalation) -> NewEvent:
    """The `escalation.fired` event of notify-api's feed (docs/events.md)."""
    return NewEvent(
        type="escalation.fired",
        subject_id=escalation.id,
        actor=SYSTEM_ACTOR,
        data={"escalation": as_data(escalation)},
        occurred_at=escalation.fired_at,
    )


async def acknowledge(session: AsyncSession, *, escalation_id: str, principal: Principal, now: datetime) -> Escalation:
    """The unit signs for a numbered notice (督办/通报); again is a no-op. Writes `escalation.acknowledged`."""
    escalation = await repository.get(session, escalation_id, lock=True)
    if escalation is None:
        raise EscalationNotFound(escalation_id)
    if principal.role != "unit" or principal.unit_id is None or principal.unit_id != escalation.unit_id:
        raise NotYourUnit("only the lead unit's staff may acknowledge")
    if escalation.level not in NUMBERED_LEVELS:
        raise NotAcknowledgeable(f"level {escalation.level} needs no acknowledgement", level=escalation.level)
    if escalation.acknowledged_at is not None:
        return escalation
    escalation.acknowledged_at, escalation.acknowledged_by = now, principal.sub
    issue = await session.get(IssueState, escalation.issue_id)
    if issue is not None:
        issue.needs_replan = True  # the early climb planned for this notice is withdrawn
    await session.flush()
    actor = {
        "kind": principal.kind,
        "id": principal.sub,
        "username": principal.username,
        "role": principal.role,
        "unit_id": principal.unit_id,
    }
    await append_event(
        session,
        events,
        type="escalation.acknowledged",
        subject_id=escalation.id,
        actor=actor,
        data={"escalation": as_data(escalation)},
        occurred_at=now,
    )
    return escalation
