"""The names people read for a policy step: a step's code (`T-3`, `not-accepted`, `assigned+2`) is a key, not
a word; its label says the moment in Chinese and English."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

_CODE = re.compile(r"^(?P<anchor>T|assigned|last_progress|submitted)(?P<offset>[+-]\d+)(?:-L\d)?$")


class StepLabel(BaseModel):
    zh: str = Field(description="中文名称")
    en: str = Field(description="English name")


# The default policy's steps that count from another moment than the deadline, named without their offset
# (a campaign's policy may keep the code with another one).
_NAMED = {
    "not-accepted": StepLabel(zh="交办后未按时接收", en="Not accepted in time"),
    "no-progress": StepLabel(zh="长期无进展", en="No progress reported"),
    "pending-review": StepLabel(zh="完成后未及时审核", en="Completion not reviewed in time"),
}


def _deadline(offset: int) -> StepLabel:
    if offset < 0:
        return StepLabel(zh=f"截止前 {-offset} 个工作日", en=f"{-offset} working day(s) before the deadline")
    if offset == 0:
        return StepLabel(zh="截止当日", en="On the deadline")
    return StepLabel(zh=f"超期 {offset} 个工作日", en=f"{offset} working day(s) past the deadline")


def _anchored(anchor: str, offset: int) -> StepLabel:
    return {
        "assigned": StepLabel(
            zh=f"交办后 {offset} 个工作日未接收", en=f"Not accepted {offset} working day(s) after assignment"
        ),
        "last_progress": StepLabel(zh=f"{offset} 个工作日无进展", en=f"No progress for {offset} working day(s)"),
        "submitted": StepLabel(
            zh=f"提交后 {offset} 个工作日未审核", en=f"Not reviewed {offset} working day(s) after submission"
        ),
    }[anchor]


def step_label(code: str, *, anchor: str | None = None, offset_wd: int | None = None) -> StepLabel:
    """The label of a step, from its moment when known, else from its code; an unknown code is its own label."""
    if anchor is None or offset_wd is None:
        if code in _NAMED:
            return _NAMED[code]
        match = _CODE.match(code)
        if match is None:
            return StepLabel(zh=code, en=code)
        anchor = "deadline" if match["anchor"] == "T" else match["anchor"]
        offset_wd = int(match["offset"])
    return _deadline(offset_wd) if anchor == "deadline" else _anchored(anchor, offset_wd)
