"""A page of issue events read and written in as few statements as the database allows: on PostgreSQL the page's
facts, the escalation levels of new ones and the calendar one `SELECT`, the facts and every rollup's moves one
statement (each table's rows one JSON document), the emptied rollup rows one more; on SQLite the repository's
statements, one a table (the connection is in process: no round trips to save)."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pydantic_core
from sqlalchemy import Table, Text, case, cast, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import TextClause

from rectify_kit.db import UTCDateTime
from rectify_kit.workdays import WorkCalendar, official_calendar
from report_api.readmodel.repository import (
    FACT_COLUMNS,
    IDS,
    ROLLUP_KEYS,
    ROLLUP_TABLES,
    add_to_rollup,
    calendar,
    calendar_overrides,
    dialect_name,
    escalations,
    facts,
    get_facts,
    max_escalation_levels,
    replace_facts,
)

RollupRows = Sequence[tuple[Table, Sequence[str], Sequence[Mapping[str, Any]]]]


async def write_page(session: AsyncSession, fact_rows: Sequence[Mapping[str, Any]], rollups: RollupRows) -> None:
    """A page's facts (every column of each) replace the facts of their ids, and each rollup's rows (its keys and
    measures' differences, one row per key) are added to it; rows that reach zero are removed.

    On PostgreSQL in one statement, each table's rows one JSON document (`jsonb_populate_recordset` of the table's
    row type): one prepared statement whatever the page holds, its rows inserted by the server in one go instead of
    one execution each; and the emptied rollup rows removed in one more when a page moved some down. On SQLite the
    same rows, a statement a table (the connection is in process: no round trips to save)."""
    if dialect_name(session) != "postgresql":
        if fact_rows:
            await replace_facts(session, fact_rows)
        for table, keys, rows in rollups:
            await add_to_rollup(session, table, rows, keys=keys)
        return
    documents: dict[str, str] = {"facts": _json_rows(fact_rows, _MOMENTS)}
    shrunk: dict[str, str] = {}
    for index, table in enumerate(ROLLUP_TABLES):
        rows = next((rows for t, _keys, rows in rollups if t is table), [])
        documents[f"r{index}"] = _json_rows(rows)
        keys = ROLLUP_KEYS[table.name]
        down = [{k: row[k] for k in keys} for row in rows if any(row[c] < 0 for c in row if c not in keys)]
        shrunk[f"r{index}"] = _json_rows(down)
    await session.execute(_page_write_statement(), documents)
    if any(document != "[]" for document in shrunk.values()):
        await session.execute(_emptied_delete_statement(), shrunk)


# The moments of a fact: aware by construction (`projection.parse_time` refuses naive ones, the database's are UTC),
# checked again as `UTCDateTime` checks what it stores, since a naive one in JSON would be read in the server's zone.
_MOMENTS = tuple(c.name for c in facts.c if isinstance(c.type, UTCDateTime))


def _json_rows(rows: Sequence[Mapping[str, Any]], moments: Sequence[str] = ()) -> str:
    """The rows as a JSON array (pydantic-core: moments and days in ISO 8601, as PostgreSQL reads them)."""
    for row in rows:
        for column in moments:
            value = row[column]
            if value is not None and value.tzinfo is None:
                raise ValueError("naive datetime refused: store aware datetimes")
    return pydantic_core.to_json(list(rows)).decode()


# Table and column names in the statements below come from the metadata, never from a request or an event.
def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def _from_json(table: Table, parameter: str) -> str:
    return f'jsonb_populate_recordset(NULL::"{table.name}", CAST(:{parameter} AS jsonb))'


@functools.cache
def _page_write_statement() -> TextClause:
    """The facts' upsert and every rollup's, data-modifying parts of one statement (different tables each)."""
    columns = _quoted(FACT_COLUMNS)
    assignments = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in FACT_COLUMNS if c != "id")
    parts = [
        f'f AS (INSERT INTO "{facts.name}" ({columns}) SELECT {columns} FROM {_from_json(facts, "facts")} '  # noqa: S608
        f'ON CONFLICT ("id") DO UPDATE SET {assignments})'
    ]
    for index, table in enumerate(ROLLUP_TABLES):
        keys = ROLLUP_KEYS[table.name]
        names = list(table.c.keys())
        added = ", ".join(f'"{c}" = t."{c}" + EXCLUDED."{c}"' for c in names if c not in keys)
        parts.append(
            f'r{index} AS (INSERT INTO "{table.name}" AS t ({_quoted(names)}) SELECT {_quoted(names)} '  # noqa: S608
            f"FROM {_from_json(table, f'r{index}')} ON CONFLICT ({_quoted(keys)}) DO UPDATE SET {added})"
        )
    return text("WITH " + ", ".join(parts) + " SELECT 1")


@functools.cache
def _emptied_delete_statement() -> TextClause:
    """Every rollup's rows of the keys given whose measures are all zero, one statement."""
    parts = []
    for index, table in enumerate(ROLLUP_TABLES):
        keys = ROLLUP_KEYS[table.name]
        matched = " AND ".join(f't."{k}" = k."{k}"' for k in keys)
        emptied = " AND ".join(f't."{c}" = 0' for c in list(table.c.keys()) if c not in keys)
        parts.append(
            f'd{index} AS (DELETE FROM "{table.name}" AS t USING {_from_json(table, f"r{index}")} AS k '  # noqa: S608
            f"WHERE {matched} AND {emptied})"
        )
    return text("WITH " + ", ".join(parts) + " SELECT 1")


@functools.cache
def _page_state_statement() -> Any:
    """Each id asked (in its order), its fact if it has one, the highest escalation level recorded of it, and on the
    first row only the calendar's overrides as a JSON array of `[day, is_working]`."""
    ids = func.unnest(IDS).table_valued("id", with_ordinality="ord").render_derived(name="i", with_types=False)
    level = select(func.max(escalations.c.level)).where(escalations.c.issue_id == ids.c.id).scalar_subquery()
    pairs = func.json_agg(func.json_build_array(calendar_overrides.c.day, calendar_overrides.c.is_working))
    overrides = select(func.coalesce(pairs, text("'[]'::json"))).scalar_subquery()
    return select(
        ids.c.id.label("_asked"),
        level.label("_level"),
        case((ids.c.ord == 1, cast(overrides, Text())), else_=None).label("_calendar"),
        facts,
    ).select_from(ids.outerjoin(facts, facts.c.id == ids.c.id))


async def page_state(
    session: AsyncSession, issue_ids: Sequence[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, int], WorkCalendar]:
    """What a page of issue events is folded on: the facts of the ids that have one, the highest escalation level
    recorded of the others (escalations may come before the issue's first event), and the calendar in force. On
    PostgreSQL one statement."""
    if dialect_name(session) != "postgresql" or not issue_ids:
        found = await get_facts(session, issue_ids)
        unseen = [i for i in issue_ids if i not in found]
        seen_levels = await max_escalation_levels(session, unseen) if unseen else {}
        return found, seen_levels, await calendar(session)
    rows = (await session.execute(_page_state_statement(), {"ids": list(issue_ids)})).mappings().all()
    found_facts: dict[str, dict[str, Any]] = {}
    levels: dict[str, int] = {}
    overrides: dict[date, bool] = {}
    for row in rows:
        if row["_calendar"] is not None:
            overrides = {date.fromisoformat(day): bool(working) for day, working in json.loads(row["_calendar"])}
        if row["id"] is not None:
            found_facts[row["id"]] = {c: row[c] for c in FACT_COLUMNS}
        elif row["_level"] is not None:
            levels[row["_asked"]] = int(row["_level"])
    return found_facts, levels, official_calendar(overrides)
