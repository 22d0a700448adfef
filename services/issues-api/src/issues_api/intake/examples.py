"""Examples of the public intake's bodies and answers for the OpenAPI document (one submission, its way)."""

from __future__ import annotations

from typing import Any

from issues_api.ledger.examples import ISSUE_ID, LEAD_UNIT_ID

SUBMISSION_ID = "2f1e0d9c-8b7a-4654-9321-0fedcba98765"
TRACKING_CODE = "K7QX-4M2P-9TZB-W3HD"

SUBMISSION_CREATE: dict[str, Any] = {
    "title": "审批材料要求重复提交",
    "content": "办理高新技术企业认定时，同一份营业执照复印件在三个窗口各交了一次。",
    "enterprise_name": "石家庄某某科技有限公司",
    "contact_name": "王先生",
    "contact_phone": "13912345678",
    "notify_by": "sms",
    "city": "130100",
}
SUBMISSION_CREATED: dict[str, Any] = {"tracking_code": TRACKING_CODE, "folded": False}
FEEDBACK_CREATE: dict[str, Any] = {"satisfied": False, "rating": 2, "comment": "材料仍需重复提交"}
PUBLIC_SUBMISSION: dict[str, Any] = {
    "tracking_code": TRACKING_CODE,
    "status": "processing",
    "title": SUBMISSION_CREATE["title"],
    "submitted_at": "2026-11-20T01:30:00Z",
    "timeline": [
        {"at": "2026-11-20T01:30:00Z", "status": "submitted", "text": "已提交", "text_en": "Submitted"},
        {"at": "2026-11-20T06:00:00Z", "status": "accepted", "text": "已受理", "text_en": "Accepted"},
    ],
    "public_reply": "已受理，交石家庄市办理。",
    "can_feedback": False,
    "feedback": None,
    "stages": [
        {
            "key": "submitted",
            "done": True,
            "current": False,
            "at": "2026-11-20T01:30:00Z",
            "text": "已提交",
            "text_en": "Submitted",
            "detail": "您的诉求已提交。",
            "detail_en": "Your submission was received.",
        },
        {
            "key": "assigned",
            "done": True,
            "current": True,
            "at": "2026-11-20T06:00:00Z",
            "text": "已交办",
            "text_en": "Assigned",
            "detail": "已交由石家庄市负责办理。",
            "detail_en": "石家庄市 is responsible for it.",
        },
    ],
    "unit_name": "石家庄市",
    "expected_date": "2026-12-31",
    "replies": [
        {"id": "r-1", "at": "2026-11-20T06:00:00Z", "content": "已受理，交石家庄市办理。", "on": "submission"},
    ],
    "followup": None,
    "can_appeal": False,
    "appeal": None,
}
INTAKE: dict[str, Any] = {
    "id": SUBMISSION_ID,
    "code_hint": "W3HD",
    "status": "accepted",
    "title": SUBMISSION_CREATE["title"],
    "content": SUBMISSION_CREATE["content"],
    "category_id": None,
    "city": "130100",
    "enterprise_name": SUBMISSION_CREATE["enterprise_name"],
    "contact_name": None,
    "contact_phone": None,
    "contact_email": None,
    "issue_id": ISSUE_ID,
    "public_reply": "已受理，交石家庄市办理。",
    "submitted_at": "2026-11-20T01:30:00Z",
    "decided_at": "2026-11-20T06:00:00Z",
    "satisfied": None,
    "rating": None,
    "feedback_comment": None,
    "notify_by": "sms",
    "has_contact": True,
    "followup": None,
    "followup_at": None,
    "appealed_at": None,
    "appeal_reason": None,
}
ACCEPT: dict[str, Any] = {
    "title": "企业开办需重复提交营业执照复印件",
    "public_reply": "已受理，交石家庄市办理。",
    "assign": {"lead_unit_id": LEAD_UNIT_ID, "co_unit_ids": [], "deadline": "2026-12-31"},
}
MERGE: dict[str, Any] = {"issue_id": ISSUE_ID, "public_reply": "同类问题已在办理，并入一并答复。"}
REJECT: dict[str, Any] = {"reason": "所反映事项属司法程序，请通过诉讼途径解决。"}
