"""HTTP answers of the report figures."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import TypeAdapter

from rectify_kit.clock import ClockDep, business_today
from rectify_kit.db import ReadConnectionDep, SessionDep
from rectify_kit.errors import problem_responses
from report_api.access import ReaderDep, confined_unit
from report_api.figures import service
from report_api.figures.cache import CacheDep
from report_api.figures.filters import FiltersDep, scoped
from report_api.figures.schemas import (
    Accountability,
    Categories,
    Lights,
    OverduePage,
    Statuses,
    Summary,
    Trend,
    UnitRanking,
)

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])
ERRORS = problem_responses(401, 403, 422)

# The dashboards' answers (computed once per position of the read model, then kept: figures/cache.py) are
# serialized straight to bytes, as FastAPI would with the route's `response_model` (which still documents them),
# without dumping and validating them again on the way out.
_SUMMARY = TypeAdapter(Summary)
_UNITS = TypeAdapter(UnitRanking)


def _json(adapter: TypeAdapter[Any], answer: object) -> Response:
    return Response(adapter.dump_json(answer), media_type="application/json")


@router.get("/summary", response_model=Summary, summary="总体指标 / Summary figures", responses=ERRORS)
async def get_summary(
    reader: ReaderDep, filters: FiltersDep, clock: ClockDep, cache: CacheDep, connection: ReadConnectionDep
) -> Response:
    unit = confined_unit(reader)
    answer = await service.summary(
        connection, scoped(filters, reader), today=business_today(clock), with_province=unit is not None, cache=cache
    )
    return _json(_SUMMARY, answer)


@router.get("/statuses", response_model=Statuses, summary="各状态事项数 / Issues per status", responses=ERRORS)
async def get_statuses(session: SessionDep, reader: ReaderDep, filters: FiltersDep, cache: CacheDep) -> Statuses:
    return await service.statuses(session, scoped(filters, reader), cache=cache)


@router.get(
    "/lights",
    response_model=Lights,
    summary="红黄绿灯（按工作日）/ Open issues by traffic light, in working days",
    responses=ERRORS,
)
async def get_lights(session: SessionDep, reader: ReaderDep, filters: FiltersDep, clock: ClockDep) -> Lights:
    return await service.lights(session, scoped(filters, reader), today=business_today(clock))


@router.get("/units", response_model=UnitRanking, summary="单位排名（红黑榜）/ Unit ranking", responses=ERRORS)
async def get_units(
    reader: ReaderDep, filters: FiltersDep, clock: ClockDep, cache: CacheDep, connection: ReadConnectionDep
) -> Response:
    f = scoped(filters, reader)
    answer = await service.unit_ranking(connection, f, today=business_today(clock), only_unit=f.unit_id, cache=cache)
    return _json(_UNITS, answer)


@router.get("/trend", response_model=Trend, summary="趋势（新增/销号）/ Trend", responses=ERRORS)
async def get_trend(
    session: SessionDep,
    reader: ReaderDep,
    filters: FiltersDep,
    clock: ClockDep,
    cache: CacheDep,
    granularity: Annotated[Literal["week", "month"], Query(description="week | month")] = "week",
) -> Trend:
    f = scoped(filters, reader)
    return await service.trend(session, f, granularity=granularity, today=business_today(clock), cache=cache)


@router.get("/categories", response_model=Categories, summary="分类统计 / By category", responses=ERRORS)
async def get_categories(session: SessionDep, reader: ReaderDep, filters: FiltersDep, clock: ClockDep) -> Categories:
    return await service.categories(session, scoped(filters, reader), today=business_today(clock))


@router.get("/overdue", response_model=OverduePage, summary="逾期清单 / Overdue list", responses=ERRORS)
async def get_overdue(
    session: SessionDep,
    reader: ReaderDep,
    filters: FiltersDep,
    clock: ClockDep,
    cursor: Annotated[str | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> OverduePage:
    return await service.overdue(
        session, scoped(filters, reader), today=business_today(clock), cursor=cursor, limit=limit
    )


@router.get(
    "/accountability", response_model=Accountability, summary="问责候选 / Accountability candidates", responses=ERRORS
)
async def get_accountability(
    session: SessionDep,
    reader: ReaderDep,
    filters: FiltersDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> Accountability:
    return await service.accountability(session, scoped(filters, reader), limit=limit)
