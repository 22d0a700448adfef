"""Errors of escalations."""

from __future__ import annotations

from rectify_kit.errors import Conflict, Forbidden, NotFound


class EscalationNotFound(NotFound):
    code, title_zh, title_en = "escalation-not-found", "督办记录不存在", "Escalation not found"


class NotAcknowledgeable(Conflict):
    code, title_zh, title_en = (
        "escalation-not-acknowledgeable",
        "该提醒无需签收",
        "Only numbered notices are acknowledged",
    )


class NotYourUnit(Forbidden):
    code, title_zh, title_en = "escalation-other-unit", "只有责任单位可以签收", "Only the unit's staff may acknowledge"


class IssueNotKnown(NotFound):
    code, title_zh, title_en = "issue-not-found", "事项不存在", "Issue not found"


class NoNotice(Conflict):
    code, title_zh, title_en = (
        "escalation-without-notice",
        "只有督办和通报有通知书",
        "Only supervision and circulated notices (levels 2 and 3) have a document",
    )
