"""Every query of the ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, inspect, or_, select, tuple_, union, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.orm.util import identity_key

from issues_api.campaigns.models import Campaign, Category
from issues_api.directory.models import Unit
from issues_api.events.models import events
from issues_api.ledger.models import CoUnit, Extension, Issue, ProgressReport
from issues_api.ledger.workflow import OPEN_STATUSES
from rectify_kit.errors import Unprocessable

FAR_FUTURE = date(9999, 12, 31)
SORT_KEYS = ("created_at", "updated_at", "deadline", "code")


_LOCKED = "ledger_locked_issues"


def _locked_issues(session: AsyncSession) -> set[str]:
    """Ids of the issues the session's current transaction has loaded `for_update` (and so holds locked)."""
    transaction = session.sync_session.get_transaction()
    held: tuple[object, set[str]] | None = session.info.get(_LOCKED)
    if held is None or held[0] is not transaction:
        held = (transaction, set())
        session.info[_LOCKED] = held
    return held[1]


def _held_issue(session: AsyncSession, issue_id: str) -> Issue | None:
    """The issue as this transaction already locked and loaded it, if nothing has expired it since."""
    if session.sync_session.get_transaction() is None or issue_id not in _locked_issues(session):
        return None
    issue = session.identity_map.get(identity_key(Issue, issue_id))
    if not isinstance(issue, Issue):
        return None
    state = inspect(issue)
    loaded = not state.expired_attributes and {"co_units", "deadlines"} <= state.dict.keys()
    return issue if loaded and state.persistent else None


async def get_issue(session: AsyncSession, issue_id: str, *, for_update: bool = False) -> Issue | None:
    """The issue with its co-units and deadline history in one query (both lists are short).

    For update, an issue this transaction already locked is not read again: the lock keeps others from
    changing it, so the loaded object (with this transaction's own changes) is current.
    """
    if for_update and (held := _held_issue(session, issue_id)) is not None:
        return held
    query = select(Issue).where(Issue.id == issue_id).options(joinedload(Issue.co_units), joinedload(Issue.deadlines))
    if for_update:
        query = query.with_for_update(of=Issue)
    issue = (await session.execute(query)).unique().scalar_one_or_none()
    if for_update and issue is not None:
        _locked_issues(session).add(issue_id)
    return issue


async def get_campaign(session: AsyncSession, campaign_id: str) -> Campaign | None:
    return await session.get(Campaign, campaign_id)


async def take_issue_number(session: AsyncSession, campaign_id: str) -> int:
    """The campaign's next issue number, taken atomically (the row stays locked until commit)."""
    taken = (
        await session.execute(
            update(Campaign)
            .where(Campaign.id == campaign_id)
            .values(next_issue_number=Campaign.next_issue_number + 1)
            .returning(Campaign.next_issue_number)
        )
    ).scalar_one()
    return int(taken) - 1


async def category_in_campaign(session: AsyncSession, *, category_id: str, campaign_id: str) -> bool:
    query = select(Category.id).where(Category.id == category_id, Category.campaign_id == campaign_id)
    return (await session.execute(query)).first() is not None


async def existing_unit_ids(session: AsyncSession, unit_ids: Sequence[str]) -> set[str]:
    if not unit_ids:
        return set()
    rows = await session.execute(select(Unit.id).where(Unit.id.in_(list(unit_ids))))
    return {r[0] for r in rows}


async def pending_extension(session: AsyncSession, issue_id: str) -> Extension | None:
    query = select(Extension).where(Extension.issue_id == issue_id, Extension.status == "pending")
    return (await session.execute(query)).scalars().first()


async def get_extension(session: AsyncSession, *, issue_id: str, extension_id: str) -> Extension | None:
    query = select(Extension).where(Extension.issue_id == issue_id, Extension.id == extension_id)
    return (await session.execute(query)).scalar_one_or_none()


async def list_extensions(session: AsyncSession, issue_id: str) -> Sequence[Extension]:
    query = select(Extension).where(Extension.issue_id == issue_id).order_by(Extension.requested_at)
    return (await session.execute(query)).scalars().all()


async def list_progress(session: AsyncSession, issue_id: str) -> Sequence[ProgressReport]:
    query = select(ProgressReport).where(ProgressReport.issue_id == issue_id).order_by(ProgressReport.created_at)
    return (await session.execute(query)).scalars().all()


async def issue_events(session: AsyncSession, issue_id: str) -> Sequence[Any]:
    query = select(events).where(events.c.subject_id == issue_id).order_by(events.c.seq)
    return (await session.execute(query)).all()


def involves_unit(unit_id: str) -> ColumnElement[bool]:
    """The issue's lead unit or one of its co-units is `unit_id` (a filter beside the unit the list branches on)."""
    led = aliased(Issue)
    ids = union(
        select(led.id).where(led.lead_unit_id == unit_id),
        select(CoUnit.issue_id).where(CoUnit.unit_id == unit_id),
    )
    return Issue.id.in_(ids)


@dataclass(frozen=True)
class IssueFilters:
    campaign_id: str | None = None
    status: Sequence[str] = ()
    unit_id: str | None = None
    category_id: str | None = None
    source: str | None = None
    overdue: bool | None = None
    q: str | None = None
    # A unit user's own unit: only issues it leads or co-handles (None: every issue).
    scope_unit_id: str | None = None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(filters: IssueFilters, today: date) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if filters.unit_id and filters.scope_unit_id is not None:
        # The list branches on the caller's own unit; the unit filter narrows it further.
        conds.append(involves_unit(filters.unit_id))
    if filters.campaign_id:
        conds.append(Issue.campaign_id == filters.campaign_id)
    if filters.status:
        conds.append(Issue.status.in_(list(filters.status)))
    if filters.category_id:
        conds.append(Issue.category_id == filters.category_id)
    if filters.source:
        conds.append(Issue.source == filters.source)
    overdue = and_(Issue.status.in_(list(OPEN_STATUSES)), Issue.deadline < today)
    if filters.overdue is True:
        conds.append(overdue)
    elif filters.overdue is False:
        conds.append(~overdue)
    if filters.q:
        pattern = f"%{_escape_like(filters.q)}%"
        conds.append(or_(Issue.title.ilike(pattern, escape="\\"), Issue.description.ilike(pattern, escape="\\")))
    return conds


def _sort_column(key: str) -> ColumnElement[Any]:
    if key == "deadline":
        return func.coalesce(Issue.deadline, FAR_FUTURE)
    column: ColumnElement[Any] = getattr(Issue, key)
    return column


def sort_value(issue: Issue, key: str) -> Any:
    """The value of the sort key for a cursor (JSON-friendly)."""
    if key == "deadline":
        return (issue.deadline or FAR_FUTURE).isoformat()
    value = getattr(issue, key)
    return value.isoformat() if hasattr(value, "isoformat") else value


def _parse_sort_value(key: str, raw: Any) -> Any:
    try:
        if key == "deadline":
            return date.fromisoformat(str(raw))
        if key in ("created_at", "updated_at"):
            return datetime.fromisoformat(str(raw))
    except ValueError as exc:
        raise Unprocessable("invalid cursor", errors=[{"field": "cursor", "message": "invalid cursor"}]) from exc
    return str(raw)


def _branch_unit(filters: IssueFilters) -> str | None:
    """The unit whose issues (as lead or co-unit) the list is confined to, if any."""
    if filters.scope_unit_id is not None:
        return filters.scope_unit_id
    return filters.unit_id or None


def _unit_branches(unit_id: str) -> tuple[Select[Any], Select[Any]]:
    """The ids of the issues `unit_id` leads, and of those it co-handles: two index lookups, not an OR over all."""
    led = select(Issue.id).where(Issue.lead_unit_id == unit_id)
    co_handled = select(Issue.id).join(CoUnit, CoUnit.issue_id == Issue.id).where(CoUnit.unit_id == unit_id)
    return led, co_handled


async def list_issues(
    session: AsyncSession,
    *,
    filters: IssueFilters,
    today: date,
    sort: str,
    descending: bool,
    after: tuple[Any, str] | None,
    limit: int,
) -> tuple[Sequence[Issue], int]:
    """One page of issues after the keyset `after` (sort value, id), and the total matching the filters.

    Confined to a unit, each branch (led, co-handled) takes its own first `limit` rows in index order and the
    page is the best `limit` of both; the total counts the union of both branches' ids.
    """
    conds = _conditions(filters, today)
    column = _sort_column(sort)
    order = (column.desc(), Issue.id.desc()) if descending else (column.asc(), Issue.id.asc())
    page_conds = list(conds)
    if after is not None:
        key = tuple_(column, Issue.id)
        bound = tuple_(_parse_sort_value(sort, after[0]), after[1])
        page_conds.append(key < bound if descending else key > bound)
    unit_id = _branch_unit(filters)
    if unit_id is None:
        count_query = select(func.count()).select_from(Issue).where(*conds)
        query = select(Issue).where(*page_conds)
    else:
        led, co_handled = _unit_branches(unit_id)
        matching = union(led.where(*conds), co_handled.where(*conds)).subquery()
        count_query = select(func.count()).select_from(matching)
        # Each branch is wrapped as a subquery: SQLite refuses ORDER BY/LIMIT on a bare member of a UNION.
        first_led = led.where(*page_conds).order_by(*order).limit(limit).subquery()
        # OFFSET 0 keeps PostgreSQL from walking the whole sort index backwards in search of a unit's few
        # co-handled issues: it joins them from the co-unit index first, then sorts that handful.
        co_rows = co_handled.add_columns(column.label("sort_key")).where(*page_conds).offset(0).subquery()
        co_key = (co_rows.c.sort_key, co_rows.c.id)
        co_order = tuple(c.desc() for c in co_key) if descending else co_key
        first_co = select(co_rows.c.id).order_by(*co_order).limit(limit).subquery()
        firsts = [select(first_led.c.id), select(first_co.c.id)]
        query = select(Issue).where(Issue.id.in_(union(*firsts)))
    total = (await session.execute(count_query)).scalar_one()
    rows = (await session.execute(query.order_by(*order).limit(limit))).scalars().all()
    return rows, int(total)
