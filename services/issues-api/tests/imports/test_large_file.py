"""A 5,000-row workbook: a dry run names exactly its bad rows and writes nothing; the good one imports once."""

from __future__ import annotations

import functools

import httpx
import pytest
from sqlalchemy import func, select

from issues_api.events.models import events
from issues_api.ledger.models import Issue
from issues_testing.ledger import LedgerWorld
from issues_testing.sheets import large_ledger

# The import's rules and its idempotence are proven on both backends by the other import tests; the size on the
# main backend alone, as every unmarked test (a 5,000-row workbook is the suite's costliest test).
pytestmark = pytest.mark.asyncio(loop_scope="module")

ROWS = 5000


@functools.cache
def spoilt_ledger() -> tuple[bytes, dict[int, str]]:
    """The workbook with 20 bad rows, made once for the two tests that upload it (0.4 s of CPU to write)."""
    return large_ledger(ROWS, tag="large-bad", spoil=True)


async def upload(world: LedgerWorld, data: bytes, **params: str) -> httpx.Response:
    return await world.client.post(
        "/api/v1/issues/import",
        params={"campaign_id": world.campaign_id, **params},
        files={"file": ("台账.xlsx", data, "application/octet-stream")},
        headers=world.headers("office"),
        timeout=120,
    )


async def counts(world: LedgerWorld) -> tuple[int, int]:
    async with world.database.session(write=False) as session:
        issues = (await session.execute(select(func.count()).select_from(Issue))).scalar_one()
        written = (await session.execute(select(func.count()).select_from(events))).scalar_one()
    return int(issues), int(written)


class TestLargeWorkbook:
    async def test_a_dry_run_names_exactly_the_20_bad_rows_and_writes_nothing(self, world: LedgerWorld) -> None:
        data, bad = spoilt_ledger()
        before = await counts(world)
        response = await upload(world, data, dry_run="true")
        assert response.status_code == 200, response.text
        report = response.json()
        assert len(bad) == 20
        assert report["rows"] == ROWS
        assert {(e["row"], e["field"]) for e in report["errors"]} == set(bad.items())
        assert len(report["errors"]) == 20
        assert sum(p["state"] == "invalid" for p in report["preview"]) == 20
        assert await counts(world) == before

    async def test_the_same_workbook_without_its_dry_run_writes_nothing_either(self, world: LedgerWorld) -> None:
        data, _ = spoilt_ledger()
        before = await counts(world)
        response = await upload(world, data)
        assert (response.status_code, response.json()["code"]) == (422, "import-rejected")
        assert len(response.json()["rows"]) == 20
        assert await counts(world) == before

    async def test_the_good_workbook_imports_once_even_when_uploaded_twice(self, world: LedgerWorld) -> None:
        data, _ = large_ledger(ROWS, tag="large-good", spoil=False)
        issues_before, _ = await counts(world)
        first = await upload(world, data)
        second = await upload(world, data)
        assert first.status_code == 201, first.text
        assert (len(first.json()["created"]), first.json()["existing"]) == (ROWS, 0)
        assert (second.status_code, second.json()["created"], second.json()["existing"]) == (201, [], ROWS)
        issues_after, _ = await counts(world)
        assert issues_after - issues_before == ROWS
