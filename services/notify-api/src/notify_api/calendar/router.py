"""GET|PUT /api/v1/calendar."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from notify_api.calendar import service
from notify_api.calendar.schemas import CalendarOut, CalendarUpdate
from notify_api.deps import AdminDep
from rectify_kit.auth import CurrentPrincipal
from rectify_kit.clock import ClockDep, business_today
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_responses

router = APIRouter(prefix="/api/v1/calendar", tags=["calendar"])


@router.get(
    "", response_model=CalendarOut, summary="工作日历 / Working-day calendar", responses=problem_responses(401, 422)
)
async def read_calendar(
    session: SessionDep,
    clock: ClockDep,
    _principal: CurrentPrincipal,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="年份，默认今年 / year")] = None,
) -> CalendarOut:
    return await service.read(session, year=year or business_today(clock).year, clock=clock)


@router.put(
    "",
    response_model=CalendarOut,
    summary="调整工作日历 / Override the calendar of a year",
    responses=problem_responses(401, 403, 422),
)
async def update_calendar(session: SessionDep, clock: ClockDep, admin: AdminDep, body: CalendarUpdate) -> CalendarOut:
    return await service.update(session, change=body, actor=admin, clock=clock)
