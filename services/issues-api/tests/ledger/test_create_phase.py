"""A new item's phase: the one named, else the phase of the day, chosen in the statement that takes its number.

That statement (numbers.take_issue_number; for a create alone in its request, registering.py's one statement
built on it) orders the campaign's phases in SQL; these tests hold its choice to
`phases.phase_on`, the rule the import and the campaign preview use, on days inside, between, before, after and
where phases overlap, on both backends.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import cast

import pytest
from sqlalchemy import select

from issues_api.campaigns.models import Campaign, Phase
from issues_api.events.service import SYSTEM_ACTOR
from issues_api.ledger import service
from issues_api.ledger.errors import InvalidReference
from issues_api.ledger.phases import campaign_phases, phase_on
from issues_api.ledger.schemas import IssueCreate
from issues_testing.ledger import LedgerWorld
from rectify_kit.clock import FixedClock

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]

# The world's phases: 自查自纠 1 June to 31 August 2017, 集中整治 1 September to 31 December 2017; the test adds one
# running 15 August to 15 September, so two run at once on each side of 1 September.
DAYS = [
    date(2017, 1, 1),  # before the campaign: its first phase
    date(2017, 6, 1),
    date(2017, 8, 14),
    date(2017, 8, 20),  # 自查自纠 and the added one run: the latest begun
    date(2017, 9, 1),  # 集中整治 and the added one run: 集中整治 began later
    date(2017, 9, 16),
    date(2017, 12, 31),
    date(2026, 11, 25),  # after the campaign: its last phase begun
]


async def create_on(world: LedgerWorld, day: date, phase_id: str | None = None, *, alone: bool = False) -> str | None:
    """The new item's phase; `alone`: as a plain POST creates, in one statement on PostgreSQL (registering.py)."""
    clock = FixedClock(datetime(day.year, day.month, day.day, 4, 0, tzinfo=UTC))
    data = IssueCreate(campaign_id=world.campaign_id, title="阶段", description="d", phase_id=phase_id)
    async with world.database.session() as session:
        if alone:
            record = await service.register_issue(session, data=data, actor=SYSTEM_ACTOR, clock=clock)
            return cast(str | None, record.values["phase_id"])
        issue = await service.create_issue(session, data=data, actor=SYSTEM_ACTOR, clock=clock)
    return issue.phase_id


async def test_the_phase_of_the_day_is_the_one_phase_on_chooses(world: LedgerWorld) -> None:
    async with world.database.session() as session:
        session.add(
            Phase(campaign_id=world.campaign_id, code="overlap", name="交叉阶段", starts_on=date(2017, 8, 15),
                  ends_on=date(2017, 9, 15), position=2)
        )  # fmt: skip
    async with world.database.session(write=False) as session:
        phases = await campaign_phases(session, world.campaign_id)
    expected = {day: phase_on(phases, day) for day in DAYS}
    assert len({p.id for p in expected.values() if p is not None}) == 3  # every phase is somebody's answer

    chosen = {day: await create_on(world, day) for day in DAYS}
    chosen_alone = {day: await create_on(world, day, alone=True) for day in DAYS}

    assert chosen == chosen_alone == {day: phase.id if phase else None for day, phase in expected.items()}


@pytest.mark.parametrize("alone", [False, True])
async def test_a_named_phase_is_kept_and_a_foreign_one_takes_no_number(world: LedgerWorld, alone: bool) -> None:
    async with world.database.session(write=False) as session:
        first = (await session.execute(select(Phase.id).where(Phase.code == "self"))).scalar_one()
        numbers_before = (await session.execute(select(Campaign.next_issue_number))).scalar_one()
    assert await create_on(world, date(2017, 12, 1), phase_id=first, alone=alone) == first

    with pytest.raises(InvalidReference) as refused:
        await create_on(world, date(2017, 12, 1), phase_id="not-a-phase", alone=alone)

    assert str(refused.value).startswith("phase_id")
    async with world.database.session(write=False) as session:
        numbers_after = (await session.execute(select(Campaign.next_issue_number))).scalar_one()
    assert numbers_after == numbers_before + 1  # the named one's number only
