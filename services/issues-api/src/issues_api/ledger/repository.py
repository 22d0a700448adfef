"""Every query of the ledger."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    CompoundSelect,
    Date,
    Integer,
    Select,
    String,
    and_,
    any_,
    bindparam,
    case,
    cast,
    false,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    true,
    tuple_,
    union,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter

from issues_api.assignees.filters import held_by
from issues_api.assignees.models import IssueAssignee, Subtask
from issues_api.directory.models import User
from issues_api.ledger.models import CoUnit, DeadlineEntry, Extension, Issue
from issues_api.ledger.records import CoUnitRecord, IssueRecord
from issues_api.ledger.state import OUT_FIELDS, record_out, row_out
from issues_api.ledger.workflow import OPEN_STATUSES
from rectify_kit.db import UTCDateTime, fetch_rows, forget_statement
from rectify_kit.errors import Unprocessable

FAR_FUTURE = date(9999, 12, 31)
# Where the urgency sort puts an open item without a deadline: after every dated open item, before the closed.
UNDATED_OPEN = date(9999, 12, 30)
SORT_KEYS = ("created_at", "updated_at", "deadline", "code", "urgency")


_ISSUES = Issue.__table__
_CO_UNITS = CoUnit.__table__
_DEADLINES = DeadlineEntry.__table__
_EXTENSIONS = Extension.__table__
_ASSIGNEES = IssueAssignee.__table__
_USERS = User.__table__
# Every column of `issues`, in table order: a record's values are the first len(_ISSUE_NAMES) items of a row.
_ISSUE_NAMES = tuple(column.key for column in _ISSUES.columns)
# Where a row of _READ_ISSUE says what it is: after the issue's columns and its pending extension.
_PART = len(_ISSUE_NAMES) + 1
_PENDING_EXTENSION = (
    select(_EXTENSIONS.c.id).where(_EXTENSIONS.c.issue_id == _ISSUES.c.id, _EXTENSIONS.c.status == "pending").exists()
).label("pending_extension")
_SUBTASKS = Subtask.__table__
# The part rows' columns after the issue's: what the row is (_ISSUE_ROW, _CO_UNIT, ...), then each kind's values.
_PART_COLUMNS = (
    ("part", Integer()),
    ("unit_id", String()),
    ("word", String()),
    ("deadline", Date()),
    ("at", UTCDateTime()),
    ("position", Integer()),
    ("user_id", String()),
    ("percent", Integer()),
    ("done", Boolean()),
)
_ISSUE_ROW, _CO_UNIT, _DEADLINE, _PERSON, _SUBTASK = range(5)


def _parts(part: int, values: dict[str, ColumnElement[Any]]) -> list[ColumnElement[Any]]:
    """The part columns of one branch, labelled: what the row is, then its values (typed NULL where none)."""
    return [
        (literal(part, Integer()) if name == "part" else values.get(name, cast(null(), kind))).label(name)
        for name, kind in _PART_COLUMNS
    ]


def _part_row(part: int, **values: ColumnElement[Any]) -> list[ColumnElement[Any]]:
    """The columns of one part's branch: typed NULLs where the issue's columns go, then the part's, so every branch
    of the UNION has the same columns and types."""
    issue = [cast(null(), column.type) for column in _ISSUES.columns] + [cast(null(), Boolean())]
    return issue + _parts(part, values)


# An issue as `GET /api/v1/issues/{id}` shows it, in one statement built once (tables, never mapped attributes,
# which would send it through the ORM's execution): the issue's row with its pending extension, then a row per
# co-unit, deadline entry, responsible person and sub-task, each kind in its order. One round trip, not two (the
# issue, then its people), and no join multiplying co-units by deadline entries.
_READ_ISSUE = union_all(
    select(
        *_ISSUES.columns,
        _PENDING_EXTENSION,
        *_parts(_ISSUE_ROW, {}),
    ).where(_ISSUES.c.id == bindparam("issue_id")),
    select(
        *_part_row(_CO_UNIT, unit_id=_CO_UNITS.c.unit_id, word=_CO_UNITS.c.status, position=_CO_UNITS.c.position)
    ).where(_CO_UNITS.c.issue_id == bindparam("issue_id")),
    select(
        *_part_row(
            _DEADLINE,
            word=_DEADLINES.c.kind,
            deadline=_DEADLINES.c.deadline,
            at=_DEADLINES.c.at,
            position=_DEADLINES.c.position,
        )
    ).where(_DEADLINES.c.issue_id == bindparam("issue_id")),
    select(*_part_row(_PERSON, unit_id=_ASSIGNEES.c.unit_id, word=_USERS.c.display_name, user_id=_ASSIGNEES.c.user_id))
    .join_from(_ASSIGNEES, _USERS, _USERS.c.id == _ASSIGNEES.c.user_id)
    .where(_ASSIGNEES.c.issue_id == bindparam("issue_id")),
    select(*_part_row(_SUBTASK, unit_id=_SUBTASKS.c.unit_id, percent=_SUBTASKS.c.percent, done=_SUBTASKS.c.done)).where(
        _SUBTASKS.c.issue_id == bindparam("issue_id")
    ),
).order_by(literal_column("part"), literal_column("position"))

# A person or sub-task row of an item, as assignees.service.summary_of reads them: (unit id, user id, display
# name, percent, done), user id set for a person, None for a sub-task.
PeopleRow = tuple[str, str | None, str | None, int | None, bool | None]


def _parts_of() -> CompoundSelect[Any]:
    """The co-units (unit id, status), deadline entries (kind, deadline, at) and responsible persons (unit id,
    display name, user id) of the issues an expanding IN list of `ids` names (SQLite's page), in one statement: a
    deadline entry is the row with a deadline, a person the row with a user id, each kind in its order."""

    def of(column: Any) -> ColumnElement[bool]:
        found: ColumnElement[bool] = column.in_(bindparam("ids", expanding=True))
        return found

    co_units = select(
        _CO_UNITS.c.issue_id,
        _CO_UNITS.c.unit_id,
        _CO_UNITS.c.status.label("word"),
        cast(null(), Date).label("deadline"),
        cast(null(), UTCDateTime()).label("at"),
        _CO_UNITS.c.position,
        cast(null(), String).label("user_id"),
    ).where(of(_CO_UNITS.c.issue_id))
    deadlines = select(
        _DEADLINES.c.issue_id,
        cast(null(), String),
        _DEADLINES.c.kind,
        _DEADLINES.c.deadline,
        _DEADLINES.c.at,
        _DEADLINES.c.position,
        cast(null(), String),
    ).where(of(_DEADLINES.c.issue_id))
    people = (
        select(
            _ASSIGNEES.c.issue_id,
            _ASSIGNEES.c.unit_id,
            _USERS.c.display_name,
            cast(null(), Date),
            cast(null(), UTCDateTime()),
            literal_column("0", Integer),
            _ASSIGNEES.c.user_id,
        )
        .join_from(_ASSIGNEES, _USERS, _USERS.c.id == _ASSIGNEES.c.user_id)
        .where(of(_ASSIGNEES.c.issue_id))
    )
    return union_all(co_units, deadlines, people).order_by(literal_column("position"))


_PARTS_OF = _parts_of()


def _array_of(*columns: ColumnElement[Any], where: ColumnElement[bool], order: Any = None) -> ColumnElement[Any]:
    """`ARRAY(SELECT (columns) ... ORDER BY order)`: a row's part as a list of tuples (asyncpg decodes records)."""
    rows = select(tuple_(*columns)).where(where)
    return func.array((rows if order is None else rows.order_by(order)).scalar_subquery())


# On PostgreSQL a page's co-units (unit id, status), deadline entries (deadline, kind, at) and responsible persons
# (unit id, user id, display name) are columns of its own rows: one round trip, not two (the page, then its parts
# by the page's ids), and PostgreSQL, counting what they cost per row, walks an index in the page's order rather
# than sorting every matching row.
_CO_UNITS_OF_ROW = _array_of(
    _CO_UNITS.c.unit_id, _CO_UNITS.c.status, where=_CO_UNITS.c.issue_id == _ISSUES.c.id, order=_CO_UNITS.c.position
)
_DEADLINES_OF_ROW = _array_of(
    _DEADLINES.c.deadline,
    _DEADLINES.c.kind,
    _DEADLINES.c.at,
    where=_DEADLINES.c.issue_id == _ISSUES.c.id,
    order=_DEADLINES.c.position,
)
_PEOPLE_OF_ROW = func.array(
    select(tuple_(_ASSIGNEES.c.unit_id, _ASSIGNEES.c.user_id, _USERS.c.display_name))
    .join_from(_ASSIGNEES, _USERS, _USERS.c.id == _ASSIGNEES.c.user_id)
    .where(_ASSIGNEES.c.issue_id == _ISSUES.c.id)
    .scalar_subquery()
)


def _out_columns(today: Any) -> list[ColumnElement[Any]]:
    """The columns of a page's row on PostgreSQL: a value for each of `IssueOut`'s fields, in its order
    (`state.OUT_FIELDS`), as `state.row_out` makes the item of them: the issue's columns; `co_unit_ids` a NULL
    filled in from `co_units`; the parts as lists of tuples; `overdue` computed here (`is_overdue`: open and its
    deadline before `today`)."""
    overdue = case((and_(_among(_ISSUES.c.status, OPEN_STATUSES), _ISSUES.c.deadline < today), true()), else_=false())
    parts: dict[str, ColumnElement[Any]] = {
        "co_unit_ids": null(),
        "co_units": _CO_UNITS_OF_ROW,
        "deadline_history": _DEADLINES_OF_ROW,
        "overdue": overdue,
        "responsible": _PEOPLE_OF_ROW,
    }
    return [(parts[name] if name in parts else _ISSUES.c[name]).label(name) for name in OUT_FIELDS]


async def read_issue_record(
    connection: AsyncConnection, issue_id: str
) -> tuple[IssueRecord, bool, list[PeopleRow]] | None:
    """The issue as a read shows it, whether an extension request of it is pending, and its people (responsible
    persons and sub-tasks, for assignees.service.summary_of): one query, no ORM."""
    rows = await fetch_rows(connection, _READ_ISSUE, {"issue_id": issue_id})
    if not rows or rows[0][_PART] != _ISSUE_ROW:
        return None
    width = len(_ISSUE_NAMES)
    first = rows[0]
    co_units: list[CoUnitRecord] = []
    deadlines: list[tuple[date, str, datetime]] = []
    people: list[PeopleRow] = []
    for row in rows[1:]:
        part, unit_id, word, deadline, at, _, user_id, percent, done = row[_PART:]
        if part == _CO_UNIT:
            co_units.append(CoUnitRecord(unit_id, word))
        elif part == _DEADLINE:
            deadlines.append((deadline, word, at))
        else:
            people.append((unit_id, user_id, word if part == _PERSON else None, percent, done))
    record = IssueRecord(
        values=dict(zip(_ISSUE_NAMES, first[:width], strict=True)), co_units=co_units, deadlines=deadlines
    )
    return record, bool(first[width]), people


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
    phase_id: str | None = None
    source: str | None = None
    overdue: bool | None = None
    q: str | None = None
    # Open (registered … pending_review) when True, closed or cancelled when False.
    open: bool | None = None
    # The deadline in force between these dates, both included.
    deadline_from: date | None = None
    deadline_to: date | None = None
    # With (True) or without (False) an extension request awaiting the office's decision.
    extension_pending: bool | None = None
    # In progress again after its unit's completion was rejected or the closed issue reopened (返工): submitted
    # since it was last accepted (a reassignment clears `accepted_at`, so a new unit's work is no rework).
    rework: bool | None = None
    # 待接收: waiting for the unit (the caller's, else the unit filter's; else any unit) to accept it: assigned to it as
    # the lead unit, or its own part as a co-unit still pending while the issue is worked on.
    to_accept: bool | None = None
    # A unit user's own unit: only issues it leads or co-handles (None: every issue).
    scope_unit_id: str | None = None
    # 我负责的: the caller (`person_id`) is a responsible person of it or holds an open sub-task of it.
    mine: bool | None = None
    person_id: str | None = None


class _Slot:
    """A filter's value in a list statement built once per shape of filters (`_list_shape`): a named bind, which
    SQLAlchemy takes wherever a value goes, and truthy where building the statement asks whether the filter is set."""

    __slots__ = ("bind",)

    def __init__(self, bind: BindParameter[Any]) -> None:
        self.bind = bind

    def __clause_element__(self) -> BindParameter[Any]:
        return self.bind


def _among(column: Any, values: Collection[str] | _Slot) -> ColumnElement[bool]:
    """`column IN values`: values (each a bind of its own, not an expanding list rendered anew per call), or a
    slot: on PostgreSQL one array (`= ANY`), on SQLite an expanding list."""
    if isinstance(values, _Slot):
        found: ColumnElement[bool]
        if values.bind.expanding:
            found = column.in_(values.bind)
        elif isinstance(values.bind.type, ARRAY):
            found = column == any_(values.bind)
        else:  # one value: `=`, so that PostgreSQL can walk an index in the page's order
            found = column == values.bind
        return found
    return column.in_([literal(value, String()) for value in sorted(values)])  # type: ignore[no-any-return]


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
        conds.append(_among(Issue.status, filters.status))
    if filters.category_id:
        conds.append(Issue.category_id == filters.category_id)
    if filters.phase_id:
        conds.append(Issue.phase_id == filters.phase_id)
    if filters.source:
        conds.append(Issue.source == filters.source)
    overdue = and_(_among(Issue.status, OPEN_STATUSES), Issue.deadline < today)
    if filters.overdue is True:
        conds.append(overdue)
    elif filters.overdue is False:
        conds.append(~overdue)
    if filters.q:
        pattern = filters.q if isinstance(filters.q, _Slot) else f"%{_escape_like(filters.q)}%"
        # The code too: the search box says 编号、标题或内容, and people paste a code (YS-2026-0313) to find its item.
        conds.append(
            or_(
                Issue.code.ilike(pattern, escape="\\"),
                Issue.title.ilike(pattern, escape="\\"),
                Issue.description.ilike(pattern, escape="\\"),
            )
        )
    return conds + _work_conditions(filters)


def _work_conditions(filters: IssueFilters) -> list[ColumnElement[bool]]:
    """The filters the workbenches use: open, a deadline window, a pending extension, rework."""
    conds: list[ColumnElement[bool]] = []
    is_open = _among(Issue.status, OPEN_STATUSES)
    if filters.open is not None:
        conds.append(is_open if filters.open else ~is_open)
    if filters.deadline_from is not None:
        conds.append(Issue.deadline >= filters.deadline_from)
    if filters.deadline_to is not None:
        conds.append(Issue.deadline <= filters.deadline_to)
    if filters.extension_pending is not None:
        pending = select(Extension.issue_id).where(Extension.status == "pending")
        conds.append(Issue.id.in_(pending) if filters.extension_pending else Issue.id.not_in(pending))
    if filters.rework is not None:
        submitted_since_accepted = or_(Issue.accepted_at.is_(None), Issue.accepted_at <= Issue.submitted_at)
        rework = and_(Issue.status == "in_progress", Issue.submitted_at.is_not(None), submitted_since_accepted)
        conds.append(rework if filters.rework else ~rework)
    if filters.to_accept is not None:
        to_accept = _to_accept(_branch_unit(filters))
        conds.append(to_accept if filters.to_accept else ~to_accept)
    if filters.mine is not None:
        held = held_by(filters.person_id or "")
        conds.append(held if filters.mine else ~held)
    return conds


def _to_accept(unit_id: str | None) -> ColumnElement[bool]:
    """Waiting for `unit_id` (any unit when None) to accept: as the lead unit of an assigned issue, or as a co-unit
    whose part is pending while the issue is worked on (a co-unit may accept from 已交办 to 整改中)."""
    pending = select(CoUnit.issue_id).where(CoUnit.status == "pending")
    lead = Issue.status == "assigned"
    if unit_id is not None:
        pending = pending.where(CoUnit.unit_id == unit_id)
        lead = and_(lead, Issue.lead_unit_id == unit_id)
    return or_(lead, and_(_among(Issue.status, ("assigned", "in_progress")), Issue.id.in_(pending)))


def _sort_column(key: str) -> ColumnElement[Any]:
    if key == "deadline":
        return func.coalesce(Issue.deadline, FAR_FUTURE)
    if key == "urgency":
        # One date per row, so the keyset cursor works as for any other key: open items by the deadline in force
        # (the most overdue first), then open items without one, then closed and cancelled ones.
        is_open = _among(Issue.status, OPEN_STATUSES)
        return case((is_open, func.coalesce(Issue.deadline, UNDATED_OPEN)), else_=literal(FAR_FUTURE, Date))
    column: ColumnElement[Any] = getattr(Issue, key)
    return column


def sort_value(issue: Issue | IssueRecord, key: str) -> Any:
    """The value of the sort key for a cursor (JSON-friendly)."""
    if key in ("deadline", "urgency"):
        return _sort_value(key, issue.deadline, issue.status, None)
    return _sort_value(key, None, None, issue.values[key] if isinstance(issue, IssueRecord) else getattr(issue, key))


def _sort_value(key: str, deadline: date | None, status: str | None, value: Any) -> Any:
    """`sort_value` of an item with this deadline and status (the date keys), or this value of the key (the others)."""
    if key == "deadline":
        return (deadline or FAR_FUTURE).isoformat()
    if key == "urgency":
        return ((deadline or UNDATED_OPEN) if status in OPEN_STATUSES else FAR_FUTURE).isoformat()
    return value.isoformat() if hasattr(value, "isoformat") else value


def _parse_sort_value(key: str, raw: Any) -> Any:
    try:
        if key in ("deadline", "urgency"):
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


def _list_statements(
    target: Any,
    *,
    filters: IssueFilters,
    today: date,
    sort: str,
    descending: bool,
    after: tuple[Any, str] | None,
    limit: int,
    offset: int,
) -> tuple[Select[Any], Select[Any]]:
    """The count and the page of the list, selecting `target` (the `Issue` entity, the table `issues`, or a list of
    columns of its rows).

    Confined to a unit, each branch (led, co-handled) takes its own first `offset + limit` rows in index order and
    the page is the best of both, past the offset; the total counts the union of both branches' ids.
    """
    conds = _conditions(filters, today)
    column = _sort_column(sort)
    order = (column.desc(), Issue.id.desc()) if descending else (column.asc(), Issue.id.asc())
    page_conds = list(conds)
    if after is not None:
        key = tuple_(column, Issue.id)
        bound = tuple_(*after) if isinstance(after[0], _Slot) else tuple_(_parse_sort_value(sort, after[0]), after[1])
        page_conds.append(key < bound if descending else key > bound)
    unit_id = _branch_unit(filters)
    targets = target if isinstance(target, list) else [target]
    if unit_id is None:
        count_query = select(func.count()).select_from(Issue).where(*conds)
        query = select(*targets).where(*page_conds)
    else:
        led, co_handled = _unit_branches(unit_id)
        matching = union(led.where(*conds), co_handled.where(*conds)).subquery()
        count_query = select(func.count()).select_from(matching)
        # Each branch is wrapped as a subquery: SQLite refuses ORDER BY/LIMIT on a bare member of a UNION.
        window = _WINDOW if isinstance(limit, BindParameter) else offset + limit
        first_led = led.where(*page_conds).order_by(*order).limit(window).subquery()
        # OFFSET 0 keeps PostgreSQL from walking the whole sort index backwards in search of a unit's few
        # co-handled issues: it joins them from the co-unit index first, then sorts that handful.
        co_rows = co_handled.add_columns(column.label("sort_key")).where(*page_conds).offset(0).subquery()
        co_key = (co_rows.c.sort_key, co_rows.c.id)
        co_order = tuple(c.desc() for c in co_key) if descending else co_key
        first_co = select(co_rows.c.id).order_by(*co_order).limit(window).subquery()
        firsts = [select(first_led.c.id), select(first_co.c.id)]
        query = select(*targets).where(Issue.id.in_(union(*firsts)))
    return count_query, query.order_by(*order).offset(offset).limit(limit)


async def list_issues(
    session: AsyncSession,
    *,
    filters: IssueFilters,
    today: date,
    sort: str,
    descending: bool,
    after: tuple[Any, str] | None,
    limit: int,
    offset: int = 0,
) -> tuple[Sequence[Issue], int]:
    """One page of issues after the keyset `after` (sort value, id), `offset` rows further on (a page jump), and
    the total matching the filters (see `_list_statements`)."""
    count_query, query = _list_statements(
        Issue, filters=filters, today=today, sort=sort, descending=descending, after=after, limit=limit, offset=offset
    )
    total = (await session.execute(count_query)).scalar_one()
    rows = (await session.execute(query)).scalars().all()
    return rows, int(total)


# The list's statements (the page with the total in a column, the total alone) are built once per shape of filters
# and kept, so a page runs them straight on the driver (fetch_rows) with the values bound: building them with
# SQLAlchemy and running them through its execution was about a fifth of a page's CPU, the total a round trip more.
# A shape is which filters are set (their values are binds), the true/false filters' values, the sort, and
# whether a cursor is given; 256 shapes are kept, the least recently used given up.
_LIST_SHAPES: OrderedDict[tuple[Any, ...], tuple[Select[Any], Select[Any]]] = OrderedDict()
_LIST_SHAPES_KEPT = 256
_LIMIT = bindparam("limit", type_=Integer())
_OFFSET = bindparam("offset", type_=Integer())
_WINDOW = bindparam("window", type_=Integer())  # offset + limit: the rows each branch of a unit's list takes
# Filters whose value goes into the statement, set when truthy, but for those of `_SET_WHEN_NOT_NONE`, as
# `_conditions` and `_branch_unit` ask.
_VALUE_FILTERS = (
    "campaign_id",
    "unit_id",
    "category_id",
    "phase_id",
    "source",
    "q",
    "deadline_from",
    "deadline_to",
    "scope_unit_id",
    "person_id",
)
_SET_WHEN_NOT_NONE = frozenset({"deadline_from", "deadline_to", "scope_unit_id"})
_SHAPE_FILTERS = tuple(f.name for f in fields(IssueFilters) if f.name not in (*_VALUE_FILTERS, "status"))


def _is_set(filters: IssueFilters, name: str) -> bool:
    value = getattr(filters, name)
    return value is not None if name in _SET_WHEN_NOT_NONE else bool(value)


def _list_shape(
    filters: IssueFilters, *, sort: str, descending: bool, after: bool, postgres: bool
) -> tuple[Select[Any], Select[Any]]:
    """The page and the total alone for filters of this shape. The page's rows are on PostgreSQL the items as
    `IssueOut` writes them (`_out_columns`), then the total and the sort key; on SQLite the issues' columns, then
    the total."""
    one_status = postgres and len(filters.status) == 1
    key = (
        postgres,
        sort,
        descending,
        after,
        bool(filters.status),
        one_status,
        *(_is_set(filters, name) for name in _VALUE_FILTERS),
        *(getattr(filters, name) for name in _SHAPE_FILTERS),
    )
    found = _LIST_SHAPES.get(key)
    if found is not None:
        _LIST_SHAPES.move_to_end(key)
        return found
    slots: dict[str, Any] = {name: _Slot(bindparam(name)) for name in _VALUE_FILTERS if _is_set(filters, name)}
    if filters.status:
        status: BindParameter[Any] = bindparam("status", type_=String())
        if not one_status:
            status = bindparam("status", type_=ARRAY(String)) if postgres else bindparam("status", expanding=True)
        slots["status"] = _Slot(status)
    shape = replace(filters, **{name: slots.get(name) for name in _VALUE_FILTERS}, status=slots.get("status", ()))
    column = _sort_column(sort)
    bound = (_Slot(bindparam("after_value", type_=column.type)), _Slot(bindparam("after_id", type_=String())))
    today: Any = _Slot(bindparam("today", type_=Date()))
    count_query, query = _list_statements(
        _out_columns(today) if postgres else _ISSUES,
        filters=shape,
        today=today,
        sort=sort,
        descending=descending,
        after=bound if after else None,  # type: ignore[arg-type]
        limit=_LIMIT,  # type: ignore[arg-type]
        offset=_OFFSET,  # type: ignore[arg-type]
    )
    total = count_query.scalar_subquery().label("total")
    page = query.add_columns(total)
    if postgres and sort in _KEYS_NOT_SHOWN:
        page = page.add_columns(column.label("sort_key"))
    found = (page, count_query)
    _LIST_SHAPES[key] = found
    while len(_LIST_SHAPES) > _LIST_SHAPES_KEPT:
        for statement in _LIST_SHAPES.popitem(last=False)[1]:
            forget_statement(statement)
    return found


# The sort keys whose value a page's item does not show (`updated_at`): on PostgreSQL a column of the page's rows,
# for the next cursor; the others' values are the item's (the date keys made of its deadline and status).
_KEYS_NOT_SHOWN = frozenset(key for key in SORT_KEYS if key not in OUT_FIELDS and key not in ("deadline", "urgency"))


def _list_params(
    filters: IssueFilters,
    *,
    today: date,
    sort: str,
    after: tuple[Any, str] | None,
    limit: int,
    offset: int,
    postgres: bool = False,
) -> dict[str, Any]:
    """The values of a list statement's binds (`_list_shape`)."""
    params: dict[str, Any] = {name: getattr(filters, name) for name in _VALUE_FILTERS if _is_set(filters, name)}
    if filters.q:
        params["q"] = f"%{_escape_like(filters.q)}%"
    params["person_id"] = filters.person_id or ""
    params["status"] = list(filters.status)
    if postgres and len(filters.status) == 1:
        params["status"] = filters.status[0]  # `=` (`_list_shape`)
    params.update(today=today, limit=limit, offset=offset, window=offset + limit)
    if after is not None:
        params.update(after_value=_parse_sort_value(sort, after[0]), after_id=after[1])
    return params


async def list_issue_items(
    connection: AsyncConnection,
    *,
    filters: IssueFilters,
    today: date,
    sort: str,
    descending: bool,
    after: tuple[Any, str] | None,
    limit: int,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int, tuple[Any, str] | None]:
    """`list_issues` without the ORM, its items as `IssueOut` writes them (`state.record_out`, for
    `pydantic_core.to_json`), the total, and the last item's sort value and id (for the next cursor; None when the
    page is empty). Its statement is built once per shape of filters with the total in a column (`_list_shape`; the
    total alone when the page is empty). On PostgreSQL a row is the item's values in order, its co-units, deadlines
    and responsible persons among them (`_out_columns`, `state.row_out`); on SQLite the issue's columns, its parts
    read in a second statement, an `IssueRecord` written by `record_out`."""
    postgres = connection.dialect.name == "postgresql"
    page, count = _list_shape(filters, sort=sort, descending=descending, after=after is not None, postgres=postgres)
    params = _list_params(filters, today=today, sort=sort, after=after, limit=limit, offset=offset, postgres=postgres)
    rows = await fetch_rows(connection, page, params)
    if not rows:
        return [], int((await fetch_rows(connection, count, params))[0][0]), None
    if postgres:
        items = [row_out(row) for row in rows]
        last, width = items[-1], len(OUT_FIELDS)
        value = rows[-1][width + 1] if sort in _KEYS_NOT_SHOWN else last.get(sort)
        return items, int(rows[0][width]), (_sort_value(sort, last["deadline"], last["status"], value), last["id"])
    records = await _with_parts(connection, rows)
    cursor = (sort_value(records[-1], sort), records[-1].id)
    return [record_out(record, today) for record in records], int(rows[0][len(_ISSUE_NAMES)]), cursor


async def _with_parts(connection: AsyncConnection, rows: Sequence[Sequence[Any]]) -> list[IssueRecord]:
    """The page's records with their co-units, deadlines and responsible persons read in one more statement."""
    width = len(_ISSUE_NAMES)
    values = [dict(zip(_ISSUE_NAMES, row[:width], strict=True)) for row in rows]
    co_units: dict[str, list[CoUnitRecord]] = {v["id"]: [] for v in values}
    deadlines: dict[str, list[tuple[date, str, datetime]]] = {v["id"]: [] for v in values}
    people: dict[str, dict[str, tuple[str, str]]] = {v["id"]: {} for v in values}
    if values:
        part_rows = await fetch_rows(connection, _PARTS_OF, {"ids": list(co_units)})
        for issue_id, unit_id, word, deadline, at, _, user_id in part_rows:
            if user_id is not None:
                people[issue_id][unit_id] = (user_id, word)
            elif deadline is None:
                co_units[issue_id].append(CoUnitRecord(unit_id, word))
            else:
                deadlines[issue_id].append((deadline, word, at))
    return [
        IssueRecord(values=v, co_units=co_units[v["id"]], deadlines=deadlines[v["id"]], people=people[v["id"]])
        for v in values
    ]
