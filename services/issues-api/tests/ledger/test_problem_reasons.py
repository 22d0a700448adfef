"""A refusal names its real reason, in Chinese or English by Accept-Language, field errors included."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from issues_testing.ledger import LedgerWorld

pytestmark = pytest.mark.asyncio(loop_scope="module")

EN = {"Accept-Language": "en-US,en;q=0.9"}


def english(headers: Mapping[str, str]) -> dict[str, str]:
    return {**headers, **EN}


class TestExtensionNotLater:
    async def test_an_extension_to_the_same_date_says_the_date_must_be_later(self, world: LedgerWorld) -> None:
        issue = await world.issue_in("in_progress")
        body = {"new_deadline": issue["deadline"], "reason": "需要更多时间"}
        zh = await world.step(issue["id"], "extension-requests", world.headers("unit", "A"), body)
        en = await world.step(issue["id"], "extension-requests", english(world.headers("unit", "A")), body)
        assert zh.status_code == en.status_code == 422
        assert zh.json()["code"] == "deadline-not-later"
        assert zh.json()["title"] == "申请的新时限须晚于当前整改时限"
        assert zh.json()["errors"] == [{"field": "new_deadline", "message": "须晚于当前整改时限 2026-12-31"}]
        assert en.json()["title"] == "The new deadline must be later"
        assert en.json()["errors"] == [
            {"field": "new_deadline", "message": "must be later than the current deadline 2026-12-31"}
        ]
        assert "引用的对象不存在" not in zh.text


class TestWrongUnit:
    async def test_a_co_unit_submitting_completion_is_told_it_is_not_the_lead_unit(self, world: LedgerWorld) -> None:
        issue = await world.issue_in("in_progress")
        answer = await world.step(issue["id"], "submit-completion", world.headers("unit", "B"), {"summary": "完成"})
        assert answer.status_code == 403
        assert answer.json()["code"] == "not-lead-unit"
        assert answer.json()["title"] == "只有主办单位可以执行此操作"
        assert "required_roles" not in answer.json()

    async def test_the_lead_unit_filing_a_co_units_part_is_told_it_is_not_a_co_unit(self, world: LedgerWorld) -> None:
        issue = await world.issue_in("in_progress", co_units=())
        path = f"co-units/{world.units['A']}/accept"
        answer = await world.step(issue["id"], path, english(world.headers("unit", "A")))
        assert answer.status_code == 403
        assert answer.json()["code"] == "not-co-unit"
        assert answer.json()["title"] == "Only a co-unit may take this step"

    async def test_a_leader_is_still_told_the_role_may_not(self, world: LedgerWorld) -> None:
        issue = await world.issue_in("in_progress")
        answer = await world.step(issue["id"], "submit-completion", world.headers("leader"), {"summary": "完成"})
        assert answer.status_code == 403
        assert answer.json()["code"] == "action-forbidden"
        assert answer.json()["required_roles"] == ["integration", "unit"]


class TestCoUnitsOutstanding:
    async def test_a_held_back_submission_names_the_co_units_still_to_file(self, world: LedgerWorld) -> None:
        issue = await world.issue_in("in_progress", co_units=("B", "C"))
        body = {"summary": "完成"}
        answer = await world.step(issue["id"], "submit-completion", world.headers("unit", "A"), body)
        assert answer.status_code == 409
        problem = answer.json()
        assert problem["code"] == "co-units-outstanding"
        assert problem["title"] == "仍有协办单位未办结，请等待其提交或由办公室免除"
        waiting = {(c["unit_id"], c["status"]) for c in problem["outstanding_co_units"]}
        assert waiting == {(world.units["B"], "pending"), (world.units["C"], "pending")}
        names = [c["unit_name"] for c in problem["outstanding_co_units"]]
        assert all(name in problem["detail"] for name in names)
        english_answer = await world.step(issue["id"], "submit-completion", english(world.headers("unit", "A")), body)
        assert english_answer.json()["title"] == "Co-units have not filed their part yet"


class TestFieldErrorsInChinese:
    async def test_a_bad_query_parameter_is_explained_in_chinese(self, world: LedgerWorld) -> None:
        answer = await world.client.get("/api/v1/issues", params={"limit": "many"}, headers=world.headers("office"))
        assert answer.status_code == 422
        assert answer.json()["errors"] == [{"field": "limit", "message": "应为整数"}]

    async def test_an_unknown_sort_key_is_an_invalid_value_not_an_unknown_reference(self, world: LedgerWorld) -> None:
        answer = await world.client.get("/api/v1/issues", params={"sort": "colour"}, headers=world.headers("office"))
        assert answer.status_code == 422
        assert answer.json()["code"] == "validation-error"
        [error] = answer.json()["errors"]
        assert error["field"] == "sort"
        assert error["message"].startswith("应为以下之一")

    async def test_a_too_long_title_is_explained_in_the_readers_language(self, world: LedgerWorld) -> None:
        body = {"campaign_id": world.campaign_id, "title": "长" * 1000, "kind": "problem", "source": "inspection"}
        zh = await world.client.post("/api/v1/issues", json=body, headers=world.headers("office"))
        en = await world.client.post("/api/v1/issues", json=body, headers=english(world.headers("office")))
        [zh_error] = [e for e in zh.json()["errors"] if e["field"] == "title"]
        [en_error] = [e for e in en.json()["errors"] if e["field"] == "title"]
        assert zh_error["message"].startswith("最多")
        assert zh_error["message"].endswith("个字符")
        assert en_error["message"].startswith("String should have at most")
