"""The list filters the workbenches use: open, a deadline window, a pending extension, rework (返工)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from issues_testing.ledger import LedgerWorld

# On both backends: the filters compare dates and times, kept differently by each dialect, in the list's own SQL.
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]


async def ids(world: LedgerWorld, role: str = "office", unit: str | None = None, **params: Any) -> list[str]:
    response = await world.client.get("/api/v1/issues", params=params, headers=world.headers(role, unit))
    assert response.status_code == 200, response.text
    return sorted(i["id"] for i in response.json()["items"])


async def assigned_with_deadline(world: LedgerWorld, title: str, deadline: str) -> str:
    issue = await world.create_issue(title=title)
    body = {"lead_unit_id": world.units["A"], "co_unit_ids": [], "deadline": deadline}
    assert (await world.step(issue["id"], "assign", world.headers("office"), body)).status_code == 200
    return str(issue["id"])


async def test_open_filter_separates_open_from_closed_and_cancelled(world: LedgerWorld) -> None:
    working = await world.issue_in("in_progress", title="open-filter")
    registered = await world.issue_in("registered", title="open-filter")
    closed = await world.issue_in("closed", title="open-filter")
    cancelled = await world.issue_in("cancelled", title="open-filter")
    assert await ids(world, q="open-filter", open=True) == sorted([working["id"], registered["id"]])
    assert await ids(world, q="open-filter", open=False) == sorted([closed["id"], cancelled["id"]])


async def test_deadline_window_includes_both_ends(world: LedgerWorld) -> None:
    early = await assigned_with_deadline(world, "deadline-window", "2026-12-01")
    first = await assigned_with_deadline(world, "deadline-window", "2026-12-04")
    last = await assigned_with_deadline(world, "deadline-window", "2026-12-09")
    await world.create_issue(title="deadline-window")  # no deadline: in no window
    window = await ids(world, q="deadline-window", deadline_from="2026-12-04", deadline_to="2026-12-09")
    until = await ids(world, q="deadline-window", deadline_to="2026-12-04")
    assert window == sorted([first, last])
    assert until == sorted([early, first])


async def test_a_window_that_ends_before_it_starts_is_422(world: LedgerWorld) -> None:
    response = await world.client.get(
        "/api/v1/issues",
        params={"deadline_from": "2026-12-09", "deadline_to": "2026-12-04"},
        headers=world.headers("office"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "deadline_to"


async def test_extension_pending_lists_issues_until_the_office_decides(world: LedgerWorld) -> None:
    asking = await world.issue_in("in_progress", title="extension-pending", co_units=())
    quiet = await world.issue_in("in_progress", title="extension-pending", co_units=())
    body = {"new_deadline": "2027-01-29", "reason": "需要跨部门协调"}
    requested = await world.step(asking["id"], "extension-requests", world.headers("unit", "A"), body)
    assert requested.status_code == 201, requested.text
    pending = await ids(world, q="extension-pending", extension_pending=True)
    without = await ids(world, q="extension-pending", extension_pending=False)
    as_unit = await ids(world, "unit", "A", q="extension-pending", extension_pending=True)
    decision = f"extension-requests/{requested.json()['id']}/decision"
    assert (await world.step(asking["id"], decision, world.headers("office"), {"approved": True})).status_code == 200
    decided = await ids(world, q="extension-pending", extension_pending=True)
    assert pending == as_unit == [asking["id"]]
    assert without == [quiet["id"]]
    assert decided == []


async def test_rework_is_a_rejected_completion_or_a_reopening(world: LedgerWorld) -> None:
    working = await world.issue_in("in_progress", title="rework-check")
    rejected = await world.issue_in("pending_review", title="rework-check")
    reopened = await world.issue_in("closed", title="rework-check")
    waiting = await world.issue_in("pending_review", title="rework-check")
    world.clock.advance(timedelta(minutes=1))
    office = world.headers("office")
    assert (await world.step(rejected["id"], "reject-completion", office, {"reason": "证据不足"})).status_code == 200
    assert (await world.step(reopened["id"], "reopen", office, {"reason": "回访不满意"})).status_code == 200
    rework = await ids(world, q="rework-check", rework=True)
    as_unit = await ids(world, "unit", "A", q="rework-check", rework=True)
    others = await ids(world, q="rework-check", rework=False)
    assert rework == as_unit == sorted([rejected["id"], reopened["id"]])
    assert others == sorted([working["id"], waiting["id"]])


async def test_a_reassigned_and_accepted_issue_is_no_longer_rework(world: LedgerWorld) -> None:
    issue = await world.issue_in("pending_review", title="rework-reassigned", co_units=())
    world.clock.advance(timedelta(minutes=1))
    office = world.headers("office")
    assert (await world.step(issue["id"], "reject-completion", office, {"reason": "换单位办理"})).status_code == 200
    before = await ids(world, q="rework-reassigned", rework=True)
    body = {"lead_unit_id": world.units["C"], "co_unit_ids": [], "deadline": "2026-12-31"}
    assert (await world.step(issue["id"], "reassign", office, body)).status_code == 200
    world.clock.advance(timedelta(minutes=1))
    assert (await world.step(issue["id"], "accept", world.headers("unit", "C"))).status_code == 200
    after = await ids(world, q="rework-reassigned", rework=True)
    assert before == [issue["id"]]
    assert after == []


async def test_to_accept_is_the_lead_units_assigned_issues_and_the_co_units_pending_parts(world: LedgerWorld) -> None:
    # led by A with B as co-unit: A must accept while assigned; B its part while the issue is worked on
    assigned = await world.issue_in("assigned", title="to-accept", co_units=("B",))
    working = await world.issue_in("in_progress", title="to-accept", co_units=("B",))
    b_accepted = await world.issue_in("in_progress", title="to-accept", co_units=("B",))
    path = f"co-units/{world.units['B']}/accept"
    assert (await world.step(b_accepted["id"], path, world.headers("unit", "B"), {})).status_code == 200
    await world.issue_in("pending_review", title="to-accept", co_units=("B",))  # B's part waived: nothing to accept
    await world.issue_in("registered", title="to-accept")

    for_a = await ids(world, "unit", "A", q="to-accept", to_accept=True)
    for_b = await ids(world, "unit", "B", q="to-accept", to_accept=True)
    office_for_b = await ids(world, q="to-accept", unit_id=world.units["B"], to_accept=True)
    anyone = await ids(world, q="to-accept", to_accept=True)
    a_not = await ids(world, "unit", "A", q="to-accept", to_accept=False)

    assert for_a == [assigned["id"]]
    assert for_b == office_for_b == sorted([assigned["id"], working["id"]])
    assert anyone == sorted([assigned["id"], working["id"]])
    assert assigned["id"] not in a_not
    assert working["id"] in a_not
