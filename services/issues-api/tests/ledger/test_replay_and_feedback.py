"""The functions other parts of issues-api call: replaying demo steps, recording a submitter's feedback."""

from __future__ import annotations

from datetime import timedelta

import pytest

from issues_api.events.service import PUBLIC_ACTOR
from issues_api.ledger.errors import IllegalTransition
from issues_api.ledger.replay import ReplayStep, replay_steps
from issues_api.ledger.service import record_feedback
from issues_testing.ledger import LedgerWorld

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_replayed_steps_build_a_history_at_their_own_times(world: LedgerWorld) -> None:
    issue = await world.create_issue()
    a, b = world.units["A"], world.units["B"]
    t0 = world.clock.now() - timedelta(days=30)
    plan = [
        ReplayStep("assign", "office", t0, {"lead_unit_id": a, "co_unit_ids": [b], "deadline": "2026-11-20"}),
        ReplayStep("accept", "unit", t0 + timedelta(days=1), unit_id=a),
        ReplayStep("co_unit_accept", "unit", t0 + timedelta(days=1), unit_id=b),
        ReplayStep("co_unit_contribute", "unit", t0 + timedelta(days=3), {"content": "已配合"}, unit_id=b),
        ReplayStep(
            "request_extension",
            "unit",
            t0 + timedelta(days=4),
            {"new_deadline": "2026-12-20", "reason": "x"},
            unit_id=a,
        ),
        ReplayStep("decide_extension", "office", t0 + timedelta(days=5), {"approved": True}),
        ReplayStep("progress", "unit", t0 + timedelta(days=6), {"content": "过半", "percent": 60}, unit_id=a),
    ]
    async with world.database.session() as session:
        result = await replay_steps(session, issue_id=issue["id"], steps_=plan)
    assert result is not None
    detail = (await world.client.get(f"/api/v1/issues/{issue['id']}", headers=world.headers("office"))).json()
    assert (detail["status"], detail["deadline"], detail["progress_percent"]) == ("in_progress", "2026-12-20", 60)
    assert detail["assigned_at"].startswith(t0.date().isoformat())
    timeline = (
        await world.client.get(f"/api/v1/issues/{issue['id']}/timeline", headers=world.headers("office"))
    ).json()
    assert timeline["items"][1]["actor"]["kind"] == "system"
    assert timeline["items"][-1]["occurred_at"].startswith((t0 + timedelta(days=6)).date().isoformat())


async def test_a_refused_replay_step_raises_like_over_http(world: LedgerWorld) -> None:
    issue = await world.create_issue()
    with pytest.raises(IllegalTransition):
        async with world.database.session() as session:
            await replay_steps(session, issue_id=issue["id"], steps_=[ReplayStep("close", "office", world.clock.now())])


async def test_feedback_on_a_closed_issue_is_recorded(world: LedgerWorld) -> None:
    issue = await world.issue_in("closed")
    async with world.database.session() as session:
        await record_feedback(
            session, issue_id=issue["id"], satisfied=False, rating=2, actor=PUBLIC_ACTOR, clock=world.clock
        )
    detail = (await world.client.get(f"/api/v1/issues/{issue['id']}", headers=world.headers("office"))).json()
    assert (detail["satisfaction"], detail["rating"]) == (False, 2)
    assert "reopen" in detail["allowed_actions"]


async def test_feedback_before_closure_is_refused(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress")
    with pytest.raises(IllegalTransition):
        async with world.database.session() as session:
            await record_feedback(
                session, issue_id=issue["id"], satisfied=True, rating=5, actor=PUBLIC_ACTOR, clock=world.clock
            )
