"""The demo generator: deterministic, every status and twist present, steps legal under the workflow table."""

from __future__ import annotations

import types
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

import pytest

from issues_api.campaigns.definition import CampaignDefinition, default_definition_path, load_definition, shift_for_demo
from issues_api.demo.generator import DemoItem, DemoStep, generate_items, iter_bulk_rows
from issues_api.demo.stories import FORCED_STORIES
from issues_api.ledger.workflow import OPEN_STATUSES, RETURN_REASON_CODES, STATUSES, role_may, transition_for
from rectify_kit.clock import BUSINESS_TZ
from rectify_kit.workdays import add_working_days, official_calendar, official_exceptions

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


# The default escalation policy's deadline steps (notify-api's DEFAULT_POLICY): working days after the deadline,
# and the level each fires. Levels 2 (督办) and 3 (通报) are numbered notices a unit signs.
DEADLINE_STEPS = {1: 1, 2: 3, 3: 5, 4: 10}
SMALL_DEMO = 40  # the demo the test stacks load (tests/support's rectify_stack: ISSUES_DEMO_ITEMS)
# Days of every kind: weekdays, a weekend, the first working day after National Day and after the Spring Festival,
# a day inside a holiday, a make-up Saturday.
DAYS = [
    date(2026, 11, 25),
    date(2026, 11, 30),
    date(2026, 12, 5),
    date(2026, 10, 3),
    date(2026, 10, 8),
    date(2026, 10, 10),
    date(2026, 2, 24),
]


def notice_due_all_day(item: DemoItem, today: date) -> int | None:
    """The numbered notice (2 or 3) that is the highest step due at every hour of `today` and the only one of the
    item's that fires (the steps before it are skipped, the next is not due yet), or None."""
    if item.status not in {"assigned", "in_progress"} or item.deadline is None:
        return None
    calendar = official_calendar()
    due = {level: add_working_days(item.deadline, offset, calendar) for level, offset in DEADLINE_STEPS.items()}
    for level in (2, 3):
        if due[level] < today < due[level + 1]:
            return level
    return None


@pytest.fixture(
    scope="module",
    params=[(count, day) for count in (len(FORCED_STORIES), SMALL_DEMO) for day in DAYS],
    ids=lambda param: f"{param[0]}-items-{param[1]}",
)
def small(request: pytest.FixtureRequest) -> tuple[date, list[DemoItem]]:
    """A demo of the forced stories alone, or the test stacks' size, loaded on one of DAYS."""
    count, today = request.param
    defn = shift_for_demo(load_definition(default_definition_path().read_text(encoding="utf-8")), today)
    return today, generate_items(defn, count=count, today=today)


class TestSmallDemo:
    """What the system tests and the browser journeys start from, in any demo of the forced stories at least (the
    test stacks' small one), on any day."""

    def test_replays_legally(self, small: tuple[date, list[DemoItem]]) -> None:
        today, items = small
        for item in items:
            state = replay(item)
            assert state.errors == [], (item.title, actions(item), state.errors)
            assert state.status == item.status
            assert all(step.at < datetime.combine(today, time(0), tzinfo=BUSINESS_TZ) for step in item.steps)

    def test_has_every_status_and_overdue_items(self, small: tuple[date, list[DemoItem]]) -> None:
        today, items = small
        assert {item.status for item in items} == set(STATUSES)
        overdue = {i.status for i in items if i.status in OPEN_STATUSES and i.deadline and i.deadline < today}
        assert overdue >= {"assigned", "in_progress"}

    def test_has_numbered_notices_for_every_run_to_sign(self, small: tuple[date, list[DemoItem]]) -> None:
        """A run on one stack signs up to four, whichever come first: the contract test's and smoke.mjs's 督办 of
        any unit, the authorization matrix's notice of one of its units, roles.mjs's of KJT-GX last."""
        today, items = small
        notices = [(item.lead_unit, level) for item in items if (level := notice_due_all_day(item, today))]
        assert sum(1 for unit, _ in notices if unit == "KJT-GX") >= 4, notices
        assert sum(1 for _, level in notices if level == 2) >= 3, notices
        assert {unit for unit, level in notices if level == 2} >= {"KJT-GX", "KJT-ZCFG"}, notices

    def test_the_units_signed_in_as_find_their_work(self, small: tuple[date, list[DemoItem]]) -> None:
        _, items = small
        # roles.mjs: KJT-GX's clerk accepts an item no co-unit has to file a part of before its completion
        assert any(i.status == "assigned" and i.lead_unit == "KJT-GX" and not i.co_units for i in items)
        # smoke.mjs: KJT-ZCFG's clerk adds evidence to an item it works on
        assert any(i.status == "in_progress" and i.lead_unit == "KJT-ZCFG" for i in items)

    def test_every_unit_leads_an_item_of_its_own(
        self, defn: CampaignDefinition, small: tuple[date, list[DemoItem]]
    ) -> None:
        """Each unit's clerk finds work of their unit's alone (test_system's unit finds another unit's item)."""
        _, items = small
        parents = {u.parent for u in defn.units if u.parent}
        workers = {u.code for u in defn.units if u.kind != "city" and u.code not in parents}
        assert workers <= {i.lead_unit for i in items if i.status not in {"returned", "cancelled"} and not i.co_units}
