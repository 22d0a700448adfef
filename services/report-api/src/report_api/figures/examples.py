"""Examples of the report answers for the OpenAPI document."""

from __future__ import annotations

from typing import Any

# Examples for the OpenAPI document: one campaign's figures as of event 18342, read 3 seconds after the last check.
FRESH: dict[str, Any] = {"as_of_seq": 18342, "lag_events": 0, "checked_at": "2026-12-02T02:00:03Z"}
UNIT_ID, ISSUE_ID = "9c2e4b10-1f3a-4d5e-8b7c-6a5f4e3d2c1b", "0b5f0c8e-5a0a-4c1f-9f1e-3a4c2b1d0e9f"
FIGURES_EXAMPLE: dict[str, Any] = {
    "total": 128,
    "open": 41,
    "closed": 84,
    "cancelled": 3,
    "overdue": 6,
    "closure_rate": 0.6667,
    "on_time_rate": 0.881,
    "on_time_rate_original": 0.8214,
    "satisfaction_rate": 0.9,
    "avg_working_days_to_close": 12.4,
    "reopen_count": 2,
    "escalations_by_level": {"1": 9, "2": 4, "3": 1},
    "dissatisfied": 2,
    "appeals": 1,
}
PHASE_EXAMPLE: dict[str, Any] = {
    "phase_id": "7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2918",
    "phase_code": "JZ",
    "phase_name": "集中整治",
    "starts_on": "2026-10-01",
    "ends_on": "2026-12-31",
    "total": 96,
    "open": 38,
    "closed": 56,
    "cancelled": 2,
    "overdue": 6,
    "closure_rate": 0.5957,
    "on_time_rate": 0.875,
}
SUMMARY_EXAMPLE: dict[str, Any] = {**FIGURES_EXAMPLE, **FRESH, "province": None, "phases": [PHASE_EXAMPLE]}
UNITS_EXAMPLE: dict[str, Any] = {
    **FRESH,
    "items": [
        {
            "rank": 1,
            "unit_id": UNIT_ID,
            "unit_code": "SJZ",
            "unit_name": "石家庄市",
            "total": 14,
            "open": 3,
            "closed": 11,
            "cancelled": 0,
            "overdue": 0,
            "closure_rate": 0.7857,
            "on_time_rate": 1.0,
            "on_time_rate_original": 0.9091,
        }
    ],
    "red_list": [],
    "black_list": [],
}
TREND_EXAMPLE: dict[str, Any] = {
    **FRESH,
    "granularity": "week",
    "items": [
        {
            "period": "2026-W48",
            "starts_on": "2026-11-23",
            "ends_on": "2026-11-29",
            "new": 7,
            "closed": 5,
            "open_at_end": 41,
        }
    ],
}
CATEGORIES_EXAMPLE: dict[str, Any] = {
    **FRESH,
    "items": [
        {
            "category_id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
            "category_name": "简政放权",
            "total": 37,
            "open": 9,
            "closed": 27,
            "cancelled": 1,
            "overdue": 2,
            "closure_rate": 0.7297,
            "on_time_rate": 0.8519,
        }
    ],
}
OVERDUE_EXAMPLE: dict[str, Any] = {
    **FRESH,
    "items": [
        {
            "id": ISSUE_ID,
            "code": "YS-2017-0042",
            "title": "企业开办需重复提交营业执照复印件",
            "campaign_id": "6a1d3c52-8f0e-4f7b-9d0a-2b3c4d5e6f70",
            "category_id": None,
            "lead_unit_id": UNIT_ID,
            "lead_unit_name": "石家庄市",
            "responsible_name": "张明",
            "co_unit_ids": [],
            "status": "in_progress",
            "deadline": "2026-11-27",
            "original_deadline": "2026-11-13",
            "days_overdue": 3,
            "max_escalation_level": 2,
        }
    ],
    "next_cursor": None,
    "total": 1,
}
ACCOUNTABILITY_EXAMPLE: dict[str, Any] = {
    **FRESH,
    "units": [
        {
            "unit_id": UNIT_ID,
            "unit_name": "石家庄市",
            "issues": 1,
            "red_cards": 1,
            "repeated_returns": 0,
            "repeated_rejections": 0,
        }
    ],
    "items": [
        {
            "id": ISSUE_ID,
            "code": "YS-2017-0042",
            "title": "企业开办需重复提交营业执照复印件",
            "lead_unit_id": UNIT_ID,
            "lead_unit_name": "石家庄市",
            "status": "in_progress",
            "deadline": "2026-11-27",
            "max_escalation_level": 3,
            "return_count": 0,
            "reject_count": 0,
            "reasons": ["red_card"],
        }
    ],
    "total": 1,
}
