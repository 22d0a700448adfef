"""Request and response bodies of the ledger API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from issues_api.ledger import examples
from issues_api.ledger.workflow import Action, Status

Kind = Literal["problem", "task"]
Source = Literal["self_inspection", "inspection", "public", "assigned", "integration"]
ReturnReason = Literal["not_our_remit", "needs_another_unit", "duplicate", "insufficient_information", "other"]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class IssueCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BODIES["IssueCreate"]]})

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
    phase_id: str | None = Field(
        default=None,
        description="所属阶段；缺省为登记当日所处阶段 / the campaign's phase; default: the phase of the day",
    )


class IssuePatch(Body):
    """Fields the office may correct; every field is optional, only those sent change."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.BODIES["IssuePatch"]]})

    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, min_length=1, max_length=20_000)
    kind: Kind | None = None
    category_id: str | None = None
    cause: str | None = Field(default=None, max_length=20_000)
    measures: str | None = Field(default=None, max_length=20_000)
    requirements: str | None = Field(default=None, max_length=20_000)
    city: str | None = Field(default=None, max_length=20)
    phase_id: str | None = Field(default=None, description="所属阶段 / the campaign's phase")


class AssignBody(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BODIES["AssignBody"]]})

    lead_unit_id: str = Field(description="主办单位 / lead unit")
    co_unit_ids: list[str] = Field(default_factory=list, max_length=50, description="协办单位 / co-units")
    deadline: date | None = Field(
        default=None,
        description="整改时限；缺省为所属阶段的结束日 / deadline; default: the end of the item's phase",
    )
    requirements: str | None = Field(default=None, max_length=20_000, description="要求 / requirements")


class IssueCreateAndAssign(IssueCreate):
    """登记 and, with `assign`, 交办 in the same request (one transaction: a refused assignment registers nothing)."""

    assign: AssignBody | None = Field(
        default=None, description="登记并交办 / assign at once, as `POST /issues/{id}/assign` takes it"
    )


class AcceptBody(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BODIES["AcceptBody"]]})

    note: str | None = Field(default=None, max_length=2000, description="接收备注 / a note kept with the acceptance")


class ReturnBody(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BODIES["ReturnBody"]]})

    reason_code: ReturnReason = Field(default="other", description="退回原因代码 / reason code")
    reason: str = Field(min_length=1, max_length=5000, description="退回理由 / reason")


class ProgressBody(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BODIES["ProgressBody"]]})

    content: str = Field(min_length=1, max_length=20_000, description="进展情况 / progress")
    percent: StrictInt = Field(ge=0, le=100, description="完成百分比 / percent done")


class CompletionBody(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BODIES["CompletionBody"]]})

    summary: str = Field(min_length=1, max_length=20_000, description="整改结果 / completion summary")


class CloseBody(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BODIES["CloseBody"]]})

    comment: str | None = Field(default=None, max_length=5000, description="销号意见 / comment")


class ReasonBody(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BODIES["ReasonBody"]]})

    reason: str = Field(min_length=1, max_length=5000, description="理由 / reason")


class ContentBody(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BODIES["ContentBody"]]})

    content: str = Field(min_length=1, max_length=20_000, description="内容 / content")


class ExtensionRequestBody(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BODIES["ExtensionRequestBody"]]})

    new_deadline: date = Field(description="申请延至 / requested deadline")
    reason: str = Field(min_length=1, max_length=5000, description="延期理由 / reason")


class ExtensionDecisionBody(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BODIES["ExtensionDecisionBody"]]})

    approved: StrictBool = Field(description="是否同意 / approved")
    comment: str | None = Field(default=None, max_length=5000)


class CoUnitOut(BaseModel):
    unit_id: str
    status: Literal["pending", "accepted", "filed", "waived"]


class DeadlineOut(BaseModel):
    deadline: date
    kind: Literal["initial", "extension", "reassign"]
    at: datetime


class ResponsibleOut(BaseModel):
    """责任人: the person a unit named for its part of the item."""

    unit_id: str
    user_id: str
    display_name: str


class IssueOut(BaseModel):
    """The ledger item as every client sees it: the `issue` of events, with `overdue` and (names only, never
    contacts) each unit's responsible person."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.ISSUE]})

    id: str
    code: str
    campaign_id: str
    category_id: str | None
    phase_id: str | None = Field(description="所属阶段 / the campaign's phase")
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
    status: Status
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
    responsible: list[ResponsibleOut] = Field(
        default_factory=list, description="各单位指定的责任人（主办在前）/ each unit's responsible person, lead first"
    )


class IssueDetail(IssueOut):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ISSUE_DETAIL]})

    allowed_actions: list[Action] = Field(description="当前用户可执行的操作 / steps the caller may take now")
    subtask_total: int = Field(default=0, description="子任务数 / sub-tasks")
    subtask_done: int = Field(default=0, description="已完成的子任务 / sub-tasks done")
    subtask_progress: int | None = Field(
        default=None, description="子任务平均完成百分比，无子任务为 null / the sub-tasks' mean percent done"
    )


class ExtensionOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.EXTENSION]})

    id: str
    new_deadline: date
    reason: str
    status: Literal["pending", "approved", "denied"]
    requested_by: str = Field(description="申请人 / the requester's account id")
    requested_by_name: str | None = Field(
        default=None, description="申请人姓名 / the requester's name in the directory (null when unknown)"
    )
    requested_at: datetime
    decided_at: datetime | None
    comment: str | None


class TimelineActor(BaseModel):
    """Who took a step, as the event recorded them, with the names people read, looked up when it is read."""

    model_config = ConfigDict(extra="allow")

    kind: str = Field(description="user | client | public | system")
    id: str | None
    username: str | None
    role: str | None
    unit_id: str | None
    display_name: str | None = Field(description="姓名或接入系统名称 / the user's or the client's display name")
    unit_name: str | None = Field(description="所在单位名称 / the name of the actor's unit")


class IssueTimelineEntry(BaseModel):
    seq: int
    type: str
    occurred_at: datetime
    actor: TimelineActor
    data: dict[str, object] = Field(description="the event's data without the issue state")


class Timeline(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.TIMELINE]})

    items: list[IssueTimelineEntry]


class TransitionOut(BaseModel):
    """One row of the workflow table."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.TRANSITION]})

    status: str
    action: str
    next_status: str
    roles: list[str]
    required: list[str]
    unit_relation: str | None
    event: str
