"""Campaigns: import a definition file (units, campaign, phases, categories, tasks as ledger items), export it.

Writes `unit.created` for each new unit, `campaign.created`, and for each task the ledger's `issue.created`
and `issue.assigned`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.campaigns import repository
from issues_api.campaigns.definition import (
    CampaignDefinition,
    CategoryDef,
    DefinitionError,
    DefinitionProblem,
    TaskDef,
    UnitDef,
    dump_definition,
)
from issues_api.campaigns.errors import CampaignCodeTaken, InvalidDefinition, NoExportableDefinition
from issues_api.campaigns.models import Campaign, Category, Phase, new_id
from issues_api.campaigns.schemas import CampaignImportResult, CampaignOut, CategoryOut, PhaseOut
from issues_api.directory import repository as directory_repository
from issues_api.directory import service as directory_service
from issues_api.directory.schemas import UnitCreate
from issues_api.events.service import record_event
from issues_api.ledger import service as ledger_service
from issues_api.ledger import steps as ledger_steps
from issues_api.ledger.access import Viewer
from issues_api.ledger.phases import phase_on
from issues_api.ledger.schemas import AssignBody, IssueCreate
from rectify_kit.clock import Clock

Coded = TypeVar("Coded", CategoryDef, UnitDef)


def requires_completion_evidence(campaign: Campaign) -> bool:
    """The definition file's `campaign.require_completion_evidence` (kept with the campaign as it was loaded)."""
    header = (campaign.definition or {}).get("campaign") or {}
    return bool(header.get("require_completion_evidence", False))


async def campaign_out(session: AsyncSession, campaign: Campaign) -> CampaignOut:
    phases = await repository.phases(session, campaign.id)
    categories = await repository.categories(session, campaign.id)
    return CampaignOut(
        id=campaign.id,
        code=campaign.code,
        name=campaign.name,
        description=campaign.description,
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        escalation_policy=campaign.escalation_policy,
        require_completion_evidence=requires_completion_evidence(campaign),
        phases=[PhaseOut.model_validate(p) for p in phases],
        categories=[CategoryOut.model_validate(c) for c in categories],
    )


def parents_first(items: Sequence[Coded]) -> list[Coded]:
    """Items ordered so that each comes after its parent (the definition has no cycles: it was validated)."""
    placed: set[str] = set()
    ordered: list[Coded] = []
    pending = list(items)
    while pending:
        ready = [i for i in pending if i.parent is None or i.parent in placed or i.parent not in _codes(items)]
        ordered.extend(ready)
        placed.update(i.code for i in ready)
        pending = [i for i in pending if i.code not in placed]
    return ordered


def _codes(items: Sequence[Coded]) -> set[str]:
    return {i.code for i in items}


async def _ensure_units(
    session: AsyncSession, units: Sequence[UnitDef], *, actor: dict[str, Any], clock: Clock
) -> tuple[dict[str, str], int]:
    """Unit ids by code: existing units are reused as they are, missing ones created."""
    ids: dict[str, str] = {}
    created = 0
    for unit in parents_first(units):
        existing = await directory_repository.get_unit_by_code(session, unit.code)
        if existing is None:
            data = UnitCreate(code=unit.code, name=unit.name, kind=unit.kind, parent_id=ids.get(unit.parent or ""))
            existing = await directory_service.create_unit(session, data=data, actor=actor, clock=clock)
            created += 1
        ids[unit.code] = existing.id
    return ids, created


def _add_structure(
    session: AsyncSession, campaign: Campaign, definition: CampaignDefinition
) -> tuple[dict[str, str], list[Phase]]:
    phases = [
        Phase(
            id=new_id(),
            campaign_id=campaign.id,
            code=phase.code,
            name=phase.name,
            starts_on=phase.starts_on,
            ends_on=phase.ends_on,
            position=index,
        )
        for index, phase in enumerate(definition.phases)
    ]
    session.add_all(phases)
    category_ids = {c.code: new_id() for c in definition.categories}
    positions = {c.code: i for i, c in enumerate(definition.categories)}
    for category in parents_first(definition.categories):
        session.add(
            Category(
                id=category_ids[category.code],
                campaign_id=campaign.id,
                code=category.code,
                name=category.name,
                parent_id=category_ids.get(category.parent or ""),
                position=positions[category.code],
            )
        )
    return category_ids, phases


def task_phase(task: TaskDef, phases: Sequence[Phase], deadline: date) -> Phase | None:
    """The phase a task names, else the one its deadline falls in."""
    if task.phase is not None:
        return next(p for p in phases if p.code == task.phase)
    return phase_on(phases, deadline)


async def _add_task(
    session: AsyncSession,
    *,
    index: int,
    task: TaskDef,
    campaign: Campaign,
    category_ids: dict[str, str],
    phases: Sequence[Phase],
    unit_ids: dict[str, str],
    viewer: Viewer,
    clock: Clock,
) -> None:
    deadline = task.deadline or campaign.ends_on
    phase = task_phase(task, phases, deadline)
    try:
        data = IssueCreate(
            campaign_id=campaign.id,
            title=task.title,
            description=task.description,
            kind="task",
            source="assigned",
            category_id=category_ids[task.category],
            requirements=task.requirements,
            phase_id=phase.id if phase else None,
        )
        assignment = AssignBody(
            lead_unit_id=unit_ids[task.lead_unit],
            co_unit_ids=[unit_ids[c] for c in task.co_units],
            deadline=deadline,
            requirements=task.requirements,
        )
    except ValidationError as exc:
        problems = [DefinitionProblem(f"tasks[{index}].{e['loc'][0]}", e["msg"]) for e in exc.errors()]
        raise InvalidDefinition.of(DefinitionError(problems)) from exc
    issue = await ledger_service.create_issue(session, data=data, actor=viewer.actor, clock=clock)
    await ledger_steps.assign(session, issue_id=issue.id, body=assignment, viewer=viewer, clock=clock)


def campaign_state(out: CampaignOut, definition: CampaignDefinition) -> dict[str, Any]:
    """The `Campaign` of events; an inline escalation policy travels with it as `escalation_steps`."""
    state = out.model_dump(mode="json")
    policy = definition.campaign.escalation_policy
    if not isinstance(policy, str):
        state["escalation_steps"] = [step.model_dump(mode="json") for step in policy]
    return state


async def import_definition(
    session: AsyncSession, *, definition: CampaignDefinition, actor: dict[str, Any], clock: Clock
) -> CampaignImportResult:
    """Create the campaign of a validated definition (its code unique → 409), its missing units and its tasks,
    each task a `kind: task` issue assigned to its lead unit and co-units (deadline: the task's or the campaign
    end). Writes `campaign.created` plus the units' and issues' events.
    """
    header = definition.campaign
    if await repository.get_by_code(session, header.code) is not None:
        raise CampaignCodeTaken(f"campaign {header.code} exists")
    unit_ids, units_created = await _ensure_units(session, definition.units, actor=actor, clock=clock)
    now = clock.now()
    policy = header.escalation_policy if isinstance(header.escalation_policy, str) else "inline"
    campaign = Campaign(
        code=header.code,
        name=header.name,
        description=header.description,
        starts_on=header.starts_on,
        ends_on=header.ends_on,
        escalation_policy=policy,
        next_issue_number=1,
        definition=definition.model_dump(mode="json", exclude_none=True),
        created_at=now,
        updated_at=now,
    )
    session.add(campaign)
    await session.flush()
    category_ids, phases = _add_structure(session, campaign, definition)
    await session.flush()
    out = await campaign_out(session, campaign)
    await record_event(
        session,
        type="campaign.created",
        subject_id=campaign.id,
        actor=actor,
        data={"campaign": campaign_state(out, definition)},
        clock=clock,
    )
    # The office hands the plan's tasks out; a system import acts with the office's rights.
    viewer = Viewer(sub=str(actor.get("id") or "system"), role="office", unit_id=None, actor=actor)
    for index, task in enumerate(definition.tasks):
        await _add_task(
            session,
            index=index,
            task=task,
            campaign=campaign,
            category_ids=category_ids,
            phases=phases,
            unit_ids=unit_ids,
            viewer=viewer,
            clock=clock,
        )
    return CampaignImportResult(campaign=out, units_created=units_created, tasks_created=len(definition.tasks))


def export_definition(campaign: Campaign) -> str:
    """The campaign's definition file as YAML (the one it was imported from)."""
    if campaign.definition is None:
        raise NoExportableDefinition(f"campaign {campaign.code} was not imported from a definition file")
    return dump_definition(CampaignDefinition.model_validate(campaign.definition))
