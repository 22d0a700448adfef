"""Managing webhook subscriptions: read, change, pause, rotate the secret and delete; who may; and that a deleted
subscription's queued deliveries never go out while its delivery log stays readable."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete

from notify_api.config import DeliverySettings
from notify_api.delivery.channels import SendResult
from notify_api.delivery.models import Delivery
from notify_api.webhooks.models import WebhookSubscription
from notify_testing.world import World, issue, local
from rectify_kit.clock import FixedClock
from rectify_kit.db import Database
from rectify_kit.testing import TokenFactory

SECRET = "first-webhook-secret-key"
NEW_SECRET = "rotated-webhook-secret-key"
URL = "https://hooks.example.gov.cn/rectify"


@dataclass
class Recorder:
    """A webhook sender that records what would have gone out, and fails while `failing` is set."""

    failing: bool = False
    sent: list[tuple[str, str, str | None]] = field(default_factory=list)
    rotated: list[tuple[str, ...]] = field(default_factory=list)

    async def send(self, delivery: Delivery, secrets: Sequence[str]) -> SendResult:
        """Records the secret that signs first (the current one); `rotated` keeps every secret offered."""
        self.sent.append((delivery.id, delivery.target, secrets[0] if secrets else None))
        self.rotated.append(tuple(secrets))
        if self.failing:
            return SendResult(ok=False, status_code=503, error="receiver down")
        return SendResult(ok=True, status_code=204)


@dataclass
class Env:
    world: World
    client: httpx.AsyncClient
    hooks: Recorder

    @property
    def office(self) -> dict[str, str]:
        return self.world.headers("u-office")

    async def subscribe(self, event_types: list[str] | None = None) -> dict[str, Any]:
        body = {"url": URL, "secret": SECRET, "event_types": event_types or ["notification.created"]}
        answer = await self.client.post("/api/v1/webhooks", json=body, headers=self.office)
        assert answer.status_code == 201
        created: dict[str, Any] = answer.json()
        return created

    async def urge(self) -> None:
        """An urge notice: one `notification.created` webhook delivery per matching subscription."""
        body = issue(status="in_progress", deadline=date(2026, 10, 30))
        await self.world.feed("issue.urged", "issue-1", {"issue": body, "content": f"请加快进度 {uuid.uuid4()}"})

    async def drain(self) -> None:
        while await self.world.runtime.worker.run_once():
            pass

    async def deliveries(self, query: str = "") -> list[dict[str, Any]]:
        answer = await self.client.get(f"/api/v1/deliveries?channel=webhook{query}", headers=self.office)
        assert answer.status_code == 200
        items: list[dict[str, Any]] = answer.json()["items"]
        return items


@pytest.fixture
def delivery() -> DeliverySettings:
    """Retries short enough to reach a dead letter here."""
    return DeliverySettings(max_attempts=5, backoff_base_seconds=30)


@pytest.fixture
async def env(app: FastAPI, client: httpx.AsyncClient, clock: FixedClock, tokens: TokenFactory) -> Env:
    clock.set(local(2026, 10, 9, 10).astimezone(UTC))
    world = World(app, clock, tokens)
    await world.directory()
    hooks = Recorder()
    senders = world.runtime.worker.senders
    assert isinstance(senders, dict)
    senders["webhook"] = hooks
    return Env(world, client, hooks)


class TestRead:
    async def test_one_subscription_is_read_by_id_without_its_secret(self, env: Env) -> None:
        created = await env.subscribe()
        answer = await env.client.get(f"/api/v1/webhooks/{created['id']}", headers=env.office)
        assert answer.status_code == 200
        assert answer.json() == created
        assert "secret" not in answer.json()

    async def test_unknown_id_is_a_404_problem(self, env: Env) -> None:
        answer = await env.client.get("/api/v1/webhooks/nope", headers=env.office)
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["code"] == "webhook-not-found"


class TestChange:
    async def test_fields_change_and_the_rest_stay(self, env: Env) -> None:
        created = await env.subscribe()
        patch = {"url": "https://other.example.gov.cn/in", "event_types": ["*"], "description": "省平台"}
        answer = await env.client.patch(f"/api/v1/webhooks/{created['id']}", json=patch, headers=env.office)
        assert answer.status_code == 200
        changed = answer.json()
        assert (changed["url"], changed["event_types"], changed["description"]) == (
            "https://other.example.gov.cn/in",
            ["*"],
            "省平台",
        )
        assert (changed["active"], changed["created_at"]) == (True, created["created_at"])
        listed = (await env.client.get("/api/v1/webhooks", headers=env.office)).json()
        assert listed == [changed]

    async def test_rotated_secret_is_not_echoed_and_signs_queued_deliveries(self, env: Env) -> None:
        created = await env.subscribe()
        await env.urge()
        answer = await env.client.patch(
            f"/api/v1/webhooks/{created['id']}", json={"secret": NEW_SECRET}, headers=env.office
        )
        assert answer.status_code == 200
        assert NEW_SECRET not in answer.text
        await env.drain()
        assert [secret for _, _, secret in env.hooks.sent] == [NEW_SECRET]
        # The previous secret signs beside the new one for a day, then no longer.
        assert env.hooks.rotated == [(NEW_SECRET, SECRET)]
        env.world.clock.advance(timedelta(hours=25))
        await env.urge()
        await env.drain()
        assert env.hooks.rotated[-1] == (NEW_SECRET,)

    async def test_new_url_applies_to_a_retrying_delivery(self, env: Env) -> None:
        created = await env.subscribe()
        env.hooks.failing = True
        await env.urge()
        await env.drain()
        env.hooks.failing = False
        new_url = "https://fixed.example.gov.cn/in"
        await env.client.patch(f"/api/v1/webhooks/{created['id']}", json={"url": new_url}, headers=env.office)
        env.world.clock.advance(timedelta(minutes=5))
        await env.drain()
        assert [target for _, target, _ in env.hooks.sent] == [URL, new_url]
        [delivery] = await env.deliveries()
        assert (delivery["status"], delivery["target"]) == ("sent", new_url)

    @pytest.mark.parametrize(
        "patch",
        [
            {"owner": "someone"},
            {"url": "not a url"},
            {"url": None},
            {"event_types": []},
            {"event_types": ["ledger.created"]},
            {"event_types": ["issue"]},
            {"secret": "short"},
            {"active": "sometimes"},
            {"description": "x" * 201},
            {"description": "ok", "secret": None},
        ],
    )
    async def test_bad_fields_are_a_422_problem_and_change_nothing(self, env: Env, patch: dict[str, Any]) -> None:
        created = await env.subscribe()
        answer = await env.client.patch(f"/api/v1/webhooks/{created['id']}", json=patch, headers=env.office)
        assert answer.status_code == 422
        assert answer.headers["content-type"] == "application/problem+json"
        assert (await env.client.get(f"/api/v1/webhooks/{created['id']}", headers=env.office)).json() == created
        await env.urge()
        await env.drain()
        assert [secret for _, _, secret in env.hooks.sent] == [SECRET]

    async def test_the_documented_patch_body_has_no_nullable_field_as_null_is_refused(self, env: Env) -> None:
        document = (await env.client.get("/openapi.json")).json()
        fields = document["components"]["schemas"]["WebhookPatch"]["properties"]
        assert sorted(fields) == sorted(
            ["url", "secret", "event_types", "campaign_ids", "unit_ids", "description", "active"]
        )
        for name, schema in fields.items():
            assert "type" in schema, name  # one type, no anyOf with null
            assert "null" not in str(schema.get("type")), name
            assert "default" not in schema, name

    async def test_changing_an_unknown_id_is_a_404_problem(self, env: Env) -> None:
        answer = await env.client.patch("/api/v1/webhooks/nope", json={"active": False}, headers=env.office)
        assert answer.status_code == 404
        assert answer.json()["code"] == "webhook-not-found"


class TestPause:
    async def test_paused_subscription_gets_no_new_deliveries_and_holds_queued_ones_until_resumed(
        self, env: Env
    ) -> None:
        created = await env.subscribe()
        path = f"/api/v1/webhooks/{created['id']}"
        await env.urge()
        paused = await env.client.patch(path, json={"active": False}, headers=env.office)
        assert paused.json()["active"] is False
        await env.urge()
        await env.drain()
        assert env.hooks.sent == []
        [queued] = await env.deliveries()
        assert (queued["status"], queued["attempts"]) == ("pending", 0)

        await env.client.patch(path, json={"active": True}, headers=env.office)
        await env.drain()
        assert [delivery_id for delivery_id, _, _ in env.hooks.sent] == [queued["id"]]


# On both backends: a delete locks the subscription (FOR UPDATE on PostgreSQL) and dead-letters its queued
# deliveries in SQL, which the worker then claims with each dialect's locking.
@pytest.mark.both_backends
class TestDelete:
    async def test_delete_is_204_and_the_subscription_is_gone(self, env: Env) -> None:
        created = await env.subscribe()
        path = f"/api/v1/webhooks/{created['id']}"
        answer = await env.client.delete(path, headers=env.office)
        assert answer.status_code == 204
        assert answer.content == b""
        assert (await env.client.get(path, headers=env.office)).status_code == 404
        assert (await env.client.get("/api/v1/webhooks", headers=env.office)).json() == []
        again = await env.client.delete(path, headers=env.office)
        assert again.status_code == 404
        assert again.json()["code"] == "webhook-not-found"

    async def test_queued_and_retrying_deliveries_never_go_out_and_their_log_stays(self, env: Env) -> None:
        created = await env.subscribe()
        env.hooks.failing = True
        await env.urge()
        await env.drain()  # the first one failed once and waits for its retry
        await env.urge()  # the second one is queued, not yet attempted
        env.hooks.sent.clear()
        env.hooks.failing = False
        assert (await env.client.delete(f"/api/v1/webhooks/{created['id']}", headers=env.office)).status_code == 204

        env.world.clock.advance(timedelta(hours=1))
        await env.drain()
        assert env.hooks.sent == []
        items = await env.deliveries(f"&subscription_id={created['id']}")
        assert len(items) == 2
        assert {d["status"] for d in items} == {"dead"}
        assert all("subscription deleted" in (d["last_error"] or "") for d in items)
        assert sorted(len(d["attempt_log"]) for d in items) == [0, 1]
        assert {d["subscription_id"] for d in items} == {created["id"]}

    async def test_a_deleted_subscriptions_dead_letter_cannot_be_retried(self, env: Env) -> None:
        created = await env.subscribe()
        await env.urge()
        assert (await env.client.delete(f"/api/v1/webhooks/{created['id']}", headers=env.office)).status_code == 204
        await env.drain()  # the worker's next round dead-letters it
        [dead] = await env.deliveries()
        assert dead["status"] == "dead"
        retry = await env.client.post(f"/api/v1/deliveries/{dead['id']}/retry", headers=env.office)
        assert retry.status_code == 409
        assert retry.json()["code"] == "delivery-not-retryable"
        [unchanged] = await env.deliveries()
        assert unchanged == dead

    async def test_a_delivery_queued_after_the_delete_is_dead_lettered_by_the_worker(self, env: Env) -> None:
        created = await env.subscribe()
        await env.urge()
        database: Database = env.world.app.state.database
        async with database.session() as session:
            # As if the notice's transaction had read the subscription just before the delete committed.
            await session.execute(delete(WebhookSubscription).where(WebhookSubscription.id == created["id"]))
        await env.drain()
        assert env.hooks.sent == []
        [dead] = await env.deliveries()
        assert dead["status"] == "dead"
        assert "subscription deleted" in dead["last_error"]


class TestWhoMay:
    @pytest.mark.parametrize("who", ["u-a", "u-leader"])
    async def test_units_and_leaders_get_403_and_change_nothing(self, env: Env, who: str) -> None:
        created = await env.subscribe()
        path = f"/api/v1/webhooks/{created['id']}"
        headers = env.world.headers(who)
        for answer in (
            await env.client.get(path, headers=headers),
            await env.client.patch(path, json={"active": False}, headers=headers),
            await env.client.delete(path, headers=headers),
        ):
            assert answer.status_code == 403
            assert answer.headers["content-type"] == "application/problem+json"
        assert (await env.client.get(path, headers=env.office)).json() == created

    async def test_without_a_token_is_401(self, env: Env) -> None:
        created = await env.subscribe()
        path = f"/api/v1/webhooks/{created['id']}"
        for method in ("GET", "PATCH", "DELETE"):
            answer = await env.client.request(method, path, json={"active": False} if method == "PATCH" else None)
            assert answer.status_code == 401
        assert (await env.client.get(path, headers=env.office)).json() == created

    async def test_an_admin_may_too(self, env: Env) -> None:
        created = await env.subscribe()
        path = f"/api/v1/webhooks/{created['id']}"
        admin = env.world.headers("u-admin")
        assert (await env.client.patch(path, json={"active": False}, headers=admin)).json()["active"] is False
        assert (await env.client.delete(path, headers=admin)).status_code == 204
