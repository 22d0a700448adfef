"""A multipart form past the upload limits (more than one file, more than ten fields) is a 413 problem with its
own code, documented on the operation, and starts no import job."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from issues_api.imports.models import ImportJob
from issues_testing.ledger import LedgerWorld

pytestmark = pytest.mark.asyncio(loop_scope="module")

PATH = "/api/v1/issues/import-jobs"
SHEET = "问题,责任单位,整改时限\nform-limits 一行,U-A,2027-01-31\n".encode()


async def start(
    world: LedgerWorld, *, files: list[tuple[str, Any]], data: dict[str, str] | None = None
) -> httpx.Response:
    return await world.client.post(
        PATH,
        params={"campaign_id": world.campaign_id},
        files=files,
        data=data or {},
        headers={**world.headers("office"), "Accept-Language": "zh-CN"},
    )


async def jobs(world: LedgerWorld) -> int:
    async with world.database.session(write=False) as session:
        return int((await session.execute(select(func.count()).select_from(ImportJob))).scalar_one())


class TestFormLimits:
    async def test_a_form_of_too_many_fields_is_413_form_too_large_and_starts_no_job(self, world: LedgerWorld) -> None:
        before = await jobs(world)
        answer = await start(
            world, files=[("file", ("ledger.csv", SHEET, "text/csv"))], data={f"extra{n}": "x" for n in range(11)}
        )
        assert answer.status_code == 413, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        problem = answer.json()
        assert (problem["code"], problem["title"]) == ("form-too-large", "表单的文件或字段过多")
        assert (problem["max_files"], problem["max_fields"]) == (1, 10)
        assert "Too many fields" in problem["detail"]
        assert await jobs(world) == before

    async def test_a_form_of_two_files_is_413_form_too_large_in_english_too(self, world: LedgerWorld) -> None:
        before = await jobs(world)
        answer = await world.client.post(
            PATH,
            params={"campaign_id": world.campaign_id},
            files=[("file", ("a.csv", SHEET, "text/csv")), ("file", ("b.csv", SHEET, "text/csv"))],
            headers={**world.headers("office"), "Accept-Language": "en"},
        )
        assert answer.status_code == 413, answer.text
        assert (answer.json()["code"], answer.json()["title"]) == (
            "form-too-large",
            "The form has too many files or fields",
        )
        assert await jobs(world) == before

    async def test_a_form_within_the_limits_still_starts_its_job(self, world: LedgerWorld) -> None:
        answer = await start(world, files=[("file", ("ledger.csv", SHEET, "text/csv"))], data={"note": "x"})
        assert answer.status_code == 202, answer.text

    async def test_a_body_that_is_no_multipart_form_stays_a_400_problem(self, world: LedgerWorld) -> None:
        answer = await world.client.post(
            PATH,
            params={"campaign_id": world.campaign_id},
            content=b"not a form",
            headers={**world.headers("office"), "Content-Type": "multipart/form-data"},
        )
        assert answer.status_code == 400, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")

    async def test_the_operation_documents_its_413(self, world: LedgerWorld) -> None:
        document = (await world.client.get("/openapi.json")).json()
        answers = document["paths"][PATH]["post"]["responses"]
        assert "application/problem+json" in answers["413"]["content"]
        assert "form-too-large" in answers["413"]["description"]
