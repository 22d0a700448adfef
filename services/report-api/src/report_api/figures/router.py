"""HTTP answers of the report figures."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.routing import APIRoute
from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncConnection

from rectify_kit.auth import Principal, principal_of
from rectify_kit.clock import ClockDep, business_today, get_clock
from rectify_kit.db import ReadConnectionDep, SessionDep, get_database
from rectify_kit.direct import route_answered_by
from rectify_kit.errors import problem_responses
from report_api.access import ReaderDep, confined_unit, reader_of
from report_api.figures import service
from report_api.figures.cache import CacheDep, FiguresCache, figures_cache
from report_api.figures.filters import FiltersDep, ReportFilters, parse_filters, scoped
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


# A dashboard's answer: (the read connection, the reader, the filters as asked, today, the kept answers) -> it.
Answer = Callable[[AsyncConnection, Principal, ReportFilters, date, FiguresCache | None], Awaitable[Response]]


def _plain_route(answer: Answer) -> type[APIRoute]:
    """A dashboard's route: a query that `parse_filters` finds plainly valid is answered without FastAPI's solving
    of the route's dependencies and parameters (the reader, the clock, the kept answers and the connection taken as
    the dependencies give them, in their order); any other is solved by FastAPI as before, its 422 included. The
    route and its document are unchanged. A kept answer's request then costs little more than its one query."""

    async def plain(request: Request) -> Response | None:
        filters = parse_filters(request.query_params)
        if filters is None:
            return None
        reader = await reader_of(await principal_of(request))
        today = business_today(get_clock(request))
        async with get_database(request).read_connection() as connection:
            return await answer(connection, reader, filters, today, figures_cache(request))

    return route_answered_by(plain)


async def _summary(
    connection: AsyncConnection, reader: Principal, filters: ReportFilters, today: date, cache: FiguresCache | None
) -> Response:
    unit = confined_unit(reader)
    f = scoped(filters, reader)
    answer = await service.summary(connection, f, today=today, with_province=unit is not None, cache=cache)
    return _json(_SUMMARY, answer)


async def _units(
    connection: AsyncConnection, reader: Principal, filters: ReportFilters, today: date, cache: FiguresCache | None
) -> Response:
    f = scoped(filters, reader)
    answer = await service.unit_ranking(connection, f, today=today, only_unit=f.unit_id, cache=cache)
    return _json(_UNITS, answer)


async def get_summary(
    reader: ReaderDep, filters: FiltersDep, clock: ClockDep, cache: CacheDep, connection: ReadConnectionDep
) -> Response:
    return await _summary(connection, reader, filters, business_today(clock), cache)


async def get_units(
    reader: ReaderDep, filters: FiltersDep, clock: ClockDep, cache: CacheDep, connection: ReadConnectionDep
) -> Response:
    return await _units(connection, reader, filters, business_today(clock), cache)


router.add_api_route(
    "/summary",
    get_summary,
    methods=["GET"],
    response_model=Summary,
    summary="总体指标 / Summary figures",
    responses=ERRORS,
    route_class_override=_plain_route(_summary),
)


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


router.add_api_route(
    "/units",
    get_units,
    methods=["GET"],
    response_model=UnitRanking,
    summary="单位排名（红黑榜）/ Unit ranking",
    responses=ERRORS,
    route_class_override=_plain_route(_units),
)


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
