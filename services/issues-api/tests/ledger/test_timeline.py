"""The timeline names each actor as people know them: display name and unit, not a username or a unit id."""

from __future__ import annotations

from typing import Any

import pytest

from issues_api.directory.models import Client, User
from issues_testing.ledger import LedgerWorld

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def _timeline(world: LedgerWorld, issue_id: str) -> list[dict[str, Any]]:
    answer = await world.client.get(f"/api/v1/issues/{issue_id}/timeline", headers=world.headers("office"))
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def _add_user(world: LedgerWorld, *, user_id: str, display_name: str, unit: str | None) -> None:
    now = world.clock.now()
    async with world.database.session() as session:
        if await session.get(User, user_id) is None:
            session.add(
                User(
                    id=user_id,
                    username=user_id,
                    display_name=display_name,
                    role="unit" if unit else "office",
                    unit_id=world.units[unit] if unit else None,
                    password_hash="-",
                    created_at=now,
                    updated_at=now,
                )
            )


class TestTimelineActors:
    async def test_a_user_is_named_by_display_name_and_unit(self, world: LedgerWorld) -> None:
        # `headers("unit", "A")` signs as the user "unit-A"; the directory knows that user by name.
        await _add_user(world, user_id="unit-A", display_name="甲处经办人", unit="A")
        issue = await world.issue_in("assigned", co_units=())
        accepted = await world.step(issue["id"], "accept", world.headers("unit", "A"))
        assert accepted.status_code == 200, accepted.text
        last = (await _timeline(world, issue["id"]))[-1]
        assert last["type"] == "issue.accepted"
        assert last["actor"]["display_name"] == "甲处经办人"
        assert last["actor"]["unit_name"] == "单位A"
        assert last["actor"]["username"] == "unit-A"

    async def test_an_office_user_without_a_unit_has_a_name_and_no_unit(self, world: LedgerWorld) -> None:
        await _add_user(world, user_id="office-x", display_name="督查处 王科长", unit=None)
        issue = await world.create_issue()
        first = (await _timeline(world, issue["id"]))[0]
        assert first["actor"]["display_name"] == "督查处 王科长"
        assert first["actor"]["unit_name"] is None

    async def test_a_system_step_in_a_units_name_shows_the_unit(self, world: LedgerWorld) -> None:
        issue = await world.issue_in("in_progress", co_units=())
        replayed = [e for e in await _timeline(world, issue["id"]) if e["type"] == "issue.accepted"]
        assert replayed[0]["actor"]["kind"] == "system"
        assert replayed[0]["actor"]["display_name"] is None
        assert replayed[0]["actor"]["unit_name"] == "单位A"

    async def test_an_integration_client_is_named_by_its_registered_name(self, world: LedgerWorld) -> None:
        now = world.clock.now()
        async with world.database.session() as session:
            if await session.get(Client, "sjz-gov") is None:
                session.add(
                    Client(
                        id="sjz-gov",
                        name="石家庄市政务服务平台",
                        secret_hash="-",
                        scopes=["issues:write"],
                        created_at=now,
                        updated_at=now,
                    )
                )
        body = {"campaign_id": world.campaign_id, "title": "来自市平台", "description": "d", "source": "integration"}
        created = await world.client.post(
            "/api/v1/issues", json=body, headers=world.client_headers("issues:write", client_id="sjz-gov")
        )
        assert created.status_code == 201, created.text
        first = (await _timeline(world, created.json()["id"]))[0]
        assert first["actor"]["kind"] == "client"
        assert first["actor"]["display_name"] == "石家庄市政务服务平台"
