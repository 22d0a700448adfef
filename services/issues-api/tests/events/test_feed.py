"""The event feed: who may read it and which event types each reader sees."""

from __future__ import annotations

import pytest

from issues_testing.ledger import LedgerWorld

# On both backends: the feed's pages are read with each dialect's SQL (the kit's feed over the outbox).
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]


async def test_admin_reads_every_issue_event_in_sequence(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress")
    response = await world.client.get("/api/v1/events", params={"after": 0}, headers=world.headers("admin"))
    page = response.json()
    seqs = [e["seq"] for e in page["events"]]
    assert seqs == sorted(seqs)
    assert page["head"] == seqs[-1] == page["next"]
    mine = [e["type"] for e in page["events"] if e["subject_id"] == issue["id"]]
    assert mine == ["issue.created", "issue.assigned", "issue.accepted"]


async def test_scopes_decide_which_event_types_a_client_sees(world: LedgerWorld) -> None:
    await world.create_issue()
    ledger = await world.client.get("/api/v1/events", headers=world.client_headers("events:read"))
    directory = await world.client.get("/api/v1/events", headers=world.client_headers("directory:read"))
    assert ledger.status_code == directory.status_code == 200
    assert ledger.json()["events"]
    assert all(e["type"].startswith("issue.") for e in ledger.json()["events"])
    assert directory.json()["events"] == []
    assert directory.json()["next"] == directory.json()["head"]


async def test_users_other_than_admin_and_clients_without_scope_are_refused(world: LedgerWorld) -> None:
    for headers in (
        world.headers("office"),
        world.headers("unit", "A"),
        world.headers("leader"),
        world.client_headers("issues:read"),
    ):
        response = await world.client.get("/api/v1/events", headers=headers)
        assert response.status_code == 403


async def test_paging_with_after_and_limit(world: LedgerWorld) -> None:
    await world.issue_in("assigned")
    first = (await world.client.get("/api/v1/events", params={"limit": 2}, headers=world.headers("admin"))).json()
    rest = (
        await world.client.get("/api/v1/events", params={"after": first["next"]}, headers=world.headers("admin"))
    ).json()
    assert [e["seq"] for e in first["events"]] == [1, 2]
    assert rest["events"][0]["seq"] == 3
