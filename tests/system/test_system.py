"""End to end through the gateway: a problem travels the ledger, and notify-api and report-api follow the feed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from rectify_kit.workdays import add_working_days, at_hour, official_calendar
from rectify_stack import Stack, eventually, login

UNIT = "KJT-ZCFG"
SHANGHAI = ZoneInfo("Asia/Shanghai")


class TestWholeSystem:
    def test_every_service_is_healthy_and_ready_behind_the_gateway(self, stack: Stack) -> None:
        with httpx.Client(base_url=stack.gateway, timeout=10) as client:
            ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text

    def test_a_problem_is_assigned_worked_closed_notified_and_counted(self, stack: Stack) -> None:
        with httpx.Client(base_url=stack.gateway, timeout=30) as client:
            office = login(client, "office")
            me = client.get("/api/v1/auth/me", headers=office).json()
            assert me["role"] == "office"
            campaign = client.get("/api/v1/campaigns", headers=office).json()
            campaign_id = (campaign["items"] if isinstance(campaign, dict) else campaign)[0]["id"]
            units = client.get("/api/v1/units", headers=office).json()
            unit = next(u for u in (units["items"] if isinstance(units, dict) else units) if u["code"] == UNIT)

            created = client.post(
                "/api/v1/issues",
                headers=office,
                json={
                    "campaign_id": campaign_id,
                    "title": "系统联调：企业反映科技创新券兑付周期过长",
                    "description": "端到端测试创建的问题",
                    "kind": "problem",
                    "source": "inspection",
                },
            )
            assert created.status_code == 201, created.text
            issue_id = created.json()["id"]
            deadline = (datetime.now(SHANGHAI).date() + timedelta(days=20)).isoformat()
            assigned = client.post(
                f"/api/v1/issues/{issue_id}/assign",
                headers=office,
                json={"lead_unit_id": unit["id"], "co_unit_ids": [], "deadline": deadline},
            )
            assert assigned.status_code == 200, assigned.text

            staff = login(client, UNIT)
            for path, body in [
                ("accept", {}),
                ("progress", {"content": "已完成流程梳理", "percent": 60}),
                ("submit-completion", {"summary": "兑付周期压缩至10个工作日"}),
            ]:
                step = client.post(f"/api/v1/issues/{issue_id}/{path}", headers=staff, json=body)
                assert step.status_code == 200, f"{path}: {step.text}"
            closed = client.post(f"/api/v1/issues/{issue_id}/close", headers=office, json={"comment": "核查属实"})
            assert closed.status_code == 200, closed.text
            assert closed.json()["status"] == "closed"

            def assignment_notified() -> bool:
                inbox = client.get("/api/v1/notifications", headers=staff)
                assert inbox.status_code == 200, inbox.text
                body = inbox.json()
                items = body["items"] if isinstance(body, dict) else body
                return any(n.get("issue_id") == issue_id for n in items)

            eventually(assignment_notified)

            admin = login(client, "admin")
            head = client.get("/api/v1/events", params={"after": 0, "limit": 1}, headers=admin).json()["head"]

            def caught_up() -> dict[str, Any] | None:
                summary = client.get("/api/v1/reports/summary", params={"campaign_id": campaign_id}, headers=office)
                body: dict[str, Any] = summary.json()
                return body if body["as_of_seq"] >= head else None

            figures = eventually(caught_up)

            def ledger_total(**filters: str) -> int:
                params = {"campaign_id": campaign_id, "limit": 1, **filters}
                return int(client.get("/api/v1/issues", params=params, headers=office).json()["total"])

            # report-api learns only from the feed, yet agrees with the ledger once it has read up to its head.
            assert figures["closed"] == ledger_total(status="closed")
            assert figures["total"] == ledger_total()
            # So does each phase of the campaign: its row of the summary and the ledger filtered by `phase_id`.
            phases = client.get(f"/api/v1/campaigns/{campaign_id}", headers=office).json()["phases"]
            by_phase = {row["phase_id"]: row["total"] for row in figures["phases"]}
            assert phases
            assert {p["id"]: ledger_total(phase_id=p["id"]) for p in phases} == {
                p["id"]: by_phase[p["id"]] for p in phases
            }

            audit = client.get("/api/v1/audit/verify", headers=admin)
            assert audit.json()["ok"] is True

    def test_a_unit_user_cannot_see_another_units_issue_through_the_gateway(self, stack: Stack) -> None:
        with httpx.Client(base_url=stack.gateway, timeout=30) as client:
            office = login(client, "office")
            staff = login(client, UNIT)
            units = client.get("/api/v1/units", headers=office).json()
            unit_ids = {u["code"]: u["id"] for u in (units["items"] if isinstance(units, dict) else units)}
            others = client.get(
                "/api/v1/issues",
                params={
                    "unit_id": next(i for c, i in unit_ids.items() if c != UNIT and c.startswith("KJT-")),
                    "limit": 50,
                },
                headers=office,
            ).json()["items"]
            foreign = next(
                i for i in others if i["lead_unit_id"] != unit_ids[UNIT] and unit_ids[UNIT] not in i["co_unit_ids"]
            )
            assert client.get(f"/api/v1/issues/{foreign['id']}", headers=staff).status_code == 404
            assert client.get(f"/api/v1/issues/{foreign['id']}/timeline", headers=staff).status_code == 404
            mine = client.get("/api/v1/issues", params={"limit": 100}, headers=staff).json()["items"]
            assert all(i["lead_unit_id"] == unit_ids[UNIT] or unit_ids[UNIT] in i["co_unit_ids"] for i in mine)

    def test_the_public_submits_without_an_account_and_tracks_by_code(self, stack: Stack) -> None:
        with httpx.Client(base_url=stack.gateway, timeout=30) as client:
            submitted = client.post(
                "/api/v1/public/submissions",
                json={
                    "title": "高企认定材料反复补正",
                    "content": "希望一次性告知所需材料",
                    "contact_phone": "13800000000",
                },
            )
            assert submitted.status_code in (200, 201), submitted.text
            code = submitted.json()["tracking_code"]
            tracked = client.get(f"/api/v1/public/submissions/{code}")
            assert tracked.status_code == 200
            assert "13800000000" not in tracked.text
            assert client.get("/api/v1/issues").status_code == 401

    def test_a_calendar_override_moves_the_escalation_time_and_the_reports_working_days_together(
        self, stack: Stack
    ) -> None:
        with httpx.Client(base_url=stack.gateway, timeout=30) as client:
            office, admin = login(client, "office"), login(client, "admin")
            today = datetime.now(SHANGHAI).date()

            def calendar_of(year: int) -> list[dict[str, Any]]:
                days = client.get("/api/v1/calendar", params={"year": year}, headers=admin).json()["days"]
                return [
                    {"date": d["date"], "is_working": d["is_working"], "note": d["note"]}
                    for d in days
                    if d["source"] == "override"
                ]

            stored = {year: calendar_of(year) for year in (today.year, today.year + 1)}
            overrides = {date.fromisoformat(d["date"]): d["is_working"] for days in stored.values() for d in days}
            before = official_calendar(overrides)
            wd = [add_working_days(today, n, before) for n in range(6)]  # wd[n]: the n-th working day from today
            # Deadline on wd5: its T-3 step fires on wd2, and the yellow light runs to the day before wd4. Making
            # wd3 a day off moves T-3 to wd1 and the yellow window to the day before wd5.
            issue_id = self._assigned_issue(client, office, deadline=wd[5])
            day_off = wd[3]

            def t_minus_3() -> datetime | None:
                planned = client.get("/api/v1/escalations/planned", params={"issue_id": issue_id}, headers=office)
                steps = {s["step"]: datetime.fromisoformat(s["due_at"]) for s in planned.json().get("items", [])}
                return steps.get("T-3")

            def yellow_until() -> str:
                return str(client.get("/api/v1/reports/lights", headers=office).json()["due_soon_until"])

            eventually(lambda: t_minus_3() == at_hour(wd[2], 9))
            eventually(lambda: yellow_until() == (wd[4] - timedelta(days=1)).isoformat())

            year = day_off.year
            changed = [*stored[year], {"date": day_off.isoformat(), "is_working": False, "note": "系统联调停工"}]
            put = client.put("/api/v1/calendar", json={"year": year, "overrides": changed}, headers=admin)
            assert put.status_code == 200, put.text
            try:
                eventually(lambda: t_minus_3() == at_hour(wd[1], 9))
                eventually(lambda: yellow_until() == (wd[5] - timedelta(days=1)).isoformat())
            finally:
                restored = {"year": year, "overrides": stored[year]}
                assert client.put("/api/v1/calendar", json=restored, headers=admin).status_code == 200
            eventually(lambda: yellow_until() == (wd[4] - timedelta(days=1)).isoformat())

    @staticmethod
    def _assigned_issue(client: httpx.Client, office: dict[str, str], *, deadline: date) -> str:
        campaigns = client.get("/api/v1/campaigns", headers=office).json()
        campaign_id = (campaigns["items"] if isinstance(campaigns, dict) else campaigns)[0]["id"]
        units = client.get("/api/v1/units", headers=office).json()
        unit = next(u for u in (units["items"] if isinstance(units, dict) else units) if u["code"] == UNIT)
        body = {"campaign_id": campaign_id, "title": "系统联调：工作日历", "description": "日历覆盖联动测试"}
        body |= {"kind": "problem", "source": "inspection"}
        created = client.post("/api/v1/issues", headers=office, json=body)
        assert created.status_code == 201, created.text
        issue_id = str(created.json()["id"])
        assignment = {"lead_unit_id": unit["id"], "co_unit_ids": [], "deadline": deadline.isoformat()}
        assigned = client.post(f"/api/v1/issues/{issue_id}/assign", headers=office, json=assignment)
        assert assigned.status_code == 200, assigned.text
        return issue_id
