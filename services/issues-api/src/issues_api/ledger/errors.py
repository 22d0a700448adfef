"""The ledger's errors; each renders as an RFC 9457 problem with a stable code."""

from __future__ import annotations

from rectify_kit.errors import Conflict, Forbidden, NotFound, Unprocessable


class IssueNotFound(NotFound):
    code, title_zh, title_en = "issue-not-found", "事项不存在", "Issue not found"


class IllegalTransition(Conflict):
    """The step is not allowed from the issue's current status; the body names the steps that are."""

    code, title_zh, title_en = "illegal-transition", "当前状态不允许此操作", "Step not allowed in the current status"


class StepBlocked(Conflict):
    """The status allows the step, but something else holds it back (co-units, a pending extension, …)."""

    code, title_zh, title_en = "step-blocked", "当前条件下不能执行此操作", "Step blocked"


class ActionForbidden(Forbidden):
    code, title_zh, title_en = "action-forbidden", "无权执行此操作", "Not allowed to take this step"


class InvalidReference(Unprocessable):
    """A request names a campaign, unit, category or extension that does not exist."""

    code, title_zh, title_en = "invalid-reference", "引用的对象不存在", "Unknown reference"


def invalid_reference(field: str, message: str) -> InvalidReference:
    return InvalidReference(f"{field}: {message}", errors=[{"field": field, "message": message}])
