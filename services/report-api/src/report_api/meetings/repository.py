"""Queries of the meeting snapshots."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from report_api.meetings.models import Meeting
from report_api.readmodel.models import AccountabilityRecord, IssueFact, UnitName


async def latest(session: AsyncSession, campaign_id: str) -> Meeting | None:
    query = select(Meeting).where(Meeting.campaign_id == campaign_id)
    return await session.scalar(query.order_by(Meeting.created_at.desc(), Meeting.id.desc()).limit(1))


async def listing(session: AsyncSession, campaign_id: str | None) -> list[Meeting]:
    query = select(Meeting).order_by(Meeting.created_at.desc(), Meeting.id.desc())
    if campaign_id is not None:
        query = query.where(Meeting.campaign_id == campaign_id)
    return list((await session.scalars(query)).all())


async def get(session: AsyncSession, meeting_id: str) -> Meeting | None:
    return await session.get(Meeting, meeting_id)


async def add(session: AsyncSession, meeting: Meeting) -> None:
    session.add(meeting)
    await session.flush()


async def accountability_records(
    session: AsyncSession, campaign_id: str, *, until: date, limit: int
) -> list[dict[str, Any]]:
    """The campaign's accountability decisions up to `until`, newest first, naming the unit and the issues' codes."""
    query = (
        select(AccountabilityRecord, UnitName.name)
        .outerjoin(UnitName, UnitName.id == AccountabilityRecord.unit_id)
        .where(AccountabilityRecord.campaign_id == campaign_id, AccountabilityRecord.decided_on <= until)
        .order_by(AccountabilityRecord.decided_on.desc(), AccountabilityRecord.id)
        .limit(limit)
    )
    rows = (await session.execute(query)).all()
    issue_ids = sorted({i for record, _ in rows for i in record.issue_ids})
    found = await session.execute(select(IssueFact.id, IssueFact.code).where(IssueFact.id.in_(issue_ids)))
    codes = {row.id: row.code for row in found}
    return [
        {
            "id": record.id,
            "unit_id": record.unit_id,
            "unit_name": unit_name or "",
            "issue_codes": [codes.get(i) or i for i in record.issue_ids],
            "kind": record.kind,
            "decided_on": record.decided_on.isoformat(),
            "outcome": record.outcome,
            "document": record.document,
        }
        for record, unit_name in rows
    ]
