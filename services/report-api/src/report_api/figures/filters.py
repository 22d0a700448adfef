"""The filters every report accepts, and the unit confinement of the reader applied to them."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated, Any, Literal, get_args

from fastapi import Depends, Query
from starlette.datastructures import QueryParams

from rectify_kit.auth import Principal
from rectify_kit.params import IsoDate
from report_api.access import OtherUnitForbidden, confined_unit

Source = Literal["self_inspection", "inspection", "public", "assigned", "integration"]
# Ids are UUIDs (issues-api's `new_id`): an id filter of any other shape is a 422 problem, never an empty answer.
ID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


@dataclass(frozen=True)
class ReportFilters:
    """`unit_id` matches issues where the unit is lead or co-unit; `date_from`/`date_to` bound the creation date."""

    campaign_id: str | None = None
    unit_id: str | None = None
    category_id: str | None = None
    source: str | None = None
    city: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    phase_id: str | None = None

    def without_unit(self) -> ReportFilters:
        return replace(self, unit_id=None)

    @property
    def rollup_ready(self) -> bool:
        """True when a status rollup may hold the answer: they are keyed by campaign, phase, lead unit and source
        (which one holds it depends on the grouping too: `figures.repository.status_rollup_for`)."""
        return not self._narrower_than_rollups and not self.has_period

    @property
    def daily_rollup_ready(self) -> bool:
        """True when the daily rollup holds the trend (it is keyed by campaign and phase; the window is no filter)."""
        return not self._narrower_than_rollups and self.source is None

    @property
    def _narrower_than_rollups(self) -> bool:
        """A filter on what no rollup is keyed by: unit membership, category, city."""
        return any(value is not None for value in (self.unit_id, self.category_id, self.city))

    @property
    def has_period(self) -> bool:
        return self.date_from is not None or self.date_to is not None


async def report_filters(
    campaign_id: Annotated[str | None, Query(pattern=ID_PATTERN, description="专项行动 / campaign")] = None,
    unit_id: Annotated[str | None, Query(pattern=ID_PATTERN, description="主办或协办单位 / lead or co-unit")] = None,
    category_id: Annotated[str | None, Query(pattern=ID_PATTERN, description="问题类别 / category")] = None,
    source: Annotated[Source | None, Query(description="问题来源 / source")] = None,
    city: Annotated[str | None, Query(description="地市 / city code")] = None,
    date_from: Annotated[IsoDate | None, Query(alias="from", description="登记日期起 / created on or after")] = None,
    date_to: Annotated[IsoDate | None, Query(alias="to", description="登记日期止 / created on or before")] = None,
    phase_id: Annotated[
        str | None,
        Query(pattern=ID_PATTERN, description="所属阶段（专项行动的阶段 id）/ the campaign's phase (its id)"),
    ] = None,
) -> ReportFilters:
    return ReportFilters(campaign_id, unit_id, category_id, source, city, date_from, date_to, phase_id)


FiltersDep = Annotated[ReportFilters, Depends(report_filters)]

# What each filter takes, for `parse_filters`: an id, one of the sources, any text, a date.
_IDS = frozenset({"campaign_id", "unit_id", "category_id", "phase_id"})
_ID = re.compile(ID_PATTERN)
_SOURCES = frozenset(get_args(Source))
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATES = {"from": "date_from", "to": "date_to"}
_NOT_PLAIN = object()


def _plain_value(name: str, raw: str) -> Any:
    """`raw` as the filter `name` takes it when it is plainly valid, `_NOT_PLAIN` otherwise (None: no filter)."""
    if name in _IDS:
        return raw if _ID.fullmatch(raw) else _NOT_PLAIN
    if name == "source":
        return raw if raw in _SOURCES else _NOT_PLAIN
    if name == "city":
        return raw
    if name in _DATES:
        try:
            return date.fromisoformat(raw) if _ISO_DATE.fullmatch(raw) else _NOT_PLAIN
        except ValueError:
            return _NOT_PLAIN
    return None


def parse_filters(params: QueryParams) -> ReportFilters | None:
    """The filters read straight from the query string when each is plainly valid (an id of `ID_PATTERN`, a source
    of `Source`, a `YYYY-MM-DD` date, any city): what `report_filters` would make of them, without FastAPI's solving
    and validation of eight parameters. None for anything else, which FastAPI then reads and answers as it always
    did (its 422 word for word). As FastAPI does, the last of a repeated parameter counts and unknown parameters are
    ignored."""
    values: dict[str, Any] = {}
    for name, raw in params.multi_items():
        value = _plain_value(name, raw)
        if value is _NOT_PLAIN:
            return None
        if value is not None:
            values[_DATES.get(name, name)] = value
    return ReportFilters(**values)


def scoped(filters: ReportFilters, principal: Principal) -> ReportFilters:
    """Confine a `unit` user to their unit; asking for another unit is 403."""
    unit = confined_unit(principal)
    if unit is None:
        return filters
    if filters.unit_id not in (None, unit):
        raise OtherUnitForbidden("unit users see only their own unit's figures")
    return replace(filters, unit_id=unit)
