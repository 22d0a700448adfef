"""The ledger's errors; each renders as an RFC 9457 problem with a stable code."""

from __future__ import annotations

from typing import Any

from rectify_kit.errors import Conflict, Forbidden, NotFound, Unprocessable
from rectify_kit.field_messages import field_error


class IssueNotFound(NotFound):
    code, title_zh, title_en = "issue-not-found", "事项不存在", "Issue not found"


class IllegalTransition(Conflict):
    """The step is not allowed from the issue's current status; the body names the steps that are."""

    code, title_zh, title_en = "illegal-transition", "当前状态不允许此操作", "Step not allowed in the current status"


class StepBlocked(Conflict):
    """The status allows the step, but something else holds it back (co-units, a pending extension, …)."""

    code, title_zh, title_en = "step-blocked", "当前条件下不能执行此操作", "Step blocked"


# What holds a step back, as the reader is told it (the `code` of a StepBlocked).
BLOCKED_TITLES: dict[str, tuple[str, str]] = {
    "co-units-outstanding": (
        "仍有协办单位未办结，请等待其提交或由办公室免除",
        "Co-units have not filed their part yet",
    ),
    "extension-pending": ("已有一项延期申请待审批", "An extension request is already pending"),
    "no-pending-extension": ("没有待审批的延期申请", "There is no pending extension request"),
    "co-unit-not-pending": ("本单位已接收协办，无需再次接收", "This co-unit has already accepted"),
    "co-unit-not-accepted": ("请先接收协办，再报送协办情况", "Accept the co-unit part before filing it"),
    "no-co-unit-to-waive": ("没有待免除的协办单位", "No co-unit is left to waive"),
    "extension-decided": ("该延期申请已审批", "The extension request was already decided"),
    "co-unit-settled": ("该协办单位已报送或已免除", "This co-unit has already filed or was waived"),
    "evidence-required": (
        "本专项行动要求提交整改完成时至少附一份佐证材料，请先上传",
        "This campaign needs at least one evidence file with a completion: upload it first",
    ),
}


def step_blocked(reason: str, action: str, **extra: Any) -> StepBlocked:
    zh, en = BLOCKED_TITLES.get(reason, (StepBlocked.title_zh, StepBlocked.title_en))
    return StepBlocked(
        f"'{action}' is blocked: {reason}", code=reason, title_zh=zh, title_en=en, action=action, **extra
    )


class ActionForbidden(Forbidden):
    code, title_zh, title_en = "action-forbidden", "无权执行此操作", "Not allowed to take this step"


class NotLeadUnit(Forbidden):
    """The right role, the wrong unit: only the issue's lead unit takes this step."""

    code, title_zh, title_en = "not-lead-unit", "只有主办单位可以执行此操作", "Only the lead unit may take this step"


class NotCoUnit(Forbidden):
    """The right role, the wrong unit: only a co-unit of the issue takes this step."""

    code, title_zh, title_en = "not-co-unit", "只有协办单位可以执行此操作", "Only a co-unit may take this step"


class InvalidReference(Unprocessable):
    """A request names a campaign, unit, category or extension that does not exist."""

    code, title_zh, title_en = "invalid-reference", "引用的对象不存在", "Unknown reference"


def invalid_reference(field: str, message: str) -> InvalidReference:
    return InvalidReference(f"{field}: {message}", errors=[{"field": field, "message": message}])


class InvalidValue(Unprocessable):
    """A value that exists but breaks a rule (a date before another, a sort key that is none)."""

    code, title_zh, title_en = "invalid-value", "参数值不符合要求", "Invalid value"


def invalid_value(field: str, zh: str, en: str) -> InvalidValue:
    return InvalidValue(f"{field}: {en}", errors=[field_error(field, zh, en)])


class DeadlineNotLater(Unprocessable):
    code, title_zh, title_en = "deadline-not-later", "申请的新时限须晚于当前整改时限", "The new deadline must be later"
