"""The import endpoints answer as their OpenAPI operation documents it: a dry run's 200 and a job's 202 each
name a schema that the real answer, and the example shown beside it, satisfy."""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from issues_testing.ledger import LedgerWorld

pytestmark = pytest.mark.asyncio(loop_scope="module")

SHEET = (
    "问题,原因,措施,责任单位,整改时限\n"
    "documented 正常,原因,措施,U-A,2027-01-31\n"
    "documented 坏单位,原因,,无此单位,2027-01-31\n"
)


async def _documented(client: httpx.AsyncClient, path: str, status: str) -> tuple[dict[str, Any], Any, Registry]:
    """(the schema, the example) an operation documents for its `status` answer, and a registry resolving refs."""
    document = (await client.get("/openapi.json")).json()
    media = document["paths"][path]["post"]["responses"][status]["content"]["application/json"]
    registry: Registry = Registry().with_resource(
        "urn:openapi", Resource.from_contents(document, default_specification=DRAFT202012)
    )
    ref = media["schema"]["$ref"].replace("#/", "urn:openapi#/")
    return {"$ref": ref, "$schema": "https://json-schema.org/draft/2020-12/schema"}, media.get("example"), registry


def _problems(schema: dict[str, Any], registry: Registry, value: Any) -> list[str]:
    return [e.message for e in jsonschema.Draft202012Validator(schema, registry=registry).iter_errors(value)]


async def _post(world: LedgerWorld, path: str, headers: dict[str, str], **params: str) -> httpx.Response:
    return await world.client.post(
        path,
        params={"campaign_id": world.campaign_id, **params},
        files={"file": ("ledger.csv", SHEET.encode(), "text/csv")},
        headers=headers,
    )


class TestDryRunAnswers:
    @pytest.mark.parametrize(
        ("path", "role"), [("/api/v1/issues/import", "office"), ("/api/v1/issues/self-inspection/batch", "unit")]
    )
    async def test_a_dry_run_answers_the_documented_schema_and_its_example_fits_it(
        self, world: LedgerWorld, path: str, role: str
    ) -> None:
        schema, example, registry = await _documented(world.client, path, "200")
        headers = world.headers(role, "A") if role == "unit" else world.headers(role)
        answer = await _post(world, path, headers, dry_run="true")
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["dry_run"] is True
        assert [p["state"] for p in body["preview"]] == ["new", "invalid"]
        assert _problems(schema, registry, body) == []
        assert example is not None
        assert example["dry_run"] is True
        assert _problems(schema, registry, example) == []


class TestImportJobAnswer:
    async def test_a_started_job_answers_the_documented_schema(self, world: LedgerWorld) -> None:
        schema, _, registry = await _documented(world.client, "/api/v1/issues/import-jobs", "202")
        sheet = "问题,责任单位,整改时限\ndocumented-job 一行,U-A,2027-01-31\n"
        answer = await world.client.post(
            "/api/v1/issues/import-jobs",
            params={"campaign_id": world.campaign_id},
            files={"file": ("ledger.csv", sheet.encode(), "text/csv")},
            headers=world.headers("office"),
        )
        assert answer.status_code == 202, answer.text
        assert _problems(schema, registry, answer.json()) == []
