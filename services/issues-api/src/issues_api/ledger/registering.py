"""A create that is its request's only write, in one statement on PostgreSQL: the number, the issue, its event.

`POST /api/v1/issues` without `assign` and without an Idempotency-Key writes nothing but the new issue and its
staged `issue.created`. On PostgreSQL that is one statement in autocommit, its parts data-modifying CTEs: the
campaign's counter `UPDATE … RETURNING` (numbers.take_statement: the number, the campaign's code and start, the
phase), the issue's `INSERT … SELECT` from it (the code made in SQL as `issue_code` makes it), and the event's
staging `INSERT … SELECT` from that (its `data` the issue's state from Python, the code and phase set in SQL).
One round trip instead of five (the number, `BEGIN`, two `INSERT`s, `COMMIT`); the campaign row stays locked
for that statement only, and a create that fails takes no number. The event is relayed after the request's
session commits, as one staged by `Outbox.add` is.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import Integer, Select, String, Table, bindparam, func, insert, literal, literal_column, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncEngine

from issues_api.events.models import outbox
from issues_api.ledger import numbers
from issues_api.ledger.models import Issue, new_id
from issues_api.ledger.state import state_of
from rectify_kit.clock import Clock
from rectify_kit.db import UTCDateTime, fetch_rows

_ISSUES = cast(Table, Issue.__table__)


def _statement(*, category: bool, named_phase: bool) -> Select[Any]:
    taken = numbers.take_statement(category=category, named_phase=named_phase).cte("taken")
    number = sa.cast(taken.c.next_number - 1, String())
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
    values = [filled.get(c.key, bindparam(f"issue_{c.key}", type_=c.type)) for c in columns]
    issue = (
        insert(_ISSUES)
        .from_select([c.key for c in columns], select(*values).select_from(taken))
        .returning(_ISSUES.c.id, _ISSUES.c.code, _ISSUES.c.phase_id)
        .cte("issue")
    )
    # The event's data is the issue's state with its code and phase not yet known: set here from the new row.
    data = func.jsonb_set(
        func.jsonb_set(
            bindparam("event_data", type_=JSONB()),
            literal_column("'{issue,code}'::text[]"),
            func.to_jsonb(issue.c.code),
        ),
        literal_column("'{issue,phase_id}'::text[]"),
        func.coalesce(func.to_jsonb(issue.c.phase_id), literal_column("'null'::jsonb")),
        type_=JSONB(),
    )
    event = select(
        bindparam("event_id", type_=String()),
        literal("issue.created", String()),
        bindparam("event_occurred_at", type_=UTCDateTime()),
        bindparam("event_actor", type_=JSONB()),
        issue.c.id,
        data,
    ).select_from(issue)
    staged = insert(outbox.staging).from_select(["id", "type", "occurred_at", "actor", "subject_id", "data"], event)
    return select(issue.c.code, issue.c.phase_id).add_cte(staged.cte("staged"))


_OWN_COLUMNS = tuple(c.key for c in _ISSUES.columns if c.key not in ("code", "phase_id"))
# Built once per shape (with or without a category, a named phase): compiled once, as numbers._TAKE.
_STATEMENTS = {(c, p): _statement(category=c, named_phase=p) for c in (False, True) for p in (False, True)}


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
    `engine`, an engine in autocommit; put the code and the phase in `values`. False when the campaign, its
    category or the phase named is not there (nothing is written).

    The statement runs straight on asyncpg (`fetch_rows`), which runs a statement that failed once more through
    SQLAlchemy for its errors: that cannot register the issue twice, its id being the new row's primary key.
    """
    statement = _STATEMENTS[(values["category_id"] is not None, phase_id is not None)]
    state = state_of(values, co_units=(), deadlines=())
    params: dict[str, Any] = {f"issue_{key}": values[key] for key in _OWN_COLUMNS}
    params |= {"campaign_id": values["campaign_id"], "category_id": values["category_id"], "phase_id": phase_id}
    params |= {"day": day, "event_id": new_id(), "event_occurred_at": clock.now(), "event_actor": actor}
    params["event_data"] = {"issue": state}
    async with engine.connect() as connection:
        rows = await fetch_rows(connection, statement, params)
    if not rows:
        return False
    values["code"], values["phase_id"] = rows[0]
    return True
