"""Every step of the workflow table, for every status and every kind of caller, through the HTTP API.

The cases are generated from `TRANSITIONS`: a step the table allows for the caller must succeed and land on
the table's next status with the table's event; every other combination must be refused — 404 for a unit
that is not on the issue, 409 naming the status and the allowed steps when the status does not allow the
step, 403 when the role may not take it, 409 when a guard (co-units, extensions) holds it back.
Integration clients with `issues:act` take a unit's steps for the units they are bound to, like its staff.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from issues_api.ledger.workflow import ACTIONS, STATUSES, TRANSITIONS, role_may
from issues_testing.ledger import LedgerWorld

pytestmark = pytest.mark.asyncio(loop_scope="module")

ACTORS = (
    "admin",
    "office",
    "leader",
    "unit_lead",
    "unit_co",
    "unit_other",
    "integration",
    "client_lead",
    "client_co",
    "client_other",
)
CLIENT_UNITS = {"client_lead": "A", "client_co": "B", "client_other": "C"}

PATHS = {
    "assign": "assign",
    "reassign": "reassign",
    "accept": "accept",
    "return": "return",
    "progress": "progress",
    "submit_completion": "submit-completion",
    "close": "close",
    "reject_completion": "reject-completion",
    "reopen": "reopen",
    "cancel": "cancel",
    "request_extension": "extension-requests",
    "decide_extension": "extension-requests/{rid}/decision",
    "urge": "urge",
    "instruct": "instructions",
    "co_unit_accept": "co-units/{B}/accept",
    "co_unit_contribute": "co-units/{B}/contribution",
    "co_unit_waive": "co-units/{B}/waive",
}


def body_for(action: str, world: LedgerWorld) -> dict[str, Any] | None:
    units = world.units
    return {
        "assign": {"lead_unit_id": units["A"], "co_unit_ids": [units["B"]], "deadline": "2026-12-31"},
        "reassign": {"lead_unit_id": units["A"], "co_unit_ids": [units["B"]], "deadline": "2027-01-15"},
        "return": {"reason_code": "not_our_remit", "reason": "不属于本单位职责"},
        "progress": {"content": "已完成初步排查", "percent": 40},
        "submit_completion": {"summary": "整改完成"},
        "close": {"comment": "同意销号"},
        "reject_completion": {"reason": "证据不足"},
        "reopen": {"reason": "督查发现反弹"},
        "cancel": {"reason": "重复登记"},
        "request_extension": {"new_deadline": "2027-02-28", "reason": "涉及多部门协调"},
        "decide_extension": {"approved": True, "comment": "同意"},
        "urge": {"content": "请加快办理"},
        "instruct": {"content": "请抓紧落实"},
        "co_unit_contribute": {"content": "已配合完成"},
    }.get(action)


def headers_for(actor: str, world: LedgerWorld) -> Mapping[str, str]:
    if actor == "integration":
        return world.client_headers("issues:read", "issues:write")
    if actor in CLIENT_UNITS:
        return world.client_headers("issues:act", client_id=actor, units=(CLIENT_UNITS[actor],))
    if actor.startswith("unit_"):
        return world.headers("unit", {"unit_lead": "A", "unit_co": "B", "unit_other": "C"}[actor])
    return world.headers(actor)


def role_of(actor: str) -> str:
    if actor.startswith("unit_"):
        return "unit"
    return "integration" if actor.startswith("client_") else actor


def visible(status: str, actor: str) -> bool:
    """A registered issue has no units yet; unit C is never on the issues of these tests."""
    if actor == "unit_other":
        return False
    return not (actor in ("unit_lead", "unit_co") and status == "registered")


def permitted(status: str, action: str, actor: str) -> bool:
    step = TRANSITIONS.get((status, action))
    return step is not None and role_may(
        step,
        role=role_of(actor),
        is_lead=actor in ("unit_lead", "client_lead"),
        is_co_unit=actor in ("unit_co", "client_co"),
    )


def blocked_by_default(status: str, action: str) -> str | None:
    """Guards that hold on the plain issue of each status (led by A, co-unit B pending, no extension)."""
    if action == "submit_completion" and status == "in_progress":
        return "co-units-outstanding"
    if action == "decide_extension":
        return "no-pending-extension"
    if action == "co_unit_contribute":
        return "co-unit-not-accepted"
    return None


def expected_refusal(status: str, action: str, actor: str) -> tuple[int, str] | None:
    if not visible(status, actor):
        return 404, "issue-not-found"
    step = TRANSITIONS.get((status, action))
    if step is None:
        return 409, "illegal-transition"
    if role_of(actor) not in step.roles:
        return 403, "action-forbidden"
    if not permitted(status, action, actor):  # the right role for another unit: the lead's or a co-unit's step
        return 403, "not-lead-unit" if step.unit_relation == "lead" else "not-co-unit"
    reason = blocked_by_default(status, action)
    return (409, reason) if reason else None


CASES = [(s, a, r) for s in STATUSES for a in ACTIONS for r in ACTORS]
REFUSED = [(s, a, r, *exp) for s, a, r in CASES if (exp := expected_refusal(s, a, r)) is not None]
ALLOWED = [(s, a, r) for s, a, r in CASES if visible(s, r) and permitted(s, a, r)]


async def plain_issue(world: LedgerWorld, status: str) -> dict[str, Any]:
    """One unchanged issue per status, shared by the refusal cases (a refusal changes nothing)."""
    cache: dict[str, dict[str, Any]] = world.app.state.__dict__.setdefault("plain_issues", {})
    if status not in cache:
        cache[status] = await world.issue_in(status)
    return cache[status]


def path_of(action: str, world: LedgerWorld, rid: str = "none") -> str:
    return PATHS[action].format(B=world.units["B"], rid=rid)


@pytest.mark.parametrize(("status", "actor"), [(s, r) for s in STATUSES for r in ACTORS])
async def test_refused_steps_are_refused_and_change_nothing(world: LedgerWorld, status: str, actor: str) -> None:
    """Every refused step of this status and caller, on one issue (a refusal changes nothing)."""
    issue = await plain_issue(world, status)
    headers = headers_for(actor, world)
    shown = await world.client.get(f"/api/v1/issues/{issue['id']}", headers=headers)
    mismatches = []
    for action in ACTIONS:
        expected = expected_refusal(status, action, actor)
        if expected is None:
            continue
        response = await world.step(issue["id"], path_of(action, world), headers, body_for(action, world))
        body = response.json()
        got = (response.status_code, body.get("code"))
        if got != expected:
            mismatches.append((action, expected, got))
        elif expected[0] == 409 and (
            body["current_status"] != status or body["allowed_actions"] != shown.json()["allowed_actions"]
        ):
            mismatches.append((action, "409 body", body))
    assert mismatches == []
    after = await world.client.get(f"/api/v1/issues/{issue['id']}", headers=world.headers("admin"))
    assert after.json()["version"] == issue["version"]


async def prepared_issue(world: LedgerWorld, status: str, action: str) -> tuple[dict[str, Any], str]:
    """An issue in `status` on which the guards let `action` through; and the extension id when it needs one."""
    lead, b = world.headers("unit", "A"), world.headers("unit", "B")
    if action == "submit_completion":
        return await world.issue_in(status, co_units=()), "none"
    if action == "decide_extension":
        issue = await world.issue_in("assigned" if status == "assigned" else "in_progress", co_units=())
        ext = await world.step(issue["id"], "extension-requests", lead, body_for("request_extension", world))
        assert ext.status_code == 201, ext.text
        if status == "pending_review":
            done = await world.step(issue["id"], "submit-completion", lead, {"summary": "整改完成"})
            assert done.status_code == 200, done.text
            issue = done.json()
        return issue, ext.json()["id"]
    issue = await world.issue_in(status)
    if action == "co_unit_contribute":
        accepted = await world.step(issue["id"], path_of("co_unit_accept", world), b)
        assert accepted.status_code == 200, accepted.text
    return issue, "none"


@pytest.mark.parametrize(("status", "action", "actor"), ALLOWED)
async def test_allowed_step_follows_the_table(world: LedgerWorld, status: str, action: str, actor: str) -> None:
    issue, rid = await prepared_issue(world, status, action)
    headers = headers_for(actor, world)
    response = await world.step(issue["id"], path_of(action, world, rid), headers, body_for(action, world))
    assert response.status_code in (200, 201), response.text
    step = TRANSITIONS[(status, action)]
    timeline = (await world.client.get(f"/api/v1/issues/{issue['id']}/timeline", headers=headers)).json()
    last = timeline["items"][-1]
    assert last["type"] == step.event
    assert last["actor"]["role"] == role_of(actor)
    state = (await world.client.get(f"/api/v1/issues/{issue['id']}", headers=headers)).json()
    assert state["status"] == (step.next_status or status)
    assert state["version"] > issue["version"]
