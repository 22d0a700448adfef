"""Examples of the ledger's bodies and answers for the OpenAPI document (one realistic item, 整改事项)."""

from __future__ import annotations

from typing import Any

ISSUE_ID = "0b5f0c8e-5a0a-4c1f-9f1e-3a4c2b1d0e9f"
CAMPAIGN_ID = "6a1d3c52-8f0e-4f7b-9d0a-2b3c4d5e6f70"
LEAD_UNIT_ID = "9c2e4b10-1f3a-4d5e-8b7c-6a5f4e3d2c1b"
CO_UNIT_ID = "3e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b"

ISSUE_CREATE: dict[str, Any] = {
    "campaign_id": CAMPAIGN_ID,
    "title": "企业开办需重复提交营业执照复印件",
    "description": "同一份营业执照复印件在三个窗口各交一次。",
    "kind": "problem",
    "source": "inspection",
    "cause": "窗口之间未共享材料",
    "measures": "建立材料共享库，一次提交、多窗口复用",
    "city": "130100",
}
ISSUE: dict[str, Any] = {
    "id": ISSUE_ID,
    "code": "YS-2017-0042",
    "campaign_id": CAMPAIGN_ID,
    "category_id": None,
    "phase_id": "7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2918",
    "kind": "problem",
    "source": "inspection",
    "title": ISSUE_CREATE["title"],
    "description": ISSUE_CREATE["description"],
    "cause": ISSUE_CREATE["cause"],
    "measures": ISSUE_CREATE["measures"],
    "requirements": "12 月底前完成整改并报送佐证材料",
    "lead_unit_id": LEAD_UNIT_ID,
    "co_unit_ids": [CO_UNIT_ID],
    "co_units": [{"unit_id": CO_UNIT_ID, "status": "accepted"}],
    "city": "130100",
    "deadline": "2026-12-31",
    "original_deadline": "2026-12-15",
    "deadline_history": [
        {"deadline": "2026-12-15", "kind": "initial", "at": "2026-11-20T02:00:00Z"},
        {"deadline": "2026-12-31", "kind": "extension", "at": "2026-12-01T06:30:00Z"},
    ],
    "status": "in_progress",
    "progress_percent": 60,
    "reopen_count": 0,
    "return_count": 0,
    "flagged": False,
    "satisfaction": None,
    "rating": None,
    "overdue": False,
    "created_at": "2026-11-18T01:15:00Z",
    "assigned_at": "2026-11-20T02:00:00Z",
    "accepted_at": "2026-11-20T08:40:00Z",
    "submitted_at": None,
    "closed_at": None,
    "cancelled_at": None,
    "last_progress_at": "2026-11-28T03:00:00Z",
    "version": 7,
    "responsible": [
        {"unit_id": LEAD_UNIT_ID, "user_id": "8b1d2c3e-4f5a-4b6c-9d7e-0f1a2b3c4d5e", "display_name": "李明"}
    ],
}
ISSUE_DETAIL: dict[str, Any] = {
    **ISSUE,
    "allowed_actions": ["progress", "request_extension", "submit_completion"],
    "subtask_total": 2,
    "subtask_done": 1,
    "subtask_progress": 75,
}
EXTENSION: dict[str, Any] = {
    "id": "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a",
    "new_deadline": "2026-12-31",
    "reason": "涉及多部门系统对接，需延期半个月",
    "status": "pending",
    "requested_by": "8b1d2c3e-4f5a-4b6c-9d7e-0f1a2b3c4d5e",
    "requested_by_name": "高新处 李明",
    "requested_at": "2026-11-30T07:00:00Z",
    "decided_at": None,
    "comment": None,
}
TIMELINE: dict[str, Any] = {
    "items": [
        {
            "seq": 1842,
            "type": "issue.accepted",
            "occurred_at": "2026-11-20T08:40:00Z",
            "actor": {
                "kind": "client",
                "id": "sjz-gov",
                "username": "sjz-gov",
                "role": "integration",
                "unit_id": None,
                "display_name": "石家庄市政务服务平台",
                "unit_name": None,
            },
            "data": {},
        },
        {
            "seq": 1907,
            "type": "issue.progress_reported",
            "occurred_at": "2026-11-28T03:00:00Z",
            "actor": {
                "kind": "user",
                "id": "u-1",
                "username": "KJT-GX",
                "role": "unit",
                "unit_id": LEAD_UNIT_ID,
                "display_name": "高新技术处经办人",
                "unit_name": "科技厅高新技术处",
            },
            "data": {
                "progress": {"id": "p-1", "content": "共享库已上线试运行", "percent": 60, "unit_id": LEAD_UNIT_ID}
            },
        },
    ]
}
TRANSITION: dict[str, Any] = {
    "status": "assigned",
    "action": "accept",
    "next_status": "in_progress",
    "roles": ["integration", "unit"],
    "required": [],
    "unit_relation": "lead",
    "event": "issue.accepted",
}

BODIES: dict[str, dict[str, Any]] = {
    "IssueCreate": ISSUE_CREATE,
    "IssuePatch": {"title": "企业开办材料重复提交（已核实）", "cause": None},
    "AssignBody": {
        "lead_unit_id": LEAD_UNIT_ID,
        "co_unit_ids": [CO_UNIT_ID],
        "deadline": "2026-12-15",
        "requirements": "12 月底前完成整改并报送佐证材料",
    },
    "AcceptBody": {"note": "已收到，本周内制定整改方案"},
    "ReturnBody": {"reason_code": "not_our_remit", "reason": "该事项属市场监管部门职责"},
    "ProgressBody": {"content": "共享库已上线试运行", "percent": 60},
    "CompletionBody": {"summary": "材料共享库已在全部窗口启用，附运行截图"},
    "CloseBody": {"comment": "经核查整改到位，同意销号"},
    "ReasonBody": {"reason": "佐证材料不足，请补充"},
    "ContentBody": {"content": "请于本周内报送进展"},
    "ExtensionRequestBody": {"new_deadline": "2026-12-31", "reason": "涉及多部门系统对接，需延期半个月"},
    "ExtensionDecisionBody": {"approved": True, "comment": "同意延期至 12 月 31 日"},
}
