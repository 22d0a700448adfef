"""The ledger's list filters as query parameters: one dependency, so the list, its Excel export and the saved
views take exactly the same filters."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query

from issues_api.ledger.repository import IssueFilters
from issues_api.ledger.schemas import Source
from issues_api.ledger.workflow import Status
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
    return IssueFilters(
        campaign_id=campaign_id,
        status=list(status or []),
        unit_id=unit_id,
        category_id=category_id,
        phase_id=phase_id,
        source=source,
        overdue=overdue,
        q=q.strip() if q and q.strip() else None,
        open=open,
        deadline_from=deadline_from,
        deadline_to=deadline_to,
        extension_pending=extension_pending,
        rework=rework,
        to_accept=to_accept,
        mine=mine,
    )


FiltersDep = Annotated[IssueFilters, Depends(issue_filters)]
SortParam = Annotated[IssueSort, Query(description=SORT_DESCRIPTION)]
