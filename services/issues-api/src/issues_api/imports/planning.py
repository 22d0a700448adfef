"""Checking a ledger file row by row, before anything is written: what each row would create, and why not.

Every row is checked on its own (all its errors at once, in both languages); a good row becomes a planned
issue with the identity it is recognised by on a later upload (`row_key`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from issues_api.campaigns.models import Campaign, Phase
from issues_api.imports.labels import KINDS, SOURCES, code_of
from issues_api.imports.names import Names
from issues_api.imports.sheet import SheetRow
from issues_api.ledger.schemas import AssignBody, IssueCreate
from rectify_kit.field_messages import zh_message

SEPARATORS = re.compile(r"[、,，;；/\s]+")
# What makes a row the same row again: every field it fills (the 序号 and row order do not count).
IDENTITY_FIELDS = (
    "title",
    "description",
    "cause",
    "measures",
    "requirements",
    "lead_unit",
    "co_units",
    "deadline",
    "category",
    "phase",
    "source",
    "kind",
    "city",
)


@dataclass(frozen=True)
class Lookups:
    """What the rows' names are matched against, loaded once per file."""

    campaign: Campaign
    units: Names
    categories: Names
    phases: Names
    phase_list: Sequence[Phase]
    default_phase: Phase | None


@dataclass(frozen=True)
class PlannedRow:
    row: int
    key: str
    create: IssueCreate
    assign: AssignBody | None


@dataclass
class RowCheck:
    """One row's outcome: a plan, or its errors."""

    row: SheetRow
    errors: list[dict[str, Any]] = field(default_factory=list)
    plan: PlannedRow | None = None

    def error(self, field_: str, zh: str, en: str) -> None:
        self.errors.append({"row": self.row.number, "field": field_, "message": zh, "message_en": en})


def row_key(campaign_id: str, values: dict[str, str], *, unit_id: str | None = None) -> str:
    """The row's identity in its campaign: its external key when it has one, else all it fills in. A unit's own
    list (`unit_id`) has identities of its own: two units filing the same words file two items."""
    if values.get("external_key"):
        content: Any = ["key", values["external_key"].strip()]
    else:
        content = {f: " ".join(values[f].split()) for f in IDENTITY_FIELDS if values.get(f)}
    scope: list[str] = [campaign_id] if unit_id is None else [campaign_id, "self_inspection", unit_id]
    text = json.dumps([*scope, content], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _date(check: RowCheck, field_: str, text: str) -> date | None:
    try:
        return date.fromisoformat(text.replace("/", "-").replace(".", "-")[:10])
    except ValueError:
        check.error(field_, f"不是日期（YYYY-MM-DD）：{text}", f"not a date (YYYY-MM-DD): {text}")
        return None


def _find(check: RowCheck, names: Names, field_: str, text: str, what: tuple[str, str]) -> str | None:
    found, why = names.find(text)
    if why == "ambiguous":
        check.error(field_, f"{what[0]}名称对应多个{what[0]}：{text}", f"{text} names more than one {what[1]}")
    elif why is not None:
        check.error(field_, f"未知{what[0]}：{text}", f"unknown {what[1]}: {text}")
    return found


UNIT = ("单位", "unit")


def _phase(check: RowCheck, lookups: Lookups) -> Phase | None:
    text = check.row.values.get("phase", "")
    if not text:
        return lookups.default_phase
    phase_id = _find(check, lookups.phases, "phase", text, ("阶段", "phase"))
    return next((p for p in lookups.phase_list if p.id == phase_id), None)


def _assignment(check: RowCheck, lookups: Lookups, phase: Phase | None) -> AssignBody | None:
    """The row's lead unit, co-units and deadline (by default its phase's end), or None when it names none."""
    v = check.row.values
    co_names = [n for n in SEPARATORS.split(v.get("co_units", "")) if n]
    if not v.get("lead_unit"):
        if v.get("deadline") or co_names:
            check.error(
                "lead_unit", "填写了整改时限或配合单位，须填写责任单位", "a deadline or co-units need a lead unit"
            )
        return None
    lead = _find(check, lookups.units, "lead_unit", v["lead_unit"], UNIT)
    co_ids = [_find(check, lookups.units, "co_units", name, UNIT) for name in co_names]
    if v.get("deadline"):
        deadline = _date(check, "deadline", v["deadline"])
    elif phase is not None:
        deadline = phase.ends_on
    else:
        deadline = None
        check.error("deadline", "须填写整改时限", "a deadline is required")
    if lead is None or deadline is None or None in co_ids:
        return None
    return AssignBody(lead_unit_id=lead, co_unit_ids=[c for c in co_ids if c], deadline=deadline)


def _create(check: RowCheck, lookups: Lookups, phase: Phase | None, source: str) -> IssueCreate | None:
    v = check.row.values
    category_id = None
    if v.get("category"):
        category_id = _find(check, lookups.categories, "category", v["category"], ("分类", "category"))
    payload = {
        "campaign_id": lookups.campaign.id,
        "title": v.get("title", ""),
        "description": v.get("description") or v.get("title", ""),
        "kind": code_of(v.get("kind") or "problem", KINDS),
        "source": code_of(source, SOURCES),
        "category_id": category_id,
        "phase_id": phase.id if phase else None,
        **{k: v.get(k) or None for k in ("cause", "measures", "requirements", "city")},
    }
    try:
        return IssueCreate(**payload)
    except ValidationError as exc:
        for e in exc.errors():
            name = ".".join(str(p) for p in e["loc"])
            if name != "description" or v.get("description"):  # a defaulted description fails with its title
                check.error(name, zh_message(e), e["msg"])
        return None


def check_row(row: SheetRow, lookups: Lookups) -> RowCheck:
    """An office ledger row: an issue, assigned when it names a lead unit (deadline: its own or its phase's end)."""
    check = RowCheck(row)
    phase = _phase(check, lookups)
    assign = _assignment(check, lookups, phase)
    create = _create(check, lookups, phase, row.values.get("source") or "self_inspection")
    if create is not None and not check.errors:
        check.plan = PlannedRow(row.number, row_key(lookups.campaign.id, row.values), create, assign)
    return check


# What a unit's own list does not say: the unit is the one filing, the office sets deadline and co-units on
# confirming, the source is self-inspection. Such columns of a sheet are not read.
OFFICE_ONLY_FIELDS = frozenset({"lead_unit", "co_units", "deadline", "source"})


def check_unit_row(row: SheetRow, lookups: Lookups, *, unit_id: str) -> RowCheck:
    """A row of a unit's own list (自查自纠): problem, cause and measures (both required), for that unit only."""
    values = {k: v for k, v in row.values.items() if k not in OFFICE_ONLY_FIELDS}
    check = RowCheck(SheetRow(row.number, values))
    for name, zh, en in (("cause", "原因", "cause"), ("measures", "整改措施", "measures")):
        if not values.get(name):
            check.error(name, f"须填写{zh}", f"{en} is required")
    phase = _phase(check, lookups)
    create = _create(check, lookups, phase, "self_inspection")
    if create is not None and not check.errors:
        key = row_key(lookups.campaign.id, values, unit_id=unit_id)
        check.plan = PlannedRow(row.number, key, create, None)
    return check
