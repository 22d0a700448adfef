"""The demo generator: deterministic, every status and twist present, steps legal under the workflow table."""

from __future__ import annotations

import types
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

import pytest

from issues_api.campaigns.definition import CampaignDefinition, default_definition_path, load_definition, shift_for_demo
from issues_api.demo.generator import DemoItem, DemoStep, generate_items, iter_bulk_rows
from issues_api.ledger.workflow import OPEN_STATUSES, RETURN_REASON_CODES, STATUSES, role_may, transition_for
from rectify_kit.clock import BUSINESS_TZ
from rectify_kit.workdays import official_calendar, official_exceptions

TODAY = date(2026, 11, 25)
START_OF_TODAY = datetime.combine(TODAY, time(0), tzinfo=BUSINESS_TZ)
ROLE_OF_ACTOR = {"office": "office", "leader": "leader", "unit": "unit", "co_unit": "unit"}


@pytest.fixture(scope="module")
def defn() -> CampaignDefinition:
    return shift_for_demo(load_definition(default_definition_path().read_text(encoding="utf-8")), TODAY)


@pytest.fixture(scope="module")
def items(defn: CampaignDefinition) -> list[DemoItem]:
    return generate_items(defn, count=300, today=TODAY)


@dataclass
class Replay:
    """An item's state as its steps are applied, checked against the ledger's transition table."""

    status: str = "registered"
    lead: str | None = None
    co_units: dict[str, str] = field(default_factory=dict)  # unit -> pending | accepted | filed
    deadline: date | None = None
    requested: date | None = None
    percent: int = 0
    closed_on_deadline: bool = False
    errors: list[str] = field(default_factory=list)

    def apply(self, step: DemoStep) -> None:
        if step.action == "feedback":
            self._expect(self.status == "closed" and step.actor == "public", "feedback only on a closed item")
            return
        move = transition_for(self.status, step.action)
        if move is None:
            self.errors.append(f"{step.action} not allowed from {self.status}")
            return
        unit = step.payload.get("unit")
        is_co_unit = step.actor == "co_unit" and unit in self.co_units
        allowed = role_may(move, role=ROLE_OF_ACTOR[step.actor], is_lead=step.actor == "unit", is_co_unit=is_co_unit)
        self._expect(allowed, f"{step.actor} may not {step.action}")
        for name in move.required:
            self._expect(name.removesuffix("_id") in step.payload, f"{step.action} lacks {name}")
        self._effects(step)
        if move.next_status is not None:
            self.status = move.next_status

    def _effects(self, step: DemoStep) -> None:
        payload, action = step.payload, step.action
        if action in {"assign", "reassign"}:
            self.lead, self.deadline = payload["lead_unit"], date.fromisoformat(payload["deadline"])
            self.co_units = dict.fromkeys(payload["co_units"], "pending")
            self._expect(self.lead not in self.co_units, "lead unit is also a co-unit")
            self._expect(self.deadline >= step.at.astimezone(BUSINESS_TZ).date(), "deadline before assignment")
        elif action == "co_unit_accept":
            self.co_units[payload["unit"]] = "accepted"
        elif action == "co_unit_contribute":
            self._expect(self.co_units.get(payload["unit"]) == "accepted", "contribution before acceptance")
            self.co_units[payload["unit"]] = "filed"
        elif action == "submit_completion":
            self._expect(all(s == "filed" for s in self.co_units.values()), "submitted before co-units filed")
        elif action == "progress":
            self._expect(payload["percent"] > self.percent, "progress percent does not rise")
            self.percent = payload["percent"]
        elif action == "request_extension":
            self._expect(date.fromisoformat(payload["new_deadline"]) > (self.deadline or date.min), "no later date")
            self.requested = date.fromisoformat(payload["new_deadline"])
        elif action == "decide_extension" and payload["approved"]:
            self.deadline = self.requested
        elif action == "return":
            self._expect(payload["reason_code"] in RETURN_REASON_CODES, "unknown return reason code")
        elif action == "close":
            self.closed_on_deadline = step.at.astimezone(BUSINESS_TZ).date() == self.deadline

    def _expect(self, condition: bool, message: str) -> None:
        if not condition:
            self.errors.append(message)


def replay(item: DemoItem) -> Replay:
    state = Replay()
    for step in item.steps[1:]:
        state.apply(step)
    return state


def actions(item: DemoItem) -> list[str]:
    return [step.action for step in item.steps]


class TestGenerateItems:
    def test_is_deterministic_for_a_seed(self, defn: CampaignDefinition) -> None:
        assert generate_items(defn, count=40, today=TODAY) == generate_items(defn, count=40, today=TODAY)
        assert generate_items(defn, count=40, today=TODAY, seed=1) != generate_items(defn, count=40, today=TODAY)

    def test_covers_every_status(self, items: list[DemoItem]) -> None:
        assert set(Counter(item.status for item in items)) == set(STATUSES)

    def test_covers_every_status_even_in_a_small_demo(self, defn: CampaignDefinition) -> None:
        assert {item.status for item in generate_items(defn, count=25, today=TODAY)} == set(STATUSES)

    def test_every_item_replays_legally_to_its_status(self, items: list[DemoItem]) -> None:
        for item in items:
            state = replay(item)
            assert state.errors == [], (item.title, actions(item), state.errors)
            assert state.status == item.status
            assert (state.lead, state.deadline) == (item.lead_unit, item.deadline)
            assert tuple(state.co_units) == item.co_units

    def test_steps_start_with_create_and_are_strictly_monotonic(self, items: list[DemoItem]) -> None:
        for item in items:
            assert item.steps[0].action == "create"
            assert all(a.at < b.at for a, b in zip(item.steps, item.steps[1:], strict=False))

    def test_steps_happen_before_today_in_business_hours(self, items: list[DemoItem]) -> None:
        for step in (step for item in items for step in item.steps):
            local = step.at.astimezone(BUSINESS_TZ)
            assert step.at.tzinfo == UTC
            assert step.at < START_OF_TODAY
            assert official_calendar().is_working(local.date())
            assert time(9) <= local.time() < time(18)

    def test_no_step_falls_on_an_official_holiday_and_none_on_a_weekend_but_a_make_up_day(
        self, items: list[DemoItem]
    ) -> None:
        official = official_exceptions([TODAY.year])
        days = {step.at.astimezone(BUSINESS_TZ).date() for item in items for step in item.steps}
        assert not days & {d for d, (working, _) in official.items() if not working}  # e.g. National Day
        assert {d for d in days if d.weekday() >= 5} <= {d for d, (working, _) in official.items() if working}

    def test_has_overdue_items(self, items: list[DemoItem]) -> None:
        overdue = [i for i in items if i.status in OPEN_STATUSES and i.deadline and i.deadline < TODAY]
        assert len(overdue) >= 10
        assert {i.status for i in overdue} >= {"assigned", "in_progress"}

    def test_has_public_items_with_an_enterprise_submission(self, items: list[DemoItem]) -> None:
        public = [item for item in items if item.source == "public"]
        assert len(public) >= 30
        for item in public:
            assert item.submission is not None
            assert item.submission.enterprise_name.endswith("有限公司")
            assert item.submission.submitted_at < item.created_at
        assert all(item.submission is None for item in items if item.source != "public")
        assert any("feedback" in actions(item) for item in public)

    def test_sources_are_weighted_not_uniform(self, items: list[DemoItem]) -> None:
        counts = Counter(item.source for item in items)
        assert set(counts) == {"self_inspection", "inspection", "public", "assigned", "integration"}
        assert counts["self_inspection"] > counts["integration"]

    def test_has_every_twist_of_the_workflow(self, items: list[DemoItem]) -> None:
        decisions = [s.payload["approved"] for i in items for s in i.steps if s.action == "decide_extension"]
        assert True in decisions
        assert False in decisions
        every = Counter(action for item in items for action in set(actions(item)))
        for action in ("reopen", "urge", "instruct", "co_unit_accept", "co_unit_contribute", "reject_completion"):
            assert every[action] >= 2, action
        assert any(actions(i)[2:4] == ["return", "reassign"] for i in items)

    def test_has_items_closed_on_their_deadline_day(self, items: list[DemoItem]) -> None:
        closed = [replay(item) for item in items if item.status == "closed"]
        assert any(state.closed_on_deadline for state in closed)
        assert not all(state.closed_on_deadline for state in closed)

    def test_references_are_codes_of_the_definition(self, defn: CampaignDefinition, items: list[DemoItem]) -> None:
        units = {u.code for u in defn.units}
        cities = {u.code for u in defn.units if u.kind == "city"}
        categories = {c.code for c in defn.categories}
        for item in items:
            assert item.category in categories
            assert item.city is None or item.city in cities
            assert {item.lead_unit or next(iter(units)), *item.co_units} <= units

    def test_texts_are_chinese_and_filled(self, items: list[DemoItem]) -> None:
        for item in items:
            for text in (item.title, item.description, item.cause, item.measures, item.requirements):
                assert text
                assert "{" not in text
                assert any("\u4e00" <= ch <= "\u9fff" for ch in text)


class TestIterBulkRows:
    def test_is_a_lazy_generator(self, defn: CampaignDefinition) -> None:
        assert isinstance(iter_bulk_rows(defn, count=1_000_000, today=TODAY), types.GeneratorType)

    def test_is_deterministic_and_counts(self, defn: CampaignDefinition) -> None:
        first = list(iter_bulk_rows(defn, count=500, today=TODAY))
        assert first == list(iter_bulk_rows(defn, count=500, today=TODAY))
        assert len(first) == 500
        assert len({row["code"] for row in first}) == 500
        assert first[41]["code"] == f"YS-{defn.campaign.starts_on.year}-0042"

    def test_rows_hold_consistent_final_states(self, defn: CampaignDefinition) -> None:
        rows = list(iter_bulk_rows(defn, count=3000, today=TODAY))
        assert {row["status"] for row in rows} == set(STATUSES)
        for row in rows:
            assert row["created_at"] < START_OF_TODAY
            assigned = row["assigned_at"] is not None
            assert assigned == (row["status"] != "registered") == (row["lead_unit"] is not None)
            if assigned:
                assert row["created_at"] < row["assigned_at"]
                assert row["deadline"] >= row["original_deadline"]
            ended = row["closed_at"] or row["cancelled_at"]
            assert (ended is not None) == (row["status"] in {"closed", "cancelled"})
            if ended:
                assert row["assigned_at"] < ended < START_OF_TODAY
            assert row["lead_unit"] not in row["co_units"]
        overdue = [r for r in rows if r["status"] in OPEN_STATUSES and r["deadline"] and r["deadline"] < TODAY]
        assert overdue
