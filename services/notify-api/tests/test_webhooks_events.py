"""Webhooks for every event type, as another system receives them: signed per Standard Webhooks (checked with
the `standardwebhooks` verifier) beside our own header, through a secret rotation; an integration client's
own subscription gets only its units' events; a refusal records the status, not what the receiver said."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, date
from typing import Any

import httpx
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from notify_testing.world import HttpReceiver, World, http_receiver, issue, local
from rectify_kit.testing import TokenFactory

PLAIN_SECRET = "a-plain-webhook-secret"
STANDARD_KEY = b"0123456789abcdef0123456789abcdef"
STANDARD_SECRET = "whsec_" + base64.b64encode(STANDARD_KEY).decode()


def client_headers(tokens: TokenFactory, *, scopes: str, units: list[str]) -> dict[str, str]:
    """An integration client's token: its scopes and the units it is bound to (claim `unit_ids`)."""
    claims = {"kind": "client", "role": "integration", "scope": scopes, "unit_ids": units, "username": "oa"}
    return dict(tokens.headers("client-oa", **claims))


async def drain(world: World) -> None:
    while await world.runtime.worker.run_once():
        pass


async def subscribe(
    client: httpx.AsyncClient, headers: dict[str, str], url: str, secret: str, event_types: list[str], **more: Any
) -> dict[str, Any]:
    body = {"url": url, "secret": secret, "event_types": event_types, **more}
    answer = await client.post("/api/v1/webhooks", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


def payloads(receiver: HttpReceiver) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in receiver.received]


class TestStandardWebhooks:
    @pytest.mark.parametrize(("secret", "verifier_key"), [(STANDARD_SECRET, STANDARD_SECRET), (PLAIN_SECRET, None)])
    async def test_a_delivery_verifies_with_the_standard_webhooks_library(
        self, world: World, client: httpx.AsyncClient, secret: str, verifier_key: str | None
    ) -> None:
        with http_receiver() as receiver:
            await subscribe(client, world.headers("u-office"), receiver.url, secret, ["issue.*"])
            await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 10, 30))})
            await drain(world)
        [request] = receiver.received
        # A plain secret's key is its bytes: the verifier takes them as they are (or whsec_ + their base64).
        webhook = Webhook(verifier_key or PLAIN_SECRET.encode())
        verified = webhook.verify(request.body, request.headers)
        assert (verified["type"], verified["data"]["issue"]["id"]) == ("issue.assigned", "issue-1")
        assert request.headers["webhook-id"] == request.headers["X-Rectify-Delivery"]
        # Our own header beside it, keyed by the secret as given (unchanged for existing receivers).
        stamp = request.headers["X-Rectify-Timestamp"]
        legacy = hmac.new(secret.encode(), stamp.encode() + b"." + request.body, hashlib.sha256).hexdigest()
        assert request.headers["X-Rectify-Signature"] == "sha256=" + legacy
        with pytest.raises(WebhookVerificationError):
            Webhook(b"another-secret-entirely").verify(request.body, request.headers)

    async def test_during_a_rotation_both_secrets_verify_and_after_it_only_the_new_one(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        new = "whsec_" + base64.b64encode(b"a rotated key of thirty-two byte").decode()
        with http_receiver() as receiver:
            created = await subscribe(client, world.headers("u-office"), receiver.url, STANDARD_SECRET, ["issue.*"])
            rotated = await client.patch(
                f"/api/v1/webhooks/{created['id']}", json={"secret": new}, headers=world.headers("u-office")
            )
            assert rotated.json()["previous_secret_valid_until"] is not None
            await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 10, 30))})
            await drain(world)
            world.clock.set(world.clock.now().replace(year=2026, month=9, day=23))  # a day and more later
            await world.feed("issue.urged", "issue-1", {"issue": issue(status="in_progress"), "content": "快"})
            await drain(world)
        during, after = receiver.received
        for key in (STANDARD_SECRET, new):
            Webhook(key).verify(during.body, during.headers)
        Webhook(new).verify(after.body, after.headers)
        with pytest.raises(WebhookVerificationError):
            Webhook(STANDARD_SECRET).verify(after.body, after.headers)


class TestEveryEventType:
    async def test_intake_events_go_out_without_the_submitters_contacts(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        intake = {"id": "intake-1", "status": "submitted", "title": "高企认定", "issue_id": None}
        submitter = {
            "contact_phone": "13900000000",
            "contact_email": "a@b.cn",
            "notify_by": "sms",
            "tracking_code": "X",
        }
        with http_receiver() as receiver:
            await subscribe(client, world.headers("u-office"), receiver.url, PLAIN_SECRET, ["intake.*"])
            await world.feed("intake.submitted", "intake-1", {"intake": intake, "submitter": submitter})
            await drain(world)
        [event] = payloads(receiver)
        assert (event["type"], event["data"]) == ("intake.submitted", {"intake": intake})
        assert "13900000000" not in receiver.received[0].body.decode()

    async def test_campaign_and_unit_filters(self, world: World, client: httpx.AsyncClient) -> None:
        with http_receiver() as receiver:
            office = world.headers("u-office")
            await subscribe(client, office, receiver.url, PLAIN_SECRET, ["issue.assigned"], unit_ids=["unit-c"])
            await subscribe(client, office, receiver.url, PLAIN_SECRET, ["*"], campaign_ids=["another-campaign"])
            await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 10, 30))})
            await world.feed("issue.assigned", "issue-2", {"issue": issue("issue-2", lead_unit_id="unit-c")})
            await drain(world)
        assert [(p["type"], p["data"]["issue"]["id"]) for p in payloads(receiver)] == [("issue.assigned", "issue-2")]


class TestClientsOwnSubscriptions:
    async def test_a_bound_client_receives_its_units_issue_assigned_and_nothing_of_another_unit(
        self, world: World, client: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        oa = client_headers(tokens, scopes="webhooks:manage events:read", units=["unit-a"])
        with http_receiver() as receiver:
            mine = await subscribe(client, oa, receiver.url, PLAIN_SECRET, ["issue.assigned", "notification.*"])
            assert mine["owner_client_id"] == "client-oa"
            await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 10, 30))})
            other = issue("issue-2", lead_unit_id="unit-c", co_unit_ids=[], deadline=date(2026, 10, 30))
            await world.feed("issue.assigned", "issue-2", {"issue": other})
            await drain(world)
        got = [
            (p["type"], p["data"].get("issue", {}).get("id") or p["data"].get("issue_id")) for p in payloads(receiver)
        ]
        assert sorted(got) == [("issue.assigned", "issue-1"), ("notification.created", "issue-1")]

    async def test_unbinding_a_unit_or_withdrawing_a_scope_stops_deliveries_at_once_whatever_the_token_said(
        self, world: World, client: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        described = {"id": "client-oa", "name": "协同办公", "scopes": ["webhooks:manage", "events:read"]}
        await world.feed("client.created", "client-oa", {"client": {**described, "unit_ids": ["unit-a", "unit-c"]}})
        oa = client_headers(tokens, scopes="webhooks:manage events:read", units=["unit-a", "unit-c"])

        def assigned(issue_id: str, unit: str) -> dict[str, Any]:
            return {"issue": issue(issue_id, lead_unit_id=unit, co_unit_ids=[], deadline=date(2026, 10, 30))}

        with http_receiver() as receiver:
            await subscribe(client, oa, receiver.url, PLAIN_SECRET, ["issue.assigned"])
            await world.feed("issue.assigned", "issue-1", assigned("issue-1", "unit-c"))
            await world.feed("client.updated", "client-oa", {"client": {**described, "unit_ids": ["unit-a"]}})
            await world.feed("issue.assigned", "issue-2", assigned("issue-2", "unit-c"))
            await world.feed("issue.assigned", "issue-3", assigned("issue-3", "unit-a"))
            await world.feed("client.updated", "client-oa", {"client": {**described, "scopes": ["webhooks:manage"]}})
            await world.feed("issue.assigned", "issue-4", assigned("issue-4", "unit-a"))
            await drain(world)
        # each exactly once; deliveries go out side by side, so they may arrive in either order
        assert sorted(p["data"]["issue"]["id"] for p in payloads(receiver)) == ["issue-1", "issue-3"]

    async def test_a_deactivated_client_receives_nothing(
        self, world: World, client: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        described = {"id": "client-oa", "name": "协同办公", "scopes": ["webhooks:manage", "events:read"]}
        oa = client_headers(tokens, scopes="webhooks:manage events:read", units=[])
        with http_receiver() as receiver:
            await subscribe(client, oa, receiver.url, PLAIN_SECRET, ["issue.*"])
            await world.feed("client.updated", "client-oa", {"client": {**described, "unit_ids": [], "active": False}})
            await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 10, 30))})
            await drain(world)
        assert receiver.received == []

    async def test_a_client_sees_and_changes_only_its_own_subscriptions(
        self, world: World, client: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        oa = client_headers(tokens, scopes="webhooks:manage events:read", units=[])
        theirs = await subscribe(
            client, world.headers("u-office"), "https://hooks.example.gov.cn/a", PLAIN_SECRET, ["*"]
        )
        mine = await subscribe(client, oa, "https://oa.example.gov.cn/in", PLAIN_SECRET, ["issue.*"])
        assert [s["id"] for s in (await client.get("/api/v1/webhooks", headers=oa)).json()] == [mine["id"]]
        office_sees = {
            s["id"] for s in (await client.get("/api/v1/webhooks", headers=world.headers("u-office"))).json()
        }
        assert office_sees == {mine["id"], theirs["id"]}
        for answer in (
            await client.get(f"/api/v1/webhooks/{theirs['id']}", headers=oa),
            await client.patch(f"/api/v1/webhooks/{theirs['id']}", json={"active": False}, headers=oa),
            await client.delete(f"/api/v1/webhooks/{theirs['id']}", headers=oa),
        ):
            assert answer.status_code == 404
        paused = await client.patch(f"/api/v1/webhooks/{mine['id']}", json={"active": False}, headers=oa)
        assert paused.json()["active"] is False
        assert (await client.delete(f"/api/v1/webhooks/{mine['id']}", headers=oa)).status_code == 204

    async def test_without_webhooks_manage_or_the_scope_to_read_it_is_403(
        self, world: World, client: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        reader = client_headers(tokens, scopes="events:read", units=[])
        body = {"url": "https://oa.example.gov.cn/in", "secret": PLAIN_SECRET, "event_types": ["issue.*"]}
        assert (await client.post("/api/v1/webhooks", json=body, headers=reader)).status_code == 403
        manager = client_headers(tokens, scopes="webhooks:manage issues:read", units=[])
        refused = await client.post("/api/v1/webhooks", json={**body, "event_types": ["intake.*"]}, headers=manager)
        assert (refused.status_code, refused.json()["required_scope"]) == (403, "events:read")
        assert (await client.get("/api/v1/webhooks", headers=world.headers("u-office"))).json() == []


class TestFailures:
    async def test_a_refusal_records_the_status_and_timing_never_the_receivers_body(
        self, world: World, client: httpx.AsyncClient
    ) -> None:
        with http_receiver(status=500) as receiver:
            receiver.answer = b"Traceback: password=hunter2 at db.internal"
            await subscribe(client, world.headers("u-office"), receiver.url, PLAIN_SECRET, ["issue.*"])
            world.clock.set(local(2026, 9, 21, 10).astimezone(UTC))
            await world.feed("issue.assigned", "issue-1", {"issue": issue(deadline=date(2026, 10, 30))})
            await drain(world)
        [delivery] = (await client.get("/api/v1/deliveries?channel=webhook", headers=world.headers("u-office"))).json()[
            "items"
        ]
        [attempt] = delivery["attempt_log"]
        assert (delivery["last_error"], attempt["status_code"], attempt["error"]) == ("HTTP 500", 500, "HTTP 500")
        assert attempt["duration_ms"] >= 0
        assert "hunter2" not in json.dumps(delivery)
