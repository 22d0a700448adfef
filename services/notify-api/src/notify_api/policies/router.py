"""GET|PUT /api/v1/escalation-policies/{campaign_id}."""

from __future__ import annotations

from fastapi import APIRouter

from notify_api.deps import StaffDep
from notify_api.policies import service
from notify_api.policies.schemas import EscalationPolicy, PolicyOut
from rectify_kit.clock import ClockDep
from rectify_kit.db import SessionDep
from rectify_kit.errors import problem_responses

router = APIRouter(prefix="/api/v1/escalation-policies", tags=["escalation-policies"])


@router.get(
    "/{campaign_id}",
    response_model=PolicyOut,
    summary="督办升级策略 / Escalation policy of a campaign",
    responses=problem_responses(401, 403),
)
async def read_policy(session: SessionDep, _staff: StaffDep, campaign_id: str) -> PolicyOut:
    return await service.read(session, campaign_id=campaign_id)


@router.put(
    "/{campaign_id}",
    response_model=PolicyOut,
    summary="设置督办升级策略 / Set a campaign's escalation policy",
    responses=problem_responses(401, 403, 422),
)
async def store_policy(
    session: SessionDep, clock: ClockDep, staff: StaffDep, campaign_id: str, body: EscalationPolicy
) -> PolicyOut:
    return await service.store(session, campaign_id=campaign_id, policy=body, actor=staff.sub, clock=clock)
