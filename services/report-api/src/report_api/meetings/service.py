"""Meeting reports: the figures of a campaign frozen at one moment, compared with the previous meeting."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from report_api.figures import service as figures
from report_api.figures.filters import ReportFilters
from report_api.figures.schemas import KEY_FIGURES
from report_api.meetings import repository as repo
from report_api.meetings.errors import MeetingNotFound
from report_api.meetings.models import Meeting
from report_api.readmodel.models import CampaignName

OVERDUE_ROWS = 50
KEY_PROBLEMS = 20
ACCOUNTABILITY_ROWS = 100
TREND_MONTHS = 6


def changes(now: dict[str, Any], before: dict[str, Any] | None) -> dict[str, float | int | None] | None:
    """Each compared figure minus its value at the previous meeting (None when either side has none)."""
    if before is None:
        return None
    result: dict[str, float | int | None] = {}
    for key in KEY_FIGURES:
        a, b = now.get(key), before.get(key)
        result[key] = None if a is None or b is None else (round(a - b, 4) if isinstance(a, float) else a - b)
    return result


async def create(
    session: AsyncSession, *, campaign_id: str, period: str, actor: str | None, now: datetime, today: date
) -> Meeting:
    """Freeze the campaign's figures, its phases' progress, ranking, overdue list, key problems and trend into a new
    snapshot."""
    f = ReportFilters(campaign_id=campaign_id)
    summary = await figures.summary(session, f, today=today, with_province=False)
    ranking = await figures.unit_ranking(session, f, today=today, only_unit=None)
    overdue = await figures.overdue(session, f, today=today, cursor=None, limit=OVERDUE_ROWS)
    key = await figures.accountability(session, f, limit=KEY_PROBLEMS)
    start = (today.replace(day=1) - timedelta(days=31 * (TREND_MONTHS - 1))).replace(day=1)
    trend = await figures.trend(session, ReportFilters(campaign_id=campaign_id, date_from=start, date_to=today),
                                granularity="month", today=today)  # fmt: skip
    previous = await repo.latest(session, campaign_id)
    name = await session.scalar(select(CampaignName.name).where(CampaignName.id == campaign_id))
    figure_values = summary.model_dump(exclude={"province", "phases", "as_of_seq", "lag_events", "checked_at"})
    snapshot = {
        "campaign": {"id": campaign_id, "name": name or campaign_id},
        "period": period,
        "as_of": now.isoformat(),
        "today": today.isoformat(),
        "lag_events": summary.lag_events,
        "figures": figure_values,
        "phases": [phase.model_dump(mode="json") for phase in summary.phases or []],
        "previous": None if previous is None else {"id": previous.id, "period": previous.period},
        "changes": changes(figure_values, previous.snapshot["figures"] if previous else None),
        "units": ranking.model_dump(mode="json", include={"items", "red_list", "black_list"}),
        "overdue": overdue.model_dump(mode="json", include={"items", "total"}),
        "key_problems": key.model_dump(mode="json", include={"items", "total"}),
        "trend": trend.model_dump(mode="json", include={"items"})["items"],
        "accountability": await repo.accountability_records(
            session, campaign_id, until=today, limit=ACCOUNTABILITY_ROWS
        ),
    }
    meeting = Meeting(
        id=str(uuid.uuid4()),
        campaign_id=campaign_id,
        period=period,
        created_at=now,
        created_by=actor,
        as_of_seq=summary.as_of_seq,
        snapshot=snapshot,
    )
    await repo.add(session, meeting)
    return meeting


async def get(session: AsyncSession, meeting_id: str) -> Meeting:
    meeting = await repo.get(session, meeting_id)
    if meeting is None:
        raise MeetingNotFound(f"no meeting report {meeting_id}")
    return meeting


async def listing(session: AsyncSession, *, campaign_id: str | None) -> list[Meeting]:
    return await repo.listing(session, campaign_id)
