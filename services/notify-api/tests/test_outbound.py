"""Outbound addresses are guarded: webhook, robot and SMS-gateway URLs that are or resolve to loopback,
link-local (the cloud metadata address), private or this deployment's own addresses are refused when stored
(422) and again at each send, unless the admin's allow-list names them."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from notify_api.config import OutboundSettings, Settings
from notify_api.outbound import OutboundGuard, guard_from
from notify_api.webhooks.models import WebhookSubscription
from notify_testing.world import World, http_receiver, issue
from rectify_kit.db import Database

REFUSED = [
    "http://127.0.0.1:9/hook",
    "http://localhost/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.1.2.3/hook",
    "http://192.168.0.10/hook",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://0.0.0.0/hook",
]


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The app as deployed: nothing allowed beyond public addresses."""
    return Settings(database_url=database_url, var_dir=tmp_path, background=False, log_json=False)


class TestAtSubscription:
    @pytest.mark.parametrize("url", REFUSED)
    async def test_a_private_loopback_or_metadata_address_is_a_422_and_stores_nothing(
        self, world: World, client: httpx.AsyncClient, url: str
    ) -> None:
        body = {"url": url, "secret": "a-long-enough-secret", "event_types": ["*"]}
        answer = await client.post("/api/v1/webhooks", json=body, headers=world.headers("u-office"))
        assert answer.status_code == 422
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["code"] == "outbound-address-refused"
        assert answer.json()["errors"][0]["field"] == "url"
        assert (await client.get("/api/v1/webhooks", headers=world.headers("u-office"))).json() == []

    @pytest.mark.parametrize(
        ("channel", "field"), [("sms", "url"), ("wecom", "webhook_url"), ("dingtalk", "webhook_url")]
    )
    async def test_robot_and_sms_gateway_urls_are_refused_too(
        self, world: World, client: httpx.AsyncClient, channel: str, field: str
    ) -> None:
        body = {"channel": channel, "enabled": True, field: "http://169.254.169.254/latest"}
        answer = await client.put("/api/v1/channels", json=body, headers=world.headers("u-admin"))
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["field"] == field

    async def test_a_moved_url_is_checked_too(self, world: World, client: httpx.AsyncClient) -> None:
        body = {"url": "https://hooks.example.gov.cn/in", "secret": "a-long-enough-secret", "event_types": ["*"]}
        created = (await client.post("/api/v1/webhooks", json=body, headers=world.headers("u-office"))).json()
        moved = await client.patch(
            f"/api/v1/webhooks/{created['id']}", json={"url": "http://10.0.0.1/"}, headers=world.headers("u-office")
        )
        assert moved.status_code == 422


class TestAtEachSend:
    async def test_a_stored_url_that_now_reaches_loopback_is_not_connected_to(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        with http_receiver() as receiver:
            body = {"url": "https://hooks.example.gov.cn/in", "secret": "a-long-enough-secret", "event_types": ["*"]}
            created = (await client.post("/api/v1/webhooks", json=body, headers=world.headers("u-office"))).json()
            database: Database = world.app.state.database
            async with database.session() as session:
                # As if its name resolved to a public address when stored and to loopback now (DNS rebinding).
                moved = update(WebhookSubscription).where(WebhookSubscription.id == created["id"])
                await session.execute(moved.values(url=receiver.url))
            await world.feed("issue.assigned", "issue-1", {"issue": issue()})
            while await world.runtime.worker.run_once():
                pass
        assert receiver.received == []
        items = (await client.get("/api/v1/deliveries?channel=webhook", headers=world.headers("u-office"))).json()
        assert items["items"][0]["status"] == "pending"  # waits for a retry, never sent
        assert "not a public address" in items["items"][0]["attempt_log"][0]["error"]


class TestDnsRebinding:
    async def test_a_name_public_when_subscribed_and_loopback_at_the_send_is_not_connected_to(
        self, world: World, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The name resolves (in this process) to a public address when the subscription is stored, then to
        127.0.0.1, where a real receiver listens: the send checks the address it connects to and refuses."""
        answers = {"now": "93.184.216.34"}
        real = asyncio.base_events.BaseEventLoop.getaddrinfo

        async def resolve(loop: asyncio.AbstractEventLoop, host: Any, port: Any, **kwargs: Any) -> Any:
            if host == "hooks.rebind.example":
                return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers["now"], int(port or 80)))]
            return await real(loop, host, port, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(asyncio.base_events.BaseEventLoop, "getaddrinfo", resolve)
        with http_receiver() as receiver:
            url = f"http://hooks.rebind.example:{receiver.port}/hook"
            body = {"url": url, "secret": "a-long-enough-secret", "event_types": ["*"]}
            stored = await client.post("/api/v1/webhooks", json=body, headers=world.headers("u-office"))
            assert stored.status_code == 201, stored.text
            answers["now"] = "127.0.0.1"
            await world.feed("issue.assigned", "issue-1", {"issue": issue()})
            while await world.runtime.worker.run_once():
                pass
        assert receiver.received == []
        items = (await client.get("/api/v1/deliveries?channel=webhook", headers=world.headers("u-office"))).json()
        assert {d["event_type"] for d in items["items"]} >= {"issue.assigned"}
        for delivery in items["items"]:
            assert delivery["status"] == "pending"  # waits for a retry, never sent
            assert "127.0.0.1, which is not a public address" in delivery["attempt_log"][0]["error"]


class TestAllowList:
    @pytest.fixture
    def settings(self, database_url: str, tmp_path: Path) -> Settings:
        allowed = OutboundSettings(allow=["127.0.0.0/8", "169.254.169.254/32", "intranet.example"])
        return Settings(database_url=database_url, var_dir=tmp_path, background=False, log_json=False, outbound=allowed)

    async def test_what_the_admin_allows_is_stored_and_delivered_to(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        with http_receiver() as receiver:
            body: dict[str, Any] = {"url": receiver.url, "secret": "a-long-enough-secret", "event_types": ["*"]}
            assert (
                await client.post("/api/v1/webhooks", json=body, headers=world.headers("u-office"))
            ).status_code == 201
            await world.feed("issue.assigned", "issue-1", {"issue": issue()})
            while await world.runtime.worker.run_once():
                pass
        assert len(receiver.received) == 2  # issue.assigned and its notification.created
        metadata = {**body, "url": "http://169.254.169.254/latest"}
        assert (
            await client.post("/api/v1/webhooks", json=metadata, headers=world.headers("u-office"))
        ).status_code == 201
        private = {**body, "url": "http://10.0.0.1/"}
        assert (
            await client.post("/api/v1/webhooks", json=private, headers=world.headers("u-office"))
        ).status_code == 422


class TestGuard:
    def test_own_addresses_are_refused_even_when_public(self) -> None:
        own = ipaddress.ip_address("203.0.113.10")  # documentation range stands for the deployment's address
        guard = OutboundGuard(own=frozenset({own}))
        assert guard.refusal("rectify.example.gov.cn", own) is not None
        assert guard.refusal("partner.example.cn", ipaddress.ip_address("8.8.8.8")) is None

    def test_the_settings_allow_networks_and_names(self) -> None:
        guard = guard_from(OutboundSettings(allow=["10.0.0.0/8", "Partner.Internal"]))
        assert guard.refusal("x", ipaddress.ip_address("10.9.9.9")) is None
        assert guard.refusal("partner.internal", ipaddress.ip_address("192.168.1.1")) is None
        assert guard.refusal("x", ipaddress.ip_address("192.168.1.1")) is not None
