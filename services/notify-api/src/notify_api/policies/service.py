"""Escalation policies per campaign, set by an admin or by the campaign's file; changing one re-plans the
campaign's issues."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.issues import repository as issues
from notify_api.policies import campaign_file, repository
from notify_api.policies.models import CampaignPolicyFile, EscalationPolicyRow
from notify_api.policies.schemas import DEFAULT_POLICY, EscalationPolicy, PolicyOut, PolicySource, labels_of
from rectify_kit.clock import Clock
from rectify_kit.db import retry_lock_races

log = logging.getLogger("notify.policies")


async def policy_for(session: AsyncSession, campaign_id: str) -> EscalationPolicy:
    """The campaign's stored policy, or the default policy (docs/architecture.md, the escalation ladder)."""
    row = await repository.get(session, campaign_id)
    return EscalationPolicy.model_validate(row.body) if row else DEFAULT_POLICY


async def policies_by_campaign(session: AsyncSession) -> dict[str, EscalationPolicy]:
    """Every stored policy, for batch planning (campaigns not listed use the default)."""
    return {r.campaign_id: EscalationPolicy.model_validate(r.body) for r in await repository.all_rows(session)}


async def read(session: AsyncSession, *, campaign_id: str) -> PolicyOut:
    row = await repository.get(session, campaign_id)
    policy = EscalationPolicy.model_validate(row.body) if row else DEFAULT_POLICY
    return PolicyOut(
        **policy.model_dump(),
        campaign_id=campaign_id,
        labels=labels_of(policy),
        is_default=row is None,
        version=row.version if row else 0,
        source=_source(row),
    )


async def store(
    session: AsyncSession,
    *,
    campaign_id: str,
    policy: EscalationPolicy,
    actor: str | None,
    clock: Clock,
    source: PolicySource = "admin",
) -> PolicyOut:
    """Store the campaign's policy (`source`: an admin's PUT or the campaign file); its open issues are
    re-planned by the scheduler's next pass."""
    row = await repository.get(session, campaign_id)
    body = policy.model_dump(mode="json")
    if row is None:
        row = EscalationPolicyRow(
            campaign_id=campaign_id, body=body, version=1, updated_at=clock.now(), updated_by=actor, source=source
        )
        session.add(row)
    else:
        row.body, row.version, row.updated_at, row.updated_by = body, row.version + 1, clock.now(), actor
        row.source = source
    await session.flush()
    # The flag locks the campaign's issue rows, which the feed consumer may hold in another order (see
    # `retry_lock_races`).
    await retry_lock_races(session, lambda: issues.mark_campaign_for_replan(session, campaign_id))
    return PolicyOut(
        **policy.model_dump(),
        campaign_id=campaign_id,
        labels=labels_of(policy),
        is_default=False,
        version=row.version,
        source=source,
    )


async def apply_campaign(
    session: AsyncSession, *, campaign: Mapping[str, Any], occurred_at: datetime, clock: Clock
) -> None:
    """Apply the policy of a campaign's file (`campaign.created`/`campaign.updated`): inline steps become the
    stored policy, "default" or an unknown name (logged) the default one; the campaign's issues are re-planned.

    Only a change of the file's policy acts, so an event applied twice, or an update that leaves the file's
    policy as it was, changes nothing and an admin's policy stays; so does an admin's policy stored after the
    event occurred. Invalid steps are logged and the current policy kept: this never fails the feed.
    """
    campaign_id = campaign.get("id")
    if not isinstance(campaign_id, str) or not campaign_id:
        log.warning("campaign event without an id: its escalation policy is ignored")
        return
    spec = campaign_file.read(campaign)
    seen = await repository.get_file(session, campaign_id)
    if seen is not None and seen.digest == spec.digest:
        return
    if seen is None:
        seen = CampaignPolicyFile(campaign_id=campaign_id)
        session.add(seen)
    seen.policy, seen.digest, seen.seen_at = spec.name[:80], spec.digest, clock.now()
    await session.flush()
    row = await repository.get(session, campaign_id)
    if row is not None and row.source == "admin" and row.updated_at >= occurred_at:
        log.info("campaign %s: the admin's policy is newer than the file's change and stays", campaign_id)
        return
    if spec.name == campaign_file.INLINE or spec.steps is not None:
        await _apply_steps(session, campaign_id=campaign_id, steps=spec.steps, row=row, clock=clock)
        return
    if spec.name != campaign_file.DEFAULT:
        log.warning("campaign %s names escalation policy %r, unknown here: the default applies", campaign_id, spec.name)
    if row is not None:
        await repository.delete(session, row)
        await issues.mark_campaign_for_replan(session, campaign_id)


async def _apply_steps(
    session: AsyncSession, *, campaign_id: str, steps: Any, row: EscalationPolicyRow | None, clock: Clock
) -> None:
    try:
        policy = campaign_file.to_policy(steps)
    except (ValueError, TypeError) as exc:
        log.warning(
            "campaign %s: its file's escalation steps are not valid, the current policy stays: %s", campaign_id, exc
        )
        return
    if row is not None and row.source == "file" and row.body == policy.model_dump(mode="json"):
        return
    await store(session, campaign_id=campaign_id, policy=policy, actor=None, clock=clock, source="file")


def _source(row: EscalationPolicyRow | None) -> PolicySource:
    if row is None:
        return "default"
    return "file" if row.source == "file" else "admin"
