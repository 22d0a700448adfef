"""Re-uploading rows creates nothing new; unit names match by short name or alias; phases give deadlines; the
campaign comes from the file or the only running campaign; a background job reports its progress."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx
import pytest

from issues_api.campaigns.definition import default_definition_path, load_definition
from issues_api.campaigns.models import Campaign, Phase
from issues_api.campaigns.service import import_definition
from issues_testing.ledger import OFFICE_ACTOR, LedgerWorld
from issues_testing.sheets import xlsx

# On both backends: an import locks its job (FOR UPDATE), takes its numbers in one statement and writes rows in bulk.
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]


async def upload(world: LedgerWorld, data: bytes, path: str = "/api/v1/issues/import", **params: Any) -> httpx.Response:
    return await world.client.post(
        path,
        params=params,
        files={"file": ("台账.xlsx", data, "application/octet-stream")},
        headers=world.headers("office"),
    )


async def titled(world: LedgerWorld, q: str) -> list[dict[str, Any]]:
    listed = await world.client.get("/api/v1/issues", params={"q": q, "sort": "code"}, headers=world.headers("office"))
    items: list[dict[str, Any]] = listed.json()["items"]
    return items


class TestSameRowsTwice:
    async def test_a_second_upload_creates_nothing_and_says_how_many_were_there(self, world: LedgerWorld) -> None:
        data = xlsx([["问题", "责任单位"], ["twice 一", "单位A"], ["twice 二", ""], ["twice 三", "U-B"]])
        first = await upload(world, data, campaign_id=world.campaign_id)
        second = await upload(world, data, campaign_id=world.campaign_id)
        assert (len(first.json()["created"]), first.json()["existing"]) == (3, 0)
        assert (second.status_code, second.json()["created"], second.json()["existing"]) == (201, [], 3)
        assert len(await titled(world, "twice ")) == 3

    async def test_a_changed_row_is_new_and_the_rest_are_counted(self, world: LedgerWorld) -> None:
        await upload(world, xlsx([["问题"], ["changed 一"], ["changed 二"]]), campaign_id=world.campaign_id)
        again = await upload(
            world, xlsx([["问题"], ["changed 一"], ["changed 二（修订）"]]), campaign_id=world.campaign_id
        )
        assert (len(again.json()["created"]), again.json()["existing"]) == (1, 1)

    async def test_an_external_key_identifies_a_row_whatever_its_text(self, world: LedgerWorld) -> None:
        await upload(world, xlsx([["问题", "外部编号"], ["keyed 原文", "K-1"]]), campaign_id=world.campaign_id)
        again = await upload(world, xlsx([["问题", "外部编号"], ["keyed 改写", "K-1"]]), campaign_id=world.campaign_id)
        assert (again.json()["created"], again.json()["existing"]) == ([], 1)

    async def test_a_row_repeated_in_one_file_is_created_once(self, world: LedgerWorld) -> None:
        response = await upload(
            world, xlsx([["问题"], ["repeat 同一行"], ["repeat 同一行"]]), campaign_id=world.campaign_id
        )
        assert (len(response.json()["created"]), response.json()["existing"]) == (1, 1)

    async def test_the_dry_run_preview_marks_rows_new_existing_or_invalid(self, world: LedgerWorld) -> None:
        await upload(world, xlsx([["问题"], ["preview 旧"]]), campaign_id=world.campaign_id)
        data = xlsx([["问题", "责任单位"], ["preview 旧", ""], ["preview 新", "单位B"], ["preview 错", "无此单位"]])
        report = (await upload(world, data, campaign_id=world.campaign_id, dry_run="true")).json()
        states = {p["row"]: p["state"] for p in report["preview"]}
        assert states == {2: "existing", 3: "new", 4: "invalid"}
        assert [(e["row"], e["field"]) for e in report["errors"]] == [(4, "lead_unit")]
        assert report["errors"][0]["message"].startswith("未知单位")


class TestPhases:
    async def test_a_row_without_a_deadline_gets_its_phases_end(self, world: LedgerWorld) -> None:
        data = xlsx(
            [["问题", "责任单位", "阶段"], ["phase 自查阶段", "单位A", "自查自纠阶段"], ["phase 默认", "单位A", ""]]
        )
        response = await upload(world, data, campaign_id=world.campaign_id)
        assert response.status_code == 201, response.text
        early, default = await titled(world, "phase ")
        assert early["deadline"] == "2017-08-31"
        assert default["deadline"] == "2017-12-31"  # the world's clock is past the campaign: its last phase
        assert early["phase_id"] != default["phase_id"]

    async def test_an_unknown_phase_is_a_row_error(self, world: LedgerWorld) -> None:
        response = await upload(
            world, xlsx([["问题", "阶段"], ["phase 错", "无此阶段"]]), campaign_id=world.campaign_id
        )
        assert (response.status_code, response.json()["code"]) == (422, "import-rejected")
        assert [(e["row"], e["field"]) for e in response.json()["rows"]] == [(2, "phase")]

    async def test_the_list_filters_by_phase(self, world: LedgerWorld) -> None:
        early = (await titled(world, "phase 自查阶段"))[0]
        listed = await world.client.get(
            "/api/v1/issues", params={"phase_id": early["phase_id"], "q": "phase "}, headers=world.headers("office")
        )
        assert [i["title"] for i in listed.json()["items"]] == ["phase 自查阶段"]


class TestUnitNames:
    async def test_the_seed_plans_short_name_matches_its_unit(self, world: LedgerWorld) -> None:
        definition = load_definition(default_definition_path().read_bytes())
        definition = definition.model_copy(
            update={"campaign": definition.campaign.model_copy(update={"code": "HB"}), "tasks": []}
        )
        async with world.database.session() as session:
            result = await import_definition(session, definition=definition, actor=OFFICE_ACTOR, clock=world.clock)
        data = xlsx(
            [
                ["问题", "责任单位", "配合单位", "整改时限"],
                ["alias 法规处的问题", "法规处", "社会发展处、高新处", "2017-08-31"],
            ]
        )
        response = await upload(world, data, campaign_id=result.campaign.id)
        assert response.status_code == 201, response.text
        units = (
            await world.client.get("/api/v1/issues", params={"q": "alias "}, headers=world.headers("office"))
        ).json()
        issue = units["items"][0]
        async with world.database.session() as session:
            from issues_api.directory.models import Unit

            names = {u.id: u.name for u in (await session.execute(__import__("sqlalchemy").select(Unit))).scalars()}
        assert names[issue["lead_unit_id"]] == "政策法规与监督处"
        assert [names[u] for u in issue["co_unit_ids"]] == ["社发处", "高新处"]


class TestCampaignChoice:
    async def test_without_a_campaign_and_none_running_the_answer_asks_for_one(self, world: LedgerWorld) -> None:
        response = await upload(world, xlsx([["问题"], ["choice 无"]]))
        assert (response.status_code, response.json()["code"]) == (422, "campaign-required")

    async def test_the_only_running_campaign_is_taken(self, world: LedgerWorld) -> None:
        campaign_id = str(uuid.uuid4())
        async with world.database.session() as session:
            now = world.clock.now()
            session.add(
                Campaign(id=campaign_id, code="RUN", name="进行中", starts_on=date(2026, 1, 1),
                         ends_on=date(2026, 12, 31), next_issue_number=1, created_at=now, updated_at=now)
            )  # fmt: skip
            await session.flush()
            session.add(Phase(campaign_id=campaign_id, code="p", name="全程", starts_on=date(2026, 1, 1),
                              ends_on=date(2026, 12, 31), position=0))  # fmt: skip
        try:
            response = await upload(world, xlsx([["问题"], ["choice 进行中"]]))
            assert response.status_code == 201, response.text
            assert response.json()["campaign_id"] == campaign_id
        finally:
            async with world.database.session() as session:
                running = await session.get(Campaign, campaign_id)
                assert running is not None
                running.ends_on = date(2026, 6, 30)

    async def test_a_campaign_column_names_it(self, world: LedgerWorld) -> None:
        response = await upload(world, xlsx([["问题", "专项行动"], ["choice 列", "YS"]]))
        assert (response.status_code, response.json()["campaign_id"]) == (201, world.campaign_id)


class TestImportJob:
    async def test_a_job_writes_every_row_and_reports_its_progress(self, world: LedgerWorld) -> None:
        data = xlsx([["问题", "责任单位"], *[[f"job 第{i}行", "单位C"] for i in range(300)], ["job 旧", ""]])
        await upload(world, xlsx([["问题", "责任单位"], ["job 旧", ""]]), campaign_id=world.campaign_id)
        started = await upload(world, data, "/api/v1/issues/import-jobs", campaign_id=world.campaign_id)
        assert started.status_code == 202, started.text
        assert (started.json()["status"], started.json()["total"], started.json()["existing"]) == ("running", 300, 1)
        job = await world.client.get(
            f"/api/v1/issues/import-jobs/{started.json()['id']}", headers=world.headers("office")
        )
        assert job.status_code == 200
        assert (job.json()["status"], job.json()["done"], len(job.json()["created"])) == ("done", 300, 300)
        assert len(await titled(world, "job 第")) == 50  # a page of them

    async def test_a_file_with_errors_starts_no_job(self, world: LedgerWorld) -> None:
        data = xlsx([["问题", "责任单位"], ["joberr", "无此单位"]])
        response = await upload(world, data, "/api/v1/issues/import-jobs", campaign_id=world.campaign_id)
        assert (response.status_code, response.json()["code"]) == (422, "import-rejected")
        assert response.json()["rows"][0]["row"] == 2

    async def test_a_unit_may_not_read_an_import_job(self, world: LedgerWorld) -> None:
        data = xlsx([["问题"], ["job 单位看不到"]])
        started = await upload(world, data, "/api/v1/issues/import-jobs", campaign_id=world.campaign_id)
        job = await world.client.get(
            f"/api/v1/issues/import-jobs/{started.json()['id']}", headers=world.headers("unit", "A")
        )
        assert job.status_code == 403
