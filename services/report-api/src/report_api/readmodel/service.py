"""Applies pages of feed events to the read model, idempotently, in the consumer's transaction.

A page is folded in memory: each issue's fact moves through its events in sequence order, then the facts,
their units and the rollup differences are written in a few statements, whatever the page size.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from rectify_kit.db import Database
from rectify_kit.feed import FeedEvent
from rectify_kit.workdays import WorkCalendar
from report_api.readmodel import pages
from report_api.readmodel import repository as repo
from report_api.readmodel.projection import (
    Contribution,
    assign_to_close_wd,
    business_date,
    contribution,
    fact_values,
    parse_date,
    parse_time,
)

logger = logging.getLogger(__name__)

ISSUES_FEED = "issues"
APPEALED = "intake.appealed"
ESCALATIONS_FEED = "escalations"


def _client_account(client: dict[str, Any]) -> dict[str, Any]:
    """An integration client as token checks need it: active, scopes, bound units, `not_before` (its last secret
    rotation)."""
    return {
        "id": str(client["id"]),
        "active": bool(client.get("active", True)),
        "scopes": " ".join(str(s) for s in client.get("scopes") or []),
        "unit_ids": " ".join(str(u) for u in client.get("unit_ids") or []),
        "not_before": parse_time(client.get("not_before")),
    }


async def apply_issues_page(session: AsyncSession, items: Sequence[FeedEvent]) -> None:
    """Apply events of issues-api's feed in order; types the reports do not need are ignored.

    The directory's rows (units, users, clients, accountability records) are written once per page, a statement
    per table, each the last the page says of it: a directory import came as thousands of events, a round trip
    each. Nothing the page applies reads them."""
    issue_events: dict[str, list[FeedEvent]] = {}
    directory: dict[Table, dict[str, dict[str, Any]]] = {}

    def keep(table: Table, values: dict[str, Any]) -> None:
        directory.setdefault(table, {})[values["id"]] = values

    for item in items:
        kind = item.type.split(".", 1)[0]
        if kind == "issue" and isinstance(item.data.get("issue"), dict):
            issue_events.setdefault(str(item.data["issue"]["id"]), []).append(item)
        elif item.type == APPEALED and (appealed := _appealed_issue(item)) is not None:
            issue_events.setdefault(appealed, []).append(item)
        elif kind == "unit" and isinstance(item.data.get("unit"), dict):
            unit = item.data["unit"]
            names = {"id": str(unit["id"]), "code": str(unit.get("code") or ""), "name": str(unit.get("name") or "")}
            keep(repo.unit_names, names)
        elif kind == "user" and isinstance(item.data.get("user"), dict):
            user = item.data["user"]
            account: dict[str, Any] = {
                "id": str(user["id"]),
                "role": str(user.get("role") or ""),
                "unit_id": user.get("unit_id"),
                "active": bool(user.get("active", True)),
                "not_before": parse_time(user.get("not_before")),
            }
            keep(repo.accounts, account)
        elif kind == "client" and isinstance(item.data.get("client"), dict):
            keep(repo.client_accounts, _client_account(item.data["client"]))
        elif kind == "campaign" and isinstance(item.data.get("campaign"), dict):
            await _apply_campaign(session, item.data["campaign"])
        elif kind == "accountability" and isinstance(item.data.get("record"), dict):
            keep(repo.accountability_records, _accountability(item.data["record"]))
    for table, rows in directory.items():
        await repo.upsert_many(session, table, list(rows.values()), keys=["id"])
    if issue_events:
        await _apply_issues(session, issue_events)


def _accountability(record: dict[str, Any]) -> dict[str, Any]:
    """An accountability record (约谈, 问责 …) as `accountability.recorded` carries it; a later event replaces it."""
    return {
        "id": str(record["id"]),
        "campaign_id": str(record.get("campaign_id") or ""),
        "unit_id": str(record.get("unit_id") or ""),
        "issue_ids": [str(i) for i in record.get("issue_ids") or []],
        "kind": str(record.get("kind") or ""),
        "decided_on": date.fromisoformat(str(record["decided_on"])),
        "outcome": str(record.get("outcome") or ""),
        "document": record.get("document"),
    }


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
    await repo.replace_phases(session, campaign_id, _phases(campaign_id, campaign.get("phases") or []))


def _phases(campaign_id: str, phases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The campaign's phases with their names and dates, numbered in the order the payload lists them."""
    return [
        {
            "id": str(phase["id"]),
            "campaign_id": campaign_id,
            "code": str(phase.get("code") or ""),
            "name": str(phase.get("name") or ""),
            "starts_on": parse_date(phase.get("starts_on")),
            "ends_on": parse_date(phase.get("ends_on")),
            "position": position,
        }
        for position, phase in enumerate(phases)
    ]


def fold(fact: dict[str, Any] | None, item: FeedEvent, calendar: WorkCalendar) -> dict[str, Any]:
    """The fact after one event: the carried state, plus what only the event itself tells."""
    issue = item.data["issue"]
    new = fact_values(issue, calendar)
    new["id"] = str(issue["id"])
    new["last_seq"] = item.seq
    new["reject_count"] = (fact["reject_count"] if fact else 0) + (item.type == "issue.completion_rejected")
    progress = item.data.get("progress") if item.type == "issue.progress_reported" else None
    new["latest_progress"] = (
        progress.get("content") if isinstance(progress, dict) else (fact or {}).get("latest_progress")
    )
    new["responsible_name"] = _responsible_name(fact, item, new.get("lead_unit_id"))
    new["max_escalation_level"] = (fact or {}).get("max_escalation_level")
    new["appeals"] = int((fact or {}).get("appeals") or 0)
    return new


def _responsible_name(fact: dict[str, Any] | None, item: FeedEvent, lead_unit_id: Any) -> str | None:
    """The lead unit's responsible person (责任人) by name: named by `issue.responsible_named` for the lead unit, kept
    while the lead unit stays, forgotten when the item goes to another lead unit (whose person is not named yet)."""
    if item.type == "issue.responsible_named" and item.data.get("unit_id") == lead_unit_id:
        person = item.data.get("responsible")
        name = person.get("display_name") if isinstance(person, dict) else None
        return str(name) if name else None
    if fact is not None and fact.get("lead_unit_id") == lead_unit_id:
        kept = fact.get("responsible_name")
        return str(kept) if kept else None
    return None


def _appealed_issue(item: FeedEvent) -> str | None:
    intake = item.data.get("intake")
    issue_id = intake.get("issue_id") if isinstance(intake, dict) else None
    return str(issue_id) if issue_id else None


def appealed(fact: dict[str, Any], item: FeedEvent) -> dict[str, Any]:
    """A submitter's appeal (`intake.appealed`) carries no issue state: it only counts on the issue's fact."""
    return {**fact, "appeals": int(fact.get("appeals") or 0) + 1, "last_seq": item.seq}


async def _apply_issues(session: AsyncSession, events: dict[str, list[FeedEvent]]) -> None:
    before, levels, calendar = await pages.page_state(session, list(events))
    after: dict[str, dict[str, Any]] = {}
    for issue_id, items in events.items():
        fact = before.get(issue_id)
        for item in items:
            if fact is not None and fact["last_seq"] >= item.seq:
                continue  # an event this fact already reflects (a page delivered again)
            if item.type == APPEALED:
                fact = appealed(fact, item) if fact is not None else None
                continue
            fact = fold(fact, item, calendar)
            if issue_id in levels:
                fact["max_escalation_level"] = levels[issue_id]
        if fact is not None and fact is not before.get(issue_id):
            after[issue_id] = fact
    if not after:
        return
    removed = [contribution(before[i]) for i in after if i in before]
    rollups = rollup_rows(removed, [contribution(fact) for fact in after.values()])
    await pages.write_page(session, list(after.values()), rollups)
    moved_units = [
        fact
        for issue_id, fact in after.items()
        if issue_id not in before
        or (before[issue_id]["lead_unit_id"], before[issue_id]["co_unit_ids"])
        != (fact["lead_unit_id"], fact["co_unit_ids"])
    ]
    # A fact new to the read model has no units yet: only the known ones' are deleted before they are written.
    await repo.replace_issue_units(session, moved_units, known={i for i in after if i in before})


def rollup_rows(removed: list[Contribution], added: list[Contribution]) -> pages.RollupRows:
    """The difference of the contributions, as rows to add to each rollup: summed first by all the status keys at
    once (a page's facts share a few), then by each rollup's keys, one row per key that moved."""
    by_keys: dict[tuple[str, ...], list[int]] = {}
    by_day: dict[tuple[Any, ...], list[int]] = {}
    names: tuple[str, ...] = ()
    moved: list[tuple[Any, Sequence[str], list[dict[str, Any]]]] = []
    for sign, parts in ((-1, removed), (1, added)):
        for part in parts:
            names = names or tuple(part.status_measures)
            _add(by_keys, tuple(part.keys[k] for k in repo.STATUS_KEYS_ALL), part.status_measures.values(), sign)
            for day_key, measures in part.daily.items():
                _add(by_day, day_key, measures.values(), sign)
    for table, keys in repo.STATUS_ROLLUPS:
        positions = [repo.STATUS_KEYS_ALL.index(k) for k in keys]
        deltas: dict[tuple[str, ...], list[int]] = {}
        for full_key, values in by_keys.items():
            _add(deltas, tuple(full_key[i] for i in positions), values, 1)
        rows = [
            {**dict(zip(keys, key, strict=True)), **dict(zip(names, delta, strict=True))}
            for key, delta in deltas.items()
            if any(delta)
        ]
        moved.append((table, keys, rows))
    daily_rows = [
        {**dict(zip(repo.DAILY_KEYS, key, strict=True)), **dict(zip(DAILY_MEASURES, delta, strict=True))}
        for key, delta in by_day.items()
        if any(delta)
    ]
    moved.append((repo.daily_rollup, repo.DAILY_KEYS, daily_rows))
    return moved


DAILY_MEASURES = ("created", "closed", "cancelled")


def _add(sums: dict[Any, list[int]], key: Any, values: Iterable[int], sign: int) -> None:
    """Add `values` (times `sign`) to the sums kept under `key`."""
    target = sums.get(key)
    if target is None:
        sums[key] = [sign * v for v in values]
    else:
        for i, v in enumerate(values):
            target[i] += sign * v


async def apply_escalations_page(session: AsyncSession, items: Sequence[FeedEvent]) -> None:
    """Record escalations (fired or acknowledged) and raise their issues' highest level; apply calendar
    changes."""
    rows: dict[str, dict[str, Any]] = {}
    for item in items:
        if item.type == "calendar.updated" and isinstance(item.data.get("calendar"), dict):
            await _apply_calendar(session, item.data["calendar"])
            continue
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


async def _apply_calendar(session: AsyncSession, change: dict[str, Any]) -> None:
    """A year's overrides replace the ones stored; the working days of closed issues whose span reaches into
    that year are counted again, and the rollups move with them."""
    year = int(change["year"])
    days = {date.fromisoformat(str(d["date"])): bool(d["is_working"]) for d in change.get("overrides") or []}
    await repo.replace_calendar_year(session, year=year, days=days)
    calendar = await repo.calendar(session)
    before = await repo.closed_facts_spanning(session, year)
    after: list[dict[str, Any]] = []
    for fact in before:
        wd = assign_to_close_wd(business_date(fact["assigned_at"]), fact["closed_on"], calendar)
        if wd != fact["assign_to_close_wd"]:
            after.append({**fact, "assign_to_close_wd": wd})
    if not after:
        return
    changed = {fact["id"] for fact in after}
    rollups = rollup_rows([contribution(f) for f in before if f["id"] in changed], [contribution(f) for f in after])
    await pages.write_page(session, after, rollups)


async def reset(session: AsyncSession) -> None:
    """Forget the read model and both cursors: the consumers then rebuild it from sequence 0."""
    await repo.clear(session)


async def reset_in_background(database: Database) -> None:
    """`reset` in a transaction of its own (the rebuild endpoint answers before it runs); failures are logged."""
    try:
        async with database.session() as session:
            await reset(session)
    except Exception:
        logger.exception("clearing the read model failed")
