"""Applies pages of feed events to the read model, idempotently, in the consumer's transaction.

A page is folded in memory: each issue's fact moves through its events in sequence order, then the facts,
their units and the rollup differences are written in a few statements, whatever the page size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from rectify_kit.consumer import FeedItem
from report_api.readmodel import repository as repo
from report_api.readmodel.projection import Contribution, contribution, fact_values, parse_time

ISSUES_FEED = "issues"
ESCALATIONS_FEED = "escalations"


async def apply_issues_page(session: AsyncSession, items: Sequence[FeedItem]) -> None:
    """Apply events of issues-api's feed in order; types the reports do not need are ignored."""
    issue_events: dict[str, list[FeedItem]] = {}
    for item in items:
        kind = item.type.split(".", 1)[0]
        if kind == "issue" and isinstance(item.data.get("issue"), dict):
            issue_events.setdefault(str(item.data["issue"]["id"]), []).append(item)
        elif kind == "unit" and isinstance(item.data.get("unit"), dict):
            unit = item.data["unit"]
            values = {"id": str(unit["id"]), "code": str(unit.get("code") or ""), "name": str(unit.get("name") or "")}
            await repo.upsert(session, repo.unit_names, values, keys=["id"])
        elif kind == "user" and isinstance(item.data.get("user"), dict):
            user = item.data["user"]
            account: dict[str, Any] = {
                "id": str(user["id"]),
                "role": str(user.get("role") or ""),
                "unit_id": user.get("unit_id"),
                "active": bool(user.get("active", True)),
            }
            await repo.upsert(session, repo.accounts, account, keys=["id"])
        elif kind == "campaign" and isinstance(item.data.get("campaign"), dict):
            await _apply_campaign(session, item.data["campaign"])
    if issue_events:
        await _apply_issues(session, issue_events)


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


def fold(fact: dict[str, Any] | None, item: FeedItem) -> dict[str, Any]:
    """The fact after one event: the carried state, plus what only the event itself tells."""
    issue = item.data["issue"]
    new = fact_values(issue)
    new["id"] = str(issue["id"])
    new["last_seq"] = item.seq
    new["reject_count"] = (fact["reject_count"] if fact else 0) + (item.type == "issue.completion_rejected")
    progress = item.data.get("progress") if item.type == "issue.progress_reported" else None
    new["latest_progress"] = (
        progress.get("content") if isinstance(progress, dict) else (fact or {}).get("latest_progress")
    )
    new["max_escalation_level"] = (fact or {}).get("max_escalation_level")
    return new


async def _apply_issues(session: AsyncSession, events: dict[str, list[FeedItem]]) -> None:
    before = await repo.get_facts(session, list(events))
    unseen = [issue_id for issue_id in events if issue_id not in before]
    levels = await repo.max_escalation_levels(session, unseen) if unseen else {}
    after: dict[str, dict[str, Any]] = {}
    for issue_id, items in events.items():
        fact = before.get(issue_id)
        for item in items:
            if fact is not None and fact["last_seq"] >= item.seq:
                continue  # an event this fact already reflects (a page delivered again)
            fact = fold(fact, item)
            if issue_id in levels:
                fact["max_escalation_level"] = levels[issue_id]
        if fact is not None and fact is not before.get(issue_id):
            after[issue_id] = fact
    if not after:
        return
    await repo.replace_facts(session, list(after.values()))
    moved_units = [
        fact
        for issue_id, fact in after.items()
        if issue_id not in before
        or (before[issue_id]["lead_unit_id"], before[issue_id]["co_unit_ids"])
        != (fact["lead_unit_id"], fact["co_unit_ids"])
    ]
    await repo.replace_issue_units(session, moved_units)
    removed = [contribution(before[i]) for i in after if i in before]
    await _move_rollups(session, removed, [contribution(fact) for fact in after.values()])


async def _move_rollups(session: AsyncSession, removed: list[Contribution], added: list[Contribution]) -> None:
    status_deltas: dict[tuple[str, str, str, str], dict[str, int]] = {}
    daily_deltas: dict[tuple[Any, ...], dict[str, int]] = {}
    for sign, parts in ((-1, removed), (1, added)):
        for part in parts:
            target = status_deltas.setdefault(part.status_key, dict.fromkeys(part.status_measures, 0))
            for name, value in part.status_measures.items():
                target[name] += sign * value
            for key, measures in part.daily.items():
                day_target = daily_deltas.setdefault(key, dict.fromkeys(measures, 0))
                for name, value in measures.items():
                    day_target[name] += sign * value
    status_rows = [
        {"campaign_id": c, "lead_unit_id": u, "source": s, "status": st, **delta}
        for (c, u, s, st), delta in status_deltas.items()
        if any(delta.values())
    ]
    daily_rows = [
        {"day": d, "campaign_id": c, **delta} for (d, c), delta in daily_deltas.items() if any(delta.values())
    ]
    await repo.add_to_rollup(session, repo.status_rollup, status_rows, keys=repo.STATUS_KEYS)
    await repo.add_to_rollup(session, repo.daily_rollup, daily_rows, keys=repo.DAILY_KEYS)


async def apply_escalations_page(session: AsyncSession, items: Sequence[FeedItem]) -> None:
    """Record escalations (fired or acknowledged) and raise their issues' highest level."""
    rows: dict[str, dict[str, Any]] = {}
    for item in items:
        escalation = item.data.get("escalation")
        if not item.type.startswith("escalation.") or not isinstance(escalation, dict):
            continue
        rows[str(escalation["id"])] = {
            "id": str(escalation["id"]),
            "issue_id": str(escalation["issue_id"]),
            "campaign_id": escalation.get("campaign_id"),
            "unit_id": escalation.get("unit_id"),
            "level": int(escalation.get("level") or 0),
            "fired_at": parse_time(escalation.get("fired_at")),
            "acknowledged_at": parse_time(escalation.get("acknowledged_at")),
        }
    if not rows:
        return
    await repo.upsert_many(session, repo.escalations, list(rows.values()), keys=["id"])
    highest: dict[str, int] = {}
    for row in rows.values():
        highest[row["issue_id"]] = max(highest.get(row["issue_id"], 0), row["level"])
    await repo.raise_escalation_levels(session, highest)


async def reset(session: AsyncSession) -> None:
    """Forget the read model and both cursors: the consumers then rebuild it from sequence 0."""
    await repo.clear(session)
