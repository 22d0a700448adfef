"""The whole system tells the outside world, through real receivers on loopback.

- A citizen who agreed to it is told of each change of their submission (acceptance, assignment, each public
  reply, closure) with the tracking link: by e-mail to a real SMTP server, or by SMS through the SMS-gateway
  channel to a real HTTP receiver. notify-api learns of the changes through issues-api's feed (its feed client
  reads `contacts:read`). This stack has no quiet hours (`NOTIFY_QUIET_START_HOUR` = `NOTIFY_QUIET_END_HOUR`), so
  every message goes out at once whatever the hour in Shanghai; the hold itself is notify-api's own tests'.
- An integration client's own webhook subscription receives `issue.assigned` for the unit it is bound to and
  nothing of another unit, judged on the client as it is now: rebinding it after subscribing moves what it gets.
  Each delivery verifies with the `standardwebhooks` library.

Loopback is allowed explicitly (`NOTIFY_OUTBOUND__ALLOW`), as the issue asks of tests.
"""

from __future__ import annotations

import asyncio
import base64
import email
import email.message
import email.policy
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from aiosmtpd.controller import Controller
from standardwebhooks.webhooks import Webhook

from notify_testing.world import HttpReceiver, http_receiver
from rectify_kit import testing
from rectify_stack import Stack, eventually, login, running_stack
from rectify_stack.plugin import SHARED_SETTINGS

CITIZEN_MAIL = "citizen@example.cn"
CITIZEN_PHONE = "13912345678"
PUBLIC = "https://rectify.example.gov.cn"
SHANGHAI = ZoneInfo("Asia/Shanghai")
UNIT = "SJZ"  # 石家庄市 in the demo campaign
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"system-test-webhook-key-32-bytes").decode()


class Mailbox:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        body = parsed.get_body(preferencelist=("plain",))
        self.received.append((list(envelope.rcpt_tos), body.get_content() if body is not None else ""))
        return "250 OK"


@pytest.fixture(scope="module")
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), testing.free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def sms_gateway() -> Iterator[HttpReceiver]:
    with http_receiver(status=200) as receiver:
        yield receiver


@pytest.fixture(scope="module")
def webhook_receiver() -> Iterator[HttpReceiver]:
    with http_receiver(status=204) as receiver:
        yield receiver


# A stack of its own (notify-api reaching loopback receivers, without quiet hours), once, on the main backend.
pytestmark = pytest.mark.main_backend


@pytest.fixture(scope="module")
def told_stack(tmp_path_factory: pytest.TempPathFactory, mailbox: tuple[Mailbox, int]) -> Iterator[Stack]:
    backend = testing.main_backend()
    urls: dict[str, str] = {}
    if backend == "postgresql":
        urls = {n: asyncio.run(testing.create_pg_database(f"rectify_told_{n}")) for n in ("issues", "notify", "report")}
    settings = {
        **SHARED_SETTINGS,
        "NOTIFY_SMTP__HOST": "127.0.0.1",
        "NOTIFY_SMTP__PORT": str(mailbox[1]),
        "NOTIFY_PUBLIC_BASE_URL": PUBLIC,
        "NOTIFY_OUTBOUND__ALLOW": json.dumps(["127.0.0.0/8"]),
        "NOTIFY_QUIET_START_HOUR": "0",
        "NOTIFY_QUIET_END_HOUR": "0",
        "NOTIFY_SCHEDULER_INTERVAL_SECONDS": "1",
        # The demo's campaign, units and accounts, none of its items: these tests make their own, and each demo
        # item costs the stack's start (replayed, then read by notify-api and report-api) and mails this mailbox.
        "ISSUES_DEMO_ITEMS": "0",
    }
    try:
        with running_stack(tmp_path_factory.mktemp("told"), database_urls=urls, settings=settings) as running:
            yield running
    finally:
        for url in urls.values():
            asyncio.run(testing.drop_pg_database(url))


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json()


def units(client: httpx.Client, headers: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """石家庄市 and another city of the demo campaign."""
    listed = ok(client.get("/api/v1/units", headers=headers))["items"]
    mine = next(u for u in listed if u["code"] == UNIT)
    other = next(u for u in listed if u["code"] != UNIT and u["kind"] == mine["kind"])
    return mine, other


def deadline_in(days: int) -> str:
    return (datetime.now(SHANGHAI).date() + timedelta(days=days)).isoformat()


class TestSubmittersAreTold:
    @pytest.mark.parametrize("channel", ["email", "sms"])
    def test_each_change_reaches_the_citizen_with_the_tracking_link(
        self, told_stack: Stack, mailbox: tuple[Mailbox, int], sms_gateway: HttpReceiver, channel: str
    ) -> None:
        with httpx.Client(base_url=told_stack.gateway, timeout=30) as client:
            office, admin = login(client, "office"), login(client, "admin")
            if channel == "sms":
                gateway = {"channel": "sms", "enabled": True, "url": sms_gateway.url, "secret": "sms-gateway-secret"}
                ok(client.put("/api/v1/channels", json=gateway, headers=admin))
            title = f"系统联调：告知提交人（{channel}）"
            body = {
                "title": title,
                "content": f"希望办理进展能告诉我（{channel}）",
                "notify_by": channel,
                "contact_email": CITIZEN_MAIL,
                "contact_phone": CITIZEN_PHONE,
            }
            code = ok(client.post("/api/v1/public/submissions", json=body), 201)["tracking_code"]
            queue = ok(client.get("/api/v1/intake", params={"status": "submitted", "limit": 200}, headers=office))
            [mine] = [i for i in queue["items"] if i["title"] == title]
            sjz, _ = units(client, office)
            deadline = deadline_in(20)
            assign = {"lead_unit_id": sjz["id"], "co_unit_ids": [], "deadline": deadline}
            accepted = ok(client.post(f"/api/v1/intake/{mine['id']}/accept", json={"assign": assign}, headers=office))
            issue_id = accepted["issue_id"]
            reply = {"content": "已约谈窗口负责人，材料一次提交"}
            ok(client.post(f"/api/v1/issues/{issue_id}/public-replies", json=reply, headers=office), 201)
            staff = login(client, UNIT)
            steps = [("accept", {}), ("progress", {"content": "已梳理流程", "percent": 80})]
            for path, step in [*steps, ("submit-completion", {"summary": "已整改到位"})]:
                ok(client.post(f"/api/v1/issues/{issue_id}/{path}", json=step, headers=staff))
            ok(client.post(f"/api/v1/issues/{issue_id}/close", json={"comment": "核查属实"}, headers=office))

        def received() -> list[str]:
            if channel == "email":
                return [text for to, text in mailbox[0].received if to == [CITIZEN_MAIL] and title in text]
            sent = [json.loads(r.body) for r in sms_gateway.received]
            assert all(s["phone"] == CITIZEN_PHONE for s in sent)
            return [s["text"] for s in sent if title in s["text"]]

        try:
            told = eventually(lambda: (lambda got: got if len(got) >= 4 else None)(received()), timeout=120)
        except AssertionError:
            with httpx.Client(base_url=told_stack.gateway, timeout=30) as client:
                queued = client.get("/api/v1/deliveries", params={"channel": channel}, headers=login(client, "admin"))
            raise AssertionError(f"told: {received()}\ndeliveries: {queued.text[:4000]}") from None
        expected = ("已受理", f"已交石家庄市办理，预计 {deadline} 前办结", f"有新的答复：{reply['content']}", "已办结")
        assert len(told) == 4, told
        for said in expected:
            assert sum(said in text for text in told) == 1, (said, told)
        assert all(f"{PUBLIC}/track/{code}" in text for text in told)
        if channel == "email":
            assert not [r for r in sms_gateway.received if title in json.loads(r.body)["text"]]
        else:
            assert not [m for m in mailbox[0].received if title in m[1]]


class TestAClientsOwnWebhook:
    def test_gets_issue_assigned_for_its_unit_only_as_it_is_bound_now(
        self, told_stack: Stack, webhook_receiver: HttpReceiver
    ) -> None:
        with httpx.Client(base_url=told_stack.gateway, timeout=30) as client:
            office, admin = login(client, "office"), login(client, "admin")
            sjz, other = units(client, office)
            system = {
                "id": "sjz-oa",
                "name": "石家庄市协同办公",
                "scopes": ["webhooks:manage", "events:read"],
                "unit_ids": [sjz["id"]],
            }
            secret = ok(client.post("/api/v1/clients", json=system, headers=admin), 201)["client_secret"]
            grant = {"grant_type": "client_credentials", "client_id": "sjz-oa", "client_secret": secret}
            token = ok(client.post("/api/v1/auth/token", data=grant))["access_token"]
            oa = {"Authorization": f"Bearer {token}"}
            subscription = {"url": webhook_receiver.url, "secret": WEBHOOK_SECRET, "event_types": ["issue.assigned"]}
            subscribed = ok(client.post("/api/v1/webhooks", json=subscription, headers=oa), 201)
            assert subscribed["owner_client_id"] == "sjz-oa"
            campaign_id = ok(client.get("/api/v1/campaigns", headers=office))["items"][0]["id"]

            def assigned(title: str, unit: dict[str, Any]) -> str:
                body = {"campaign_id": campaign_id, "title": title, "description": "系统联调：订阅按单位过滤"}
                issue_id = str(ok(client.post("/api/v1/issues", json=body, headers=office), 201)["id"])
                assign = {"lead_unit_id": unit["id"], "co_unit_ids": [], "deadline": deadline_in(30)}
                ok(client.post(f"/api/v1/issues/{issue_id}/assign", json=assign, headers=office))
                return issue_id

            def delivered(count: int) -> list[str]:
                got = [json.loads(r.body)["data"]["issue"]["id"] for r in webhook_receiver.received]
                return got if len(got) >= count else []

            theirs_before = assigned("系统联调：他市问题（绑定前）", other)
            ours_before = assigned("系统联调：本市问题（绑定前）", sjz)
            assert eventually(lambda: delivered(1), timeout=120) == [ours_before]

            # The admin moves the client to the other city: the subscription follows the client's binding now.
            ok(client.patch("/api/v1/clients/sjz-oa", json={"unit_ids": [other["id"]]}, headers=admin))
            ours_after = assigned("系统联调：本市问题（改绑后）", sjz)
            theirs_after = assigned("系统联调：他市问题（改绑后）", other)
            assert eventually(lambda: delivered(2), timeout=120) == [ours_before, theirs_after]
            listed = ok(
                client.get(
                    "/api/v1/deliveries",
                    params={"channel": "webhook", "subscription_id": subscribed["id"]},
                    headers=admin,
                )
            )["items"]
            assert len(listed) == 2, listed
        assert {theirs_before, ours_after}.isdisjoint(delivered(0))
        verifier = Webhook(WEBHOOK_SECRET)
        for request in webhook_receiver.received:
            headers = {k.lower(): v for k, v in request.headers.items()}
            assert verifier.verify(request.body, headers)["type"] == "issue.assigned"
