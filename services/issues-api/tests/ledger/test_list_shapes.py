"""The list's statements are built once per shape of filters and run straight on the driver on PostgreSQL: every
shape must compile to a statement `fetch_rows` can prepare (no value rendered per call), and the shapes kept stay
bounded."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy.dialects.postgresql import asyncpg

from issues_api.ledger import repository
from issues_api.ledger.repository import IssueFilters
from rectify_kit.db import _DRIVER_STATEMENTS, _driver_statement

EVERY_FILTER = IssueFilters(
    campaign_id="c",
    status=["in_progress", "assigned"],
    unit_id="u",
    category_id="k",
    phase_id="p",
    source="hotline",
    overdue=True,
    q="50%_off",
    open=False,
    deadline_from=date(2026, 1, 1),
    deadline_to=date(2026, 12, 31),
    extension_pending=True,
    rework=False,
    to_accept=True,
    scope_unit_id="s",
    mine=True,
    person_id="me",
)


def test_every_shape_runs_straight_on_the_driver() -> None:
    dialect = asyncpg.dialect()  # type: ignore[no-untyped-call]
    for filters in (IssueFilters(), IssueFilters(status=["in_progress"]), EVERY_FILTER):
        for sort in repository.SORT_KEYS:
            for after in (False, True):
                page, count = repository._list_shape(filters, sort=sort, descending=True, after=after, postgres=True)
                assert _driver_statement(page, dialect) is not None, (filters, sort, after)
                assert _driver_statement(count, dialect) is not None, (filters, sort, after)


def test_values_are_binds_and_one_shape_is_one_statement() -> None:
    first = repository._list_shape(
        IssueFilters(campaign_id="a", status=["assigned", "returned"]), sort="code", descending=False, after=True,
        postgres=True,
    )  # fmt: skip
    again = repository._list_shape(
        IssueFilters(campaign_id="b", status=["closed", "cancelled"]), sort="code", descending=False, after=True,
        postgres=True,
    )  # fmt: skip
    assert again[0] is first[0]
    params = repository._list_params(
        EVERY_FILTER, today=date(2026, 6, 1), sort="deadline", after=("2026-07-01", "x"), limit=20, offset=40
    )
    assert params["q"] == "%50\\%\\_off%"
    assert params["status"] == ["in_progress", "assigned"]
    assert params["after_value"] == date(2026, 7, 1)
    assert params["window"] == 60


def test_the_shapes_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(repository, "_LIST_SHAPES_KEPT", 8)
    dialect = asyncpg.dialect()  # type: ignore[no-untyped-call]
    built = []
    for n in range(repository._LIST_SHAPES_KEPT + 6):
        bits = [n >> i & 1 == 1 for i in range(9)]
        filters = IssueFilters(
            overdue=bits[0], open=bits[1], mine=bits[2], rework=bits[3], extension_pending=bits[4], to_accept=bits[8]
        )
        for statement in repository._list_shape(filters, sort="code", descending=bits[5], after=bits[6],
                                                postgres=bits[7]):  # fmt: skip
            _driver_statement(statement, dialect)
            built.append(statement)
    assert len(repository._LIST_SHAPES) == repository._LIST_SHAPES_KEPT
    kept = {id(statement) for shape in repository._LIST_SHAPES.values() for statement in shape}
    given_up = [s for s in built if id(s) not in kept]
    assert given_up
    assert [s for s in given_up if id(s) in _DRIVER_STATEMENTS] == []


def test_one_status_is_an_equality_on_postgresql() -> None:
    """`status = $1`, not `= ANY($1)`: PostgreSQL then walks the (status, created_at, id) index in the page's order."""
    dialect = asyncpg.dialect()  # type: ignore[no-untyped-call]
    one = IssueFilters(status=["in_progress"])
    page, _ = repository._list_shape(one, sort="created_at", descending=True, after=False, postgres=True)
    sql = str(page.compile(dialect=dialect))
    assert re.search(r"WHERE issues\.status = \$[0-9]+::VARCHAR ORDER BY", sql)
    assert "ANY" not in sql
    assert "array((SELECT (issue_co_units.unit_id, issue_co_units.status)" in sql  # the parts, one round trip
    for postgres, bound in ((True, "in_progress"), (False, ["in_progress"])):
        params = repository._list_params(
            one, today=date(2026, 6, 1), sort="created_at", after=None, limit=20, offset=0, postgres=postgres
        )
        assert params["status"] == bound
    sqlite, _ = repository._list_shape(one, sort="created_at", descending=True, after=False, postgres=False)
    assert sqlite is not page
