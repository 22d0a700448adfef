"""Escalations: recording a fired step and acknowledging a numbered notice, with the events of notify-api's
own feed that tell them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.directory import repository as directory
from notify_api.escalations import repository
from notify_api.escalations.errors import EscalationNotFound, IssueNotKnown, NoNotice, NotAcknowledgeable, NotYourUnit
from notify_api.escalations.models import Escalation, Timer
from notify_api.escalations.notice import NoticeContent, NoticeIssue
from notify_api.issues import repository as issues
from notify_api.issues.models import IssueState
from notify_api.issues.service import units_of
from notify_api.notifications.batch import send_events
from notify_api.notifications.messages import Event
from notify_api.outbox import SYSTEM_ACTOR, actor_of, events
from notify_api.policies.schemas import NUMBERED_LEVELS
from notify_api.webhooks.schemas import Audience
from rectify_kit.auth import Principal
from rectify_kit.clock import BUSINESS_TZ
from rectify_kit.outbox import NewEvent, append_event
from rectify_kit.workdays import local_date


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


async def record(session: AsyncSession, *, timer: Timer, issue: IssueState, now: datetime) -> Escalation:
    """Record the escalation of a due timer; the caller has checked that its dedupe key is new (the unique
    key still refuses a second one) and publishes `fired_event` for it. Levels 2 and 3 take the next notice
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
    issue = await issues.get(session, escalation.issue_id)
    if issue is not None:
        issue.needs_replan = True  # the early climb planned for this notice is withdrawn
    await session.flush()
    await append_event(
        session,
        events,
        type="escalation.acknowledged",
        subject_id=escalation.id,
        actor=actor_of(principal),
        data={"escalation": as_data(escalation)},
        occurred_at=now,
    )
    audience = Audience("escalation.acknowledged", escalation.campaign_id, units_of(issue) if issue else frozenset())
    event = Event(key=f"ack:{escalation.id}", audience=audience, data={"escalation": as_data(escalation)})
    await send_events(session, [event], now=now)
    return escalation


async def planned(session: AsyncSession, *, issue_id: str, principal: Principal) -> list[Timer]:
    """The issue's steps still to fire, soonest first; a unit sees only the issues of its own unit."""
    issue = await issues.get(session, issue_id)
    if issue is None:
        raise IssueNotKnown(issue_id)
    if principal.role == "unit" and principal.unit_id not in {issue.lead_unit_id, *issue.co_unit_ids}:
        raise IssueNotKnown(issue_id)
    return await repository.pending_timers(session, issue_id)


async def notice(session: AsyncSession, *, escalation_id: str, principal: Principal) -> NoticeContent:
    """What the numbered notice of an escalation says. A unit reads only its own unit's notices (another unit's is
    a 404, as a missing one); a reminder, an urge or an accountability step has no notice (409)."""
    escalation = await repository.get(session, escalation_id)
    if escalation is None or (principal.role == "unit" and principal.unit_id != escalation.unit_id):
        raise EscalationNotFound(escalation_id)
    if escalation.level not in NUMBERED_LEVELS or escalation.number is None:
        raise NoNotice(f"level {escalation.level} has no notice", level=escalation.level)
    issue = await issues.get(session, escalation.issue_id)
    unit = await directory.get_unit(session, escalation.unit_id) if escalation.unit_id else None
    named = NoticeIssue(
        code=issue.code if issue else escalation.issue_id,
        title=issue.title if issue else "",
        deadline=escalation.deadline,
    )
    return NoticeContent(
        number=escalation.number,
        level=escalation.level,
        unit_name=unit.name if unit and unit.name else "责任单位",
        issues=[named],
        step=escalation.step,
        issued_on=local_date(escalation.fired_at),
        acknowledged_on=local_date(escalation.acknowledged_at) if escalation.acknowledged_at else None,
    )
