"""Texts of the exports and meeting reports: Chinese by default, English on request."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request

from rectify_kit.errors import prefers_english

Lang = Literal["zh", "en"]

STATUS = {
    "zh": {
        "registered": "已登记",
        "assigned": "已交办",
        "returned": "已退回",
        "in_progress": "整改中",
        "pending_review": "待审核",
        "closed": "已销号",
        "cancelled": "已撤销",
    },
    "en": {
        "registered": "Registered",
        "assigned": "Assigned",
        "returned": "Returned",
        "in_progress": "In progress",
        "pending_review": "Pending review",
        "closed": "Closed",
        "cancelled": "Cancelled",
    },
}

LEDGER_COLUMNS = {
    "zh": [
        "序号",
        "编号",
        "问题",
        "原因",
        "措施",
        "责任单位",
        "配合单位",
        "责任人",
        "整改时限",
        "进展",
        "状态",
        "销号时间",
    ],
    "en": [
        "No.",
        "Code",
        "Problem",
        "Cause",
        "Measures",
        "Lead unit",
        "Co-units",
        "Responsible person",
        "Deadline",
        "Progress",
        "Status",
        "Closed at",
    ],
}

TEXTS = {
    "zh": {
        "ledger": "整改台账",
        "no_unit": "未交办",
        "meeting_title": "{campaign}整改工作例会材料（{period}）",
        "summary_heading": "一、总体情况",
        "kpi_heading": "二、主要指标",
        "units_heading": "三、各单位整改情况",
        "overdue_heading": "四、逾期未销号问题",
        "key_heading": "五、重点问题",
        "charts_heading": "六、图表",
        "summary_text": (
            "截至{as_of}，共登记问题{total}个，已销号{closed}个，撤销{cancelled}个，在办{open}个，"
            "其中逾期{overdue}个；销号率{closure_rate}，按期销号率{on_time_rate}（按原定时限{on_time_rate_original}）。"
        ),
        "indicator": "指标",
        "value": "本期",
        "change": "较上次例会",
        "rank": "排名",
        "unit": "单位",
        "responsible": "责任人",
        "total": "问题总数",
        "open": "在办",
        "closed": "已销号",
        "cancelled": "撤销",
        "overdue": "逾期",
        "closure_rate": "销号率",
        "on_time_rate": "按期销号率",
        "on_time_rate_original": "按期销号率（原定时限）",
        "satisfaction_rate": "满意率",
        "avg_working_days_to_close": "平均办结工作日",
        "reopen_count": "重新打开次数",
        "code": "编号",
        "title": "问题",
        "deadline": "整改时限",
        "days_overdue": "逾期工作日",
        "level": "督办级别",
        "reasons": "原因",
        "status": "状态",
        "none": "无",
        "first_meeting": "首次例会",
        "red_card": "已通报",
        "repeated_returns": "多次退回",
        "repeated_rejections": "多次驳回",
        "sheet_kpi": "主要指标",
        "sheet_units": "单位排名",
        "sheet_overdue": "逾期清单",
        "sheet_key": "重点问题",
        "sheet_trend": "趋势",
        "sheet_accountability": "约谈问责",
        "accountability_heading": "约谈问责记录",
        "decided_on": "决定日期",
        "kind": "方式",
        "issues": "所涉事项",
        "outcome": "处理结果",
        "document": "文件文号",
        "period": "周期",
        "new": "新增",
        "open_at_end": "期末在办",
        "sheet_phases": "分阶段进度",
        "phases_heading": "分阶段进度",
        "phase": "阶段",
        "phase_dates": "起止日期",
        "no_phase": "未分阶段",
    },
    "en": {
        "ledger": "Ledger",
        "no_unit": "Not assigned",
        "meeting_title": "{campaign}: rectification meeting report ({period})",
        "summary_heading": "1. Overview",
        "kpi_heading": "2. Key figures",
        "units_heading": "3. Units",
        "overdue_heading": "4. Overdue items",
        "key_heading": "5. Key problems",
        "charts_heading": "6. Charts",
        "summary_text": (
            "As of {as_of}, {total} problems were registered: {closed} closed, {cancelled} cancelled, {open} open "
            "of which {overdue} overdue; closure rate {closure_rate}, on-time rate {on_time_rate} "
            "({on_time_rate_original} against the original deadlines)."
        ),
        "indicator": "Indicator",
        "value": "Now",
        "change": "Since last meeting",
        "rank": "Rank",
        "unit": "Unit",
        "responsible": "Responsible person",
        "total": "Total",
        "open": "Open",
        "closed": "Closed",
        "cancelled": "Cancelled",
        "overdue": "Overdue",
        "closure_rate": "Closure rate",
        "on_time_rate": "On-time rate",
        "on_time_rate_original": "On-time rate (original deadline)",
        "satisfaction_rate": "Satisfaction rate",
        "avg_working_days_to_close": "Average working days to close",
        "reopen_count": "Reopens",
        "code": "Code",
        "title": "Problem",
        "deadline": "Deadline",
        "days_overdue": "Working days overdue",
        "level": "Escalation level",
        "reasons": "Reasons",
        "status": "Status",
        "none": "None",
        "first_meeting": "first meeting",
        "red_card": "circulated notice",
        "repeated_returns": "returned repeatedly",
        "repeated_rejections": "rejected repeatedly",
        "sheet_kpi": "Key figures",
        "sheet_units": "Units",
        "sheet_overdue": "Overdue",
        "sheet_key": "Key problems",
        "sheet_trend": "Trend",
        "sheet_accountability": "Accountability",
        "accountability_heading": "Accountability on record",
        "decided_on": "Decided on",
        "kind": "Kind",
        "issues": "Issues",
        "outcome": "Outcome",
        "document": "Document",
        "period": "Period",
        "new": "New",
        "open_at_end": "Open at end",
        "sheet_phases": "Phases",
        "phases_heading": "Progress by phase",
        "phase": "Phase",
        "phase_dates": "Dates",
        "no_phase": "No phase",
    },
}


async def get_lang(
    request: Request, lang: Annotated[Lang | None, Query(description="zh (default) | en")] = None
) -> Lang:
    """`?lang=` wins, then Accept-Language; Chinese by default."""
    if lang is not None:
        return lang
    return "en" if prefers_english(request.headers.get("accept-language")) else "zh"


LangDep = Annotated[Lang, Depends(get_lang)]


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def phase_row(phase: dict[str, Any], lang: Lang) -> list[str | int]:
    """A row of the meeting's phase table (分阶段进度): phase, dates, items, closed, overdue."""
    name = phase["phase_name"] or TEXTS[lang]["no_phase"]
    dates = f"{phase['starts_on']} ~ {phase['ends_on']}" if phase["starts_on"] and phase["ends_on"] else ""
    return [name, dates, phase["total"], phase["closed"], phase["overdue"]]


def phase_header(lang: Lang) -> list[str]:
    t = TEXTS[lang]
    return [t["phase"], t["phase_dates"], t["total"], t["closed"], t["overdue"]]


# The kinds of accountability decision as issues-api records them (Chinese is the stored value).
ACCOUNTABILITY_KINDS: dict[Lang, dict[str, str]] = {
    "zh": {},
    "en": {
        "约谈": "Interview",
        "通报批评": "Circulated criticism",
        "诫勉谈话": "Admonition",
        "责令书面检查": "Written self-examination ordered",
        "问责": "Accountability",
        "其他": "Other",
    },
}
