"""The working-day calendar: exceptions to Monday-to-Friday, and which years have official data."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from notify_api.db import Base
from rectify_kit.db import UTCDateTime


class CalendarDay(Base):
    """A day that differs from the Monday-to-Friday rule; `source` is `official` or `override` (admin)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_working: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(200), default="")


class CalendarYear(Base):
    """A year whose data is official: from chinese-calendar, or declared complete by an admin."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(20))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
