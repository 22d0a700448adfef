"""The dry run of a campaign definition import (`?dry_run=true`): what the file would create, which units it would
match by code, the tasks it would hand out, and every problem the import would refuse it for. Reads, never writes.

A file with problems is still shown as far as it can be read: each section's entries that are valid on their own
keep their position in the file (`index`), so a problem's field path (`tasks[3].lead_unit`) points at its row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.campaigns import repository
from issues_api.campaigns.definition import (
    CampaignHeader,
    CategoryDef,
    DefinitionError,
    DefinitionProblem,
    PhaseDef,
    TaskDef,
    UnitDef,
    load_definition,
    read_yaml,
)
from issues_api.campaigns.models import Phase
from issues_api.campaigns.schemas import (
    CampaignImportPreview,
    CampaignPreview,
    CategoryPreview,
    DefinitionProblemOut,
    PhasePreview,
    TaskPreview,
    UnitPreview,
    UnitRef,
)
from issues_api.directory import repository as directory_repository
from issues_api.directory.models import Unit
from issues_api.ledger.phases import phase_on

Entry = TypeVar("Entry", bound=BaseModel)


@dataclass
class Draft:
    """A definition file as far as it reads: the header when valid, each section's valid entries by position."""

    header: CampaignHeader | None
    phases: list[tuple[int, PhaseDef]] = field(default_factory=list)
    categories: list[tuple[int, CategoryDef]] = field(default_factory=list)
    units: list[tuple[int, UnitDef]] = field(default_factory=list)
    tasks: list[tuple[int, TaskDef]] = field(default_factory=list)
    problems: list[DefinitionProblem] = field(default_factory=list)


def read_draft(data: bytes) -> Draft:
    """The file as `load_definition` reads it; when it refuses the file, its problems and what can still be read."""
    try:
        defn = load_definition(data)
    except DefinitionError as exc:
        return _partial(data, exc.problems)
    return Draft(
        header=defn.campaign,
        phases=list(enumerate(defn.phases)),
        categories=list(enumerate(defn.categories)),
        units=list(enumerate(defn.units)),
        tasks=list(enumerate(defn.tasks)),
    )


def _partial(data: bytes, problems: list[DefinitionProblem]) -> Draft:
    try:
        raw = read_yaml(data)
    except DefinitionError:
        raw = None
    mapping: dict[Any, Any] = raw if isinstance(raw, dict) else {}
    return Draft(
        header=_valid(CampaignHeader, mapping.get("campaign")),
        phases=_valid_entries(PhaseDef, mapping.get("phases")),
        categories=_valid_entries(CategoryDef, mapping.get("categories")),
        units=_valid_entries(UnitDef, mapping.get("units")),
        tasks=_valid_entries(TaskDef, mapping.get("tasks")),
        problems=problems,
    )


def _valid(model: type[Entry], value: Any) -> Entry | None:
    try:
        return model.model_validate(value)
    except ValidationError:
        return None


def _valid_entries(model: type[Entry], value: Any) -> list[tuple[int, Entry]]:
    if not isinstance(value, list):
        return []
    return [(i, entry) for i, raw in enumerate(value) if (entry := _valid(model, raw)) is not None]


async def preview_import(session: AsyncSession, *, data: bytes) -> CampaignImportPreview:
    """What `import_definition` would do with this file, and every reason it would refuse it (422 problems, or
    the campaign code already taken: 409). Nothing is written."""
    draft = read_draft(data)
    campaign = await _campaign(session, draft.header)
    existing = await directory_repository.units_by_code(session, [u.code for _, u in draft.units])
    units = [_unit(i, u, existing.get(u.code)) for i, u in draft.units]
    context = _context(draft, units)
    tasks = [_task(i, t, context) for i, t in draft.tasks]
    return CampaignImportPreview(
        importable=campaign is not None and not campaign.code_taken and not draft.problems,
        campaign=campaign,
        phases=[_phase(i, p) for i, p in draft.phases],
        categories=[CategoryPreview(index=i, code=c.code, name=c.name, parent=c.parent) for i, c in draft.categories],
        units=units,
        tasks=tasks,
        units_to_create=sum(u.action == "create" for u in units),
        units_matched=sum(u.action == "match" for u in units),
        tasks_to_create=len(tasks),
        problems=[DefinitionProblemOut(field=p.field, message=p.message) for p in draft.problems],
    )


async def _campaign(session: AsyncSession, header: CampaignHeader | None) -> CampaignPreview | None:
    if header is None:
        return None
    taken = await repository.get_by_code(session, header.code)
    policy = header.escalation_policy
    return CampaignPreview(
        code=header.code,
        name=header.name,
        description=header.description,
        starts_on=header.starts_on,
        ends_on=header.ends_on,
        escalation_policy=policy if isinstance(policy, str) else "inline",
        require_completion_evidence=header.require_completion_evidence,
        code_taken=taken is not None,
        existing_campaign_id=taken.id if taken else None,
    )


def _phase(index: int, phase: PhaseDef) -> PhasePreview:
    return PhasePreview(
        index=index,
        code=phase.code,
        name=phase.name,
        starts_on=phase.starts_on,
        ends_on=phase.ends_on,
        concentrated=phase.concentrated,
    )


def _unit(index: int, unit: UnitDef, existing: Unit | None) -> UnitPreview:
    return UnitPreview(
        index=index,
        code=unit.code,
        name=unit.name,
        kind=unit.kind,
        parent=unit.parent,
        short_name=unit.short_name,
        aliases=unit.aliases,
        action="create" if existing is None else "match",
        existing_id=existing.id if existing else None,
        existing_name=existing.name if existing else None,
    )


@dataclass(frozen=True)
class _Context:
    """What a task's row is read against: the campaign's end, its phases, category and unit names."""

    ends_on: date | None
    phases: list[Phase]
    categories: dict[str, str]
    unit_names: dict[str, str]


def _context(draft: Draft, units: Sequence[UnitPreview]) -> _Context:
    phases = [
        Phase(code=p.code, name=p.name, starts_on=p.starts_on, ends_on=p.ends_on, position=i) for i, p in draft.phases
    ]
    return _Context(
        ends_on=draft.header.ends_on if draft.header else None,
        phases=phases,
        categories={c.code: c.name for _, c in draft.categories},
        unit_names={u.code: u.existing_name or u.name for u in units},
    )


def _task(index: int, task: TaskDef, context: _Context) -> TaskPreview:
    deadline = task.deadline or context.ends_on
    phase = _task_phase(task, context.phases, deadline)
    names = context.unit_names
    return TaskPreview(
        index=index,
        code=task.code,
        title=task.title,
        category=task.category,
        category_name=context.categories.get(task.category),
        lead_unit=UnitRef(code=task.lead_unit, name=names.get(task.lead_unit)),
        co_units=[UnitRef(code=c, name=names.get(c)) for c in task.co_units],
        deadline=deadline,
        phase=phase.code if phase else task.phase,
        phase_name=phase.name if phase else None,
    )


def _task_phase(task: TaskDef, phases: Sequence[Phase], deadline: date | None) -> Phase | None:
    """The phase the import gives the task (`service.task_phase`), among phases not stored."""
    if task.phase is not None:
        return next((p for p in phases if p.code == task.phase), None)
    return phase_on(phases, deadline) if deadline else None
