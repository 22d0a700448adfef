"""The campaign definition file (专项行动定义文件): its schema, loading, dumping and the demo date shift.

A definition describes one campaign: its period and phases, its category tree, the units it names and the
tasks (`kind: task` ledger items) it hands out. `campaigns/hebei-2017.yaml` is the built-in one. The file
keeps true dates; `shift_for_demo` moves a loaded copy so that a given day falls in the concentrated phase.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, model_validator

DEFAULT_DEFINITION = Path("campaigns") / "hebei-2017.yaml"
CONCENTRATED_PHASE_CODE = "rectify"
# load_definition validates the shape first and collects reference problems itself, with their field paths.
_DEFER_REFERENCES = "defer_references"

UnitKind = Literal["department", "centre", "company", "city"]
Recipient = Literal["lead_unit", "co_units", "office", "leaders"]
Channel = Literal["inbox", "email", "webhook", "wecom", "dingtalk", "sms"]
Anchor = Literal["deadline", "assigned", "last_progress", "submitted"]

_CODE = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _inbox_only() -> list[Channel]:
    return ["inbox"]


class EscalationStep(_Strict):
    """One step of an inline escalation policy: `offset_wd` working days after (or before, negative) `anchor`."""

    anchor: Anchor = "deadline"
    offset_wd: int = Field(ge=-60, le=120)
    level: int = Field(ge=0, le=4)
    recipients: list[Recipient] = Field(min_length=1)
    channels: list[Channel] = Field(default_factory=_inbox_only, min_length=1)


class CampaignHeader(_Strict):
    code: str = Field(min_length=1, max_length=10, pattern=r"^[A-Z][A-Z0-9]*$", description="prefix of issue codes")
    name: str = Field(min_length=1, max_length=300)
    name_en: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=4000)
    starts_on: date
    ends_on: date
    escalation_policy: str | list[EscalationStep] = Field(
        default="default", description='"default", another policy name, or inline steps'
    )
    require_completion_evidence: bool = Field(
        default=False, description="提交整改完成须附至少一份佐证材料 / a completion needs at least one evidence file"
    )

    @model_validator(mode="after")
    def _end_after_start(self) -> CampaignHeader:
        if self.ends_on < self.starts_on:
            raise ValueError(_msg("活动结束日期早于开始日期", "campaign ends_on is before starts_on"))
        return self


class PhaseDef(_Strict):
    code: str = Field(min_length=1, max_length=40, pattern=_CODE)
    name: str = Field(min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    starts_on: date
    ends_on: date
    concentrated: bool = Field(default=False, description="the concentrated-rectification phase (集中整治阶段)")

    @model_validator(mode="after")
    def _end_after_start(self) -> PhaseDef:
        if self.ends_on < self.starts_on:
            raise ValueError(_msg(f"阶段 {self.code} 结束日期早于开始日期", f"phase {self.code} ends before it starts"))
        return self


class CategoryDef(_Strict):
    code: str = Field(min_length=1, max_length=40, pattern=_CODE)
    name: str = Field(min_length=1, max_length=300)
    name_en: str | None = Field(default=None, max_length=300)
    parent: str | None = None


class UnitDef(_Strict):
    code: str = Field(min_length=1, max_length=40, pattern=_CODE)
    name: str = Field(min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    kind: UnitKind
    parent: str | None = None
    short_name: str | None = Field(default=None, max_length=100, description="简称, e.g. 法规处")
    aliases: list[str] = Field(
        default_factory=list, max_length=20, description="other names the campaign's ledgers use for the unit"
    )


class TaskDef(_Strict):
    """A task of the plan, loaded as a `kind: task` ledger item assigned to its lead unit and co-units."""

    code: str | None = Field(default=None, max_length=40, pattern=_CODE)
    title: str = Field(min_length=1, max_length=300, description="as long as a ledger item's title may be")
    description: str = Field(min_length=1, max_length=10000)
    category: str
    lead_unit: str
    co_units: list[str] = Field(default_factory=list, max_length=50, description="as many as an assignment takes")
    deadline: date | None = None
    requirements: str | None = Field(default=None, max_length=4000)
    phase: str | None = Field(default=None, description="phase code; default: the phase of its deadline")


class CampaignDefinition(_Strict):
    campaign: CampaignHeader
    phases: list[PhaseDef] = Field(min_length=1)
    categories: list[CategoryDef] = Field(default_factory=list)
    units: list[UnitDef] = Field(default_factory=list)
    tasks: list[TaskDef] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_references(self, info: ValidationInfo) -> CampaignDefinition:
        if info.context and info.context.get(_DEFER_REFERENCES):
            return self
        problems = definition_problems(self)
        if problems:
            raise ValueError("; ".join(str(p) for p in problems))
        return self

    @property
    def concentrated_phase(self) -> PhaseDef:
        """The phase marked `concentrated: true`, else the one coded `rectify`."""
        marked = [p for p in self.phases if p.concentrated]
        if marked:
            return marked[0]
        for phase in self.phases:
            if phase.code == CONCENTRATED_PHASE_CODE:
                return phase
        raise LookupError("campaign definition has no concentrated-rectification phase")

    def unit(self, code: str) -> UnitDef:
        for unit in self.units:
            if unit.code == code:
                return unit
        raise KeyError(code)


@dataclass(frozen=True)
class DefinitionProblem:
    """One thing wrong with a definition file, with the path of the field (`tasks[3].lead_unit`)."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class DefinitionError(ValueError):
    """A campaign definition file that cannot be loaded; `problems` lists every reason found."""

    def __init__(self, problems: list[DefinitionProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def _msg(zh: str, en: str) -> str:
    return f"{zh} ({en})"


def _duplicates(field: str, codes: Iterable[str]) -> list[DefinitionProblem]:
    counts = Counter(codes)
    return [
        DefinitionProblem(field, _msg(f"代码 {code} 重复", f"duplicate code {code}"))
        for code, n in counts.items()
        if n > 1
    ]


def _parent_problems(field: str, items: Sequence[CategoryDef | UnitDef]) -> list[DefinitionProblem]:
    parents = {item.code: item.parent for item in items}
    problems: list[DefinitionProblem] = []
    for i, item in enumerate(items):
        if item.parent is None:
            continue
        if item.parent not in parents:
            text = _msg(f"上级代码 {item.parent} 不存在", f"unknown parent code {item.parent}")
            problems.append(DefinitionProblem(f"{field}[{i}].parent", text))
            continue
        seen: set[str] = {item.code}
        cursor: str | None = item.parent
        while cursor is not None and cursor not in seen:
            seen.add(cursor)
            cursor = parents.get(cursor)
        if cursor is not None:
            text = _msg(f"{item.code} 的上级关系成环", f"parent chain of {item.code} loops")
            problems.append(DefinitionProblem(f"{field}[{i}].parent", text))
    return problems


def _phase_problems(defn: CampaignDefinition) -> list[DefinitionProblem]:
    header, problems = defn.campaign, []
    for i, phase in enumerate(defn.phases):
        if phase.starts_on < header.starts_on or phase.ends_on > header.ends_on:
            text = _msg(
                f"阶段 {phase.code} 的日期超出活动期限 {header.starts_on}～{header.ends_on}",
                f"phase {phase.code} lies outside the campaign period {header.starts_on}..{header.ends_on}",
            )
            problems.append(DefinitionProblem(f"phases[{i}]", text))
    marked = [p.code for p in defn.phases if p.concentrated]
    if len(marked) > 1:
        text = _msg(f"只能有一个集中整治阶段：{', '.join(marked)}", f"more than one concentrated phase: {marked}")
        problems.append(DefinitionProblem("phases", text))
    elif not marked and all(p.code != CONCENTRATED_PHASE_CODE for p in defn.phases):
        text = _msg(
            "缺少集中整治阶段（concentrated: true 或代码 rectify）",
            "no concentrated-rectification phase (concentrated: true or code rectify)",
        )
        problems.append(DefinitionProblem("phases", text))
    return problems


def _task_problems(defn: CampaignDefinition) -> list[DefinitionProblem]:
    categories = {c.code for c in defn.categories}
    units = {u.code for u in defn.units}
    phases = {p.code for p in defn.phases}
    problems: list[DefinitionProblem] = []
    for i, task in enumerate(defn.tasks):
        name = task.code or task.title
        if task.phase is not None and task.phase not in phases:
            text = _msg(f"任务 {name} 引用了未知的阶段 {task.phase}", f"task {name}: unknown phase")
            problems.append(DefinitionProblem(f"tasks[{i}].phase", text))
        if task.category not in categories:
            text = _msg(f"任务 {name} 引用了未知的类别 {task.category}", f"task {name}: unknown category")
            problems.append(DefinitionProblem(f"tasks[{i}].category", text))
        refs = [("lead_unit", task.lead_unit), *((f"co_units[{j}]", c) for j, c in enumerate(task.co_units))]
        for field, code in refs:
            if code not in units:
                text = _msg(f"任务 {name} 引用了未知的单位 {code}", f"task {name}: unknown unit {code}")
                problems.append(DefinitionProblem(f"tasks[{i}].{field}", text))
        if task.lead_unit in task.co_units or len(set(task.co_units)) < len(task.co_units):
            text = _msg(f"任务 {name} 的协办单位重复或含主办单位", f"task {name}: co_units repeat or include the lead")
            problems.append(DefinitionProblem(f"tasks[{i}].co_units", text))
    return problems


def _name_problems(defn: CampaignDefinition) -> list[DefinitionProblem]:
    """A name, short name or alias that would name two units: a ledger row naming it could not be matched."""
    owners: dict[str, set[str]] = {}
    for unit in defn.units:
        for name in (unit.name, unit.short_name, *unit.aliases):
            if name:
                owners.setdefault(name.strip(), set()).add(unit.code)
    problems: list[DefinitionProblem] = []
    for i, unit in enumerate(defn.units):
        for j, alias in enumerate(unit.aliases):
            codes = sorted(owners.get(alias.strip(), set()) - {unit.code})
            if codes:
                text = _msg(f"别名 {alias} 也是 {', '.join(codes)} 的名称", f"alias {alias} also names {codes}")
                problems.append(DefinitionProblem(f"units[{i}].aliases[{j}]", text))
    return problems


def definition_problems(defn: CampaignDefinition) -> list[DefinitionProblem]:
    """Every cross-reference problem: duplicate codes, unknown parents or references, phases out of period,
    a unit name or alias shared by two units."""
    return [
        *_duplicates("phases", (p.code for p in defn.phases)),
        *_duplicates("categories", (c.code for c in defn.categories)),
        *_duplicates("units", (u.code for u in defn.units)),
        *_duplicates("tasks", (t.code for t in defn.tasks if t.code)),
        *_parent_problems("categories", defn.categories),
        *_parent_problems("units", defn.units),
        *_phase_problems(defn),
        *_task_problems(defn),
        *_name_problems(defn),
    ]


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


# A definition file nests four levels (the campaign's phases, their tasks, a task's fields); a few more leave room
# for a hand-written file. Composing stops past this: `[[[[…` otherwise cost the parser a level per byte until
# Python's recursion limit (~0.5 s of CPU for a 5 KB upload; now ~0.13 s whatever its size, what PyYAML's scanner
# spends looking 1,024 characters ahead for a simple key behind each `[`).
MAX_YAML_DEPTH = 32


class _TooDeep(yaml.YAMLError):
    pass


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without anchors and aliases, nested at most `MAX_YAML_DEPTH` levels: nine nested aliases of ten
    make a billion nodes to validate (the YAML "billion laughs"), and a definition file has no use for them."""

    def __init__(self, stream: str | bytes) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.constructor.ConstructorError(None, None, "anchors and aliases (*name) are not allowed", mark)
        if self._depth >= MAX_YAML_DEPTH:
            raise _TooDeep
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def read_yaml(text: str | bytes) -> Any:
    """The file's YAML as plain data (safe, without aliases); `DefinitionError` when it is not YAML."""
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader
    except _TooDeep as exc:
        raise DefinitionError([DefinitionProblem("", _msg("YAML 嵌套层级过深", "YAML nested too deep"))]) from exc
    except yaml.YAMLError as exc:
        raise DefinitionError([DefinitionProblem("", _msg(f"YAML 格式错误：{exc}", f"invalid YAML: {exc}"))]) from exc


def load_definition(text: str | bytes) -> CampaignDefinition:
    """Parse and validate a definition file (safe YAML; bytes as uploaded, UTF-8 or UTF-16 with a BOM).

    Raises `DefinitionError` naming every problem with its field path.
    """
    data = read_yaml(text)
    if not isinstance(data, dict):
        raise DefinitionError([DefinitionProblem("", _msg("文件内容应为映射", "the file must hold a mapping"))])
    try:
        defn = CampaignDefinition.model_validate(data, context={_DEFER_REFERENCES: True})
    except ValidationError as exc:
        problems = [DefinitionProblem(_field_path(e["loc"]), e["msg"]) for e in exc.errors()]
        raise DefinitionError(problems) from exc
    problems = definition_problems(defn)
    if problems:
        raise DefinitionError(problems)
    return defn


def dump_definition(defn: CampaignDefinition) -> str:
    """The definition as YAML that `load_definition` reads back to an equal definition."""
    data = defn.model_dump(mode="python", exclude_none=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def demo_shift_days(defn: CampaignDefinition, today: date) -> int:
    """Days to add to every date so that `today` lies about 60 % into the concentrated phase.

    The shift is rounded to whole weeks when that still keeps `today` in the phase, so weekdays stay as
    the plan had them (its phases start on working days).
    """
    phase = defn.concentrated_phase
    target = phase.starts_on + timedelta(days=(phase.ends_on - phase.starts_on).days * 3 // 5)
    exact = (today - target).days
    weekly = 7 * round(exact / 7)
    if phase.starts_on + timedelta(days=weekly) <= today <= phase.ends_on + timedelta(days=weekly):
        return weekly
    return exact


def shift_definition(defn: CampaignDefinition, days: int) -> CampaignDefinition:
    """A copy of `defn` with every date moved by `days`."""
    delta = timedelta(days=days)
    header = defn.campaign.model_copy(
        update={"starts_on": defn.campaign.starts_on + delta, "ends_on": defn.campaign.ends_on + delta}
    )
    phases = [
        phase.model_copy(update={"starts_on": phase.starts_on + delta, "ends_on": phase.ends_on + delta})
        for phase in defn.phases
    ]
    tasks = [t.model_copy(update={"deadline": t.deadline + delta}) if t.deadline else t for t in defn.tasks]
    return defn.model_copy(update={"campaign": header, "phases": phases, "tasks": tasks}, deep=True)


def shift_for_demo(defn: CampaignDefinition, today: date) -> CampaignDefinition:
    """A copy of `defn` moved in time so that `today` falls inside its concentrated-rectification phase."""
    return shift_definition(defn, demo_shift_days(defn, today))


def default_definition_path(override: str | Path | None = None) -> Path:
    """The built-in definition, `campaigns/hebei-2017.yaml` at the repository root, unless `override` names one.

    Callers pass their setting (e.g. an environment override) as `override`; this module reads no environment.
    """
    if override:
        return Path(override)
    for parent in Path(__file__).resolve().parents:
        candidate = parent / DEFAULT_DEFINITION
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{DEFAULT_DEFINITION} not found above {Path(__file__).resolve().parent}")
