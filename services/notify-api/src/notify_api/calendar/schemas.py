"""The calendar API: a year's exceptions to Monday-to-Friday, overrides, and warnings."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator


class CalendarDayOut(BaseModel):
    date: dt.date
    is_working: bool
    source: str = Field(description="official（国务院安排）| override（管理员调整）")
    note: str


class CalendarOut(BaseModel):
    year: int
    provisional: bool = Field(description="无官方数据，暂按周一至周五 / no official data: Monday-to-Friday for now")
    days: list[CalendarDayOut] = Field(description="与周一至周五规则不同的日子 / days that differ from Mon-Fri")
    warnings: list[str]


class CalendarDayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: dt.date
    is_working: bool
    note: str = Field(default="", max_length=200)


class CalendarUpdate(BaseModel):
    """Replace the admin overrides of one year; `complete` declares the year's official data known."""

    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=2100)
    overrides: list[CalendarDayIn] = Field(default_factory=list, max_length=366)
    complete: bool = Field(default=False, description="该年度安排已完整录入 / the year's schedule is now complete")

    @model_validator(mode="after")
    def _check(self) -> CalendarUpdate:
        if any(d.date.year != self.year for d in self.overrides):
            raise ValueError(f"every override must fall in {self.year}")
        if len({d.date for d in self.overrides}) != len(self.overrides):
            raise ValueError("a date appears twice")
        return self
