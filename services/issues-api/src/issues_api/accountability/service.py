"""Accountability records: who may write and read them, the checks a record passes, and the event that tells
report-api (`accountability.recorded`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.accountability import repository
from issues_api.accountability.models import AccountabilityRecord
from issues_api.accountability.schemas import RecordCreate
from issues_api.attachments.service import detect_type, safe_filename
from issues_api.attachments.storage import FileStore
from issues_api.campaigns.models import Campaign
from issues_api.directory.models import Unit
from issues_api.events.service import record_event
from issues_api.ledger.access import Viewer
from issues_api.ledger.models import Issue
from rectify_kit.clock import Clock, business_today
from rectify_kit.errors import Forbidden, NotFound, Unprocessable
from rectify_kit.field_messages import field_error

WRITERS = frozenset({"admin", "office"})
READERS = frozenset({"admin", "office", "leader", "unit"})


def check_may_read(viewer: Viewer) -> None:
    if viewer.role not in READERS:
        raise Forbidden("only staff read accountability records")


def check_may_write(viewer: Viewer) -> None:
    if viewer.role not in WRITERS:
        raise Forbidden("only the office and admins record accountability decisions", required_roles=sorted(WRITERS))


def _refused(field: str, zh: str, en: str) -> Unprocessable:
    return Unprocessable(en, code="invalid-value", errors=[field_error(field, zh, en)])


async def _checked_campaign(session: AsyncSession, body: RecordCreate, issues: Sequence[Issue]) -> str:
    """The record's campaign: its issues' one, or the one the body names when it names no issue."""
    campaigns = {issue.campaign_id for issue in issues}
    if len(campaigns) > 1:
        raise _refused("issue_ids", "所涉事项须属于同一专项行动", "the issues must belong to one campaign")
    if campaigns:
        campaign_id = campaigns.pop()
        if body.campaign_id not in (None, campaign_id):
            raise _refused("campaign_id", "与所涉事项的专项行动不一致", "not the issues' campaign")
        return campaign_id
    if body.campaign_id is None or await session.get(Campaign, body.campaign_id) is None:
        raise _refused("campaign_id", "未列事项时须选择专项行动", "name a campaign when no issue is named")
    return body.campaign_id


async def _checked_issues(session: AsyncSession, body: RecordCreate) -> list[Issue]:
    """The named issues, in the order given; each must exist, once, and be the unit's (lead or co-unit)."""
    if len(set(body.issue_ids)) != len(body.issue_ids):
        raise _refused("issue_ids", "事项重复", "an issue is named twice")
    if not body.issue_ids:
        return []
    found = await repository.issues_by_id(session, body.issue_ids)
    missing = [i for i in body.issue_ids if i not in found]
    if missing:
        raise _refused("issue_ids", "事项不存在", f"unknown issues: {', '.join(missing)}")
    units = {issue.id: {issue.lead_unit_id, *(c.unit_id for c in issue.co_units)} for issue in found.values()}
    foreign = [found[i].code for i in body.issue_ids if body.unit_id not in units[i]]
    if foreign:
        zh = f"{'、'.join(foreign)} 不是该单位主办或协办的事项"
        raise _refused("issue_ids", zh, f"not the unit's issues: {', '.join(foreign)}")
    return [found[i] for i in body.issue_ids]


def as_data(record: AccountabilityRecord) -> dict[str, Any]:
    """The `record` of `accountability.recorded` (docs/events.md)."""
    return {
        "id": record.id,
        "campaign_id": record.campaign_id,
        "unit_id": record.unit_id,
        "issue_ids": list(record.issue_ids),
        "kind": record.kind,
        "decided_on": record.decided_on.isoformat(),
        "outcome": record.outcome,
        "document": record.document,
        "document_file": (
            {"name": record.file_name, "size": record.file_size, "content_type": record.file_type}
            if record.file_sha256
            else None
        ),
        "created_at": record.created_at.isoformat(),
    }


async def create(session: AsyncSession, *, body: RecordCreate, viewer: Viewer, clock: Clock) -> AccountabilityRecord:
    """Record a decision (office, admin). The unit must exist, each issue must be the unit's, the day not be in
    the future. Writes `accountability.recorded`."""
    check_may_write(viewer)
    if await session.get(Unit, body.unit_id) is None:
        raise _refused("unit_id", "单位不存在", "unknown unit")
    if body.decided_on > business_today(clock):
        raise _refused("decided_on", "决定日期不能晚于今天", "the day of the decision is in the future")
    issues = await _checked_issues(session, body)
    record = AccountabilityRecord(
        id=str(uuid.uuid4()),
        campaign_id=await _checked_campaign(session, body, issues),
        unit_id=body.unit_id,
        issue_ids=[i.id for i in issues],
        kind=body.kind,
        decided_on=body.decided_on,
        outcome=body.outcome,
        document=body.document or None,
        created_by=viewer.sub,
        created_at=clock.now(),
    )
    session.add(record)
    await session.flush()
    data = {"record": as_data(record)}
    await record_event(
        session, type="accountability.recorded", subject_id=record.id, actor=viewer.actor, data=data, clock=clock
    )
    return record


def scoped(filters: repository.RecordFilters, viewer: Viewer) -> repository.RecordFilters:
    """A unit reads only its own unit's records; asking for another unit's is a 403."""
    check_may_read(viewer)
    if viewer.role != "unit":
        return filters
    if filters.unit_id not in (None, viewer.unit_id) or viewer.unit_id is None:
        raise Forbidden("a unit reads only its own accountability records")
    return repository.RecordFilters(unit_id=viewer.unit_id, campaign_id=filters.campaign_id)


async def visible_record(session: AsyncSession, *, record_id: str, viewer: Viewer) -> AccountabilityRecord:
    """The record if the caller may read it (a unit: its own unit's); 404 alike for a missing one and another's."""
    check_may_read(viewer)
    record = await session.get(AccountabilityRecord, record_id)
    if record is None or (viewer.role == "unit" and record.unit_id != viewer.unit_id):
        raise NotFound(f"accountability record {record_id} not found", code="record-not-found")
    return record


async def attach_document(
    session: AsyncSession,
    *,
    record: AccountabilityRecord,
    filename: str | None,
    data: bytes,
    store: FileStore,
    viewer: Viewer,
    clock: Clock,
) -> AccountabilityRecord:
    """The decision document (PDF, an image, an office document), judged on its bytes; it replaces an earlier one.
    Writes `accountability.updated` with the record."""
    check_may_write(viewer)
    content_type = detect_type(data)
    record.file_sha256 = await store.put(data)
    record.file_name, record.file_type, record.file_size = safe_filename(filename), content_type, len(data)
    await session.flush()
    data_out = {"record": as_data(record)}
    await record_event(
        session, type="accountability.updated", subject_id=record.id, actor=viewer.actor, data=data_out, clock=clock
    )
    return record
