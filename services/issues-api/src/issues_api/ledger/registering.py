"""Creates that are their requests' only write, in one statement on PostgreSQL: the numbers, the issues, their events.

`POST /api/v1/issues` without `assign` and without an Idempotency-Key writes nothing but the new issue and its
staged `issue.created`. On PostgreSQL that is one statement in autocommit, its parts data-modifying CTEs: the
campaign's counter `UPDATE … RETURNING` (numbers.take_statement: the numbers, the campaign's code and start, the
phase), the issues' `INSERT … SELECT` from it (each code made in SQL as `issue_code` makes it), and the events'
staging `INSERT … SELECT` from that (each event's `data` the issue's state from Python, the code and phase set in
SQL). One round trip instead of five (the number, `BEGIN`, two `INSERT`s, `COMMIT`); the campaign row stays
locked for that statement only, and a create that fails takes no number. The events are relayed after the
request's session commits, as those staged by `Outbox.add` are.

Creates of one campaign arriving together (with the same category, named phase and day) share that statement
(rectify_kit.batching): one registers what arrived while the last ran, their numbers one block in arrival order.
Each statement passed the campaign's counter row to the next one at a time, held through its commit's flush, so
under load the creates queued on that row, and the queue cost PostgreSQL CPU as well as time. The issues' values
go in as one array per column (`unnest`), so a batch of any size is the one prepared statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import Integer, Select, String, Table, bindparam, column, func, insert, literal, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.types import NullType, TypeEngine

from issues_api.events.models import outbox
from issues_api.ledger import numbers
from issues_api.ledger.models import Issue, new_id
from issues_api.ledger.state import state_of
from rectify_kit.batching import Batcher
from rectify_kit.clock import Clock
from rectify_kit.db import UTCDateTime, fetch_rows

_ISSUES = cast(Table, Issue.__table__)
# What each create of a batch gives: the issue's columns but its code and phase (made in SQL), and its event's.
# A foreign key's column takes its type from its target's only once that table is known (all are ids: strings).
_MADE = ("code", "phase_id")
_ROW_TYPES: dict[str, TypeEngine[Any]] = {
    **{c.key: String() if isinstance(c.type, NullType) else c.type for c in _ISSUES.columns if c.key not in _MADE},
    "event_id": String(),
    "event_occurred_at": UTCDateTime(),
    "event_actor": JSONB(),
    "event_data": JSONB(),
}
_OWN_COLUMNS = tuple(key for key in _ROW_TYPES if not key.startswith("event_"))
# A batch's size bounds its statement's parameters (one array each) and the time its creates hold the row.
MAX_BATCH = 64


def _statement(*, category: bool, named_phase: bool) -> Select[Any]:
    taken = numbers.take_statement(category=category, named_phase=named_phase).cte("taken")
    arrays = [bindparam(f"rows_{key}", type_=ARRAY(type_)) for key, type_ in _ROW_TYPES.items()]
    unnested = func.unnest(*arrays).table_valued(
        *(column(key, type_) for key, type_ in _ROW_TYPES.items()), with_ordinality="ord"
    )
    rows = select(unnested.render_derived(name="unnested")).cte("given")
    # `next_number` is the campaign's counter after the batch took its `count` numbers, one for each row.
    number = sa.cast(taken.c.next_number - bindparam("count", type_=Integer()) + rows.c.ord - 1, String())
    # issue_code: the campaign's code, its starting year, the number zero-padded to four digits (more if longer).
    code = (
        taken.c.campaign_code
        + "-"
        + sa.cast(sa.cast(func.extract("year", taken.c.starts_on), Integer()), String())
        + "-"
        + func.lpad(number, func.greatest(4, func.length(number)), "0")
    )
    filled = {"code": code, "phase_id": taken.c.phase_id}
    columns = list(_ISSUES.columns)
    values = [filled[c.key] if c.key in filled else rows.c[c.key] for c in columns]
    issue = (
        insert(_ISSUES)
        .from_select(
            [c.key for c in columns], select(*values).select_from(taken.join(rows, sa.true())).order_by(rows.c.ord)
        )
        .returning(_ISSUES.c.id, _ISSUES.c.code, _ISSUES.c.phase_id)
        .cte("issue")
    )
    # The event's data is the issue's state with its code and phase not yet known: set here from the new row.
    data = func.jsonb_set(
        func.jsonb_set(
            rows.c.event_data,
            literal_column("'{issue,code}'::text[]"),
            func.to_jsonb(issue.c.code),
        ),
        literal_column("'{issue,phase_id}'::text[]"),
        func.coalesce(func.to_jsonb(issue.c.phase_id), literal_column("'null'::jsonb")),
        type_=JSONB(),
    )
    event = (
        select(
            rows.c.event_id,
            literal("issue.created", String()),
            rows.c.event_occurred_at,
            rows.c.event_actor,
            issue.c.id,
            data,
        )
        .select_from(issue.join(rows, rows.c.id == issue.c.id))
        .order_by(rows.c.ord)  # the staging order: the events in the order of their numbers
    )
    staged = insert(outbox.staging).from_select(["id", "type", "occurred_at", "actor", "subject_id", "data"], event)
    return select(issue.c.id, issue.c.code, issue.c.phase_id).add_cte(staged.cte("staged"))


# Built once per shape (with or without a category, a named phase): compiled once, as numbers._TAKE.
_STATEMENTS = {(c, p): _statement(category=c, named_phase=p) for c in (False, True) for p in (False, True)}


@dataclass(frozen=True)
class _Key:
    """What the creates of one statement share: the database, the number's statement and its parameters."""

    engine: AsyncEngine
    campaign_id: str
    category_id: str | None
    phase_id: str | None
    day: date


Registered = tuple[str, str | None] | None  # the new issue's code and phase; None: nothing registered


async def register(
    engine: AsyncEngine,
    values: dict[str, Any],
    *,
    phase_id: str | None,
    day: date,
    actor: dict[str, Any],
    clock: Clock,
) -> bool:
    """Insert the issue of `values` (every column but its code and phase) with the campaign's next number and
    its phase (`phase_id`, else the phase of `day`), and stage its `issue.created`, in one statement on
    `engine`, an engine in autocommit, with the creates of the campaign that arrive meanwhile; put the code and the
    phase in `values`. False when the campaign, its category or the phase named is not there (nothing is written).
    """
    state = state_of(values, co_units=(), deadlines=())
    row = {key: values[key] for key in _OWN_COLUMNS}
    row |= {
        "event_id": new_id(),
        "event_occurred_at": clock.now(),
        "event_actor": actor,
        "event_data": {"issue": state},
    }
    key = _Key(engine, values["campaign_id"], values["category_id"], phase_id, day)
    registered = await _BATCHER.submit(key, row)
    if registered is None:
        return False
    values["code"], values["phase_id"] = registered
    return True


async def _register_batch(key: _Key, rows: list[dict[str, Any]]) -> list[Registered | Exception]:
    """Each row registered, or None for all when the campaign, category or phase is not there. A batch whose
    statement fails is registered again one row at a time, so that only the row at fault fails.

    The statement runs straight on asyncpg (`fetch_rows`), which runs a statement that failed once more through
    SQLAlchemy for its errors: that cannot register an issue twice, its id being the new row's primary key."""
    try:
        registered = await _run(key, rows)
    except Exception as error:
        if len(rows) == 1:
            return [error]
        outcomes: list[Registered | Exception] = []
        for row in rows:
            outcomes += await _register_batch(key, [row])
        return outcomes
    return [registered.get(row["id"]) for row in rows]


async def _run(key: _Key, rows: list[dict[str, Any]]) -> dict[str, tuple[str, str | None]]:
    statement = _STATEMENTS[(key.category_id is not None, key.phase_id is not None)]
    params: dict[str, Any] = {f"rows_{name}": [row[name] for row in rows] for name in _ROW_TYPES}
    params |= {"campaign_id": key.campaign_id, "category_id": key.category_id, "phase_id": key.phase_id}
    params |= {"day": key.day, "count": len(rows)}
    async with key.engine.connect() as connection:
        found = await fetch_rows(connection, statement, params)
    return {issue_id: (code, phase_id) for issue_id, code, phase_id in found}


_BATCHER: Batcher[_Key, dict[str, Any], Registered] = Batcher(_register_batch, max_size=MAX_BATCH)
