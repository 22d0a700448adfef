"""Applies feed events to the read model, idempotently, in the consumer's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from rectify_kit.consumer import FeedItem
from report_api.readmodel import repository as repo
from report_api.readmodel.projection import contribution, fact_values, parse_time

ISSUES_FEED = "issues"
ESCALATIONS_FEED = "escalations"


async def apply_issues_event(session: AsyncSession, item: FeedItem) -> None:
    """Apply one event of issues-api's feed; types the reports do not need are ignored."""
    kind = item.type.split(".", 1)[0]
    if kind == "issue" and isinstance(item.data.get("issue"), dict):
        await _apply_issue(session, item)
    elif kind == "unit" and isinstance(item.data.get("unit"), dict):
        unit = item.data["unit"]
        values = {"id": str(unit["id"]), "code": str(unit.get("code") or ""), "name": str(unit.get("name") or "")}
        await repo.upsert(session, repo.unit_names, values, keys=["id"])
    elif kind == "campaign" and isinstance(item.data.get("campaign"), dict):
        await _apply_campaign(session, item.data["campaign"])


async def _apply_campaign(session: AsyncSession, campaign: dict[str, Any]) -> None:
    campaign_id = str(campaign["id"])
    values = {"id": campaign_id, "code": str(campaign.get("code") or ""), "name": str(campaign.get("name") or "")}
    await repo.upsert(session, repo.campaign_names, values, keys=["id"])
    for category in campaign.get("categories") or []:
        row = {
            "id": str(category["id"]),
            "campaign_id": campaign_id,
            "code": str(category.get("code") or ""),
            "name": str(category.get("name") or ""),
        }
        await repo.upsert(session, repo.category_names, row, keys=["id"])


async def _apply_issue(session: AsyncSession, item: FeedItem) -> None:
    """Replace the issue's fact with the carried state and move the rollups by the difference."""
    issue = item.data["issue"]
    issue_id = str(issue["id"])
    old = await repo.get_fact(session, issue_id)
    if old is not None and old["last_seq"] >= item.seq:
        return  # an event this fact already reflects (replayed page)
    new = fact_values(issue)
    new["last_seq"] = item.seq
    new["reject_count"] = (old["reject_count"] if old else 0) + (item.type == "issue.completion_rejected")
    progress = item.data.get("progress") if item.type == "issue.progress_reported" else None
    new["latest_progress"] = (
        progress.get("content") if isinstance(progress, dict) else (old or {}).get("latest_progress")
    )
    if old is None:
        new["id"] = issue_id
        new["max_escalation_level"] = await repo.max_escalation_level(session, issue_id)
        await repo.insert_fact(session, new)
    else:
        await repo.update_fact(session, issue_id, new)
    if old is None or (old["lead_unit_id"], old["co_unit_ids"]) != (new["lead_unit_id"], new["co_unit_ids"]):
        await repo.replace_issue_units(session, issue_id, new["lead_unit_id"], new["co_unit_ids"])
    await _move_rollups(session, old, new)


async def _move_rollups(session: AsyncSession, old: dict[str, Any] | None, new: dict[str, Any]) -> None:
    before = contribution(old) if old is not None else None
    after = contribution(new)
    status_deltas: dict[tuple[str, str, str, str], dict[str, int]] = {}
    daily_deltas: dict[tuple[Any, ...], dict[str, int]] = {}
    for sign, part in ((-1, before), (1, after)):
        if part is None:
            continue
        target = status_deltas.setdefault(part.status_key, dict.fromkeys(part.status_measures, 0))
        for name, value in part.status_measures.items():
            target[name] += sign * value
        for key, measures in part.daily.items():
            day_target = daily_deltas.setdefault(key, dict.fromkeys(measures, 0))
            for name, value in measures.items():
                day_target[name] += sign * value
    for (campaign, unit, source, status), delta in status_deltas.items():
        if any(delta.values()):
            status_key = {"campaign_id": campaign, "lead_unit_id": unit, "source": source, "status": status}
            await repo.add_to(session, repo.status_rollup, status_key, delta)
    for (day, campaign, unit, source), day_delta in daily_deltas.items():
        if any(day_delta.values()):
            day_key = {"day": day, "campaign_id": campaign, "lead_unit_id": unit, "source": source}
            await repo.add_to(session, repo.daily_rollup, day_key, day_delta)


async def apply_escalation_event(session: AsyncSession, item: FeedItem) -> None:
    """Record an escalation (fired or acknowledged) and raise its issue's highest level."""
    escalation = item.data.get("escalation")
    if not item.type.startswith("escalation.") or not isinstance(escalation, dict):
        return
    issue_id, level = str(escalation["issue_id"]), int(escalation.get("level") or 0)
    values = {
        "id": str(escalation["id"]),
        "issue_id": issue_id,
        "campaign_id": escalation.get("campaign_id"),
        "unit_id": escalation.get("unit_id"),
        "level": level,
        "fired_at": parse_time(escalation.get("fired_at")),
        "acknowledged_at": parse_time(escalation.get("acknowledged_at")),
    }
    await repo.upsert(session, repo.escalations, values, keys=["id"])
    await repo.raise_escalation_level(session, issue_id, level)


async def reset(session: AsyncSession) -> None:
    """Forget the read model and both cursors: the consumers then rebuild it from sequence 0."""
    await repo.clear(session)
