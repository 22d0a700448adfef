"""docs/api.md's "Endpoints that clients rely on", called through the gateway of the running system as the SPA,
other provincial systems and the acceptance checks call them: every path answers, with the fields written there.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from rectify_stack import Stack, eventually, login

SHANGHAI = ZoneInfo("Asia/Shanghai")
LEAD, CO = "KJT-GX", "KJT-ZCFG"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EVENT_FIELDS = {"seq", "id", "type", "occurred_at", "actor", "subject_id", "data", "hash"}
Sessions = dict[str, dict[str, str]]
ISSUE_FIELDS = {"id", "code", "campaign_id", "status", "title", "lead_unit_id", "co_unit_ids", "deadline"}


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.method} {response.request.url.path}: {response.text}"
    return response.json() if response.headers.get("content-type", "").startswith("application/json") else None


def items(body: Any) -> list[dict[str, Any]]:
    return list(body["items"] if isinstance(body, dict) else body)


def in_days(days: int) -> str:
    return (datetime.now(SHANGHAI).date() + timedelta(days=days)).isoformat()


USERS = ("office", "admin", "leader", LEAD, CO)


@pytest.fixture(scope="module")
def sessions(stack: Stack) -> Sessions:
    """One sign-in per user for the whole module: the gateway limits the rate of sign-ins."""
    with httpx.Client(base_url=stack.gateway, timeout=30) as client:
        return {user: login(client, user) for user in USERS}


class World:
    """Clients and ids that every check below starts from."""

    def __init__(self, client: httpx.Client, sessions: Sessions) -> None:
        self.client = client
        self.sessions = sessions
        self.office, self.admin, self.leader = sessions["office"], sessions["admin"], sessions["leader"]
        self.lead, self.co = sessions[LEAD], sessions[CO]
        self.units = {u["code"]: u["id"] for u in items(ok(client.get("/api/v1/units", headers=self.office)))}
        campaigns = items(ok(client.get("/api/v1/campaigns", headers=self.office)))
        self.campaign_id = next(c["id"] for c in campaigns if c["code"] == "YS")  # the demo's, not one imported here

    def new_issue(self, title: str) -> str:
        body = {"campaign_id": self.campaign_id, "title": title, "description": "契约测试", "kind": "problem"}
        answer = self.client.post("/api/v1/issues", headers=self.office, json={**body, "source": "inspection"})
        created = ok(answer, 201)
        assert created.keys() >= ISSUE_FIELDS
        return str(created["id"])

    def submitted(self, title: str) -> dict[str, Any]:
        """The public submission with `title` waiting in the office's intake queue."""
        queue = items(ok(self.client.get("/api/v1/intake", params={"status": "submitted"}, headers=self.office)))
        return next(s for s in queue if s["title"] == title)

    def step(self, issue_id: str, path: str, headers: dict[str, str], body: dict[str, Any] | None = None) -> Any:
        return ok(self.client.post(f"/api/v1/issues/{issue_id}/{path}", headers=headers, json=body or {}))

    def assign(self, issue_id: str, *, co: bool = False) -> None:
        co_units = [self.units[CO]] if co else []
        body = {"lead_unit_id": self.units[LEAD], "co_unit_ids": co_units, "deadline": in_days(20)}
        assert self.step(issue_id, "assign", self.office, body)["status"] == "assigned"


class TestContract:
    def test_auth_directory_and_campaigns(self, stack: Stack, sessions: Sessions) -> None:
        with httpx.Client(base_url=stack.gateway, timeout=30) as client:
            w = World(client, sessions)
            me = ok(client.get("/api/v1/auth/me", headers=w.lead))
            assert {"id", "username", "display_name", "role", "unit_id"} <= me.keys()
            assert (me["role"], me["unit_id"]) == ("unit", w.units[LEAD])
            users = items(ok(client.get("/api/v1/users", headers=w.admin)))
            assert {"admin", "office", "leader", LEAD} <= {u["username"] for u in users}
            campaign = ok(client.get(f"/api/v1/campaigns/{w.campaign_id}", headers=w.office))
            assert campaign["categories"]
            assert campaign["phases"]
            # Client credentials: an integration client reads the feed with its scopes.
            body = {"id": "contract-oa", "name": "省协同办公", "scopes": ["events:read"]}
            secret = ok(client.post("/api/v1/clients", headers=w.admin, json=body), 201)["client_secret"]
            form = {"grant_type": "client_credentials", "client_id": "contract-oa", "client_secret": secret}
            token = ok(client.post("/api/v1/auth/token", data=form))
            assert token["token_type"] == "bearer"
            assert token["expires_in"] > 0
            feed = ok(
                client.get(
                    "/api/v1/events",
                    params={"after": 0, "limit": 5, "wait": 0},
                    headers={"Authorization": f"Bearer {token['access_token']}"},
                )
            )
            assert feed["next"] >= 5
            assert feed["events"][0].keys() >= EVENT_FIELDS
            verify = ok(client.get("/api/v1/audit/verify", headers=w.admin))
            assert verify["ok"] is True
            assert {"checked", "first_bad_seq"} <= verify.keys()

    def test_a_campaign_file_is_previewed_then_imported(self, stack: Stack, sessions: Sessions) -> None:
        with httpx.Client(base_url=stack.gateway, timeout=30) as client:
            w = World(client, sessions)
            exported = client.get(f"/api/v1/campaigns/{w.campaign_id}/export", headers=w.office)
            assert exported.status_code == 200
            text = exported.text.replace("code: YS\n", "code: QT\n", 1)
            assert text != exported.text
            files = {"file": ("qt.yaml", text.encode(), "application/x-yaml")}
            preview = ok(client.post("/api/v1/campaigns/import?dry_run=true", headers=w.office, files=files))
            assert (preview["importable"], preview["campaign"]["code"], preview["units_to_create"]) == (True, "QT", 0)
            assert "QT" not in {c["code"] for c in items(ok(client.get("/api/v1/campaigns", headers=w.office)))}
            imported = ok(client.post("/api/v1/campaigns/import", headers=w.admin, files=files), 201)
            assert imported["tasks_created"] == preview["tasks_to_create"] > 0
            listed = {c["code"] for c in items(ok(client.get("/api/v1/campaigns", headers=w.office)))}
            assert "QT" in listed, imported

    def test_every_ledger_step_and_its_documents(self, stack: Stack, sessions: Sessions) -> None:
        with httpx.Client(base_url=stack.gateway, timeout=60) as client:
            w = World(client, sessions)
            issue_id = w.new_issue("契约测试：协办、延期、批示与销号")
            fetched = client.get(f"/api/v1/issues/{issue_id}", headers=w.office)
            etag = fetched.headers["etag"]
            patched = client.patch(
                f"/api/v1/issues/{issue_id}",
                headers={**w.office, "If-Match": etag},
                json={"cause": "审核环节过多", "measures": "压减审核环节"},
            )
            assert ok(patched)["cause"] == "审核环节过多"
            stale = client.patch(f"/api/v1/issues/{issue_id}", headers={**w.office, "If-Match": etag}, json={})
            assert stale.status_code == 412
            w.assign(issue_id, co=True)
            w.step(issue_id, "accept", w.lead)
            w.step(issue_id, f"co-units/{w.units[CO]}/accept", w.co)
            w.step(issue_id, f"co-units/{w.units[CO]}/contribution", w.co, {"content": "配合梳理材料清单"})
            w.step(issue_id, "progress", w.lead, {"content": "已梳理流程", "percent": 40})
            request = {"new_deadline": in_days(40), "reason": "跨部门会签"}
            asked = client.post(f"/api/v1/issues/{issue_id}/extension-requests", headers=w.lead, json=request)
            extension_id = ok(asked, 201)["id"]
            decided = w.step(
                issue_id, f"extension-requests/{extension_id}/decision", w.office, {"approved": True, "comment": "同意"}
            )
            assert decided["deadline"] == in_days(40)
            w.step(issue_id, "urge", w.office, {"content": "请加快进度"})
            w.step(issue_id, "instructions", w.leader, {"content": "限期办结"})
            files = {"file": ("evidence.pdf", PDF, "application/pdf")}
            ok(client.post(f"/api/v1/issues/{issue_id}/attachments", headers=w.lead, files=files), 201)
            w.step(issue_id, "submit-completion", w.lead, {"summary": "流程压缩至10个工作日"})
            w.step(issue_id, "reject-completion", w.office, {"reason": "缺少佐证材料"})
            w.step(issue_id, "submit-completion", w.lead, {"summary": "补充了佐证材料"})
            assert w.step(issue_id, "close", w.office, {"comment": "核查属实"})["status"] == "closed"
            assert w.step(issue_id, "reopen", w.office, {"reason": "群众再次反映"})["status"] == "in_progress"

            timeline = ok(client.get(f"/api/v1/issues/{issue_id}/timeline", headers=w.lead))
            types = {e["type"] for e in timeline["items"]}
            assert {"issue.created", "issue.assigned", "issue.closed", "issue.reopened"} <= types
            dossier = client.get(f"/api/v1/issues/{issue_id}/dossier.zip", headers=w.office)
            assert dossier.status_code == 200
            names = zipfile.ZipFile(io.BytesIO(dossier.content)).namelist()
            assert any(n.endswith(".docx") for n in names)
            assert any(n.endswith("evidence.pdf") for n in names)

            other = w.new_issue("契约测试：退回与撤销")
            w.assign(other)
            returned = w.step(other, "return", w.lead, {"reason_code": "not_our_remit", "reason": "不属于本处职责"})
            assert returned["status"] == "returned"
            assert w.step(other, "cancel", w.office, {"reason": "重复登记"})["status"] == "cancelled"

            page = ok(
                client.get(
                    "/api/v1/issues",
                    params={
                        "campaign_id": w.campaign_id,
                        "status": "in_progress",
                        "unit_id": w.units[LEAD],
                        "source": "inspection",
                        "overdue": "false",
                        "q": "契约测试",
                        "sort": "-updated_at",
                        "limit": 1,
                    },
                    headers=w.office,
                )
            )
            assert {"items", "next_cursor", "total"} <= page.keys()
            assert [i["id"] for i in page["items"]] == [issue_id]

    def test_a_ledger_file_is_checked_without_writing(self, stack: Stack, sessions: Sessions) -> None:
        with httpx.Client(base_url=stack.gateway, timeout=30) as client:
            w = World(client, sessions)
            before = ok(client.get("/api/v1/issues", params={"limit": 1}, headers=w.office))["total"]
            lines = [
                "问题,问题描述,责任单位,整改时限",
                "契约测试导入,一行,KJT-GX,2027-06-30",
                "单位不存在,一行,NO-SUCH,2027-06-30",
            ]
            csv = "\n".join(lines).encode()
            files = {"file": ("ledger.csv", csv, "text/csv")}
            checked = client.post(
                "/api/v1/issues/import",
                params={"dry_run": "true", "campaign_id": w.campaign_id},
                headers=w.office,
                files=files,
            )
            report = ok(checked)
            assert (report["dry_run"], report["rows"], report["created"]) == (True, 2, [])
            assert [e["row"] for e in report["errors"]] == [3], report
            assert ok(client.get("/api/v1/issues", params={"limit": 1}, headers=w.office))["total"] == before

    def test_the_public_submits_the_office_accepts_and_the_public_rates(self, stack: Stack, sessions: Sessions) -> None:
        with httpx.Client(base_url=stack.gateway, timeout=60) as client:
            w = World(client, sessions)
            body = {"title": "契约测试：科技型中小企业评价材料繁琐", "content": "希望简化", "city": "SJZ"}
            code = ok(client.post("/api/v1/public/submissions", json=body), 201)["tracking_code"]
            submission = w.submitted(body["title"])
            accepted = ok(client.post(f"/api/v1/intake/{submission['id']}/accept", headers=w.office, json={}))
            issue_id = accepted["issue_id"]
            w.assign(issue_id)
            w.step(issue_id, "accept", w.lead)
            w.step(issue_id, "submit-completion", w.lead, {"summary": "已简化"})
            w.step(issue_id, "close", w.office, {"comment": "办结"})
            tracked = ok(client.get(f"/api/v1/public/submissions/{code}"))
            assert tracked["status"] == "closed", tracked
            rated = client.post(
                f"/api/v1/public/submissions/{code}/feedback", json={"satisfied": True, "rating": 5, "comment": "好"}
            )
            assert rated.status_code in (200, 201), rated.text
            again = ok(client.post("/api/v1/public/submissions", json={**body, "title": "契约测试：重复件"}), 201)
            assert again["tracking_code"] != code
            duplicate = w.submitted("契约测试：重复件")
            ok(client.post(f"/api/v1/intake/{duplicate['id']}/merge", headers=w.office, json={"issue_id": issue_id}))
            third = ok(client.post("/api/v1/public/submissions", json={**body, "title": "契约测试：无效件"}), 201)
            assert third["tracking_code"]
            rejected = w.submitted("契约测试：无效件")
            ok(client.post(f"/api/v1/intake/{rejected['id']}/reject", headers=w.office, json={"reason": "不属实"}))

    def test_notifications_escalations_and_integrations(self, stack: Stack, sessions: Sessions) -> None:
        with httpx.Client(base_url=stack.gateway, timeout=30) as client:
            w = World(client, sessions)
            unread = items(ok(client.get("/api/v1/notifications", params={"unread": "true"}, headers=w.co)))
            assert unread
            read = ok(client.post(f"/api/v1/notifications/{unread[0]['id']}/read", headers=w.co))
            assert read["read_at"]
            with client.stream("GET", "/api/v1/notifications/stream", headers=w.co) as stream:
                assert stream.status_code == 200
                assert stream.headers["content-type"].startswith("text/event-stream")
                first = next(line for line in stream.iter_lines() if line.startswith("data:"))
                assert json.loads(first.removeprefix("data:"))

            policy = ok(client.get(f"/api/v1/escalation-policies/{w.campaign_id}", headers=w.admin))
            put = client.put(
                f"/api/v1/escalation-policies/{w.campaign_id}",
                headers=w.admin,
                json={k: policy[k] for k in ("steps", "ack_within_wd")},
            )
            assert put.status_code == 200, put.text

            def supervision_notices() -> list[dict[str, Any]]:
                # The demo's overdue items reach the yellow card once notify-api has read the feed.
                notices = items(ok(client.get("/api/v1/escalations", params={"level": 2}, headers=w.office)))
                return [n for n in notices if n["acknowledged_at"] is None and n["number"]]

            notice = eventually(supervision_notices)[0]
            owner = next(code for code, unit_id in w.units.items() if unit_id == notice["unit_id"])
            path = f"/api/v1/escalations/{notice['id']}/acknowledge"
            acknowledged = ok(client.post(path, headers=login(client, owner)))
            assert acknowledged["acknowledged_at"]
            document = client.get(f"/api/v1/escalations/{notice['id']}/notice.docx", headers=w.office)
            assert document.status_code == 200, document.text
            assert document.content[:2] == b"PK"  # a .docx is a zip
            record = {
                "unit_id": notice["unit_id"],
                "issue_ids": [notice["issue_id"]],
                "kind": "约谈",
                "decided_on": acknowledged["acknowledged_at"][:10],
                "outcome": "约谈主要负责人，限期整改",
            }
            created = ok(client.post("/api/v1/accountability-records", headers=w.office, json=record), 201)
            assert created["issue_codes"] == [notice["issue_code"]]
            listed = ok(
                client.get("/api/v1/accountability-records", params={"unit_id": notice["unit_id"]}, headers=w.office)
            )
            assert created["id"] in [r["id"] for r in listed["items"]]

            hook = {"url": "https://oa.example.gov.cn/hooks", "secret": "a-long-enough-secret", "event_types": ["*"]}
            ok(client.post("/api/v1/webhooks", headers=w.admin, json=hook), 201)
            assert any(h["url"] == hook["url"] for h in items(ok(client.get("/api/v1/webhooks", headers=w.admin))))
            assert "items" in ok(client.get("/api/v1/deliveries", headers=w.admin))
            calendar = ok(client.get("/api/v1/calendar", headers=w.admin))
            assert calendar["days"]

    def test_reports_exports_and_meetings(self, stack: Stack, sessions: Sessions) -> None:
        with httpx.Client(base_url=stack.gateway, timeout=60) as client:
            w = World(client, sessions)
            summary = ok(client.get("/api/v1/reports/summary", params={"campaign_id": w.campaign_id}, headers=w.leader))
            assert {
                "total",
                "open",
                "closed",
                "cancelled",
                "overdue",
                "closure_rate",
                "on_time_rate",
                "on_time_rate_original",
                "satisfaction_rate",
                "as_of_seq",
                "lag_events",
            } <= summary.keys()
            for report in ("units", "trend", "categories", "overdue", "accountability"):
                body = ok(client.get(f"/api/v1/reports/{report}", headers=w.leader))
                assert {"as_of_seq", "lag_events"} <= body.keys(), report
            ledger = client.get("/api/v1/reports/ledger.xlsx", params={"campaign_id": w.campaign_id}, headers=w.office)
            assert ledger.status_code == 200
            assert zipfile.is_zipfile(io.BytesIO(ledger.content))
            period = datetime.now(SHANGHAI).strftime("%Y-%m")
            request = {"campaign_id": w.campaign_id, "period": period}
            meeting = ok(client.post("/api/v1/reports/meetings", headers=w.office, json=request), 201)

            def downloads() -> bool:
                docx = client.get(f"/api/v1/reports/meetings/{meeting['id']}.docx", headers=w.leader)
                xlsx = client.get(f"/api/v1/reports/meetings/{meeting['id']}.xlsx", headers=w.leader)
                return docx.status_code == xlsx.status_code == 200 and zipfile.is_zipfile(io.BytesIO(docx.content))

            eventually(downloads, timeout=60)
