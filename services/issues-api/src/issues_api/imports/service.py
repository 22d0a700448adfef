"""Importing a ledger: check every row first, then register the new rows (assigned when they name a lead
unit) all at once, or none; rows imported before are recognised by their key and counted, not created again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.campaigns import repository as campaign_repository
from issues_api.campaigns.models import Campaign
from issues_api.imports.errors import ImportConflict
from issues_api.imports.names import category_names, phase_names, unit_names
from issues_api.imports.planning import Lookups, PlannedRow, RowCheck, check_row
from issues_api.imports.sheet import Sheet, SheetRow
from issues_api.imports.template import TemplateContent
from issues_api.ledger import lookups as ledger_lookups
from issues_api.ledger.access import Viewer
from issues_api.ledger.bulk import NewIssue, create_many
from issues_api.ledger.phases import campaign_phases, phase_on
from rectify_kit.clock import Clock, business_today
from rectify_kit.errors import Forbidden

IMPORTERS = frozenset({"office", "admin"})


@dataclass
class ImportPlan:
    """What a file would do: the checked rows, the new ones to create, how many were there already."""

    campaign: Campaign
    checks: list[RowCheck]
    new: list[PlannedRow] = field(default_factory=list)
    existing: set[int] = field(default_factory=set)  # row numbers already imported (or repeated in the file)

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [e for check in self.checks for e in check.errors]


async def lookups_for(session: AsyncSession, campaign: Campaign, clock: Clock) -> Lookups:
    units, _ = await unit_names(session, campaign)
    phases = await campaign_phases(session, campaign.id)
    return Lookups(
        campaign=campaign,
        units=units,
        categories=await category_names(session, campaign.id),
        phases=phase_names(phases),
        phase_list=phases,
        default_phase=phase_on(phases, business_today(clock)),
    )


RowChecker = Callable[[SheetRow, Lookups], RowCheck]


async def plan_import(
    session: AsyncSession, *, campaign: Campaign, sheet: Sheet, clock: Clock, check: RowChecker = check_row
) -> ImportPlan:
    """Check every row (an office ledger's rows, or as `check` says); split the good ones into new ones and ones
    imported before (or twice in the file)."""
    lookups = await lookups_for(session, campaign, clock)
    plan = ImportPlan(campaign=campaign, checks=[check(row, lookups) for row in sheet.rows])
    planned = [c.plan for c in plan.checks if c.plan is not None]
    known = await ledger_lookups.import_keys(session, campaign.id, [p.key for p in planned])
    for row in planned:
        if row.key in known:
            plan.existing.add(row.row)
        else:
            known.add(row.key)
            plan.new.append(row)
    return plan


def check_importer(viewer: Viewer) -> None:
    if viewer.role not in IMPORTERS:
        raise Forbidden("only the office may import a ledger", required_roles=sorted(IMPORTERS))


async def write_rows(
    session: AsyncSession, *, campaign: Campaign, rows: Sequence[PlannedRow], viewer: Viewer, clock: Clock
) -> list[str]:
    """Register the planned rows (`issue.created`, and `issue.assigned` for those with a lead unit); their codes.

    A concurrent import that wrote one of the same rows first makes this one 409 (the unique import key).
    """
    check_importer(viewer)
    items = [NewIssue(create=r.create, assign=r.assign, import_key=r.key) for r in rows]
    try:
        return await create_many(session, campaign=campaign, items=items, actor=viewer.actor, clock=clock)
    except IntegrityError as exc:
        raise ImportConflict("a row of this file was imported by another upload meanwhile") from exc


async def template_content(session: AsyncSession, *, campaign: Campaign, clock: Clock) -> TemplateContent:
    """The campaign's choices for the template's drop-down lists and its sample row."""
    _, unit_labels = await unit_names(session, campaign)
    categories = await campaign_repository.categories(session, campaign.id)
    phases = await campaign_phases(session, campaign.id)
    current = phase_on(phases, business_today(clock))
    names = sorted(unit_labels.values())
    return TemplateContent(
        campaign_code=campaign.code,
        campaign_name=campaign.name,
        units=names,
        categories=[c.name for c in categories],
        phases=[p.name for p in phases],
        sample_unit=names[0] if names else "",
        sample_category=categories[0].name if categories else "",
        sample_phase=current.name if current else "",
        sample_deadline=current.ends_on if current else None,
    )
