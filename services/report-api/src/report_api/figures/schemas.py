"""Answers of the report endpoints."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from report_api.figures.examples import (
    ACCOUNTABILITY_EXAMPLE,
    CATEGORIES_EXAMPLE,
    OVERDUE_EXAMPLE,
    SUMMARY_EXAMPLE,
    TREND_EXAMPLE,
    UNITS_EXAMPLE,
)

AccountabilityReason = Literal["red_card", "repeated_returns", "repeated_rejections"]


class Freshness(BaseModel):
    as_of_seq: int = Field(description="最后应用的事件序号 / last issues-feed event applied")
    lag_events: int | None = Field(
        description="核对时尚未计入的事件数（两个事件流），未知时为 null / events the feeds held at `checked_at` that"
        " are not counted yet (both feeds); null when unknown (a feed not reached for a minute)"
    )
    checked_at: datetime | None = Field(
        default=None,
        description="最近一次确认事件流进度的时间：lag_events 为 0 表示截至此时已计入全部事件，而非此刻 / when the"
        " feeds' heads were last confirmed: lag_events 0 means up to date as of then, not now",
    )


class Figures(BaseModel):
    total: int
    open: int
    closed: int
    cancelled: int
    overdue: int
    closure_rate: float | None = Field(description="销号率 = closed / (total − cancelled)")
    on_time_rate: float | None = Field(description="按期销号率（现行时限）/ closed by the deadline in force / closed")
    on_time_rate_original: float | None = Field(description="按期销号率（原定时限）/ against the first deadline")
    satisfaction_rate: float | None = Field(description="满意率 / satisfied / rated")
    dissatisfied: int = Field(default=0, description="不满意（评为不满意或 1-2 分）/ rated not satisfied (or 1-2)")
    appeals: int = Field(default=0, description="申诉（对不满意答复）/ appeals against the office's answer")
    avg_working_days_to_close: float | None = Field(description="交办至销号平均工作日 / assignment to closure")
    reopen_count: int = Field(description="重新打开次数 / reopens")
    escalations_by_level: dict[str, int] = Field(description="各级督办次数 / escalations by level 0–4")


class PhaseRow(BaseModel):
    """One phase's progress (分阶段进度): the issues of the phase under the same filters as the summary."""

    phase_id: str | None = Field(description="阶段 id，null 为未分阶段 / the phase, null for items without one")
    phase_code: str
    phase_name: str = Field(description="阶段名称（未分阶段为空）/ the phase's name (empty without a phase)")
    starts_on: date | None
    ends_on: date | None
    total: int
    open: int
    closed: int
    cancelled: int
    overdue: int
    closure_rate: float | None
    on_time_rate: float | None


class Summary(Figures, Freshness):
    model_config = ConfigDict(json_schema_extra={"examples": [SUMMARY_EXAMPLE]})

    province: Figures | None = Field(
        default=None, description="全省合计（单位用户）/ province-wide totals, for unit users"
    )
    phases: list[PhaseRow] | None = Field(
        default=None,
        description="分阶段进度：选定专项行动时列出其每个阶段（按定义顺序，选定阶段时只列该阶段），另有未分阶段的事项时"
        "再加一行；未选专项行动时为 null / per-phase progress when a campaign is chosen: each of its phases in the"
        " definition's order (only the chosen one with `phase_id`), plus a row for its items without a phase when"
        " there are any; null without `campaign_id`",
    )


# The figures a meeting compares with the last one and its minutes list, in this order.
KEY_FIGURES = (
    "total",
    "open",
    "closed",
    "cancelled",
    "overdue",
    "closure_rate",
    "on_time_rate",
    "on_time_rate_original",
    "satisfaction_rate",
    "avg_working_days_to_close",
    "reopen_count",
)


class StatusCount(BaseModel):
    status: str
    count: int


class Statuses(Freshness):
    items: list[StatusCount] = Field(description="各状态事项数 / issues per status, every status listed")


class Lights(Freshness):
    """The open issues by their traffic light (红黄绿灯), on the working-day calendar."""

    red: int = Field(description="红灯：已超期 / open and past the deadline")
    yellow: int = Field(description="黄灯：剩余不超过 3 个工作日 / due within 3 working days (today included)")
    green: int = Field(description="绿灯：按期推进 / due later")
    no_deadline: int = Field(description="未定整改时限 / open without a deadline (not yet assigned)")
    today: date = Field(description="今天（北京时间）/ today in Asia/Shanghai")
    due_soon_until: date = Field(description="仍为黄灯的最晚时限 / the latest deadline that is yellow today")


class UnitRow(BaseModel):
    rank: int
    unit_id: str
    unit_code: str
    unit_name: str
    total: int
    open: int
    closed: int
    cancelled: int
    overdue: int
    closure_rate: float | None
    on_time_rate: float | None
    on_time_rate_original: float | None


class UnitRanking(Freshness):
    model_config = ConfigDict(json_schema_extra={"examples": [UNITS_EXAMPLE]})

    items: list[UnitRow]
    red_list: list[str] = Field(description="红榜单位 / best units (ids)")
    black_list: list[str] = Field(description="黑榜单位 / worst units (ids)")


class TrendPoint(BaseModel):
    period: str
    starts_on: date
    ends_on: date
    new: int
    closed: int
    open_at_end: int


class Trend(Freshness):
    model_config = ConfigDict(json_schema_extra={"examples": [TREND_EXAMPLE]})

    granularity: str
    items: list[TrendPoint]


class CategoryRow(BaseModel):
    category_id: str | None
    category_name: str
    total: int
    open: int
    closed: int
    cancelled: int
    overdue: int
    closure_rate: float | None
    on_time_rate: float | None


class Categories(Freshness):
    model_config = ConfigDict(json_schema_extra={"examples": [CATEGORIES_EXAMPLE]})

    items: list[CategoryRow]


class OverdueItem(BaseModel):
    id: str
    code: str | None
    title: str
    campaign_id: str | None
    category_id: str | None
    lead_unit_id: str | None
    lead_unit_name: str
    responsible_name: str | None = Field(
        default=None, description="主办单位责任人 / the lead unit's responsible person (null: none named)"
    )
    co_unit_ids: list[str]
    status: str
    deadline: date
    original_deadline: date | None
    days_overdue: int = Field(description="逾期工作日 / working days past the deadline")
    max_escalation_level: int | None


class OverduePage(Freshness):
    model_config = ConfigDict(json_schema_extra={"examples": [OVERDUE_EXAMPLE]})

    items: list[OverdueItem]
    next_cursor: str | None
    total: int


class AccountabilityUnit(BaseModel):
    unit_id: str
    unit_name: str
    issues: int
    red_cards: int = Field(description="达到通报（红牌）及以上 / at the red-card step or beyond")
    repeated_returns: int
    repeated_rejections: int


class AccountabilityItem(BaseModel):
    id: str
    code: str | None
    title: str
    lead_unit_id: str | None
    lead_unit_name: str
    status: str
    deadline: date | None
    max_escalation_level: int | None
    return_count: int
    reject_count: int
    reasons: list[AccountabilityReason] = Field(description="red_card | repeated_returns | repeated_rejections")


class Accountability(Freshness):
    model_config = ConfigDict(json_schema_extra={"examples": [ACCOUNTABILITY_EXAMPLE]})

    units: list[AccountabilityUnit]
    items: list[AccountabilityItem]
    total: int
