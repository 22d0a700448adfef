"""责任落实到人: a unit names the responsible person (责任人) for its part of an item — the lead unit and each
co-unit its own — and splits its part into sub-tasks (子任务) for its people, each due no later than the item.

Who writes: the unit's own users for its part, the office and admins for any unit's part; the item must be one
the caller sees (404 otherwise) and still open. People are the unit's active users. Every change is an event
of the feed: `issue.responsible_named`, `issue.subtask_added`, `issue.subtask_updated`,
`issue.subtask_progress_reported` (docs/events.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Boolean, Integer, String, bindparam, cast, null, select, union_all
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from issues_api.assignees.errors import (
    IssueSettled,
    NotOwnPart,
    SubtaskNotFound,
    UnitNotOnIssue,
    deadline_too_late,
    not_unit_staff,
)
from issues_api.assignees.models import IssueAssignee, Subtask
from issues_api.assignees.schemas import (
    AssigneeOut,
    PeopleSummary,
    StaffOut,
    SubtaskCreate,
    SubtaskOut,
    SubtaskPatch,
    SubtaskProgressBody,
)
from issues_api.directory.models import Unit, User
from issues_api.events.service import record_event
from issues_api.ledger.access import IssueLike, Viewer
from issues_api.ledger.errors import invalid_value
from issues_api.ledger.models import Issue
from issues_api.ledger.schemas import IssueDetail, ResponsibleOut
from issues_api.ledger.service import get_visible_issue
from issues_api.ledger.state import issue_state
from issues_api.ledger.workflow import OPEN_STATUSES
from rectify_kit.clock import Clock
from rectify_kit.db import fetch_rows
from rectify_kit.errors import Forbidden

OFFICE = frozenset({"office", "admin"})
OVERSEERS = frozenset({"office", "admin", "leader"})


def unit_parts(issue: IssueLike) -> list[tuple[str, str]]:
    """The units that have a part of the item now: the lead unit, then each co-unit not waived."""
    parts = [(issue.lead_unit_id, "lead")] if issue.lead_unit_id else []
    return parts + [(c.unit_id, "co") for c in issue.co_units if c.status != "waived"]


def may_write(viewer: Viewer, unit_id: str) -> bool:
    """The office and admins for any unit; a unit's own users for their unit."""
    return viewer.role in OFFICE or (viewer.role == "unit" and viewer.unit_id == unit_id)


def _check_writer(issue: Issue, unit_id: str, viewer: Viewer) -> None:
    if viewer.role not in OFFICE and viewer.role != "unit":
        raise Forbidden("only the unit's own people, the office and admins", required_roles=["unit", *sorted(OFFICE)])
    if unit_id not in {u for u, _ in unit_parts(issue)}:
        raise UnitNotOnIssue(f"unit {unit_id} has no part of issue {issue.id}", unit_id=unit_id)
    if not may_write(viewer, unit_id):
        raise NotOwnPart("a unit acts only for its own part", unit_id=unit_id)
    if issue.status not in OPEN_STATUSES:
        raise IssueSettled(f"issue {issue.id} is {issue.status}", current_status=issue.status)


async def _staff_member(session: AsyncSession, *, unit_id: str, user_id: str, field: str) -> User:
    user = await session.get(User, user_id)
    if user is None or user.unit_id != unit_id or not user.active:
        raise not_unit_staff(field)
    return user


async def unit_staff(session: AsyncSession, *, unit_id: str, viewer: Viewer) -> list[StaffOut]:
    """The unit's active people by name: the office, admins and leaders for any unit, a unit for itself."""
    if viewer.role not in OVERSEERS and not (viewer.role == "unit" and viewer.unit_id == unit_id):
        raise Forbidden("a unit reads only its own staff", required_roles=sorted(OVERSEERS))
    query = (
        select(User.id, User.display_name)
        .where(User.unit_id == unit_id, User.active.is_(True))
        .order_by(User.display_name, User.id)
    )
    return [StaffOut(id=row[0], display_name=row[1]) for row in await session.execute(query)]


# -- responsible persons


async def _assignees(session: AsyncSession, issue_id: str) -> dict[str, tuple[IssueAssignee, str]]:
    query = (
        select(IssueAssignee, User.display_name)
        .join(User, User.id == IssueAssignee.user_id)
        .where(IssueAssignee.issue_id == issue_id)
    )
    return {row[0].unit_id: (row[0], row[1]) for row in await session.execute(query)}


async def _unit_names(session: AsyncSession, unit_ids: Sequence[str]) -> dict[str, str]:
    if not unit_ids:
        return {}
    rows = await session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(list(unit_ids))))
    return {row[0]: row[1] for row in rows}


async def list_assignees(session: AsyncSession, *, issue_id: str, viewer: Viewer) -> list[AssigneeOut]:
    """Each unit with a part of the item (lead first) and the person it named, or null."""
    issue = await get_visible_issue(session, issue_id, viewer)
    parts = unit_parts(issue)
    named = await _assignees(session, issue.id)
    units = await _unit_names(session, [u for u, _ in parts])
    settled = issue.status not in OPEN_STATUSES
    result = []
    for unit_id, relation in parts:
        found = named.get(unit_id)
        result.append(
            AssigneeOut(
                unit_id=unit_id,
                unit_name=units.get(unit_id, ""),
                relation="lead" if relation == "lead" else "co",
                user_id=found[0].user_id if found else None,
                display_name=found[1] if found else None,
                named_at=found[0].named_at if found else None,
                can_name=not settled and may_write(viewer, unit_id),
            )
        )
    return result


async def name_responsible(
    session: AsyncSession, *, issue_id: str, unit_id: str, user_id: str | None, viewer: Viewer, clock: Clock
) -> None:
    """指定责任人 for the unit's part (null clears it); `issue.responsible_named` when it changes."""
    issue = await get_visible_issue(session, issue_id, viewer, for_update=True)
    _check_writer(issue, unit_id, viewer)
    person = await _staff_member(session, unit_id=unit_id, user_id=user_id, field="user_id") if user_id else None
    current = await session.get(IssueAssignee, (issue.id, unit_id))
    if (current.user_id if current else None) == user_id:
        return
    previous = None
    if current is not None:
        before = await session.get(User, current.user_id)
        previous = {"user_id": current.user_id, "display_name": before.display_name if before else None}
    if person is None:
        if current is not None:
            await session.delete(current)
    elif current is None:
        session.add(
            IssueAssignee(
                issue_id=issue.id, unit_id=unit_id, user_id=person.id, named_by=viewer.sub, named_at=clock.now()
            )
        )
    else:
        current.user_id, current.named_by, current.named_at = person.id, viewer.sub, clock.now()
    await session.flush()
    data = {
        "issue": issue_state(issue),
        "unit_id": unit_id,
        "responsible": {"user_id": person.id, "display_name": person.display_name} if person else None,
        "previous": previous,
    }
    await record_event(
        session, type="issue.responsible_named", subject_id=issue.id, actor=viewer.actor, data=data, clock=clock
    )


# -- sub-tasks


def _check_deadline(issue: Issue, deadline: date) -> None:
    if issue.deadline is not None and deadline > issue.deadline:
        raise deadline_too_late(deadline, issue.deadline)


def _subtask_state(subtask: Subtask, assignee_name: str | None) -> dict[str, Any]:
    return {
        "id": subtask.id,
        "unit_id": subtask.unit_id,
        "title": subtask.title,
        "assignee_id": subtask.assignee_id,
        "assignee_name": assignee_name,
        "deadline": subtask.deadline.isoformat(),
        "percent": subtask.percent,
        "note": subtask.note,
        "done": subtask.done,
        "done_at": subtask.done_at.isoformat() if subtask.done_at else None,
    }


async def _subtask_event(
    session: AsyncSession,
    *,
    type: str,
    issue: Issue,
    subtask: Subtask,
    assignee_name: str | None,
    viewer: Viewer,
    clock: Clock,
    **extra: Any,
) -> None:
    await session.flush()
    rollup = await summary(session, issue)
    data = {
        "issue": issue_state(issue),
        "subtask": _subtask_state(subtask, assignee_name),
        "subtask_progress": rollup.subtask_progress,
        **extra,
    }
    await record_event(session, type=type, subject_id=issue.id, actor=viewer.actor, data=data, clock=clock)


async def add_subtask(
    session: AsyncSession, *, issue_id: str, body: SubtaskCreate, viewer: Viewer, clock: Clock
) -> Subtask:
    """A unit splits off a piece of its part for one of its people; `issue.subtask_added`."""
    issue = await get_visible_issue(session, issue_id, viewer, for_update=True)
    unit_id = body.unit_id or (viewer.unit_id if viewer.role == "unit" else None)
    if unit_id is None:
        raise invalid_value("unit_id", "请指定子任务所属单位", "name the unit whose part it is")
    _check_writer(issue, unit_id, viewer)
    assignee = await _staff_member(session, unit_id=unit_id, user_id=body.assignee_id, field="assignee_id")
    _check_deadline(issue, body.deadline)
    now = clock.now()
    subtask = Subtask(
        issue_id=issue.id,
        unit_id=unit_id,
        title=body.title,
        assignee_id=assignee.id,
        deadline=body.deadline,
        percent=0,
        note=body.note,
        done=False,
        created_by=viewer.sub,
        created_at=now,
        updated_at=now,
    )
    session.add(subtask)
    await _subtask_event(
        session,
        type="issue.subtask_added",
        issue=issue,
        subtask=subtask,
        assignee_name=assignee.display_name,
        viewer=viewer,
        clock=clock,
    )
    return subtask


async def _writable_subtask(
    session: AsyncSession, *, issue_id: str, subtask_id: str, viewer: Viewer
) -> tuple[Issue, Subtask]:
    issue = await get_visible_issue(session, issue_id, viewer, for_update=True)
    subtask = await session.get(Subtask, subtask_id)
    if subtask is None or subtask.issue_id != issue.id:
        raise SubtaskNotFound(f"sub-task {subtask_id} not found")
    _check_writer(issue, subtask.unit_id, viewer)
    return issue, subtask


async def update_subtask(
    session: AsyncSession, *, issue_id: str, subtask_id: str, body: SubtaskPatch, viewer: Viewer, clock: Clock
) -> Subtask:
    """Change the title, the assignee or the deadline; `issue.subtask_updated` names what changed (and, when the
    assignee changed, who had it: `previous_assignee`)."""
    issue, subtask = await _writable_subtask(session, issue_id=issue_id, subtask_id=subtask_id, viewer=viewer)
    sent = body.model_dump(exclude_unset=True)
    if nulled := sorted(k for k, v in sent.items() if v is None):
        raise invalid_value(nulled[0], "不能清空", "may not be null")
    changes = {k: v for k, v in sent.items() if getattr(subtask, k) != v}
    extra: dict[str, Any] = {}
    if "assignee_id" in changes:
        await _staff_member(session, unit_id=subtask.unit_id, user_id=changes["assignee_id"], field="assignee_id")
        before = await session.get(User, subtask.assignee_id)
        extra["previous_assignee"] = {
            "user_id": subtask.assignee_id,
            "display_name": before.display_name if before else None,
        }
    if "deadline" in changes:
        _check_deadline(issue, changes["deadline"])
    if not changes:
        return subtask
    for name, value in changes.items():
        setattr(subtask, name, value)
    subtask.updated_at = clock.now()
    assignee = await session.get(User, subtask.assignee_id)
    await _subtask_event(
        session,
        type="issue.subtask_updated",
        issue=issue,
        subtask=subtask,
        assignee_name=assignee.display_name if assignee else None,
        viewer=viewer,
        clock=clock,
        changed=sorted(changes),
        **extra,
    )
    return subtask


async def report_subtask_progress(
    session: AsyncSession, *, issue_id: str, subtask_id: str, body: SubtaskProgressBody, viewer: Viewer, clock: Clock
) -> Subtask:
    """The sub-task's own progress (percent and note; done, which makes it 100%); `issue.subtask_progress_reported`."""
    issue, subtask = await _writable_subtask(session, issue_id=issue_id, subtask_id=subtask_id, viewer=viewer)
    done = body.done if body.done is not None else body.percent == 100
    now = clock.now()
    subtask.percent = 100 if done else body.percent
    subtask.note = body.note if body.note is not None else subtask.note
    subtask.done_at = (subtask.done_at or now) if done else None
    subtask.done = done
    subtask.updated_at = now
    assignee = await session.get(User, subtask.assignee_id)
    await _subtask_event(
        session,
        type="issue.subtask_progress_reported",
        issue=issue,
        subtask=subtask,
        assignee_name=assignee.display_name if assignee else None,
        viewer=viewer,
        clock=clock,
    )
    return subtask


async def list_subtasks(session: AsyncSession, *, issue_id: str, viewer: Viewer) -> list[SubtaskOut]:
    """The item's sub-tasks of the units that have a part of it now, oldest first."""
    issue = await get_visible_issue(session, issue_id, viewer)
    return await subtasks_out(session, issue=issue, viewer=viewer)


async def subtasks_out(
    session: AsyncSession, *, issue: Issue, viewer: Viewer, only: str | None = None
) -> list[SubtaskOut]:
    units = [u for u, _ in unit_parts(issue)]
    query = (
        select(Subtask, User.display_name)
        .join(User, User.id == Subtask.assignee_id, isouter=True)
        .where(Subtask.issue_id == issue.id, Subtask.unit_id.in_(units))
        .order_by(Subtask.created_at, Subtask.id)
    )
    if only is not None:
        query = query.where(Subtask.id == only)
    rows = (await session.execute(query)).all()
    names = await _unit_names(session, units)
    open_issue = issue.status in OPEN_STATUSES
    return [
        SubtaskOut(
            id=s.id,
            issue_id=s.issue_id,
            unit_id=s.unit_id,
            unit_name=names.get(s.unit_id, ""),
            title=s.title,
            assignee_id=s.assignee_id,
            assignee_name=name,
            deadline=s.deadline,
            percent=s.percent,
            note=s.note,
            done=s.done,
            done_at=s.done_at,
            created_at=s.created_at,
            updated_at=s.updated_at,
            past_item_deadline=issue.deadline is not None and s.deadline > issue.deadline,
            can_edit=open_issue and may_write(viewer, s.unit_id),
        )
        for s, name in rows
    ]


@dataclass(frozen=True)
class _Rollup:
    total: int
    done: int
    percent_sum: int


_ASSIGNEES = IssueAssignee.__table__
_SUBTASKS = Subtask.__table__
_USERS = User.__table__
# An item's people in one Core statement, built once: each unit's named person (with a user id), then each sub-task
# (without one) with its unit, percent and done. Typed NULLs, so every row is read with the first branch's types.
_PEOPLE = union_all(
    select(
        _ASSIGNEES.c.unit_id,
        _ASSIGNEES.c.user_id,
        _USERS.c.display_name,
        cast(null(), Integer).label("percent"),
        cast(null(), Boolean).label("done"),
    )
    .join_from(_ASSIGNEES, _USERS, _USERS.c.id == _ASSIGNEES.c.user_id)
    .where(_ASSIGNEES.c.issue_id == bindparam("issue_id")),
    select(
        _SUBTASKS.c.unit_id, cast(null(), String), cast(null(), String), _SUBTASKS.c.percent, _SUBTASKS.c.done
    ).where(_SUBTASKS.c.issue_id == bindparam("issue_id")),
)


async def summary(session: AsyncSession | AsyncConnection, issue: IssueLike) -> PeopleSummary:
    """Each unit's responsible person and the roll-up of the sub-tasks of the units with a part now: the mean of
    their percentages (null without sub-tasks). One query (every item's detail shows it; `GET` by id reads the
    rows with the issue and calls `summary_of`)."""
    if not unit_parts(issue):
        return PeopleSummary()
    connection = await session.connection() if isinstance(session, AsyncSession) else session
    rows = await fetch_rows(connection, _PEOPLE, {"issue_id": issue.id})
    return summary_of(issue, rows)


def summary_of(issue: IssueLike, rows: Iterable[Sequence[Any]]) -> PeopleSummary:
    """`summary` from the item's person and sub-task rows: (unit id, user id, display name, percent, done), the
    user id None for a sub-task."""
    units = [u for u, _ in unit_parts(issue)]
    if not units:
        return PeopleSummary()
    rows = list(rows)
    named = {unit_id: (user_id, name) for unit_id, user_id, name, _, _ in rows if user_id is not None}
    parts = set(units)
    tasks = [(percent, done) for unit_id, user_id, _, percent, done in rows if user_id is None and unit_id in parts]
    rollup = _Rollup(len(tasks), sum(1 for _, done in tasks if done), sum(percent for percent, _ in tasks))
    return PeopleSummary(
        responsible=[
            ResponsibleOut(unit_id=u, user_id=named[u][0], display_name=named[u][1]) for u in units if u in named
        ],
        subtask_total=rollup.total,
        subtask_done=rollup.done,
        subtask_progress=round(rollup.percent_sum / rollup.total) if rollup.total else None,
    )


async def with_people(session: AsyncSession, *, issue: Issue, shown: IssueDetail) -> IssueDetail:
    """The detail with its responsible persons and the sub-tasks' roll-up."""
    people = await summary(session, issue)
    return shown.model_copy(update=dict(people))
