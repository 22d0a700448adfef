"""Which phase (阶段) of its campaign an item belongs to, and the deadline a phase gives by default.

Every item belongs to a phase: the one it names, else the phase running on the day it is registered (the
latest one begun when phases overlap on a day, as the plan's 3 March does), else the campaign's first phase
before the campaign starts and its last one after it ends. A phase's end date is the default deadline on
import and assignment.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.campaigns.models import Phase
from issues_api.ledger.errors import invalid_reference


def phase_on(phases: Sequence[Phase], day: date) -> Phase | None:
    """The phase running on `day`; before the first or after the last, that one; None without phases."""
    ordered = sorted(phases, key=lambda p: (p.starts_on, p.position))
    if not ordered:
        return None
    running = [p for p in ordered if p.starts_on <= day <= p.ends_on]
    if running:
        return running[-1]
    begun = [p for p in ordered if p.starts_on <= day]
    return begun[-1] if begun else ordered[0]


async def campaign_phases(session: AsyncSession, campaign_id: str) -> Sequence[Phase]:
    query = select(Phase).where(Phase.campaign_id == campaign_id).order_by(Phase.position)
    return (await session.execute(query)).scalars().all()


async def phase_for(session: AsyncSession, *, campaign_id: str, phase_id: str | None, day: date) -> Phase | None:
    """The named phase (422 when it is not one of the campaign's), else the phase running on `day`."""
    phases = await campaign_phases(session, campaign_id)
    if phase_id is None:
        return phase_on(phases, day)
    for phase in phases:
        if phase.id == phase_id:
            return phase
    raise invalid_reference("phase_id", "not a phase of this campaign")


async def get_phase(session: AsyncSession, phase_id: str | None) -> Phase | None:
    return await session.get(Phase, phase_id) if phase_id else None
