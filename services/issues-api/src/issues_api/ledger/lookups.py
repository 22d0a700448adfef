"""What the ledger's writes read: an issue locked for update, campaigns, references to check, the rows that
hang off an issue (extensions, progress, events) and the names a timeline shows. The hot reads and the list are
in repository.py; issue numbers in numbers.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, exists, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.util import identity_key

from issues_api.attachments.models import Attachment
from issues_api.campaigns.models import Campaign, Category
from issues_api.directory.models import Client, Unit, User
from issues_api.events.models import events
from issues_api.ledger.models import Extension, Issue, ProgressReport

_LOCKED = "ledger_locked_issues"


def _locked_issues(session: AsyncSession) -> set[str]:
    """Ids of the issues the session's current transaction has loaded `for_update` (and so holds locked)."""
    transaction = session.sync_session.get_transaction()
    held: tuple[object, set[str]] | None = session.info.get(_LOCKED)
    if held is None or held[0] is not transaction:
        held = (transaction, set())
        session.info[_LOCKED] = held
    return held[1]


def _held_issue(session: AsyncSession, issue_id: str) -> Issue | None:
    """The issue as this transaction already locked and loaded it, if nothing has expired it since."""
    if session.sync_session.get_transaction() is None or issue_id not in _locked_issues(session):
        return None
    issue = session.identity_map.get(identity_key(Issue, issue_id))
    if not isinstance(issue, Issue):
        return None
    state = inspect(issue)
    loaded = not state.expired_attributes and {"co_units", "deadlines"} <= state.dict.keys()
    return issue if loaded and state.persistent else None


# The statements every workflow step runs, built once: building them (and their cache keys' parts) per step cost
# about as much CPU as executing them.
_ISSUE = (
    select(Issue)
    .where(Issue.id == bindparam("issue_id"))
    .options(joinedload(Issue.co_units), joinedload(Issue.deadlines))
)
_ISSUE_FOR_UPDATE = _ISSUE.with_for_update(of=Issue)
_PENDING_EXTENSION = select(Extension).where(Extension.issue_id == bindparam("issue_id"), Extension.status == "pending")
_HAS_PENDING_EXTENSION = select(
    exists().where(Extension.issue_id == bindparam("issue_id"), Extension.status == "pending")
)
_UNIT_IDS = select(Unit.id).where(Unit.id.in_(bindparam("unit_ids", expanding=True)))


async def get_issue(session: AsyncSession, issue_id: str, *, for_update: bool = False) -> Issue | None:
    """The issue with its co-units and deadline history in one query (both lists are short).

    For update, an issue this transaction already locked is not read again: the lock keeps others from
    changing it, so the loaded object (with this transaction's own changes) is current.
    """
    if for_update and (held := _held_issue(session, issue_id)) is not None:
        return held
    query = _ISSUE_FOR_UPDATE if for_update else _ISSUE
    issue = (await session.execute(query, {"issue_id": issue_id})).unique().scalar_one_or_none()
    if for_update and issue is not None:
        _locked_issues(session).add(issue_id)
    return issue


async def get_campaign(session: AsyncSession, campaign_id: str) -> Campaign | None:
    return await session.get(Campaign, campaign_id)


async def import_keys(session: AsyncSession, campaign_id: str, keys: Sequence[str]) -> set[str]:
    """Which of these import keys the campaign's items already carry (rows imported before)."""
    found: set[str] = set()
    ordered = sorted(set(keys))
    for start in range(0, len(ordered), 500):
        query = select(Issue.import_key).where(
            Issue.campaign_id == campaign_id, Issue.import_key.in_(ordered[start : start + 500])
        )
        found.update(str(row[0]) for row in await session.execute(query))
    return found


async def category_in_campaign(session: AsyncSession, *, category_id: str, campaign_id: str) -> bool:
    query = select(Category.id).where(Category.id == category_id, Category.campaign_id == campaign_id)
    return (await session.execute(query)).first() is not None


async def existing_unit_ids(session: AsyncSession, unit_ids: Sequence[str]) -> set[str]:
    if not unit_ids:
        return set()
    rows = await session.execute(_UNIT_IDS, {"unit_ids": list(unit_ids)})
    return {r[0] for r in rows}


async def unit_names(session: AsyncSession, unit_ids: Sequence[str]) -> dict[str, str]:
    if not unit_ids:
        return {}
    rows = await session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(list(unit_ids))))
    return {r[0]: r[1] for r in rows}


async def pending_extension(session: AsyncSession, issue_id: str) -> Extension | None:
    return (await session.execute(_PENDING_EXTENSION, {"issue_id": issue_id})).scalars().first()


async def has_pending_extension(session: AsyncSession, issue_id: str) -> bool:
    """Whether an extension request of the issue waits for a decision (no object loaded)."""
    return bool((await session.execute(_HAS_PENDING_EXTENSION, {"issue_id": issue_id})).scalar())


async def get_extension(session: AsyncSession, *, issue_id: str, extension_id: str) -> Extension | None:
    query = select(Extension).where(Extension.issue_id == issue_id, Extension.id == extension_id)
    return (await session.execute(query)).scalar_one_or_none()


async def list_extensions(session: AsyncSession, issue_id: str) -> Sequence[Extension]:
    query = select(Extension).where(Extension.issue_id == issue_id).order_by(Extension.requested_at)
    return (await session.execute(query)).scalars().all()


async def list_progress(session: AsyncSession, issue_id: str) -> Sequence[ProgressReport]:
    query = select(ProgressReport).where(ProgressReport.issue_id == issue_id).order_by(ProgressReport.created_at)
    return (await session.execute(query)).scalars().all()


async def issue_events(session: AsyncSession, issue_id: str) -> Sequence[Any]:
    query = select(events).where(events.c.subject_id == issue_id).order_by(events.c.seq)
    return (await session.execute(query)).all()


@dataclass(frozen=True)
class DirectoryNames:
    """Display names by id: of users, of integration clients and of units."""

    users: dict[str, str]
    clients: dict[str, str]
    units: dict[str, str]


async def directory_names(
    session: AsyncSession, *, user_ids: set[str], client_ids: set[str], unit_ids: set[str]
) -> DirectoryNames:
    """The names of the users, clients and units asked for (three queries at most; unknown ids left out)."""

    async def names(id_column: Any, name_column: Any, ids: set[str]) -> dict[str, str]:
        if not ids:
            return {}
        rows = await session.execute(select(id_column, name_column).where(id_column.in_(ids)))
        return {row[0]: row[1] for row in rows}

    return DirectoryNames(
        users=await names(User.id, User.display_name, user_ids),
        clients=await names(Client.id, Client.name, client_ids),
        units=await names(Unit.id, Unit.name, unit_ids),
    )


async def completion_needs_evidence(session: AsyncSession, issue: Issue) -> bool:
    """The campaign asks for evidence with a completion and the issue has no file of step `completion` yet."""
    campaign = await get_campaign(session, issue.campaign_id)
    header = ((campaign.definition or {}).get("campaign") or {}) if campaign is not None else {}
    if not header.get("require_completion_evidence"):
        return False
    query = select(Attachment.id).where(Attachment.issue_id == issue.id, Attachment.step == "completion").limit(1)
    return (await session.execute(query)).first() is None
