"""Open311 GeoReport v2: services from the categories, requests from public submissions, nothing personal."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar
from xml.etree import ElementTree as ET

import httpx
import pytest
from fastapi import FastAPI

from issues_api.campaigns.models import Category
from issues_api.open311.schemas import RequestToken, ServiceRequest
from issues_testing.campaigns import campaign_row
from issues_testing.tokens import Tokens, post_ok

PERSONAL = ("王小明", "13912345678", "wang@example.cn", "裕华路 88 号", "复印件交了三次")


@pytest.fixture
async def world(app: FastAPI, client: httpx.AsyncClient, tokens: Tokens) -> dict[str, Any]:
    """A campaign with two categories, a unit, and an integration client allowed to post."""
    now = datetime.now(UTC)
    async with app.state.database.session() as session:
        campaign = campaign_row(now)
        session.add(campaign)
        await session.flush()
        area = Category(campaign_id=campaign.id, code="JZFQ", name="简政放权", position=0)
        session.add(area)
        await session.flush()
        session.add(Category(campaign_id=campaign.id, code="JZFQ-1", name="审批提速", parent_id=area.id, position=1))
    unit = await post_ok(client, "/api/v1/units", {"code": "SJZ", "name": "石家庄市", "kind": "city"}, tokens.admin())
    system = {"id": "gov-portal", "name": "省政务服务网", "scopes": ["issues:write"]}
    secret = (await post_ok(client, "/api/v1/clients", system, tokens.admin()))["client_secret"]
    return {"unit": unit, "api_key": f"gov-portal:{secret}", "campaign_id": campaign.id}


async def post_request(client: httpx.AsyncClient, api_key: str, fmt: str = "json", **extra: str) -> httpx.Response:
    form = {
        "api_key": api_key,
        "service_code": "JZFQ-1",
        "description": "企业开办材料重复提交\n营业执照复印件交了三次",
        "first_name": "小明",
        "last_name": "王",
        "phone": "13912345678",
        "email": "wang@example.cn",
        "address_string": "裕华路 88 号",
        **extra,
    }
    return await client.post(f"/open311/v2/requests.{fmt}", data=form)


class TestServices:
    async def test_the_categories_are_the_services_in_json_and_xml(
        self, client: httpx.AsyncClient, world: dict[str, Any]
    ) -> None:
        services = (await client.get("/open311/v2/services.json")).json()
        assert [(s["service_code"], s["service_name"], s["group"]) for s in services] == [
            ("JZFQ", "简政放权", "优化营商环境"),
            ("JZFQ-1", "审批提速", "简政放权"),
        ]
        assert services[0]["metadata"] is False
        xml = await client.get("/open311/v2/services.xml")
        assert xml.headers["content-type"].startswith("application/xml")
        root = ET.fromstring(xml.content)  # noqa: S314 - our own answer
        assert [s.findtext("service_code") for s in root.findall("service")] == ["JZFQ", "JZFQ-1"]
        assert root.find("service/metadata").text == "false"  # type: ignore[union-attr]

    async def test_a_definition_and_an_unknown_service(self, client: httpx.AsyncClient, world: dict[str, Any]) -> None:
        assert (await client.get("/open311/v2/services/JZFQ.json")).json() == {"service_code": "JZFQ", "attributes": []}
        missing = await client.get("/open311/v2/services/NOPE.xml")
        assert missing.status_code == 404
        error = ET.fromstring(missing.content).find("error")  # noqa: S314
        assert error is not None
        assert error.findtext("code") == "404"


class TestRequests:
    async def test_posting_enters_intake_and_reading_shows_nothing_personal(
        self, client: httpx.AsyncClient, tokens: Tokens, world: dict[str, Any]
    ) -> None:
        posted = await post_request(client, world["api_key"])
        assert posted.status_code == 201, posted.text
        created = posted.json()[0]
        queue = (await client.get("/api/v1/intake", headers=tokens.office())).json()["items"]
        assert [s["id"] for s in queue] == [created["service_request_id"]]
        assert queue[0]["contact_phone"] == "13912345678"
        assert (await client.get(f"/open311/v2/tokens/{created['token']}.json")).json() == [
            {"service_request_id": created["service_request_id"], "token": created["token"]}
        ]
        for path in ("requests.json", "requests.xml", f"requests/{created['service_request_id']}.xml"):
            answer = await client.get(f"/open311/v2/{path}")
            assert answer.status_code == 200
            assert not [p for p in PERSONAL if p in answer.text], path
        shown = (await client.get("/open311/v2/requests.json")).json()[0]
        assert (shown["status"], shown["service_code"], shown["description"]) == ("open", "JZFQ-1", None)

    async def test_accepted_and_assigned_shows_unit_deadline_and_reply_then_closed(
        self, client: httpx.AsyncClient, tokens: Tokens, world: dict[str, Any]
    ) -> None:
        request_id = (await post_request(client, world["api_key"])).json()[0]["service_request_id"]
        accepted = await post_ok(
            client,
            f"/api/v1/intake/{request_id}/accept",
            {"title": "企业开办材料重复提交", "public_reply": "已受理，交石家庄市办理。"},
            tokens.office(),
        )
        assign = {"lead_unit_id": world["unit"]["id"], "co_unit_ids": [], "deadline": "2026-12-31"}
        await post_ok(client, f"/api/v1/issues/{accepted['issue_id']}/assign", assign, tokens.office())
        shown = (await client.get(f"/open311/v2/requests/{request_id}.json")).json()[0]
        assert shown["status"] == "open"
        assert shown["agency_responsible"] == "石家庄市"
        assert shown["expected_datetime"] == "2026-12-31T23:59:59+08:00"
        assert shown["status_notes"] == "已受理，交石家庄市办理。"
        assert shown["description"] == "企业开办材料重复提交"
        await post_ok(client, f"/api/v1/issues/{accepted['issue_id']}/cancel", {"reason": "重复"}, tokens.office())
        closed = await client.get("/open311/v2/requests.json", params={"status": "closed"})
        assert [r["service_request_id"] for r in closed.json()] == [request_id]
        assert (await client.get("/open311/v2/requests.json", params={"status": "open"})).json() == []

    async def test_filters_by_id_list_and_service_code(self, client: httpx.AsyncClient, world: dict[str, Any]) -> None:
        first = (await post_request(client, world["api_key"])).json()[0]["service_request_id"]
        second = (await post_request(client, world["api_key"], service_code="JZFQ")).json()[0]["service_request_id"]
        both = await client.get("/open311/v2/requests.json", params={"service_request_id": f"{first},{second}"})
        assert {r["service_request_id"] for r in both.json()} == {first, second}
        by_code = await client.get("/open311/v2/requests.json", params={"service_code": "JZFQ"})
        assert [r["service_request_id"] for r in by_code.json()] == [second]


class TestNothingPersonal:
    """Every Open311 answer about a public submission, in both formats, through the submission's whole way
    (submitted, accepted with a public reply, assigned, replied on the issue), holds none of what the submitter
    gave but the category: not the name, enterprise, phone, email, title or text."""

    SUBMISSION: ClassVar[dict[str, str]] = {
        "title": "裕华区某局要求重复提交复印件",
        "content": "本人王小明，河北长城精工有限公司，复印件交了三次，电话 13912345678。",
        "enterprise_name": "河北长城精工有限公司",
        "contact_name": "王小明",
        "contact_phone": "13912345678",
        "contact_email": "wang@example.cn",
        "notify_by": "email",
        "city": "130100",
    }
    REQUEST_FIELDS: ClassVar[set[str]] = set(ServiceRequest.model_fields)

    async def _answers(self, client: httpx.AsyncClient, request_id: str, token: str) -> dict[str, httpx.Response]:
        paths = [
            f"{p}.{fmt}"
            for p in ("requests", f"requests/{request_id}", "services", "services/JZFQ-1")
            for fmt in ("json", "xml")
        ]
        paths += [f"tokens/{token}.json", f"tokens/{token}.xml"]
        answers = {path: await client.get(f"/open311/v2/{path}") for path in paths}
        assert {path: a.status_code for path, a in answers.items()} == dict.fromkeys(paths, 200)
        return answers

    def _assert_nothing_personal(self, answers: dict[str, httpx.Response], request_id: str, token: str) -> None:
        personal = [v for k, v in self.SUBMISSION.items() if k not in ("notify_by", "city")]
        personal += ["小明", "wang@", "裕华路", "139 1234", "+86"]
        for path, answer in answers.items():
            assert [p for p in personal if p in answer.text] == [], path
            if path.endswith(".json") and path.startswith("requests"):
                assert all(set(r) == self.REQUEST_FIELDS for r in answer.json()), path
        assert answers[f"tokens/{token}.json"].json() == [{"service_request_id": request_id, "token": token}]
        tokens_xml = ET.fromstring(answers[f"tokens/{token}.xml"].content)  # noqa: S314 - our own answer
        assert {child.tag for child in tokens_xml.iter()} == {
            "service_requests",
            "request",
            "service_request_id",
            "token",
        }

    async def _submit(self, client: httpx.AsyncClient, world: dict[str, Any], via: str) -> tuple[str, str]:
        """A submission with every personal field filled in, by the public form or by an Open311 POST (name,
        phone, e-mail, address and text in the spec's fields): its request id and token."""
        if via == "open311":
            posted = await post_request(
                client,
                world["api_key"],
                first_name="小明",
                last_name="王",
                phone=self.SUBMISSION["contact_phone"],
                email=self.SUBMISSION["contact_email"],
                description=f"{self.SUBMISSION['title']}\n{self.SUBMISSION['content']}",
                address_string="裕华路 88 号",
            )
            assert posted.status_code == 201, posted.text
            created = posted.json()[0]
            return created["service_request_id"], created["token"]
        token = (await post_ok(client, "/api/v1/public/submissions", self.SUBMISSION, {}))["tracking_code"]
        return (await client.get(f"/open311/v2/tokens/{token}.json")).json()[0]["service_request_id"], token

    @pytest.mark.parametrize("via", ["public", "open311"])
    async def test_no_answer_ever_holds_the_submitters_name_enterprise_contacts_or_text(
        self, client: httpx.AsyncClient, tokens: Tokens, world: dict[str, Any], via: str
    ) -> None:
        request_id, token = await self._submit(client, world, via)
        self._assert_nothing_personal(await self._answers(client, request_id, token), request_id, token)

        accept = {"title": "审批窗口要求重复提交材料", "public_reply": "已受理，交石家庄市办理。"}
        accepted = await post_ok(client, f"/api/v1/intake/{request_id}/accept", accept, tokens.office())
        assign = {"lead_unit_id": world["unit"]["id"], "co_unit_ids": [], "deadline": "2026-12-31"}
        await post_ok(client, f"/api/v1/issues/{accepted['issue_id']}/assign", assign, tokens.office())
        reply = {"content": "责任单位已约谈窗口负责人，材料一次提交。"}
        await post_ok(client, f"/api/v1/issues/{accepted['issue_id']}/public-replies", reply, tokens.office())
        answers = await self._answers(client, request_id, token)
        self._assert_nothing_personal(answers, request_id, token)
        shown = answers[f"requests/{request_id}.json"].json()[0]
        assert (shown["description"], shown["status_notes"]) == (accept["title"], reply["content"])

    async def test_the_documented_request_has_no_field_for_personal_data(self) -> None:
        words = ("name", "phone", "email", "contact", "enterprise", "content", "account")
        personal = [f for f in self.REQUEST_FIELDS if any(w in f for w in words) and f != "service_name"]
        assert personal == []
        assert set(RequestToken.model_fields) == {"service_request_id", "token"}


class TestRefusals:
    async def test_a_wrong_api_key_is_403_in_the_specs_form_and_enters_nothing(
        self, client: httpx.AsyncClient, tokens: Tokens, world: dict[str, Any]
    ) -> None:
        answer = await post_request(client, "gov-portal:wrong")
        assert answer.status_code == 403
        assert answer.json()[0]["code"] == 403
        assert answer.json()[0]["description"]
        assert (await client.get("/api/v1/intake", headers=tokens.office())).json()["items"] == []

    async def test_a_client_without_issues_write_may_not_post(
        self, client: httpx.AsyncClient, tokens: Tokens, world: dict[str, Any]
    ) -> None:
        reader = {"id": "reader", "name": "只读系统", "scopes": ["issues:read"]}
        secret = (await post_ok(client, "/api/v1/clients", reader, tokens.admin()))["client_secret"]
        assert (await post_request(client, f"reader:{secret}", "xml")).status_code == 403

    async def test_bad_parameters_are_400_errors_not_problems(
        self, client: httpx.AsyncClient, world: dict[str, Any]
    ) -> None:
        bad_phone = await post_request(client, world["api_key"], phone="call me")
        assert (bad_phone.status_code, bad_phone.json()[0]["code"]) == (400, 400)
        too_wide = await client.get(
            "/open311/v2/requests.json",
            params={"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
        )
        assert too_wide.status_code == 400
        assert "90 days" in too_wide.json()[0]["description"]
        assert (await client.get("/open311/v2/requests.json", params={"start_date": "0"})).status_code == 400
        bad_status = await client.get("/open311/v2/requests.xml", params={"status": "pending"})
        assert bad_status.status_code == 400
        assert ET.fromstring(bad_status.content).tag == "errors"  # noqa: S314
        unknown = await client.get("/open311/v2/requests/nope.json")
        assert unknown.status_code == 404
        assert unknown.json() == [{"code": 404, "description": "service request nope not found"}]
