"""The ledger's list filters as query parameters: one dependency, so the list, its Excel export and the saved
views take exactly the same filters; and the list's query read by hand when it is plainly valid."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, get_args

from fastapi import Depends, Query
from starlette.datastructures import QueryParams

from issues_api.ledger.repository import IssueFilters
from issues_api.ledger.schemas import Source
from issues_api.ledger.workflow import STATUSES, Status
from rectify_kit.params import IsoDate

# Literal rather than a pattern, so a wrong key is answered with the keys there are, and clients see an enum.
IssueSort = Literal[
    "created_at", "-created_at", "updated_at", "-updated_at", "deadline", "-deadline", "code", "-code",
    "urgency", "-urgency",
]  # fmt: skip
SORT_DESCRIPTION = (
    "排序 / sort: created_at, updated_at, deadline, code, urgency (紧急程度: open items by the deadline in force, "
    "most overdue first, then open items without a deadline, then closed and cancelled ones); prefix - to reverse"
)


async def issue_filters(
    campaign_id: str | None = None,
    status: Annotated[list[Status] | None, Query(description="one or more statuses (repeat the parameter)")] = None,
    unit_id: Annotated[str | None, Query(description="lead unit or co-unit")] = None,
    category_id: str | None = None,
    phase_id: Annotated[str | None, Query(description="所属阶段 / the campaign's phase")] = None,
    source: Source | None = None,
    overdue: bool | None = None,
    q: Annotated[
        str | None, Query(max_length=200, description="search the code (编号), the title and the description")
    ] = None,
    open: Annotated[bool | None, Query(description="未办结 / true: open statuses; false: closed or cancelled")] = None,
    deadline_from: Annotated[
        IsoDate | None, Query(description="整改时限不早于 / deadline in force on or after this date")
    ] = None,
    deadline_to: Annotated[
        IsoDate | None, Query(description="整改时限不晚于 / deadline in force on or before this date")
    ] = None,
    extension_pending: Annotated[
        bool | None, Query(description="有待审批的延期申请 / with (true) or without (false) a pending extension")
    ] = None,
    rework: Annotated[
        bool | None,
        Query(description="返工 / in progress again after a rejected completion or a reopening, since last accepted"),
    ] = None,
    to_accept: Annotated[
        bool | None,
        Query(
            description="待接收 / waiting for the unit (the caller's, else `unit_id`'s) to accept: the lead unit of an"
            " assigned issue, or a co-unit whose part is pending"
        ),
    ] = None,
    mine: Annotated[
        bool | None,
        Query(description="我负责的 / true: items the caller is a responsible person of or holds an open sub-task of"),
    ] = None,
) -> IssueFilters:
    # `async`, though it awaits nothing: a `def` dependency costs every request a hop to a worker thread.
    return _filters(
        campaign_id=campaign_id,
        status=status,
        unit_id=unit_id,
        category_id=category_id,
        phase_id=phase_id,
        source=source,
        overdue=overdue,
        q=q,
        open=open,
        deadline_from=deadline_from,
        deadline_to=deadline_to,
        extension_pending=extension_pending,
        rework=rework,
        to_accept=to_accept,
        mine=mine,
    )


def _filters(*, status: list[Status] | None = None, q: str | None = None, **values: Any) -> IssueFilters:
    return IssueFilters(status=list(status or []), q=q.strip() if q and q.strip() else None, **values)


FiltersDep = Annotated[IssueFilters, Depends(issue_filters)]
SortParam = Annotated[IssueSort, Query(description=SORT_DESCRIPTION)]


@dataclass(frozen=True, slots=True)
class ListQuery:
    """The list's query parameters, as `issue_filters` and the list route's own parameters take them."""

    filters: IssueFilters
    sort: str = "-created_at"
    cursor: str | None = None
    offset: int = 0
    limit: int = 50


# What each parameter of the list takes, for `parse_list_query`: any text; one of some words; a count in bounds.
_TEXTS = frozenset({"campaign_id", "unit_id", "category_id", "phase_id"})
_WORDS: dict[str, frozenset[str]] = {"source": frozenset(get_args(Source))}
_FLAGS = frozenset({"overdue", "open", "extension_pending", "rework", "to_accept", "mine"})
_FLAG_WORDS = {"true": True, "false": False}
_DATES = frozenset({"deadline_from", "deadline_to"})
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_COUNTS = {"offset": (0, 100_000), "limit": (1, 200)}
_COUNT = re.compile(r"[0-9]{1,6}")
_SORTS = frozenset(get_args(IssueSort))
_STATUSES = frozenset(STATUSES)
_Q_LONGEST = 200


def _plain_value(name: str, raw: str) -> Any:
    """`raw` as the list's parameter `name` takes it, when it is plainly valid; `_NOT_PLAIN` otherwise (an unknown
    name is ignored, as FastAPI ignores it: None)."""
    if name in _TEXTS or name == "cursor":
        return raw
    if name in _FLAGS:
        return _FLAG_WORDS.get(raw, _NOT_PLAIN)
    if name in _COUNTS:
        low, high = _COUNTS[name]
        return int(raw) if _COUNT.fullmatch(raw) and low <= int(raw) <= high else _NOT_PLAIN
    if name in _DATES:
        try:
            return date.fromisoformat(raw) if _ISO_DATE.fullmatch(raw) else _NOT_PLAIN
        except ValueError:
            return _NOT_PLAIN
    if name == "q":
        return raw if len(raw) <= _Q_LONGEST else _NOT_PLAIN
    if name == "sort":
        return raw if raw in _SORTS else _NOT_PLAIN
    if name in _WORDS:
        return raw if raw in _WORDS[name] else _NOT_PLAIN
    return None


_NOT_PLAIN = object()
_ROUTE_PARAMETERS = frozenset({"sort", "cursor", "offset", "limit"})


def parse_list_query(params: QueryParams) -> ListQuery | None:
    """The list's parameters read straight from the query string, when each is plainly valid (a status or sort of
    the list's words, `true`/`false`, a count in bounds, a `YYYY-MM-DD` date, `q` of at most 200 characters): what
    `issue_filters` and the route's parameters would make of them, without FastAPI's solving and validation of 19
    parameters (about a sixth of a page's CPU). None for anything else, which FastAPI then reads and answers as it
    always did (its 422 word for word, pydantic's other spellings of a value accepted). As FastAPI does, the last of
    a repeated parameter counts (but `status`, a list) and unknown parameters are ignored."""
    values: dict[str, Any] = {}
    status: list[Status] = []
    for name, raw in params.multi_items():
        if name == "status":
            if raw not in _STATUSES:
                return None
            status.append(raw)
            continue
        value = _plain_value(name, raw)
        if value is _NOT_PLAIN:
            return None
        if value is not None:
            values[name] = value
    route = {name: values.pop(name) for name in _ROUTE_PARAMETERS & values.keys()}
    return ListQuery(filters=_filters(status=status, **values), **route)
