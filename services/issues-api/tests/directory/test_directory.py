"""Admin CRUD of units, users and clients: validation, visibility of contacts, and the events written."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from issues_api.events.models import events
from issues_testing.tokens import Tokens, post_ok
from rectify_kit.db import Database


async def make_unit(client: httpx.AsyncClient, tokens: Tokens, code: str = "KJT-ZCFG", **extra: Any) -> dict[str, Any]:
    body = {"code": code, "name": "政策法规与监督处", "kind": "department", **extra}
    unit: dict[str, Any] = await post_ok(client, "/api/v1/units", body, tokens.admin())
    return unit


def user_body(**extra: Any) -> dict[str, Any]:
    return {
        "username": "li",
        "display_name": "李四",
        "role": "unit",
        "phone": "13800000000",
        "email": "li@example.cn",
        "password": "secret-pass-1",
        **extra,
    }


def if_match(tokens: Tokens, version: int) -> dict[str, str]:
    return {**tokens.admin(), "If-Match": f'"{version}"'}


async def event_rows(database: Database) -> list[Any]:
    async with database.session(write=False) as session:
        return list((await session.execute(select(events).order_by(events.c.seq))).all())


class TestUnits:
    async def test_admin_creates_a_unit_and_everyone_signed_in_lists_it(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        unit = await make_unit(client, tokens)
        listed = await client.get("/api/v1/units", headers=tokens.user("leader"))
        assert listed.status_code == 200
        assert listed.json()["items"] == [unit]
        assert listed.json()["total"] == 1

    async def test_a_repeated_idempotency_key_replays_the_first_answer(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        body = {"code": "KJT-GX", "name": "高新处", "kind": "department"}
        headers = {**tokens.admin(), "Idempotency-Key": "unit-create-1"}
        first = await client.post("/api/v1/units", json=body, headers=headers)
        again = await client.post("/api/v1/units", json=body, headers=headers)
        assert (first.status_code, again.status_code) == (201, 201)
        assert again.json() == first.json()
        assert again.headers["Idempotent-Replayed"] == "true"
        assert first.headers["Location"] == f"/api/v1/units/{first.json()['id']}"
        assert (await client.get("/api/v1/units", headers=tokens.admin())).json()["total"] == 1

    async def test_duplicate_code_is_a_409_problem(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        await make_unit(client, tokens)
        again = await client.post(
            "/api/v1/units", json={"code": "KJT-ZCFG", "name": "x", "kind": "department"}, headers=tokens.admin()
        )
        assert again.status_code == 409
        assert again.json()["code"] == "unit-code-taken"

    async def test_office_cannot_create_units(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        response = await client.post(
            "/api/v1/units", json={"code": "A", "name": "x", "kind": "city"}, headers=tokens.office()
        )
        assert response.status_code == 403

    async def test_anonymous_cannot_list_units(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/api/v1/units")).status_code == 401

    async def test_unknown_fields_are_refused(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        response = await client.post(
            "/api/v1/units", json={"code": "A", "name": "x", "kind": "city", "id": "mine"}, headers=tokens.admin()
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "id"

    async def test_parent_cycle_is_refused(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        top = await make_unit(client, tokens, "TOP")
        child = await make_unit(client, tokens, "CHILD", parent_id=top["id"])
        response = await client.patch(
            f"/api/v1/units/{top['id']}", json={"parent_id": child["id"]}, headers=if_match(tokens, 1)
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "parent_id"

    async def test_changes_write_unit_events_with_the_full_state(
        self, app: Any, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        unit = await make_unit(client, tokens)
        updated = await client.patch(
            f"/api/v1/units/{unit['id']}", json={"name": "新名称"}, headers=if_match(tokens, 1)
        )
        rows = await event_rows(app.state.database)
        assert [r.type for r in rows] == ["unit.created", "unit.updated"]
        assert rows[1].data == {"unit": updated.json()}
        assert rows[1].actor["role"] == "admin"
        assert updated.headers["ETag"] == '"2"'

    async def test_update_without_if_match_is_428_and_with_a_stale_one_412(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        unit = await make_unit(client, tokens)
        etag = (await client.get(f"/api/v1/units/{unit['id']}", headers=tokens.office())).headers["ETag"]
        missing = await client.patch(f"/api/v1/units/{unit['id']}", json={"name": "甲"}, headers=tokens.admin())
        fresh = await client.patch(
            f"/api/v1/units/{unit['id']}", json={"name": "乙"}, headers={**tokens.admin(), "If-Match": etag}
        )
        stale = await client.patch(
            f"/api/v1/units/{unit['id']}", json={"name": "丙"}, headers={**tokens.admin(), "If-Match": etag}
        )
        assert (missing.status_code, fresh.status_code, stale.status_code) == (428, 200, 412)


class TestUsers:
    async def test_unit_user_without_unit_is_a_422_naming_the_field(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        response = await client.post("/api/v1/users", json=user_body(), headers=tokens.admin())
        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"field": "unit_id", "message": "required for role unit / 单位用户必须指定所属单位"}
        ]

    async def test_duplicate_username_is_a_409(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        unit = await make_unit(client, tokens)
        await post_ok(client, "/api/v1/users", user_body(unit_id=unit["id"]), tokens.admin())
        again = await client.post("/api/v1/users", json=user_body(unit_id=unit["id"]), headers=tokens.admin())
        assert again.status_code == 409

    async def test_office_sees_contacts_and_unit_users_do_not(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        unit = await make_unit(client, tokens)
        await post_ok(client, "/api/v1/users", user_body(unit_id=unit["id"]), tokens.admin())
        by_office = (await client.get("/api/v1/users", headers=tokens.office())).json()["items"][0]
        by_unit = (await client.get("/api/v1/users", headers=tokens.user("unit", unit_id=unit["id"]))).json()
        assert by_office["phone"] == "13800000000"
        assert by_unit["items"][0]["phone"] is None
        assert by_unit["items"][0]["email"] is None

    async def test_user_event_never_carries_the_password_hash(
        self, app: Any, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        unit = await make_unit(client, tokens)
        user = await post_ok(client, "/api/v1/users", user_body(unit_id=unit["id"]), tokens.admin())
        rows = await event_rows(app.state.database)
        created = next(r for r in rows if r.type == "user.created")
        assert created.data == {"user": {**user, "not_before": None}}
        assert "password" not in str(created.data)
        assert "argon2" not in str(created.data)

    async def test_password_change_lets_the_user_log_in_with_the_new_one(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        unit = await make_unit(client, tokens)
        user = await post_ok(client, "/api/v1/users", user_body(unit_id=unit["id"]), tokens.admin())
        await client.patch(
            f"/api/v1/users/{user['id']}", json={"password": "new-pass-123"}, headers=if_match(tokens, 1)
        )
        old = await client.post("/api/v1/auth/token", data={"username": "li", "password": "secret-pass-1"})
        new = await client.post("/api/v1/auth/token", data={"username": "li", "password": "new-pass-123"})
        assert (old.status_code, new.status_code) == (400, 200)


class TestClients:
    async def test_secret_is_shown_once_and_never_listed(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        created = await post_ok(
            client, "/api/v1/clients", {"id": "report-api", "name": "报表", "scopes": ["events:read"]}, tokens.admin()
        )
        listed = (await client.get("/api/v1/clients", headers=tokens.admin())).json()
        assert len(created["client_secret"]) >= 32
        assert listed == [
            {"id": "report-api", "name": "报表", "scopes": ["events:read"], "unit_ids": [], "active": True}
        ]

    async def test_rotating_the_secret_invalidates_the_old_one(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        created = await post_ok(client, "/api/v1/clients", {"id": "x", "name": "X", "scopes": []}, tokens.admin())
        rotated = await client.patch("/api/v1/clients/x", json={"rotate_secret": True}, headers=tokens.admin())
        form = {"grant_type": "client_credentials", "client_id": "x"}
        old = await client.post("/api/v1/auth/token", data={**form, "client_secret": created["client_secret"]})
        new = await client.post("/api/v1/auth/token", data={**form, "client_secret": rotated.json()["client_secret"]})
        assert (old.status_code, new.status_code) == (401, 200)

    async def test_directory_readers_follow_clients_in_the_feed_but_never_see_a_secret(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        body = {"id": "feed-oa", "name": "协同办公系统", "scopes": ["events:read"]}
        created = await post_ok(client, "/api/v1/clients", body, tokens.admin())
        changed = {"scopes": ["events:read", "webhooks:manage"]}
        assert (await client.patch("/api/v1/clients/feed-oa", json=changed, headers=tokens.admin())).status_code == 200
        directory = await client.get("/api/v1/events", headers=tokens.client("directory:read"))
        ledger = await client.get("/api/v1/events", headers=tokens.client("events:read"))
        mine = [e for e in directory.json()["events"] if e["subject_id"] == "feed-oa"]
        assert [e["type"] for e in mine] == ["client.created", "client.updated"]
        assert mine[-1]["data"]["client"]["scopes"] == ["events:read", "webhooks:manage"]
        assert created["client_secret"] not in directory.text
        assert [e for e in ledger.json()["events"] if e["type"].startswith("client.")] == []

    async def test_clients_are_admin_only(self, client: httpx.AsyncClient, tokens: Tokens) -> None:
        assert (await client.get("/api/v1/clients", headers=tokens.office())).status_code == 403

    async def test_client_without_directory_scope_cannot_list_users(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        assert (await client.get("/api/v1/users", headers=tokens.client("events:read"))).status_code == 403
        assert (await client.get("/api/v1/users", headers=tokens.client("directory:read"))).status_code == 200


class TestContactsScope:
    async def test_only_a_client_with_contacts_read_sees_staff_contacts_in_the_user_list(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        unit = await make_unit(client, tokens)
        await post_ok(client, "/api/v1/users", user_body(unit_id=unit["id"]), tokens.admin())
        plain = (await client.get("/api/v1/users", headers=tokens.client("directory:read"))).json()["items"][0]
        trusted = await client.get("/api/v1/users", headers=tokens.client("directory:read contacts:read"))
        assert (plain["email"], plain["phone"]) == (None, None)
        assert trusted.json()["items"][0]["phone"] == "13800000000"

    async def test_user_events_carry_contacts_only_to_readers_with_contacts_read(
        self, client: httpx.AsyncClient, tokens: Tokens
    ) -> None:
        unit = await make_unit(client, tokens)
        await post_ok(client, "/api/v1/users", user_body(unit_id=unit["id"]), tokens.admin())

        async def user_event(scopes: str) -> dict[str, Any]:
            events = (await client.get("/api/v1/events", headers=tokens.client(scopes))).json()["events"]
            created: dict[str, Any] = next(e for e in events if e["type"] == "user.created")["data"]["user"]
            return created

        report_like = await user_event("events:read directory:read")
        notify_like = await user_event("events:read directory:read contacts:read")
        assert "email" not in report_like
        assert "phone" not in report_like
        assert report_like["username"] == "li"
        assert (notify_like["email"], notify_like["phone"]) == ("li@example.cn", "13800000000")
