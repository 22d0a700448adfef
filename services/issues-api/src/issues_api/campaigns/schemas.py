"""Response bodies of campaigns (the definition file itself is YAML, see definition.py)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict


class PhaseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    starts_on: date
    ends_on: date


class CategoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    code: str
    name: str
    parent_id: str | None


class CampaignOut(BaseModel):
    """A campaign with its phases and category tree (the `Campaign` of events)."""

    id: str
    code: str
    name: str
    description: str | None
    starts_on: date
    ends_on: date
    escalation_policy: str
    phases: list[PhaseOut]
    categories: list[CategoryOut]


class ImportResult(BaseModel):
    campaign: CampaignOut
    units_created: int
    tasks_created: int
