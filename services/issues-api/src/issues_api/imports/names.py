"""Matching the names a ledger file writes to units, categories and phases.

A unit is named by its full name, its code, or a short name or alias the campaign's definition file lists
(`short_name`, `aliases`: the seed plan writes 法规处 for 政策法规与监督处). Names are compared after NFKC
folding (full-width letters and brackets become plain ones) with all white space removed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.campaigns.models import Campaign, Category, Phase
from issues_api.directory.models import Unit


def fold(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).lower()


@dataclass
class Names:
    """Ids by folded name; a name that two things carry names neither."""

    ids: dict[str, set[str]] = field(default_factory=dict)

    def add(self, names: Iterable[str | None], thing_id: str) -> None:
        for name in names:
            if name:
                self.ids.setdefault(fold(name), set()).add(thing_id)

    def find(self, name: str) -> tuple[str | None, str | None]:
        """(id, None), or (None, why not: "unknown" or "ambiguous")."""
        found = self.ids.get(fold(name), set())
        if len(found) == 1:
            return next(iter(found)), None
        return None, "ambiguous" if found else "unknown"


def _definition_units(campaign: Campaign) -> list[dict[str, Any]]:
    definition = campaign.definition or {}
    units = definition.get("units") if isinstance(definition, dict) else None
    return [u for u in units or [] if isinstance(u, dict)]


async def unit_names(session: AsyncSession, campaign: Campaign) -> tuple[Names, dict[str, str]]:
    """Active units by name, code, and the campaign file's short names and aliases; and each unit's name."""
    units = (await session.execute(select(Unit).where(Unit.active.is_(True)))).scalars().all()
    names, by_code = Names(), {u.code: u.id for u in units}
    for unit in units:
        names.add((unit.name, unit.code), unit.id)
    for listed in _definition_units(campaign):
        unit_id = by_code.get(str(listed.get("code")))
        if unit_id is not None:
            names.add([listed.get("short_name"), *(listed.get("aliases") or [])], unit_id)
    return names, {u.id: u.name for u in units}


async def category_names(session: AsyncSession, campaign_id: str) -> Names:
    names = Names()
    for category in (await session.execute(select(Category).where(Category.campaign_id == campaign_id))).scalars():
        names.add((category.code, category.name), category.id)
    return names


def phase_names(phases: Sequence[Phase]) -> Names:
    names = Names()
    for phase in phases:
        names.add((phase.code, phase.name), phase.id)
    return names
