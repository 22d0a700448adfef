"""The calendar API: a year's exceptions to Monday-to-Friday, overrides, and warnings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

CALENDAR_UPDATE_EXAMPLE: dict[str, Any] = {
    "year": 2026,
    "overrides": [{"date": "2026-11-18", "is_working": False, "note": "防汛调休"}],
    "complete": False,
}
CALENDAR_EXAMPLE: dict[str, Any] = {
    "year": 2026,
    "provisional": False,
    "days": [
        {"date": "2026-10-01", "is_working": False, "source": "official", "note": "国庆节", "note_en": "National Day"},
        {"date": "2026-11-18", "is_working": False, "source": "override", "note": "防汛调休", "note_en": ""},
    ],
    "warnings": [],
    "warnings_en": [],
}


class CalendarDayOut(BaseModel):
    date: dt.date
    is_working: bool
    source: str = Field(description="official（国务院安排）| override（管理员调整）")
    note: str = Field(
        description="节日名称（中文，调休日注明“调休”）或管理员的说明 / the holiday's Chinese name, or the admin's note"
    )
    note_en: str = Field(default="", description="the holiday's English name, or the admin's note / 英文名称")


class CalendarOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [CALENDAR_EXAMPLE]})

    year: int
    provisional: bool = Field(description="无官方数据，暂按周一至周五 / no official data: Monday-to-Friday for now")
    days: list[CalendarDayOut] = Field(description="与周一至周五规则不同的日子 / days that differ from Mon-Fri")
    warnings: list[str] = Field(description="给管理员的提醒（中文）/ the admins' warnings in Chinese")
    warnings_en: list[str] = Field(description="the same warnings in English / 英文")


class CalendarDayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: dt.date
    is_working: StrictBool
    note: str = Field(default="", max_length=200)


class CalendarUpdate(BaseModel):
    """Replace the admin overrides of one year; `complete` declares the year's official data known."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [CALENDAR_UPDATE_EXAMPLE]})

    year: StrictInt = Field(ge=2000, le=2100)
    overrides: list[CalendarDayIn] = Field(default_factory=list, max_length=366)
    complete: StrictBool = Field(
        default=False, description="该年度安排已完整录入 / the year's schedule is now complete"
    )

    @model_validator(mode="after")
    def _check(self) -> CalendarUpdate:
        if any(d.date.year != self.year for d in self.overrides):
            raise ValueError(f"every override must fall in {self.year}")
        if len({d.date for d in self.overrides}) != len(self.overrides):
            raise ValueError("a date appears twice")
        return self
