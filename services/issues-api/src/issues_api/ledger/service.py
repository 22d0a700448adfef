"""The ledger's rules for creating, correcting, reading and listing issues (workflow steps: steps.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, NoReturn, cast

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from issues_api.events.models import outbox
from issues_api.events.service import record_event
from issues_api.ledger import lookups, numbers, registering, repository
from issues_api.ledger.access import Viewer, allowed_actions, can_see
from issues_api.ledger.errors import IllegalTransition, IssueNotFound, invalid_reference, invalid_value
from issues_api.ledger.models import Issue, new_id
from issues_api.ledger.phases import phase_for
from issues_api.ledger.records import IssueRecord
from issues_api.ledger.schemas import IssueCreate, IssuePatch
from issues_api.ledger.state import issue_state
from issues_api.ledger.workflow import OPEN_STATUSES, Action, actions_from
from rectify_kit.clock import Clock, business_today
from rectify_kit.db import Database
from rectify_kit.errors import Forbidden
from rectify_kit.pagination import decode_cursor, encode_cursor

EDITORS = frozenset({"office", "admin"})
REQUIRED_FIELDS = frozenset({"title", "description", "kind"})


async def _check_category(session: AsyncSession, *, category_id: str | None, campaign_id: str) -> None:
    if category_id is not None and not await lookups.category_in_campaign(
        session, category_id=category_id, campaign_id=campaign_id
    ):
        raise invalid_reference("category_id", "not a category of this campaign")


async def _refusal(session: AsyncSession, data: IssueCreate) -> NoReturn:
    """Why no number was taken for `data`: its campaign, its category or its phase (the 422 to raise)."""
    if await lookups.get_campaign(session, data.campaign_id) is None:
        raise invalid_reference("campaign_id", "no such campaign")
    await _check_category(session, category_id=data.category_id, campaign_id=data.campaign_id)
    raise invalid_reference("phase_id", "not a phase of this campaign")


def issue_code(campaign_code: str, year: int, number: int) -> str:
    """The item's code: the campaign's prefix, its starting year and the number (YS-2017-0042)."""
    return f"{campaign_code}-{year}-{number:04d}"


async def create_issue(
    session: AsyncSession,
    *,
    data: IssueCreate,
    actor: dict[str, Any],
    clock: Clock,
    lead_unit_id: str | None = None,
) -> Issue:
    """Register a new issue (status `registered`) with the campaign's next code, in its phase (the one named,
    else the phase of the day); writes `issue.created`. `lead_unit_id`: the unit whose own self-inspection list
    it is on (自查自纠), which sees it while it waits for the office's confirmation.

    `actor` is an event actor (`events.service.actor_of(principal)`, or SYSTEM_ACTOR for loaders).
    """
    # The number first, with the phase: on PostgreSQL taken before this transaction begins (numbers.py).
    taken = await numbers.take_issue_number(
        session,
        campaign_id=data.campaign_id,
        category_id=data.category_id,
        phase_id=data.phase_id,
        day=business_today(clock),
    )
    if taken is None:
        await _refusal(session, data)
    values = new_issue_values(data, lead_unit_id=lead_unit_id, now=clock.now())
    values["code"] = issue_code(taken.campaign_code, taken.starts_on.year, taken.number)
    values["phase_id"] = taken.phase_id
    issue = Issue(**values, co_units=[], deadlines=[])
    await _insert(session, issue)
    await record_event(
        session, type="issue.created", subject_id=issue.id, actor=actor, data={"issue": issue_state(issue)}, clock=clock
    )
    return issue


async def register_issue(
    session: AsyncSession, *, data: IssueCreate, actor: dict[str, Any], clock: Clock
) -> IssueRecord:
    """`create_issue` for a create that is its request's only write (`POST /api/v1/issues` without `assign` or
    an Idempotency-Key), the new issue as a record. On PostgreSQL, while `session` has begun nothing, in one
    statement in autocommit and without an ORM object (registering.py); its event is relayed when `session`
    commits, as any other."""
    engine = session.bind
    if not isinstance(engine, AsyncEngine) or engine.dialect.name != "postgresql" or session.in_transaction():
        issue = await create_issue(session, data=data, actor=actor, clock=clock)
        return IssueRecord({key: getattr(issue, key) for key in _COLUMNS}, [], [])
    values = new_issue_values(data, lead_unit_id=None, now=clock.now())
    day = business_today(clock)
    autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
    if not await registering.register(autocommit, values, phase_id=data.phase_id, day=day, actor=actor, clock=clock):
        await _refusal(session, data)
    outbox.relay_after_commit(session)
    return IssueRecord(values, [], [])


async def register_plain_issue(
    database: Database, *, data: IssueCreate, actor: dict[str, Any], clock: Clock
) -> IssueRecord:
    """`register_issue` for a request that has no session (PostgreSQL): the one statement in autocommit, then
    the relay, so the event is in the feed before the answer goes out (a relay that fails is logged and left to
    `run_relay`, as after a session's commit). 422 as `create_issue` when nothing was registered."""
    values = new_issue_values(data, lead_unit_id=None, now=clock.now())
    day = business_today(clock)
    engine = database.read_engine  # autocommit on PostgreSQL
    if not await registering.register(engine, values, phase_id=data.phase_id, day=day, actor=actor, clock=clock):
        async with database.session(write=False) as session:
            await _refusal(session, data)
    await outbox.relay_quietly(database)
    return IssueRecord(values, [], [])


def new_issue_values(data: IssueCreate, *, lead_unit_id: str | None, now: datetime) -> dict[str, Any]:
    """Every column of a new issue but its code and phase (None until taken with its number): what
    `registering.register` inserts."""
    return (
        dict.fromkeys(_COLUMNS)
        | data.model_dump(exclude=_NOT_COLUMNS)
        | {
            "id": new_id(),
            "status": "registered",
            "created_at": now,
            "updated_at": now,
            "progress_percent": 0,
            "reopen_count": 0,
            "return_count": 0,
            "flagged": False,
            "version": 1,
            "lead_unit_id": lead_unit_id,
        }
    )


_ISSUES = cast(Table, Issue.__table__)
_COLUMNS = tuple(column.key for column in _ISSUES.columns)
# What a create's body holds that is not a column of its own: the phase is taken with the number.
_NOT_COLUMNS = {"phase_id", "assign"}
_INSERT_ISSUE = insert(_ISSUES)


async def _insert(session: AsyncSession, issue: Issue) -> None:
    """Insert a new issue with one prebuilt Core statement and give it to the session as if loaded: the ORM's
    flush of one new object (its unit of work) cost more CPU than the rest of a create's own statements. Every
    column is set first (the rest of the row is None), so nothing of it is left to load."""
    if session.new or session.dirty or session.deleted:
        await session.flush()  # what the caller changed before goes first, as a flush would have sent it
    values = {key: getattr(issue, key) for key in _COLUMNS}
    await session.execute(_INSERT_ISSUE, values)
    for key, value in values.items():
        setattr(issue, key, value)
    make_transient_to_detached(issue)
    session.add(issue)


async def get_visible_issue(session: AsyncSession, issue_id: str, viewer: Viewer, *, for_update: bool = False) -> Issue:
    """The issue if the caller may see it; 404 alike for a missing issue and for another unit's."""
    issue = await lookups.get_issue(session, issue_id, for_update=for_update)
    if issue is None or not can_see(issue, viewer):
        raise IssueNotFound(f"issue {issue_id} not found")
    return issue


async def read_issue_record(
    connection: AsyncConnection, issue_id: str, viewer: Viewer
) -> tuple[IssueRecord, list[Action], list[repository.PeopleRow]]:
    """The issue if the caller may see it, with the steps they may take on it now and its people (for
    assignees.service.summary_of); 404 as `get_visible_issue`. Read as a record, in one query, without the ORM
    (`GET /api/v1/issues/{id}`, the hottest read)."""
    found = await repository.read_issue_record(connection, issue_id)
    if found is None or not can_see(found[0], viewer):
        raise IssueNotFound(f"issue {issue_id} not found")
    record, pending, people = found
    return record, allowed_actions(record, viewer, pending_extension=pending), people


async def actions_for(session: AsyncSession, *, issue: Issue, viewer: Viewer) -> list[Action]:
    pending = await lookups.has_pending_extension(session, issue.id)
    return allowed_actions(issue, viewer, pending_extension=pending)


async def update_issue(session: AsyncSession, *, issue: Issue, data: IssuePatch, viewer: Viewer, clock: Clock) -> Issue:
    """Correct descriptive fields of an open issue (office); writes `issue.updated` naming the changed fields."""
    if viewer.role not in EDITORS:
        raise Forbidden("only the office may edit an issue", required_roles=sorted(EDITORS))
    if issue.status not in OPEN_STATUSES:
        raise IllegalTransition(
            f"an issue that is '{issue.status}' cannot be edited",
            current_status=issue.status,
            allowed_actions=await actions_for(session, issue=issue, viewer=viewer),
            status_actions=actions_from(issue.status),
        )
    sent = data.model_dump(exclude_unset=True)
    if nulled := sorted(k for k in REQUIRED_FIELDS if k in sent and sent[k] is None):
        raise invalid_value(nulled[0], "不能清空", "may not be null")
    changes = {k: v for k, v in sent.items() if getattr(issue, k) != v}
    if "category_id" in changes:
        await _check_category(session, category_id=changes["category_id"], campaign_id=issue.campaign_id)
    if changes.get("phase_id") is not None:
        await phase_for(session, campaign_id=issue.campaign_id, phase_id=changes["phase_id"], day=business_today(clock))
    elif "phase_id" in changes:
        raise invalid_value("phase_id", "不能清空", "may not be null")
    if not changes:
        return issue
    for name, value in changes.items():
        setattr(issue, name, value)
    issue.version += 1
    issue.updated_at = clock.now()
    await session.flush()
    await record_event(
        session,
        type="issue.updated",
        subject_id=issue.id,
        actor=viewer.actor,
        data={"issue": issue_state(issue), "changed": sorted(changes)},
        clock=clock,
    )
    return issue


def check_list_query(filters: repository.IssueFilters, sort: str) -> str:
    """The sort key of `sort` (a key with an optional `-`); 422 for a key that is none or a window ending before
    it starts."""
    key = sort.lstrip("-")
    if key not in repository.SORT_KEYS:
        keys = ", ".join(repository.SORT_KEYS)
        raise invalid_value("sort", f"排序字段应为以下之一：{keys}", f"sort by one of {keys}")
    if filters.deadline_from and filters.deadline_to and filters.deadline_from > filters.deadline_to:
        raise invalid_value("deadline_to", "不能早于 deadline_from", "must not be before deadline_from")
    return key


@dataclass(frozen=True)
class IssuePage:
    items: list[dict[str, Any]]  # as `IssueOut` writes them, for `pydantic_core.to_json` (`state.record_out`)
    next_cursor: str | None
    total: int


async def list_issues(
    connection: AsyncConnection,
    *,
    filters: repository.IssueFilters,
    viewer: Viewer,
    sort: str,
    cursor: str | None,
    limit: int,
    clock: Clock,
    offset: int = 0,
) -> IssuePage:
    """A page of the issues the caller may see, filtered and sorted; `sort` is a key with an optional `-`."""
    descending = sort.startswith("-")
    key = check_list_query(filters, sort)
    after: tuple[Any, str] | None = None
    if cursor:
        value, last_id = decode_cursor(cursor, length=2)
        after = (value, str(last_id))
    scoped = replace(filters, scope_unit_id=viewer.scope_unit_id, person_id=viewer.sub)
    items, total, last = await repository.list_issue_items(
        connection,
        filters=scoped,
        today=business_today(clock),
        sort=key,
        descending=descending,
        after=after,
        limit=limit,
        offset=offset,
    )
    next_cursor = encode_cursor(list(last)) if last is not None and len(items) == limit else None
    return IssuePage(items=items, next_cursor=next_cursor, total=total)


async def record_feedback(
    session: AsyncSession, *, issue_id: str, satisfied: bool, rating: int, actor: dict[str, Any], clock: Clock
) -> Issue:
    """满意度回访: the submitter's rating of a closed issue (intake calls this); `issue.feedback_received`.

    "Not satisfied" changes no status: the office decides whether to reopen.
    """
    issue = await lookups.get_issue(session, issue_id, for_update=True)
    if issue is None:
        raise IssueNotFound(f"issue {issue_id} not found")
    if issue.status != "closed":
        raise IllegalTransition(
            "feedback is taken once the issue is closed", current_status=issue.status, allowed_actions=[]
        )
    issue.satisfaction = satisfied
    issue.rating = rating
    issue.version += 1
    issue.updated_at = clock.now()
    await session.flush()
    await record_event(
        session,
        type="issue.feedback_received",
        subject_id=issue.id,
        actor=actor,
        data={"issue": issue_state(issue), "satisfied": satisfied, "rating": rating},
        clock=clock,
    )
    return issue
