"""Escalation policies per campaign; changing one re-plans the campaign's issues."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.policies import repository
from notify_api.policies.models import EscalationPolicyRow
from notify_api.policies.schemas import DEFAULT_POLICY, EscalationPolicy, PolicyOut
from rectify_kit.clock import Clock


async def policy_for(session: AsyncSession, campaign_id: str) -> EscalationPolicy:
    """The campaign's stored policy, or the default policy of DESIGN.md."""
    row = await repository.get(session, campaign_id)
    return EscalationPolicy.model_validate(row.body) if row else DEFAULT_POLICY


async def policies_by_campaign(session: AsyncSession) -> dict[str, EscalationPolicy]:
    """Every stored policy, for batch planning (campaigns not listed use the default)."""
    return {r.campaign_id: EscalationPolicy.model_validate(r.body) for r in await repository.all_rows(session)}


async def read(session: AsyncSession, *, campaign_id: str) -> PolicyOut:
    row = await repository.get(session, campaign_id)
    policy = EscalationPolicy.model_validate(row.body) if row else DEFAULT_POLICY
    return PolicyOut(
        **policy.model_dump(), campaign_id=campaign_id, is_default=row is None, version=row.version if row else 0
    )


async def store(
    session: AsyncSession, *, campaign_id: str, policy: EscalationPolicy, actor: str | None, clock: Clock
) -> PolicyOut:
    """Store the campaign's policy; its open issues are re-planned by the scheduler's next pass."""
    row = await repository.get(session, campaign_id)
    body = policy.model_dump(mode="json")
    if row is None:
        row = EscalationPolicyRow(
            campaign_id=campaign_id, body=body, version=1, updated_at=clock.now(), updated_by=actor
        )
        session.add(row)
    else:
        row.body, row.version, row.updated_at, row.updated_by = body, row.version + 1, clock.now(), actor
    await repository.mark_campaign_for_replan(session, campaign_id)
    await session.flush()
    return PolicyOut(**policy.model_dump(), campaign_id=campaign_id, is_default=False, version=row.version)
