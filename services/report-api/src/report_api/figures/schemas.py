"""Answers of the report endpoints."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class Freshness(BaseModel):
    as_of_seq: int = Field(description="最后应用的事件序号 / last issues-feed event applied")
    lag_events: int = Field(description="尚未应用的事件数 / events not yet applied (both feeds)")


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
    avg_working_days_to_close: float | None = Field(description="交办至销号平均工作日 / assignment to closure")
    reopen_count: int = Field(description="重新打开次数 / reopens")
    escalations_by_level: dict[str, int] = Field(description="各级督办次数 / escalations by level 0–4")


class Summary(Figures, Freshness):
    province: Figures | None = Field(
        default=None, description="全省合计（单位用户）/ province-wide totals, for unit users"
    )


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
    items: list[CategoryRow]


class OverdueItem(BaseModel):
    id: str
    code: str | None
    title: str
    campaign_id: str | None
    category_id: str | None
    lead_unit_id: str | None
    lead_unit_name: str
    co_unit_ids: list[str]
    status: str
    deadline: date
    original_deadline: date | None
    days_overdue: int = Field(description="逾期工作日 / working days past the deadline")
    max_escalation_level: int | None


class OverduePage(Freshness):
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
    reasons: list[str] = Field(description="red_card | repeated_returns | repeated_rejections")


class Accountability(Freshness):
    units: list[AccountabilityUnit]
    items: list[AccountabilityItem]
    total: int
