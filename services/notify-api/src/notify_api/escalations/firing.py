"""Firing due timers: each becomes an escalation, the message that tells its recipients, and the
`escalation.fired` event of notify-api's feed. Nothing here writes messages or events: the caller does."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.calendar.service import LazyCalendar
from notify_api.directory.models import User
from notify_api.directory.service import Addressbook
from notify_api.escalations import repository, service
from notify_api.escalations.models import Escalation, Timer
from notify_api.issues import repository as issues
from notify_api.issues.models import IssueState
from notify_api.issues.service import summary, units_of
from notify_api.notifications.messages import Message
from notify_api.policies.labels import step_label
from notify_api.policies.schemas import LEVEL_NAMES, NUMBERED_LEVELS
from rectify_kit.outbox import NewEvent
from rectify_kit.workdays import WorkCalendar, local_date, working_days_between


@dataclass
class Firing:
    """What one batch of due timers decided: how many timers it took, the messages to send and the events to
    publish."""

    taken: int = 0
    messages: list[Message] = field(default_factory=list)
    events: list[NewEvent] = field(default_factory=list)


async def fire_due(session: AsyncSession, *, now: datetime, limit: int, calendar: LazyCalendar) -> Firing:
    """Take up to `limit` due timers in this transaction and record their escalations.

    A timer of a closed or cancelled issue is skipped; one whose dedupe key already fired (another replica, a
    restart) fires nothing. A numbered notice flags its issue for re-planning: unacknowledged, it brings the
    next level forward.
    """
    claimed = await repository.claim_due_timers(session, now=now, limit=limit)
    if not claimed:
        return Firing()
    work_calendar = await calendar.get()
    found = await issues.by_id(session, {t.issue_id for t in claimed})
    done = await repository.existing_keys(session, [t.dedupe_key for t in claimed])
    book = Addressbook(session)
    firing = Firing(taken=len(claimed))
    flagged: set[str] = set()
    for timer in claimed:
        timer.status, timer.fired_at = "fired", now
        issue = found.get(timer.issue_id)
        if issue is None or issue.status in issues.CLOSED:
            timer.status = "skipped"
            continue
        if timer.dedupe_key in done:
            continue
        escalation = await service.record(session, timer=timer, issue=issue, now=now)
        firing.events.append(service.fired_event(escalation))
        recipients = await book.recipients(
            kinds=timer.recipients, lead_unit_id=issue.lead_unit_id, co_unit_ids=issue.co_unit_ids
        )
        firing.messages.append(_message(timer, issue, escalation, recipients, calendar=work_calendar, now=now))
        if timer.level in NUMBERED_LEVELS:
            flagged.add(issue.id)
    await session.flush()
    await issues.flag_for_replan(session, sorted(flagged))
    return firing


def _message(
    timer: Timer,
    issue: IssueState,
    escalation: Escalation,
    recipients: list[tuple[User, str]],
    *,
    calendar: WorkCalendar,
    now: datetime,
) -> Message:
    return Message(
        kind="escalation",
        key=timer.dedupe_key,
        recipients=recipients,
        context={"issue": summary(issue), "number": escalation.number, **wording(timer, issue, calendar, now)},
        channels=frozenset(timer.channels),
        event_type="escalation.fired",
        level=timer.level,
        issue_id=issue.id,
        escalation_id=escalation.id,
        webhook_data={"escalation": service.as_data(escalation)},
        campaign_id=issue.campaign_id,
        unit_ids=units_of(issue),
    )


def wording(timer: Timer, issue: IssueState, calendar: WorkCalendar, now: datetime) -> dict[str, object]:
    """How the message names the step and the time: a reminder (level 0) before the deadline is 临近提醒 and says
    the working days left; once the deadline has passed it is 逾期提醒 and says the days overdue; a step that
    counts from another moment (not accepted, no progress, not reviewed) says which."""
    today = local_date(now)
    overdue = working_days_between(issue.deadline, today, calendar) if issue.deadline else 0
    left = working_days_between(today, issue.deadline, calendar) if issue.deadline and overdue == 0 else None
    on_deadline = timer.version.startswith("d")
    zh, en = LEVEL_NAMES[timer.level]
    if timer.level == 0:
        zh, en = (
            ("逾期提醒", "Overdue reminder")
            if overdue
            else ("临近提醒", "Reminder")
            if on_deadline
            else ("提醒", "Reminder")
        )
    label = None if on_deadline else step_label(timer.step)
    return {
        "level_name": zh,
        "level_name_en": en,
        "step_label": label.zh if label else "",
        "step_label_en": label.en if label else "",
        "overdue_days": overdue,
        "days_left": left,
    }
