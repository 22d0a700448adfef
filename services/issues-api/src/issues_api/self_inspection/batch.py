"""自查自纠 批量录入: a unit files many rows of its own list at once — pasted from Excel or uploaded as a sheet —
through the ledger import's machinery (sheet reading, row errors, dry run, rows recognised on a second upload).

Every row is filed for the filing unit (a unit's own, or the one the office names), whatever the sheet says:
its 责任单位, 配合单位, 整改时限 and 来源 columns are not read. Each good row becomes what
`POST /issues/self-inspection` makes of one item: `registered`, source `self_inspection`, led by that unit, with
a pending review; all of them or none.
"""

from __future__ import annotations

from functools import partial
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.campaigns.models import Campaign
from issues_api.imports.errors import ImportConflict
from issues_api.imports.planning import check_unit_row
from issues_api.imports.service import ImportPlan, plan_import
from issues_api.imports.sheet import Sheet
from issues_api.ledger.access import Viewer
from issues_api.ledger.bulk import NewIssue, create_many
from issues_api.ledger.models import Issue
from issues_api.self_inspection.models import SelfInspectionReview
from rectify_kit.clock import Clock

REVIEWS = cast(Table, SelfInspectionReview.__table__)


async def plan_rows(
    session: AsyncSession, *, campaign: Campaign, sheet: Sheet, unit_id: str, clock: Clock
) -> ImportPlan:
    """Check every row as a row of `unit_id`'s own list; the rows it filed before are `existing`."""
    check = partial(check_unit_row, unit_id=unit_id)
    return await plan_import(session, campaign=campaign, sheet=sheet, clock=clock, check=check)


async def file_rows(
    session: AsyncSession, *, plan: ImportPlan, unit_id: str, viewer: Viewer, clock: Clock
) -> list[str]:
    """Register the plan's new rows on the unit's list, each with its pending review; their codes.

    Another upload writing one of the same rows first makes this one 409 `import-conflict`, nothing written.
    """
    items = [NewIssue(create=row.create, import_key=row.key, lead_unit_id=unit_id) for row in plan.new]
    try:
        codes = await create_many(session, campaign=plan.campaign, items=items, actor=viewer.actor, clock=clock)
    except IntegrityError as exc:
        raise ImportConflict("a row of this list was filed by another upload meanwhile") from exc
    if not codes:
        return []
    now, ids = clock.now(), []
    for start in range(0, len(codes), 500):
        query = select(Issue.id).where(
            Issue.campaign_id == plan.campaign.id, Issue.code.in_(codes[start : start + 500])
        )
        ids += list((await session.execute(query)).scalars())
    reviews = [
        {"issue_id": i, "unit_id": unit_id, "status": "pending", "reason": None, "filed_by": viewer.sub,
         "filed_at": now, "decided_by": None, "decided_at": None}
        for i in ids
    ]  # fmt: skip
    await session.execute(insert(REVIEWS), reviews)
    return codes
