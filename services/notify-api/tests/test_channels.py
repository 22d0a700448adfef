"""Delivery on every channel: signed webhooks with retries and dead letters, WeCom and DingTalk robots, the
SMS gateway, quiet hours and the daily digest."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from notify_api.calendar.quiet import release_at
from notify_api.config import DeliverySettings
from notify_api.delivery.channels import HttpSender, SendResult
from notify_api.delivery.models import Delivery
from notify_testing.world import World, issue, local, user
from rectify_kit.clock import FixedClock
from rectify_kit.db import Database
from rectify_kit.testing import TokenFactory

# On both backends: deliveries are claimed and retried with each dialect's locking (SKIP LOCKED on PostgreSQL).
pytestmark = pytest.mark.both_backends

WEBHOOK_SECRET = "a-very-secret-webhook-key"
DING_SECRET = "SECdingtalk-secret"
SMS_SECRET = "sms-gateway-signing-key"


class Mails:
    def __init__(self) -> None:
        self.sent: list[Delivery] = []

    async def send(self, delivery: Delivery, secrets: Sequence[str]) -> SendResult:
        self.sent.append(delivery)
        return SendResult(ok=True)


class Receivers:
    """Fake WeCom, DingTalk, SMS gateway and webhook receivers behind one httpx transport."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.webhook_status = 204

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.host in ("qyapi.weixin.qq.com", "oapi.dingtalk.com"):
            return httpx.Response(200, json={"errcode": 0, "errmsg": "ok"})
        if request.url.host == "hooks.example.gov.cn":
            return httpx.Response(self.webhook_status)
        return httpx.Response(200, json={"ok": True})

    def to(self, host: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.host == host]


@pytest.fixture
def delivery() -> DeliverySettings:
    """Retries short enough to reach a dead letter here."""
    return DeliverySettings(max_attempts=3, backoff_base_seconds=30)


@pytest.fixture
async def env(app: FastAPI, client: httpx.AsyncClient, clock: FixedClock, tokens: TokenFactory) -> Any:
    world = World(app, clock, tokens)
    await world.directory()
    receivers, mails = Receivers(), Mails()
    sender = HttpSender(httpx.AsyncClient(transport=httpx.MockTransport(receivers.handle)), timeout=5)
    senders = world.runtime.worker.senders
    assert isinstance(senders, dict)
    senders.update({"email": mails, "webhook": sender, "wecom": sender, "dingtalk": sender, "sms": sender})
    return world, client, receivers, mails


async def configure(world: World, client: httpx.AsyncClient, event_types: list[str]) -> None:
    admin = world.headers("u-admin")
    for body in (
        {"channel": "wecom", "enabled": True, "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"},
        {
            "channel": "dingtalk",
            "enabled": True,
            "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=t",
            "secret": DING_SECRET,
        },
        {"channel": "sms", "enabled": True, "url": "https://sms.example.gov.cn/send", "secret": SMS_SECRET},
    ):
        assert (await client.put("/api/v1/channels", json=body, headers=admin)).status_code == 200
    hook = {"url": "https://hooks.example.gov.cn/rectify", "secret": WEBHOOK_SECRET, "event_types": event_types}
    assert (await client.post("/api/v1/webhooks", json=hook, headers=world.headers("u-office"))).status_code == 201


async def drain(world: World) -> None:
    while await world.runtime.worker.run_once():
        pass


def signed(request: httpx.Request, secret: str) -> bool:
    stamp = request.headers["X-Rectify-Timestamp"]
    mac = hmac.new(secret.encode(), stamp.encode() + b"." + request.content, hashlib.sha256).hexdigest()
    return hmac.compare_digest(request.headers["X-Rectify-Signature"], "sha256=" + mac)


class TestRedCardOnEveryChannel:
    async def test_backfilled_issue_fires_only_t_plus_5_on_every_channel_signed(self, env: Any) -> None:
        world, client, receivers, mails = env
        await configure(world, client, ["escalation.fired"])
        world.clock.set(local(2026, 10, 14, 10).astimezone(UTC))
        body = issue(deadline=date(2026, 9, 30), assigned_at=world.clock.now())
        await world.feed("issue.assigned", "issue-1", {"issue": body})
        await world.tick()
        await drain(world)

        listed = (await client.get("/api/v1/escalations", headers=world.headers("u-office"))).json()
        assert [(e["step"], e["level"], e["number"]) for e in listed["items"]] == [("T+5", 3, "督〔2026〕1号")]
        [wecom] = receivers.to("qyapi.weixin.qq.com")
        content = json.loads(wecom.content)
        assert content["msgtype"] == "markdown"
        assert "【通报】督〔2026〕1号" in content["markdown"]["content"]
        [ding] = receivers.to("oapi.dingtalk.com")
        query = dict(urllib.parse.parse_qsl(ding.url.query.decode()))
        to_sign = f"{query['timestamp']}\n{DING_SECRET}".encode()
        expected = base64.b64encode(hmac.new(DING_SECRET.encode(), to_sign, hashlib.sha256).digest()).decode()
        assert query["sign"] == expected
        assert json.loads(ding.content)["markdown"]["title"].startswith("【通报】")
        sms = receivers.to("sms.example.gov.cn")
        assert len(sms) == 4  # units A and B, the office and the leader
        assert all(signed(r, SMS_SECRET) for r in sms)
        assert {json.loads(r.content)["phone"] for r in sms} == {"13800000000"}
        [hook] = receivers.to("hooks.example.gov.cn")
        assert signed(hook, WEBHOOK_SECRET)
        event = json.loads(hook.content)
        assert event["type"] == "escalation.fired"
        assert event["data"]["escalation"]["level"] == 3
        assert hook.headers["X-Rectify-Delivery"]
        assert sorted(m.target for m in mails.sent if m.level == 3) == [
            "u-a@example.gov.cn",
            "u-b@example.gov.cn",
            "u-leader@example.gov.cn",
            "u-office@example.gov.cn",
        ]


class TestWebhookRetries:
    async def test_failures_back_off_then_dead_letter_then_manual_retry(self, env: Any) -> None:
        world, client, receivers, _ = env
        await configure(world, client, ["notification.created"])
        receivers.webhook_status = 500
        world.clock.set(local(2026, 10, 9, 10).astimezone(UTC))
        body = issue(status="in_progress", deadline=date(2026, 10, 30))
        await world.feed("issue.urged", "issue-1", {"issue": body, "content": "请加快进度"})
        office = world.headers("u-office")
        await drain(world)
        [first] = (await client.get("/api/v1/deliveries?channel=webhook", headers=office)).json()["items"]
        assert first["status"] == "pending"
        wait = datetime.fromisoformat(first["next_attempt_at"]) - world.clock.now()
        assert timedelta(seconds=15) <= wait <= timedelta(seconds=30)
        for gap in (31, 61):
            world.clock.advance(timedelta(seconds=gap))
            await drain(world)
        [dead] = (await client.get("/api/v1/deliveries?channel=webhook", headers=office)).json()["items"]
        assert dead["status"] == "dead"
        assert [a["status_code"] for a in dead["attempt_log"]] == [500, 500, 500]
        assert len(receivers.to("hooks.example.gov.cn")) == 3

        receivers.webhook_status = 204
        retried = await client.post(f"/api/v1/deliveries/{dead['id']}/retry", headers=office)
        assert retried.json()["status"] == "pending"
        await drain(world)
        [sent] = (await client.get("/api/v1/deliveries?channel=webhook", headers=office)).json()["items"]
        assert sent["status"] == "sent"
        again = await client.post(f"/api/v1/deliveries/{dead['id']}/retry", headers=office)
        assert again.status_code == 409
        assert again.json()["code"] == "delivery-not-retryable"

    async def test_an_idle_worker_sleeps_until_the_retry_and_wakes_when_its_process_queues(self, env: Any) -> None:
        world, client, receivers, _ = env
        await configure(world, client, ["notification.created"])
        receivers.webhook_status = 500
        world.clock.set(local(2026, 10, 9, 10).astimezone(UTC))
        worker, bell = world.runtime.worker, world.runtime.doorbell.rung
        bell.clear()
        body = issue(status="in_progress", deadline=date(2026, 10, 30))
        await world.feed("issue.urged", "issue-1", {"issue": body, "content": "请加快进度"})
        assert bell.is_set()  # the page's commit queued deliveries
        await drain(world)
        bell.clear()
        assert await worker.run_once() == 0  # a round that finds nothing rings nothing
        assert not bell.is_set()
        office = world.headers("u-office")
        [first] = (await client.get("/api/v1/deliveries?channel=webhook", headers=office)).json()["items"]
        wait = datetime.fromisoformat(first["next_attempt_at"]) - world.clock.now()
        assert worker.seconds_idle(at_most=3600) == pytest.approx(wait.total_seconds())
        assert worker.seconds_idle(at_most=5) == 5
        world.clock.advance(wait)
        assert await worker.run_once() == 1  # due at the moment it said
        assert [
            a["status_code"]
            for a in (await client.get("/api/v1/deliveries?channel=webhook", headers=office)).json()["items"][0][
                "attempt_log"
            ]
        ] == [500, 500]


async def email_of(world: World, user_id: str) -> list[Delivery]:
    database: Database = world.app.state.database
    async with database.session(write=False) as session:
        query = select(Delivery).where(Delivery.user_id == user_id, Delivery.channel == "email")
        return list((await session.execute(query.order_by(Delivery.created_at))).scalars())


async def inbox_titles(client: httpx.AsyncClient, world: World, user_id: str) -> list[str]:
    page = (await client.get("/api/v1/notifications", headers=world.headers(user_id))).json()
    return [n["title"] for n in page["items"]]


class TestQuietHours:
    @pytest.mark.parametrize(
        ("moment", "released"),
        [
            (local(2026, 10, 9, 21, 30), local(2026, 10, 10, 8)),  # Friday night → make-up Saturday morning
            (local(2026, 10, 3, 10), local(2026, 10, 8, 8)),  # National Day → first working morning
            (local(2026, 10, 8, 6), local(2026, 10, 8, 8)),  # before 08:00 on a working day
        ],
    )
    async def test_urge_at_night_reaches_inbox_now_and_email_in_the_morning(
        self, env: Any, moment: datetime, released: datetime
    ) -> None:
        world, client, _, mails = env
        world.clock.set(moment.astimezone(UTC))
        body = issue(status="in_progress", deadline=date(2026, 10, 30))
        await world.feed("issue.urged", "issue-1", {"issue": body, "content": "请加快进度"})
        assert await inbox_titles(client, world, "u-a") == ["【催办】YS-2026-0001《审批超时》"]
        [mail] = await email_of(world, "u-a")
        assert mail.next_attempt_at == released
        await drain(world)
        assert mails.sent == []
        world.clock.set(released.astimezone(UTC))
        await drain(world)
        assert {m.target for m in mails.sent} == {"u-a@example.gov.cn", "u-b@example.gov.cn"}

    def test_red_card_goes_out_at_night(self) -> None:
        from rectify_kit.workdays import WorkCalendar

        night = local(2026, 10, 9, 23).astimezone(UTC)
        calendar = WorkCalendar()
        assert release_at(night, channel="sms", level=3, calendar=calendar, start_hour=20, end_hour=8) == night
        assert release_at(night, channel="webhook", level=0, calendar=calendar, start_hour=20, end_hour=8) == night
        later = release_at(night, channel="wecom", level=2, calendar=calendar, start_hour=20, end_hour=8)
        assert later == local(2026, 10, 12, 8)

    def test_the_same_start_and_end_hour_means_no_quiet_hours_even_on_a_holiday(self) -> None:
        from rectify_kit.workdays import WorkCalendar

        night = local(2026, 10, 3, 23).astimezone(UTC)  # Saturday, 国庆 holidays
        sent = release_at(night, channel="sms", level=0, calendar=WorkCalendar(), start_hour=0, end_hour=0)
        assert sent == night


class TestDigest:
    async def test_reminders_of_an_opted_in_user_fold_into_one_morning_email(self, env: Any) -> None:
        world, _, _, mails = env
        await world.feed("user.updated", "u-a", {"user": user("u-a", "unit", "unit-a", digest=True)})
        world.clock.set(local(2026, 9, 18, 10).astimezone(UTC))
        for issue_id in ("issue-1", "issue-2"):
            body = issue(issue_id, deadline=date(2026, 9, 30), assigned_at=world.clock.now())
            await world.feed("issue.assigned", issue_id, {"issue": body})
        await drain(world)
        mails.sent.clear()
        world.clock.set(local(2026, 9, 24, 9).astimezone(UTC))  # T-3 of both: two reminders each
        await world.tick()
        await drain(world)
        # u-b gets each T-3 at once; u-a's T-3 and not-accepted reminders (lead unit only) are held.
        assert sorted(m.target for m in mails.sent) == ["u-b@example.gov.cn"] * 2
        mails.sent.clear()
        world.clock.set(local(2026, 9, 28, 8).astimezone(UTC))  # 25 September is Mid-autumn: next is Monday
        await world.tick()
        await drain(world)
        [digest] = [m for m in mails.sent if m.target == "u-a@example.gov.cn"]
        assert digest.subject == "【每日汇总】4 条提醒"
        assert digest.body.count("\n") == 3
