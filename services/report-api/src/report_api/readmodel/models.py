"""Tables of the read model: one fact row per issue, its units, escalations, directory names and rollups."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rectify_kit.cursors import make_cursor_table
from rectify_kit.db import JSONType, UTCDateTime
from report_api.db import Base, metadata

feed_cursors = make_cursor_table(metadata)

# Rollup keys cannot be NULL (they are primary keys): an issue without a lead unit or a phase rolls up under "".
NO_UNIT = ""
NO_PHASE = ""


# Ratings 1-2 are "not satisfied", as issues-api's satisfaction loop (不满意待处理) counts them.
NOT_SATISFIED_UP_TO = 2


class IssueFact(Base):
    """The state of one issue as the feed last told it, with the derived figures precomputed."""

    __tablename__ = "report_issues"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str | None] = mapped_column(String(64))
    campaign_id: Mapped[str | None] = mapped_column(String(36))
    category_id: Mapped[str | None] = mapped_column(String(36))
    phase_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(String(32))
    city: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text(), default="")
    cause: Mapped[str | None] = mapped_column(Text())
    measures: Mapped[str | None] = mapped_column(Text())
    lead_unit_id: Mapped[str | None] = mapped_column(String(36))
    co_unit_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)
    status: Mapped[str] = mapped_column(String(20))
    is_open: Mapped[bool] = mapped_column(Boolean())
    progress_percent: Mapped[int] = mapped_column(Integer(), default=0)
    latest_progress: Mapped[str | None] = mapped_column(Text())
    # 责任人 of the lead unit, by name, as `issue.responsible_named` carried it (null: none named, or the lead changed)
    responsible_name: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_on: Mapped[date | None] = mapped_column(Date())
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_on: Mapped[date | None] = mapped_column(Date())
    cancelled_on: Mapped[date | None] = mapped_column(Date())
    deadline: Mapped[date | None] = mapped_column(Date())
    original_deadline: Mapped[date | None] = mapped_column(Date())
    # The deadline while the issue is open, else NULL: overdue counts are an index range scan on it.
    open_deadline: Mapped[date | None] = mapped_column(Date())
    deadline_history: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    reopen_count: Mapped[int] = mapped_column(Integer(), default=0)
    return_count: Mapped[int] = mapped_column(Integer(), default=0)
    reject_count: Mapped[int] = mapped_column(Integer(), default=0)
    satisfaction: Mapped[bool | None] = mapped_column(Boolean())
    rating: Mapped[int | None] = mapped_column(Integer())
    # Appeals of submitters against the office's answer to a "not satisfied" (`intake.appealed`).
    appeals: Mapped[int] = mapped_column(Integer(), default=0, server_default="0")
    max_escalation_level: Mapped[int | None] = mapped_column(Integer())
    on_time: Mapped[bool | None] = mapped_column(Boolean())
    on_time_original: Mapped[bool | None] = mapped_column(Boolean())
    assign_to_close_wd: Mapped[int | None] = mapped_column(Integer())
    last_seq: Mapped[int] = mapped_column(BigInteger(), default=0)

    __table_args__ = (
        Index("ix_report_issues_campaign_open_deadline", "campaign_id", "open_deadline"),
        Index("ix_report_issues_lead_open_deadline", "lead_unit_id", "open_deadline"),
        # Open issues not yet due, counted by campaign, phase or lead unit from the index alone (overdue figures).
        Index("ix_report_issues_open_deadline_keys", "open_deadline", "campaign_id", "phase_id", "lead_unit_id"),
        Index("ix_report_issues_campaign_created_on", "campaign_id", "created_on"),
        Index("ix_report_issues_closed_on", "closed_on"),
        Index("ix_report_issues_campaign_phase", "campaign_id", "phase_id"),
    )


class IssueUnit(Base):
    """Every unit an issue belongs to (lead or co-unit): the unit filter and unit scoping read it."""

    __tablename__ = "report_issue_units"

    issue_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    role: Mapped[str] = mapped_column(String(8))

    __table_args__ = (Index("ix_report_issue_units_unit_id", "unit_id"),)


class Escalation(Base):
    """An escalation step notify-api fired on an issue."""

    __tablename__ = "report_escalations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    issue_id: Mapped[str] = mapped_column(String(36), index=True)
    campaign_id: Mapped[str | None] = mapped_column(String(36))
    unit_id: Mapped[str | None] = mapped_column(String(36))
    level: Mapped[int] = mapped_column(Integer())
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AccountabilityRecord(Base):
    """A decision about a unit (约谈, 通报批评, 问责 …) as issues-api's `accountability.recorded` carried it."""

    __tablename__ = "report_accountability_records"
    __table_args__ = (Index("ix_report_accountability_campaign_decided", "campaign_id", "decided_on"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(36))
    unit_id: Mapped[str] = mapped_column(String(36))
    issue_ids: Mapped[list[str]] = mapped_column(JSONType, default=list)
    kind: Mapped[str] = mapped_column(String(20))
    decided_on: Mapped[date] = mapped_column(Date())
    outcome: Mapped[str] = mapped_column(Text())
    document: Mapped[str | None] = mapped_column(String(200))


class CalendarOverride(Base):
    """A day the administrators set apart from the official schedule, as notify-api's `calendar.updated` last
    told it: working days are counted on chinese-calendar's schedule with these on top (rectify_kit.workdays)."""

    __tablename__ = "report_calendar_overrides"

    day: Mapped[date] = mapped_column(Date(), primary_key=True)
    is_working: Mapped[bool] = mapped_column(Boolean())


class UnitName(Base):
    __tablename__ = "report_units"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(Text(), default="")


class Account(Base):
    """A user as the directory events last described them: only what token checks need, no contacts."""

    __tablename__ = "report_accounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[str | None] = mapped_column(String(36))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class ClientAccount(Base):
    """An integration client as the directory events last described it (`client.*`): for token checks."""

    __tablename__ = "report_clients"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    scopes: Mapped[str] = mapped_column(Text(), default="")  # space-separated
    # The units it is bound to (space-separated): its tokens carry them, and a token claiming one it lost is void.
    unit_ids: Mapped[str] = mapped_column(Text(), default="")
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class CampaignName(Base):
    __tablename__ = "report_campaigns"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(Text(), default="")


class CategoryName(Base):
    __tablename__ = "report_categories"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(36))
    code: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(Text(), default="")


class PhaseName(Base):
    """A phase (阶段) of a campaign as the Campaign payload last listed it, in its order there."""

    __tablename__ = "report_phases"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(36), index=True)
    code: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(Text(), default="")
    starts_on: Mapped[date | None] = mapped_column(Date())
    ends_on: Mapped[date | None] = mapped_column(Date())
    position: Mapped[int] = mapped_column(Integer(), default=0)


class RollupMeasures:
    """The measures every status rollup sums: issue counts and closure measures."""

    n: Mapped[int] = mapped_column(BigInteger(), default=0)
    on_time: Mapped[int] = mapped_column(BigInteger(), default=0)
    on_time_original: Mapped[int] = mapped_column(BigInteger(), default=0)
    sat_yes: Mapped[int] = mapped_column(BigInteger(), default=0)
    sat_answered: Mapped[int] = mapped_column(BigInteger(), default=0)
    # 满意度回访: rated not satisfied (satisfaction false or a rating of 1-2), and appeals.
    dissatisfied: Mapped[int] = mapped_column(BigInteger(), default=0, server_default="0")
    appeals: Mapped[int] = mapped_column(BigInteger(), default=0, server_default="0")
    reopen_sum: Mapped[int] = mapped_column(BigInteger(), default=0)
    wd_sum: Mapped[int] = mapped_column(BigInteger(), default=0)
    wd_n: Mapped[int] = mapped_column(BigInteger(), default=0)
    # Issues with a deadline: overdue = open ones with a deadline − open ones not yet due (few, an index range).
    with_deadline: Mapped[int] = mapped_column(BigInteger(), default=0)


class PhaseRollup(RollupMeasures, Base):
    """The measures by (campaign, phase, status): a few rows a campaign, so the headline figures, a phase's and
    the per-phase breakdown sum a few hundred rows however many issues there are."""

    __tablename__ = "report_rollup_phase"

    campaign_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    phase_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)


class LeadUnitRollup(RollupMeasures, Base):
    """The measures by (lead unit, status): the unit ranking of everything sums a few hundred rows, not the
    campaigns' and phases' thousands in `report_rollup_unit`."""

    __tablename__ = "report_rollup_lead_unit"

    lead_unit_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)


class UnitRollup(RollupMeasures, Base):
    """The measures by (campaign, phase, lead unit, status): the unit ranking, of everything, a campaign or a
    phase."""

    __tablename__ = "report_rollup_unit"

    campaign_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    phase_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    lead_unit_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)


class StatusRollup(RollupMeasures, Base):
    """The measures by (campaign, lead unit, source, status): the answers under a source filter."""

    __tablename__ = "report_rollup_status"

    campaign_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    lead_unit_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)


class DailyRollup(Base):
    """Issues created, closed and cancelled per day (Asia/Shanghai), campaign and phase: the trend's answer, of
    everything, a campaign or a phase.

    A few rows per day (a campaign runs one or two phases at a time); trends filtered further read the facts.
    """

    __tablename__ = "report_rollup_daily"

    day: Mapped[date] = mapped_column(Date(), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    phase_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created: Mapped[int] = mapped_column(BigInteger(), default=0)
    closed: Mapped[int] = mapped_column(BigInteger(), default=0)
    cancelled: Mapped[int] = mapped_column(BigInteger(), default=0)
