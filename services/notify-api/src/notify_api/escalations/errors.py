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
