"""Bodies and answers of 责任人 and 子任务."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from issues_api.ledger.schemas import Body, ResponsibleOut


class StaffOut(BaseModel):
    """A person of a unit who may be named: the name people read, never the account name."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"id": "7d2f…", "display_name": "张明"}]})

    id: str
    display_name: str


class NameBody(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"user_id": "7d2f0b7c-1c1e-4c55-9d62-0c1f4a7b9e01"}]})

    user_id: str | None = Field(
        description="责任人（本单位在职人员）；null 撤销指定 / the unit's active staff member; null clears it"
    )


class AssigneeOut(BaseModel):
    """One unit's part of an item and the person it named for it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "unit_id": "0b8c…",
                    "unit_name": "政策法规与监督处",
                    "relation": "lead",
                    "user_id": "7d2f…",
                    "display_name": "张明",
                    "named_at": "2026-11-25T02:00:00Z",
                    "can_name": True,
                }
            ]
        }
    )

    unit_id: str
    unit_name: str
    relation: Literal["lead", "co"] = Field(description="主办 lead · 协办 co")
    user_id: str | None = Field(description="责任人 / the responsible person (null: not named yet)")
    display_name: str | None = Field(description="责任人姓名 / their name")
    named_at: datetime | None
    can_name: bool = Field(description="当前用户可指定该单位的责任人 / the caller may name this unit's person")


class SubtaskCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "梳理企业开办材料清单",
                    "assignee_id": "7d2f0b7c-1c1e-4c55-9d62-0c1f4a7b9e01",
                    "deadline": "2026-12-15",
                }
            ]
        }
    )

    unit_id: str | None = Field(
        default=None,
        description="子任务所属单位（主办或协办单位）；单位用户缺省为本单位 / the unit whose part it is; default: "
        "the caller's unit",
    )
    title: str = Field(min_length=1, max_length=300, description="子任务 / what is to be done")
    assignee_id: str = Field(description="承办人（该单位在职人员）/ the unit's active staff member who does it")
    deadline: date = Field(description="完成时限，不得晚于事项整改时限 / due by, not after the item's deadline")
    note: str | None = Field(default=None, max_length=5000, description="说明 / note")


class SubtaskPatch(Body):
    """What may be changed of a sub-task; only the fields sent change."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"deadline": "2026-12-20"}]})

    title: str | None = Field(default=None, min_length=1, max_length=300)
    assignee_id: str | None = Field(default=None, description="承办人 / another staff member of the unit")
    deadline: date | None = Field(default=None, description="不得晚于事项整改时限 / not after the item's deadline")


class SubtaskProgressBody(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"percent": 60, "note": "已完成材料梳理"}]})

    percent: StrictInt = Field(ge=0, le=100, description="完成百分比 / percent done")
    note: str | None = Field(default=None, max_length=5000, description="进展说明 / what was done")
    done: StrictBool | None = Field(
        default=None, description="已完成；缺省时 100% 即完成 / done (default: when percent is 100)"
    )


class SubtaskOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "5a1e…",
                    "issue_id": "3f6b…",
                    "unit_id": "0b8c…",
                    "unit_name": "政策法规与监督处",
                    "title": "梳理企业开办材料清单",
                    "assignee_id": "7d2f…",
                    "assignee_name": "张明",
                    "deadline": "2026-12-15",
                    "percent": 60,
                    "note": "已完成材料梳理",
                    "done": False,
                    "done_at": None,
                    "created_at": "2026-11-25T02:00:00Z",
                    "updated_at": "2026-11-26T02:00:00Z",
                    "past_item_deadline": False,
                    "can_edit": True,
                }
            ]
        }
    )

    id: str
    issue_id: str
    unit_id: str
    unit_name: str
    title: str
    assignee_id: str
    assignee_name: str | None = Field(description="承办人姓名 / the assignee's name")
    deadline: date
    percent: int
    note: str | None
    done: bool
    done_at: datetime | None
    created_at: datetime
    updated_at: datetime
    past_item_deadline: bool = Field(
        description="完成时限晚于事项现行整改时限（如改派时缩短了时限）/ due after the item's deadline in force"
    )
    can_edit: bool = Field(description="当前用户可修改、报送该子任务 / the caller may edit it and report on it")


class PeopleSummary(BaseModel):
    """What the item detail says of its people: each unit's responsible person and the sub-tasks' roll-up."""

    responsible: list[ResponsibleOut] = Field(default_factory=list)
    subtask_total: int = 0
    subtask_done: int = 0
    subtask_progress: int | None = None
