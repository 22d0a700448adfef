"""Escalation policies: steps in working days from the deadline or another moment of the issue."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from notify_api.policies.labels import StepLabel, step_label

POLICY_EXAMPLE: dict[str, Any] = {
    "steps": [
        {
            "code": "T-3",
            "anchor": "deadline",
            "offset_wd": -3,
            "level": 0,
            "recipients": ["lead_unit"],
            "channels": ["inbox"],
        },
        {
            "code": "T+3",
            "anchor": "deadline",
            "offset_wd": 3,
            "level": 3,
            "recipients": ["lead_unit", "office"],
            "channels": ["inbox", "sms"],
        },
    ],
    "ack_within_wd": 2,
}
POLICY_OUT_EXAMPLE: dict[str, Any] = {
    **POLICY_EXAMPLE,
    "campaign_id": "6a1d3c52-8f0e-4f7b-9d0a-2b3c4d5e6f70",
    "is_default": False,
    "version": 3,
    "source": "admin",
    "labels": {"T-3": {"zh": "截止前 3 个工作日", "en": "3 working days before the deadline"}},
}

Anchor = Literal["deadline", "assigned", "last_progress", "submitted"]
Recipient = Literal["lead_unit", "co_units", "office", "leaders"]
StepChannel = Literal["inbox", "email", "sms", "wecom", "dingtalk"]
PolicySource = Literal["default", "admin", "file"]

LEVEL_NAMES = {
    0: ("临近提醒", "Reminder"),
    1: ("催办", "Urge"),
    2: ("督办", "Supervision notice"),
    3: ("通报", "Circulated notice"),
    4: ("约谈/问责", "Accountability"),
}
NUMBERED_LEVELS = frozenset({2, 3})


class PolicyStep(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_+\-]+$", description="步骤代码 / step code")
    anchor: Anchor = Field(description="相对时点 / the moment the offset counts from")
    offset_wd: StrictInt = Field(ge=-30, le=60, description="工作日偏移 / offset in working days")
    level: StrictInt = Field(ge=0, le=4, description="0 临近提醒 … 4 约谈/问责 / level 0-4")
    recipients: list[Recipient] = Field(min_length=1)
    channels: list[StepChannel] = Field(default_factory=lambda: list[StepChannel](["inbox", "email"]))

    @model_validator(mode="after")
    def _check(self) -> PolicyStep:
        if self.anchor != "deadline" and self.offset_wd <= 0:
            raise ValueError("steps not anchored on the deadline need a positive offset")
        if "inbox" not in self.channels:
            raise ValueError("every step goes to the in-app inbox")
        return self


class EscalationPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra={"examples": [POLICY_EXAMPLE]})

    steps: list[PolicyStep] = Field(min_length=1, max_length=30)
    ack_within_wd: StrictInt = Field(
        default=2, ge=1, le=20, description="督办/通报未签收时提前升级的工作日数 / unacknowledged notices climb after"
    )

    @model_validator(mode="after")
    def _check(self) -> EscalationPolicy:
        codes = [s.code for s in self.steps]
        if len(set(codes)) != len(codes):
            raise ValueError("step codes must be unique")
        deadline_steps = sorted((s for s in self.steps if s.anchor == "deadline"), key=lambda s: s.offset_wd)
        levels = [s.level for s in deadline_steps]
        if levels != sorted(levels):
            raise ValueError("levels of deadline steps must not fall as the offset grows")
        return self


_UNITS: list[Recipient] = ["lead_unit", "co_units"]
_LOUD: list[StepChannel] = ["inbox", "email", "sms", "wecom", "dingtalk"]

DEFAULT_POLICY = EscalationPolicy(
    steps=[
        PolicyStep(code="T-3", anchor="deadline", offset_wd=-3, level=0, recipients=_UNITS),
        PolicyStep(code="T-1", anchor="deadline", offset_wd=-1, level=0, recipients=_UNITS),
        PolicyStep(code="T+1", anchor="deadline", offset_wd=1, level=1, recipients=_UNITS, channels=_LOUD[:3]),
        PolicyStep(code="T+3", anchor="deadline", offset_wd=3, level=2, recipients=[*_UNITS, "office"], channels=_LOUD),
        PolicyStep(
            code="T+5",
            anchor="deadline",
            offset_wd=5,
            level=3,
            recipients=["leaders", "office", *_UNITS],
            channels=_LOUD,
        ),
        PolicyStep(code="T+10", anchor="deadline", offset_wd=10, level=4, recipients=["leaders"], channels=_LOUD),
        PolicyStep(code="not-accepted", anchor="assigned", offset_wd=2, level=0, recipients=["lead_unit"]),
        PolicyStep(code="no-progress", anchor="last_progress", offset_wd=10, level=0, recipients=_UNITS),
        PolicyStep(code="pending-review", anchor="submitted", offset_wd=3, level=0, recipients=["office"]),
    ]
)


class PolicyOut(EscalationPolicy):
    model_config = ConfigDict(json_schema_extra={"examples": [POLICY_OUT_EXAMPLE]})

    campaign_id: str
    labels: dict[str, StepLabel] = Field(
        default_factory=dict, description="各步骤名称（按步骤代码）/ each step's name, by step code"
    )
    is_default: bool = Field(description="未单独设置，使用默认策略 / no policy stored: the default applies")
    version: int
    source: PolicySource = Field(
        description="默认策略、管理员设置或专项行动定义文件 / the default, an admin's PUT, or the campaign file"
    )


def labels_of(policy: EscalationPolicy) -> dict[str, StepLabel]:
    """Each step's name, from its moment."""
    return {s.code: step_label(s.code, anchor=s.anchor, offset_wd=s.offset_wd) for s in policy.steps}
