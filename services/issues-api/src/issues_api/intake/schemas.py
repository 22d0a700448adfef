"""Bodies of the public intake: what the public sends and sees, and what the office works with."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from issues_api.intake import examples
from issues_api.ledger.schemas import AssignBody

IntakeStatus = Literal["submitted", "accepted", "merged", "rejected"]
PublicStatus = Literal["submitted", "accepted", "processing", "closed", "cancelled", "rejected"]
NotifyBy = Literal["sms", "email"]
Followup = Literal["pending", "reopened", "answered"]
StageKey = Literal["submitted", "accepted", "rejected", "assigned", "processing", "closed", "cancelled"]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SubmissionCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.SUBMISSION_CREATE]})

    title: str = Field(min_length=1, max_length=200, description="诉求标题 / title", examples=["审批材料要求重复提交"])
    content: str = Field(min_length=1, max_length=5000, description="诉求内容 / what happened")
    category_id: str | None = Field(default=None, max_length=36, description="领域分类 / category")
    city: str | None = Field(default=None, max_length=20, description="地区代码 / region code")
    enterprise_name: str | None = Field(default=None, max_length=200, description="企业名称 / enterprise")
    contact_name: str | None = Field(default=None, max_length=100, description="联系人 / contact name")
    contact_phone: str | None = Field(default=None, max_length=40, pattern=r"^[0-9+\- ()]{3,40}$")
    contact_email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    notify_by: NotifyBy | None = Field(
        default=None,
        description="同意通过短信或邮件告知办理进展（需填写对应联系方式）/ consent to be told by SMS or email",
    )
    website: str | None = Field(
        default=None,
        max_length=200,
        description="请留空（防机器人字段）/ leave empty: a field only robots fill in",
    )

    @model_validator(mode="after")
    def _channel_has_contact(self) -> Self:
        if self.notify_by == "sms" and not self.contact_phone:
            raise ValueError("notify_by sms needs contact_phone / 选择短信告知需填写手机号")
        if self.notify_by == "email" and not self.contact_email:
            raise ValueError("notify_by email needs contact_email / 选择邮件告知需填写邮箱")
        return self


class SubmissionCreated(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.SUBMISSION_CREATED]})

    tracking_code: str = Field(description="查询码，请妥善保存 / keep this code to follow your submission")
    folded: bool = Field(
        default=False, description="24 小时内相同内容已提交过：沿用原查询码 / a repeat of your earlier submission"
    )


class TimelineEntry(BaseModel):
    at: datetime
    status: str
    text: str = Field(description="中文说明 / Chinese text")
    text_en: str


class Stage(BaseModel):
    """One stage of the way, in plain words; `done` once reached, `current` for the latest reached."""

    key: StageKey
    done: bool
    current: bool
    at: datetime | None
    text: str
    text_en: str
    detail: str
    detail_en: str


class ReplyOut(BaseModel):
    id: str
    at: datetime
    content: str
    on: Literal["submission", "issue"] = Field(description="答复本诉求或其所在问题 / on this submission or its issue")


class FeedbackOut(BaseModel):
    satisfied: bool
    rating: int
    comment: str | None


class AppealOut(BaseModel):
    at: datetime
    reason: str


class PublicSubmission(BaseModel):
    """What anyone holding the tracking code sees: never a name, phone, email or the staff handling it."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.PUBLIC_SUBMISSION]})

    tracking_code: str
    status: PublicStatus
    title: str
    submitted_at: datetime
    timeline: list[TimelineEntry]
    public_reply: str | None
    can_feedback: bool
    feedback: FeedbackOut | None
    stages: list[Stage] = Field(description="办理各阶段 / each stage, in plain words")
    unit_name: str | None = Field(description="责任单位 / the responsible unit")
    expected_date: date | None = Field(description="预计办结日期（现行整改时限）/ expected by (deadline in force)")
    replies: list[ReplyOut] = Field(description="全部公开答复，先早后晚 / every public reply, oldest first")
    followup: Followup | None = Field(description="不满意后的处理 / what became of a 'not satisfied'")
    can_appeal: bool = Field(description="可申诉一次 / the one appeal is open")
    appeal: AppealOut | None


class RevealBody(Body):
    phone_last4: str = Field(pattern=r"^[0-9]{4}$", description="提交时所留手机号的后四位 / last four digits")


class RevealedSubmission(BaseModel):
    """The submitter's own text, after the last four digits of their phone: still no contact shown."""

    title: str
    content: str
    city: str | None
    enterprise_name: str | None
    submitted_at: datetime
    notify_by: NotifyBy | None


class FeedbackCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.FEEDBACK_CREATE]})

    satisfied: StrictBool = Field(description="是否满意 / satisfied")
    rating: StrictInt = Field(ge=1, le=5, description="评分 1-5（1-2 为不满意）/ rating, 1-2 is not satisfied")
    comment: str | None = Field(default=None, max_length=1000)


class AppealBody(Body):
    reason: str = Field(min_length=1, max_length=1000, description="申诉理由 / why the answer does not settle it")


class IntakeOut(BaseModel):
    """A submission as the office sees it; contacts only when asked for (each such read is audited)."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [examples.INTAKE]})

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
    notify_by: NotifyBy | None = None
    has_contact: bool = Field(default=False, description="留有联系方式 / left a phone or email")
    followup: Followup | None = Field(default=None, description="不满意待处理 / the satisfaction follow-up")
    followup_at: datetime | None = None
    appealed_at: datetime | None = None
    appeal_reason: str | None = None


class ContactOut(BaseModel):
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    notify_by: NotifyBy | None


class AcceptBody(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ACCEPT]})

    campaign_id: str | None = Field(default=None, description="专项行动（默认最新）/ campaign (default: latest)")
    category_id: str | None = Field(default=None, description="分类（默认诉求所选）/ category")
    title: str | None = Field(default=None, min_length=1, max_length=300, description="台账标题 / ledger title")
    public_reply: str | None = Field(default=None, max_length=2000, description="对外答复 / public reply")
    assign: AssignBody | None = Field(default=None, description="受理并同时交办 / accept and assign in one step")


class MergeBody(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.MERGE]})

    issue_id: str = Field(description="重复诉求并入的问题 / the issue it duplicates")
    public_reply: str | None = Field(default=None, max_length=2000)


class RejectBody(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.REJECT]})

    reason: str = Field(min_length=1, max_length=2000, description="不予受理理由（公开）/ public reason")


class ReplyBody(Body):
    reply: str = Field(min_length=1, max_length=2000, description="对外答复 / public reply")


class PublicReplyBody(Body):
    content: str = Field(
        min_length=1,
        max_length=2000,
        examples=["该问题已交石家庄市办理，预计 12 月底前完成。"],
        description="公开答复 / public reply",
    )


class FollowupBody(Body):
    action: Literal["reopen", "answer"] = Field(description="重新办理或答复说明 / reopen the issue, or answer why not")
    reason: str = Field(min_length=1, max_length=2000, description="重新办理理由（内部）或对外答复 / reason or reply")


class SimilarIssue(BaseModel):
    id: str
    code: str
    title: str
    status: str
    category_id: str | None
    lead_unit_id: str | None
    deadline: date | None
    score: float = Field(description="文本相似度 0-1 / text similarity")
