"""The problems of 责任人 and 子任务, each with a stable code."""

from __future__ import annotations

from datetime import date

from rectify_kit.errors import Conflict, Forbidden, NotFound, Unprocessable
from rectify_kit.field_messages import field_error


class NotOwnPart(Forbidden):
    code, title_zh, title_en = (
        "not-own-unit",
        "只能为本单位承担的部分指定责任人或分解子任务",
        "A unit names people and splits work only for its own part",
    )


class UnitNotOnIssue(NotFound):
    code, title_zh, title_en = "unit-not-on-issue", "该单位不是此事项的主办或协办单位", "Not a unit of this item"


class SubtaskNotFound(NotFound):
    code, title_zh, title_en = "subtask-not-found", "子任务不存在", "Sub-task not found"


class IssueSettled(Conflict):
    code, title_zh, title_en = (
        "issue-settled",
        "事项已销号或已撤销，不能再调整责任人和子任务",
        "The item is closed or cancelled: its people and sub-tasks stay as they are",
    )


class NotUnitStaff(Unprocessable):
    code, title_zh, title_en = (
        "not-unit-staff",
        "所选人员不是该单位的在职人员",
        "Not an active staff member of the unit",
    )


def not_unit_staff(field: str) -> NotUnitStaff:
    return NotUnitStaff(
        f"{field}: not an active staff member of the unit",
        errors=[field_error(field, "不是该单位的在职人员", "not an active staff member of this unit")],
    )


class SubtaskDeadlineTooLate(Unprocessable):
    code, title_zh, title_en = (
        "subtask-deadline-after-issue",
        "子任务的完成时限不能晚于事项的整改时限",
        "A sub-task is due no later than its item",
    )


def deadline_too_late(deadline: date, issue_deadline: date) -> SubtaskDeadlineTooLate:
    return SubtaskDeadlineTooLate(
        f"deadline {deadline} is after the item's deadline {issue_deadline}",
        issue_deadline=issue_deadline.isoformat(),
        errors=[
            field_error(
                "deadline",
                f"不能晚于事项整改时限 {issue_deadline.isoformat()}",
                f"must not be after the item's deadline {issue_deadline.isoformat()}",
            )
        ],
    )
