"""The workflow table itself, checked against docs/architecture.md, so a wrong row cannot pass by being consistent."""

from __future__ import annotations

from issues_api.ledger.workflow import ACTIONS, OPEN_STATUSES, TRANSITIONS, actions_from, role_may


def test_table_keeps_office_and_unit_steps_apart() -> None:
    """Spot checks of the table against docs/architecture.md: a wrong row cannot pass by being consistent."""
    assert TRANSITIONS[("registered", "assign")].roles == {"office", "admin"}
    assert TRANSITIONS[("assigned", "accept")].roles == {"unit", "integration"}
    assert TRANSITIONS[("in_progress", "submit_completion")].next_status == "pending_review"
    assert TRANSITIONS[("pending_review", "close")].next_status == "closed"
    assert TRANSITIONS[("closed", "reopen")].next_status == "in_progress"
    assert ("closed", "cancel") not in TRANSITIONS
    assert ("cancelled", "reopen") not in TRANSITIONS
    assert all(("cancelled", a) not in TRANSITIONS for a in ACTIONS if a != "instruct")
    assert {s for (s, a) in TRANSITIONS if a == "urge"} == OPEN_STATUSES
    assert TRANSITIONS[("assigned", "return")].required == ("reason_code", "reason")


def test_a_unit_acts_only_in_its_relation_to_the_issue() -> None:
    submit = TRANSITIONS[("in_progress", "submit_completion")]
    contribute = TRANSITIONS[("in_progress", "co_unit_contribute")]
    progress = TRANSITIONS[("in_progress", "progress")]
    assert role_may(submit, role="unit", is_lead=True, is_co_unit=False)
    assert not role_may(submit, role="unit", is_lead=False, is_co_unit=True)
    assert role_may(contribute, role="unit", is_lead=False, is_co_unit=True)
    assert not role_may(contribute, role="unit", is_lead=True, is_co_unit=False)
    assert role_may(progress, role="unit", is_lead=False, is_co_unit=True)
    assert not role_may(progress, role="office", is_lead=False, is_co_unit=False)


def test_an_integration_client_acts_like_the_unit_it_is_bound_to() -> None:
    submit = TRANSITIONS[("in_progress", "submit_completion")]
    close = TRANSITIONS[("pending_review", "close")]
    assert role_may(submit, role="integration", is_lead=True, is_co_unit=False)
    assert not role_may(submit, role="integration", is_lead=False, is_co_unit=False)
    assert not role_may(close, role="integration", is_lead=True, is_co_unit=False)


def test_closed_allows_only_reopen_and_instructions() -> None:
    assert actions_from("closed") == ["reopen", "instruct"]
    assert actions_from("cancelled") == ["instruct"]
