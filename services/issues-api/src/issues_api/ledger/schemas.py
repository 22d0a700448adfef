"""Request and response bodies of the ledger API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["problem", "task"]
Source = Literal["self_inspection", "inspection", "public", "assigned", "integration"]
Status = Literal["registered", "assigned", "returned", "in_progress", "pending_review", "closed", "cancelled"]
ReturnReason = Literal["not_our_remit", "needs_another_unit", "duplicate", "insufficient_information", "other"]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class IssueCreate(Body):
    campaign_id: str = Field(description="专项行动 / campaign")
    title: str = Field(min_length=1, max_length=300, description="问题标题 / title")
    description: str = Field(min_length=1, max_length=20_000, description="问题描述 / description")
    kind: Kind = Field(default="problem", description="问题 problem 或任务 task")
    source: Source = Field(default="assigned", description="来源 / source")
    category_id: str | None = Field(default=None, description="领域分类 / category")
    cause: str | None = Field(default=None, max_length=20_000, description="原因 / cause")
    measures: str | None = Field(default=None, max_length=20_000, description="措施 / measures")
    requirements: str | None = Field(default=None, max_length=20_000, description="要求 / requirements")
    city: str | None = Field(default=None, max_length=20, description="地区代码 / region code")


class IssuePatch(Body):
    """Fields the office may correct; every field is optional, only those sent change."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, min_length=1, max_length=20_000)
    kind: Kind | None = None
    category_id: str | None = None
    cause: str | None = Field(default=None, max_length=20_000)
    measures: str | None = Field(default=None, max_length=20_000)
    requirements: str | None = Field(default=None, max_length=20_000)
    city: str | None = Field(default=None, max_length=20)


class AssignBody(Body):
    lead_unit_id: str = Field(description="主办单位 / lead unit")
    co_unit_ids: list[str] = Field(default_factory=list, max_length=50, description="协办单位 / co-units")
    deadline: date = Field(description="整改时限 / deadline")
    requirements: str | None = Field(default=None, max_length=20_000, description="要求 / requirements")


class ReturnBody(Body):
    reason_code: ReturnReason = Field(default="other", description="退回原因代码 / reason code")
    reason: str = Field(min_length=1, max_length=5000, description="退回理由 / reason")


class ProgressBody(Body):
    content: str = Field(min_length=1, max_length=20_000, description="进展情况 / progress")
    percent: int = Field(ge=0, le=100, description="完成百分比 / percent done")


class CompletionBody(Body):
    summary: str = Field(min_length=1, max_length=20_000, description="整改结果 / completion summary")


class CloseBody(Body):
    comment: str | None = Field(default=None, max_length=5000, description="销号意见 / comment")


class ReasonBody(Body):
    reason: str = Field(min_length=1, max_length=5000, description="理由 / reason")


class ContentBody(Body):
    content: str = Field(min_length=1, max_length=20_000, description="内容 / content")


class ExtensionRequestBody(Body):
    new_deadline: date = Field(description="申请延至 / requested deadline")
    reason: str = Field(min_length=1, max_length=5000, description="延期理由 / reason")


class ExtensionDecisionBody(Body):
    approved: bool = Field(description="是否同意 / approved")
    comment: str | None = Field(default=None, max_length=5000)


class CoUnitOut(BaseModel):
    unit_id: str
    status: Literal["pending", "accepted", "filed", "waived"]


class DeadlineOut(BaseModel):
    deadline: date
    kind: Literal["initial", "extension", "reassign"]
    at: datetime


class IssueOut(BaseModel):
    """The ledger item as every client sees it (the same shape as `issue` in events)."""

    id: str
    code: str
    campaign_id: str
    category_id: str | None
    kind: Kind
    source: Source
    title: str
    description: str
    cause: str | None
    measures: str | None
    requirements: str | None
    lead_unit_id: str | None
    co_unit_ids: list[str]
    co_units: list[CoUnitOut]
    city: str | None
    deadline: date | None
    original_deadline: date | None
    deadline_history: list[DeadlineOut]
    status: str
    progress_percent: int
    reopen_count: int
    return_count: int
    flagged: bool
    satisfaction: bool | None
    rating: int | None
    overdue: bool = Field(description="逾期（派生）/ open and past its deadline")
    created_at: datetime
    assigned_at: datetime | None
    accepted_at: datetime | None
    submitted_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    last_progress_at: datetime | None
    version: int


class IssueDetail(IssueOut):
    allowed_actions: list[str] = Field(description="当前用户可执行的操作 / steps the caller may take now")


class ExtensionOut(BaseModel):
    id: str
    new_deadline: date
    reason: str
    status: Literal["pending", "approved", "denied"]
    requested_at: datetime
    decided_at: datetime | None
    comment: str | None


class TimelineEntry(BaseModel):
    seq: int
    type: str
    occurred_at: datetime
    actor: dict[str, object]
    data: dict[str, object] = Field(description="the event's data without the issue state")


class Timeline(BaseModel):
    items: list[TimelineEntry]


class TransitionOut(BaseModel):
    """One row of the workflow table."""

    status: str
    action: str
    next_status: str
    roles: list[str]
    required: list[str]
    unit_relation: str | None
    event: str
