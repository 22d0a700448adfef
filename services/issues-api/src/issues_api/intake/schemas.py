"""Bodies of the public intake: what the public sends and sees, and what the office works with."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

IntakeStatus = Literal["submitted", "accepted", "merged", "rejected"]
PublicStatus = Literal["submitted", "accepted", "processing", "closed", "cancelled", "rejected"]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SubmissionCreate(Body):
    title: str = Field(min_length=1, max_length=200, description="诉求标题 / title", examples=["审批材料要求重复提交"])
    content: str = Field(min_length=1, max_length=5000, description="诉求内容 / what happened")
    category_id: str | None = Field(default=None, max_length=36, description="领域分类 / category")
    city: str | None = Field(default=None, max_length=20, description="地区代码 / region code")
    enterprise_name: str | None = Field(default=None, max_length=200, description="企业名称 / enterprise")
    contact_name: str | None = Field(default=None, max_length=100, description="联系人 / contact name")
    contact_phone: str | None = Field(default=None, max_length=40, pattern=r"^[0-9+\- ()]{3,40}$")
    contact_email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")


class SubmissionCreated(BaseModel):
    tracking_code: str = Field(description="查询码，请妥善保存 / keep this code to follow your submission")


class TimelineEntry(BaseModel):
    at: datetime
    status: str
    text: str = Field(description="中文说明 / Chinese text")
    text_en: str


class FeedbackOut(BaseModel):
    satisfied: bool
    rating: int
    comment: str | None


class PublicSubmission(BaseModel):
    """What anyone holding the tracking code sees: never a name, phone, email or the staff handling it."""

    tracking_code: str
    status: PublicStatus
    title: str
    submitted_at: datetime
    timeline: list[TimelineEntry]
    public_reply: str | None
    can_feedback: bool
    feedback: FeedbackOut | None


class FeedbackCreate(Body):
    satisfied: bool = Field(description="是否满意 / satisfied")
    rating: int = Field(ge=1, le=5, description="评分 1-5 / rating")
    comment: str | None = Field(default=None, max_length=1000)


class IntakeOut(BaseModel):
    """A submission as the office sees it, contacts included."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    code_hint: str = Field(description="查询码末四位 / last group of the tracking code")
    status: IntakeStatus
    title: str
    content: str
    category_id: str | None
    city: str | None
    enterprise_name: str | None
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    issue_id: str | None
    public_reply: str | None
    submitted_at: datetime
    decided_at: datetime | None
    satisfied: bool | None
    rating: int | None
    feedback_comment: str | None


class AcceptBody(Body):
    campaign_id: str | None = Field(default=None, description="专项行动（默认最新）/ campaign (default: latest)")
    category_id: str | None = Field(default=None, description="分类（默认诉求所选）/ category")
    title: str | None = Field(default=None, min_length=1, max_length=300, description="台账标题 / ledger title")
    public_reply: str | None = Field(default=None, max_length=2000, description="对外答复 / public reply")


class MergeBody(Body):
    issue_id: str = Field(description="重复诉求并入的问题 / the issue it duplicates")
    public_reply: str | None = Field(default=None, max_length=2000)


class RejectBody(Body):
    reason: str = Field(min_length=1, max_length=2000, description="不予受理理由（公开）/ public reason")


class ReplyBody(Body):
    reply: str = Field(min_length=1, max_length=2000, description="对外答复 / public reply")
