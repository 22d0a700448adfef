"""Bodies of the saved views: the filters are those of `GET /api/v1/issues`, each checked as the list checks it."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from issues_api.ledger.list_params import IssueSort
from issues_api.ledger.schemas import Source
from issues_api.ledger.workflow import Status


class ViewFilters(BaseModel):
    """The ledger's filters and sort, as the list's query parameters; unset ones are left out."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    campaign_id: str | None = Field(default=None, max_length=36)
    status: list[Status] | None = Field(default=None, max_length=7)
    unit_id: str | None = Field(default=None, max_length=36)
    category_id: str | None = Field(default=None, max_length=36)
    phase_id: str | None = Field(default=None, max_length=36)
    source: Source | None = None
    overdue: StrictBool | None = None
    q: str | None = Field(default=None, max_length=200)
    open: StrictBool | None = None
    deadline_from: date | None = None
    deadline_to: date | None = None
    extension_pending: StrictBool | None = None
    rework: StrictBool | None = None
    mine: StrictBool | None = Field(default=None, description="我负责的 / the viewer's own items")
    sort: IssueSort | None = None

    @model_validator(mode="after")
    def _window(self) -> ViewFilters:
        if self.deadline_from and self.deadline_to and self.deadline_from > self.deadline_to:
            raise ValueError("deadline_to must not be before deadline_from / 截止日不能早于起始日")
        return self


class SavedViewCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"name": "超期未办结", "filters": {"overdue": True, "sort": "urgency"}}]},
    )

    name: str = Field(min_length=1, max_length=60, description="名称 / the view's name, unique per user")
    filters: ViewFilters


class SavedViewOut(BaseModel):
    id: str
    name: str
    filters: ViewFilters
    created_at: datetime
