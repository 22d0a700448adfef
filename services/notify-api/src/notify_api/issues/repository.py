"""Queries of notify-api's copy of the issues."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, String, Table, any_, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.db import metadata
from notify_api.issues.models import ROW_COLUMNS, IssueRow, IssueState

CLOSED = ("closed", "cancelled")
CHUNK = 500


async def get(session: AsyncSession, issue_id: str) -> IssueState | None:
    return await session.get(IssueState, issue_id)


def flagged() -> ColumnElement[bool]:
    """An issue flagged after a calendar, policy or notice change, to be re-planned."""
    return IssueState.needs_replan.is_(True)


async def to_replan(session: AsyncSession, *, limit: int) -> list[IssueState]:
    """Issues flagged after a calendar, policy or notice change; on PostgreSQL other replicas skip them."""
    query = select(IssueState).where(flagged()).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list((await session.execute(query)).scalars())


async def by_id(session: AsyncSession, ids: set[str]) -> dict[str, IssueState]:
    found: dict[str, IssueState] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), CHUNK):
        query = select(IssueState).where(IssueState.id.in_(ordered[i : i + CHUNK]))
        for row in (await session.execute(query)).scalars():
            found[row.id] = row
    return found


ISSUES: Table = metadata.tables["issues"]
# What the feed alone writes of an issue (all but the id and the re-planning flag with its stamp, which the
# scheduler and an admin's calendar or policy change write too).
FEED_COLUMNS = tuple(name for name in ROW_COLUMNS if name not in ("id", "needs_replan", "replan_stamp"))
_UPDATE_FROM_FEED = update(ISSUES).where(ISSUES.c.id == bindparam("b_id"))
# A flag cleared only while its stamp is the one read: a flag set again since (a new calendar or policy the page's
# re-planning may not have seen) stays set.
_CLEAR_AS_READ = (
    update(ISSUES)
    .where(ISSUES.c.id == bindparam("b_id"), ISSUES.c.replan_stamp == bindparam("b_stamp"))
    .values(needs_replan=False)
)

# What flags an issue for re-planning: the flag set, its stamp moved on.
_FLAGGED = {"needs_replan": True, "replan_stamp": ISSUES.c.replan_stamp + 1}


_ROWS = select(*(ISSUES.c[name] for name in ROW_COLUMNS))
# On PostgreSQL the ids go as one array: one statement text whatever their number, so the driver's prepared
# statement serves every page (an `IN` list is a new statement, prepared anew, for each number of ids).
_ROWS_BY_ARRAY = _ROWS.where(ISSUES.c.id == any_(bindparam("ids", type_=postgresql.ARRAY(String()))))


async def rows_by_id(session: AsyncSession, ids: set[str]) -> dict[str, IssueRow]:
    """The issues of `ids` stored, as plain rows (a statement per 500, none for no ids)."""
    ordered = sorted(ids)
    if ordered and session.get_bind().dialect.name == "postgresql":
        return {row[0]: IssueRow(*row) for row in await session.execute(_ROWS_BY_ARRAY, {"ids": ordered})}
    found: dict[str, IssueRow] = {}
    for i in range(0, len(ordered), CHUNK):
        for row in await session.execute(_ROWS.where(ISSUES.c.id.in_(ordered[i : i + CHUNK]))):
            found[row[0]] = IssueRow(*row)
    return found


async def write_rows(
    session: AsyncSession, *, new: Sequence[IssueRow], changed: Sequence[IssueRow], flags: dict[str, bool]
) -> None:
    """INSERT the `new` rows whole, UPDATE what the feed writes of the `changed` ones (an executemany each), and
    set the re-planning flag of the issues in `flags`: the flag alone is written only where it moved, as the ORM
    would, since the scheduler and an admin's calendar or policy change set it too; a flag is cleared only while
    its stamp is still the one in `changed` (or `new`), as read."""
    for i in range(0, len(new), CHUNK):
        rows = [{name: getattr(row, name) for name in ROW_COLUMNS} for row in new[i : i + CHUNK]]
        await session.execute(insert(ISSUES), rows)
    for i in range(0, len(changed), CHUNK):
        params: list[dict[str, Any]] = [
            {"b_id": row.id, **{name: getattr(row, name) for name in FEED_COLUMNS}} for row in changed[i : i + CHUNK]
        ]
        await session.execute(_UPDATE_FROM_FEED, params)
    await flag_for_replan(session, sorted(issue_id for issue_id, flag in flags.items() if flag))
    read = {row.id: row.replan_stamp for row in (*new, *changed)}
    cleared = [{"b_id": i, "b_stamp": read[i]} for i, flag in sorted(flags.items()) if not flag]
    if cleared:
        await session.execute(_CLEAR_AS_READ, cleared)


async def flag_for_replan(session: AsyncSession, issue_ids: Sequence[str]) -> None:
    """The issues are re-planned by the scheduler's next pass (a notice of theirs fired)."""
    for i in range(0, len(issue_ids), CHUNK):
        await session.execute(update(ISSUES).where(ISSUES.c.id.in_(issue_ids[i : i + CHUNK])).values(_FLAGGED))


async def mark_open_for_replan(session: AsyncSession) -> None:
    """Every open issue is re-planned by the scheduler's next pass (the calendar changed)."""
    await session.execute(update(ISSUES).where(ISSUES.c.status.not_in(CLOSED)).values(_FLAGGED))


async def mark_campaign_for_replan(session: AsyncSession, campaign_id: str) -> None:
    """The campaign's issues are re-planned by the scheduler's next pass (its policy changed)."""
    await session.execute(update(ISSUES).where(ISSUES.c.campaign_id == campaign_id).values(_FLAGGED))


async def labels(session: AsyncSession, issue_ids: set[str]) -> dict[str, tuple[str, str]]:
    """The code and title of each issue, for lists that show something next to what it is about."""
    if not issue_ids:
        return {}
    query = select(IssueState.id, IssueState.code, IssueState.title).where(IssueState.id.in_(sorted(issue_ids)))
    return {row.id: (row.code, row.title) for row in await session.execute(query)}
