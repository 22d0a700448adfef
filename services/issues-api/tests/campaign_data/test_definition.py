"""The campaign definition format and the built-in Hebei 2017 campaign file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from issues_api.campaigns.definition import (
    CampaignDefinition,
    DefinitionError,
    default_definition_path,
    dump_definition,
    load_definition,
    shift_for_demo,
)


@pytest.fixture(scope="module")
def text() -> str:
    return default_definition_path().read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hebei(text: str) -> CampaignDefinition:
    return load_definition(text)


def _problem_fields(text: str) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        load_definition(text)
    return [p.field for p in info.value.problems]


class TestHebeiCampaignFile:
    def test_campaign_code_prefixes_issue_codes(self, hebei: CampaignDefinition) -> None:
        assert hebei.campaign.code == "YS"
        assert (hebei.campaign.starts_on, hebei.campaign.ends_on) == (date(2017, 2, 27), date(2017, 10, 31))

    def test_has_the_five_areas_as_categories(self, hebei: CampaignDefinition) -> None:
        assert [c.code for c in hebei.categories] == ["A1", "A2", "A3", "A4", "A5"]
        assert hebei.categories[0].name == "瞄准需求，着力增强科技供给效力"

    def test_has_the_three_phases_with_their_2017_dates(self, hebei: CampaignDefinition) -> None:
        assert [(p.code, p.starts_on, p.ends_on) for p in hebei.phases] == [
            ("mobilize", date(2017, 2, 27), date(2017, 3, 3)),
            ("rectify", date(2017, 3, 3), date(2017, 8, 31)),
            ("institutionalize", date(2017, 9, 1), date(2017, 10, 31)),
        ]
        assert hebei.concentrated_phase.name == "集中整治阶段"

    def test_has_every_task_of_the_plan_in_its_area(self, hebei: CampaignDefinition) -> None:
        per_area = {c.code: sum(t.category == c.code for t in hebei.tasks) for c in hebei.categories}
        assert per_area == {"A1": 1, "A2": 2, "A3": 3, "A4": 2, "A5": 3}

    def test_lead_unit_is_the_first_unit_named(self, hebei: CampaignDefinition) -> None:
        first = hebei.tasks[0]
        assert hebei.unit(first.lead_unit).name == "创新发展处"
        assert [hebei.unit(c).name for c in first.co_units] == ["资源配置处", "高新处", "农村处", "社发处", "山办"]

    def test_every_task_references_known_units(self, hebei: CampaignDefinition) -> None:
        codes = {u.code for u in hebei.units}
        for task in hebei.tasks:
            assert {task.lead_unit, *task.co_units} <= codes

    def test_names_the_cities_of_the_plan(self, hebei: CampaignDefinition) -> None:
        cities = {u.name for u in hebei.units if u.kind == "city"}
        assert {"石家庄市", "唐山市", "秦皇岛市", "保定市", "廊坊市", "邯郸市", "沧州市", "承德市"} <= cities

    def test_names_units_of_every_kind(self, hebei: CampaignDefinition) -> None:
        assert {u.kind for u in hebei.units} == {"department", "centre", "company", "city"}
        assert hebei.unit("KJT-ZCFG").name == "政策法规与监督处"


class TestDumpAndLoad:
    def test_round_trip_gives_an_equal_definition(self, hebei: CampaignDefinition) -> None:
        assert load_definition(dump_definition(hebei)) == hebei

    def test_loads_uploaded_bytes(self, text: str, hebei: CampaignDefinition) -> None:
        assert load_definition(text.encode("utf-8")) == hebei

    def test_round_trip_keeps_an_inline_escalation_policy(self, hebei: CampaignDefinition) -> None:
        steps = [{"offset_wd": 2, "level": 1, "recipients": ["lead_unit"], "channels": ["inbox", "email"]}]
        data = hebei.model_dump()
        data["campaign"]["escalation_policy"] = steps
        defn = CampaignDefinition.model_validate(data)
        assert load_definition(dump_definition(defn)) == defn


class TestValidation:
    def test_unknown_unit_in_a_task_is_named_with_its_field(self, text: str) -> None:
        with pytest.raises(DefinitionError) as info:
            load_definition(text.replace("lead_unit: KJT-PT", "lead_unit: KJT-NOPE"))
        [problem] = info.value.problems
        assert problem.field == "tasks[4].lead_unit"
        assert "KJT-NOPE" in problem.message
        assert "未知的单位" in problem.message

    def test_unknown_co_unit_and_category_are_both_reported(self, text: str) -> None:
        broken = text.replace("co_units: [KJT-NC]", "co_units: [KJT-NC, XX]", 1).replace(
            "category: A5", "category: B5", 1
        )
        assert _problem_fields(broken) == ["tasks[5].co_units[1]", "tasks[8].category"]

    def test_duplicate_unit_code_is_refused(self, text: str) -> None:
        assert _problem_fields(text.replace("code: KJT-PT", "code: KJT-GX")) == ["units", "tasks[4].lead_unit"]

    def test_phase_outside_the_period_is_refused(self, text: str) -> None:
        late = "starts_on: 2017-09-01\n    ends_on: 2017-11-30"
        assert _problem_fields(text.replace("starts_on: 2017-09-01\n    ends_on: 2017-10-31", late)) == ["phases[2]"]

    def test_end_before_start_is_refused(self, text: str) -> None:
        broken = text.replace("ends_on: 2017-03-03\n", "ends_on: 2017-02-01\n", 1)
        with pytest.raises(DefinitionError, match="ends before it starts"):
            load_definition(broken)

    def test_unknown_field_is_refused(self, text: str) -> None:
        assert _problem_fields(text.replace("  code: YS", "  code: YS\n  colour: red")) == ["campaign.colour"]

    def test_invalid_yaml_is_a_definition_error(self) -> None:
        with pytest.raises(DefinitionError, match="invalid YAML"):
            load_definition("campaign: [unclosed")

    def test_direct_construction_checks_references_too(self, hebei: CampaignDefinition) -> None:
        data = hebei.model_dump()
        data["tasks"][0]["category"] = "A9"
        with pytest.raises(ValueError, match="unknown category"):
            CampaignDefinition.model_validate(data)


class TestShiftForDemo:
    @pytest.mark.parametrize("today", [date(2026, 11, 25), date(2017, 1, 1), date(2031, 6, 30)])
    def test_today_falls_inside_the_concentrated_phase(self, hebei: CampaignDefinition, today: date) -> None:
        phase = shift_for_demo(hebei, today).concentrated_phase
        assert phase.starts_on <= today <= phase.ends_on

    def test_every_date_moves_by_the_same_days(self, hebei: CampaignDefinition) -> None:
        shifted = shift_for_demo(hebei, date(2026, 11, 25))
        delta = shifted.campaign.starts_on - hebei.campaign.starts_on
        assert shifted.campaign.ends_on - hebei.campaign.ends_on == delta
        for old, new in zip(hebei.phases, shifted.phases, strict=True):
            assert (new.starts_on - old.starts_on, new.ends_on - old.ends_on) == (delta, delta)
        for old_task, new_task in zip(hebei.tasks, shifted.tasks, strict=True):
            assert old_task.deadline is not None
            assert new_task.deadline == old_task.deadline + delta
        assert delta % timedelta(days=7) == timedelta(0)

    def test_the_loaded_original_is_left_unchanged(self, hebei: CampaignDefinition) -> None:
        shift_for_demo(hebei, date(2026, 11, 25))
        assert hebei.phases[1].starts_on == date(2017, 3, 3)
