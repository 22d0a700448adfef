"""The issues feed applied a page at a time leaves what its events applied one at a time leave: the same timers
(planned, skipped, dropped and planned again within the page), inbox rows and e-mails."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, timedelta
from typing import Any, get_args

from sqlalchemy import select

from notify_api.delivery.models import Delivery
from notify_api.escalations.models import Timer
from notify_api.escalations.planner import IssueFacts, plan, plans_nothing
from notify_api.issues import repository as issues_repository
from notify_api.issues import service as issues
from notify_api.issues.models import ROW_COLUMNS, IssueState
from notify_api.notifications.models import Notification
from notify_api.policies.schemas import Anchor, EscalationPolicy, PolicyStep
from notify_testing.world import ACTOR, World, issue, local
from rectify_kit.consumer import FetchedPage
from rectify_kit.db import Database
from rectify_kit.feed import FeedEvent
from rectify_kit.workdays import WorkCalendar

ASSIGNED = local(2026, 9, 1, 10)


def history(issue_id: str) -> list[tuple[str, dict[str, Any]]]:
    """An item assigned with a deadline already past (steps due: the highest planned, the rest skipped), accepted,
    submitted for review (its deadline steps dropped), rejected (planned again), given a later deadline, progress
    reported, reopened; and, meanwhile, the policy of its own campaign set by the campaign's file."""
    at = ASSIGNED.astimezone(UTC).isoformat()
    campaign = f"campaign-{issue_id}"

    def body(status: str, deadline: date, **extra: Any) -> dict[str, Any]:
        assigned = extra.pop("assigned_at", ASSIGNED)
        fields = {"campaign_id": campaign, **extra}
        return {"issue": issue(issue_id, status=status, deadline=deadline, assigned_at=assigned, **fields)}

    past, later = date(2026, 9, 10), date(2026, 10, 30)
    steps = [{"anchor": "deadline", "offset_wd": -1, "level": 0, "recipients": ["lead_unit"]}]
    return [
        ("issue.created", body("registered", past, assigned_at=None)),
        ("issue.assigned", body("assigned", past)),
        ("issue.accepted", body("in_progress", past, accepted_at=at)),
        ("issue.completion_submitted", body("pending_review", past, accepted_at=at, submitted_at=at)),
        ("issue.completion_rejected", body("in_progress", past, accepted_at=at, submitted_at=at)),
        ("issue.urged", {**body("in_progress", past, accepted_at=at), "content": "抓紧"}),
        ("issue.extension_decided", body("in_progress", later, accepted_at=at)),
        ("issue.progress_reported", body("in_progress", later, accepted_at=at, last_progress_at=at)),
        ("campaign.updated", {"campaign": {"id": campaign, "escalation_policy": "inline", "escalation_steps": steps}}),
        ("issue.reopened", body("in_progress", later, accepted_at=at, reopen_count=1)),
    ]


def events(issue_id: str, seq: itertools.count[int], world: World) -> list[FeedEvent]:
    return [
        FeedEvent(
            seq=next(seq),
            id=str(uuid.uuid4()),
            type=type_,
            occurred_at=world.clock.now().isoformat(),
            actor=ACTOR,
            subject_id=issue_id,
            data=data,
            hash="0" * 64,
        )
        for type_, data in history(issue_id)
    ]


async def left(world: World, issue_id: str, page: list[FeedEvent]) -> dict[str, Any]:
    """What the issue's events (`page`) left, without the issue's id and the events' ids."""
    ids = {item.id for item in page}
    database: Database = world.app.state.database
    async with database.session(write=False) as session:
        state = await session.get(IssueState, issue_id)
        assert state is not None
        timers = (await session.execute(select(Timer).where(Timer.issue_id == issue_id))).scalars()
        inbox = (await session.execute(select(Notification).where(Notification.issue_id == issue_id))).scalars()
        deliveries = (await session.execute(select(Delivery))).scalars()
        emails = [d for d in deliveries if d.dedupe_key.split(":")[1] in ids]
        return {
            "state": (state.status, state.deadline, state.deadline_version, state.needs_replan),
            "timers": sorted((t.step, t.version, t.level, t.due_at, t.status, t.provisional) for t in timers),
            "inbox": sorted((n.user_id, n.kind, n.title, n.body) for n in inbox),
            "emails": sorted((d.channel, d.target, d.subject, d.status) for d in emails),
        }


async def test_a_page_leaves_what_its_events_one_at_a_time_leave(world: World) -> None:
    seq = itertools.count(1000)
    world.clock.set(local(2026, 9, 21, 10).astimezone(UTC))
    singly = events("issue-1", seq, world)
    for item in singly:
        await world.runtime.consumer.apply(FetchedPage(events=[item], next=item.seq, head=item.seq))
    one_at_a_time = await left(world, "issue-1", singly)
    world.clock.advance(timedelta(minutes=1))
    page = events("issue-2", seq, world)
    await world.runtime.consumer.apply(FetchedPage(events=page, next=page[-1].seq, head=page[-1].seq))
    assert await left(world, "issue-2", page) == one_at_a_time
    assert {t[4] for t in one_at_a_time["timers"]} == {"pending", "skipped"}
    assert one_at_a_time["inbox"]
    assert one_at_a_time["emails"]


async def test_the_pages_rows_write_and_read_what_the_orm_model_does(world: World) -> None:
    """The consumer keeps a page's issues as plain rows (`IssueRow`) in Core statements: every column of the
    model's table, written and read back as the ORM writes and reads them, the flag alone only where it moved."""
    assert {c.name for c in IssueState.__table__.columns} == set(ROW_COLUMNS)
    raw = issue("issue-9", status="assigned", deadline=date(2026, 10, 9), assigned_at=ASSIGNED, co_unit_ids=["u-2"])
    row = issues.apply_event(None, event_type="issue.assigned", seq=7, data={"issue": raw})
    assert row is not None
    database: Database = world.app.state.database
    async with database.session() as session:
        await issues_repository.write_rows(session, new=[row], changed=[], flags={})
    async with database.session(write=False) as session:
        state = await session.get(IssueState, "issue-9")
        assert state is not None
        stored = {name: getattr(state, name) for name in ROW_COLUMNS}
        read = (await issues_repository.rows_by_id(session, {"issue-9", "issue-unknown"}))["issue-9"]
    assert {name: getattr(read, name) for name in ROW_COLUMNS} == stored
    assert stored == {name: getattr(row, name) for name in ROW_COLUMNS}
    assert (stored["co_unit_ids"], stored["deadline_version"], stored["needs_replan"]) == (["u-2"], 1, False)
    async with database.session() as session:  # the scheduler flags it meanwhile; the feed moves it on
        await issues_repository.mark_campaign_for_replan(session, read.campaign_id)
    moved = issues.apply_event(
        read, event_type="issue.accepted", seq=8, data={"issue": {**raw, "status": "in_progress"}}
    )
    assert moved is not None
    async with database.session() as session:
        await issues_repository.write_rows(session, new=[], changed=[moved], flags={})
    async with database.session(write=False) as session:
        again = (await issues_repository.rows_by_id(session, {"issue-9"}))["issue-9"]
    assert (again.status, again.last_seq, again.needs_replan) == ("in_progress", 8, True)
    # A page that read the issue before it was flagged again (by a calendar or policy its re-planning may not have
    # seen) leaves the flag; one that read it as it stands clears it.
    async with database.session() as session:
        await issues_repository.write_rows(session, new=[], changed=[moved], flags={"issue-9": False})
    async with database.session(write=False) as session:
        assert (await issues_repository.rows_by_id(session, {"issue-9"}))["issue-9"].needs_replan is True
    async with database.session() as session:
        await issues_repository.write_rows(session, new=[], changed=[again], flags={"issue-9": False})
    async with database.session(write=False) as session:
        assert (await issues_repository.rows_by_id(session, {"issue-9"}))["issue-9"].needs_replan is False


def test_a_status_that_plans_nothing_gets_no_timer_from_any_step() -> None:
    """`plans_nothing` (which lets the consumer skip re-planning an unassigned item's `issue.created`) is what
    `plan` gives: no step of any anchor plans a timer in such a status, every moment and a deadline set."""
    steps = [
        PolicyStep(code=f"{anchor}{offset}", anchor=anchor, offset_wd=offset, level=0, recipients=["lead_unit"])
        for anchor in get_args(Anchor)
        for offset in ((-1, 2) if anchor == "deadline" else (2,))
    ]
    policy = EscalationPolicy(steps=steps)
    moment = ASSIGNED.astimezone(UTC)
    statuses = ("registered", "assigned", "returned", "in_progress", "pending_review", "closed", "cancelled", "")
    for status in statuses:
        facts = IssueFacts("issue-1", status, date(2026, 10, 9), 1, moment, moment, moment, moment)
        planned = plan(facts, policy, WorkCalendar(), fire_hour=9)
        assert plans_nothing(status) == (planned == []), status
    assert {s for s in statuses if plans_nothing(s)} == {"registered", "returned", "closed", "cancelled", ""}
