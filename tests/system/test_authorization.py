"""The authorization matrix: every operation of the gateway's merged OpenAPI document, called through the gateway
by every kind of caller, against the table below of who may succeed.

Callers (each its own fresh account or client, so that nothing here changes what other tests read): `admin`,
`office`, `leader`; unit users of an issue's lead unit (`lead`), of its co-unit (`co`) and of an unrelated unit
(`other`); an integration client with no scope (`client`) and one with each scope alone (`client:<scope>`; the
`issues:act` one is bound to the lead unit, and `client:issues:act@other` holds it bound to the unrelated unit);
`anonymous`.

A cell fails when a caller the table leaves out gets a 2xx (or anything but 401 anonymous / 403 or 404 signed in),
when a caller the table lets in is refused (401, 403, or 404 on the issue it may see), on any 5xx, and when a list
holds another unit's items or contacts the caller may not read. An operation of the document that the table does
not classify fails too: a new endpoint must be written into the table.

Each write aims at an object made for it in the state where it could succeed (a fresh issue per workflow step),
with a valid body: a missing check cannot hide behind a validation error. The callers the table refuses go first,
then the ones it lets in, one after the other (the first success may move the object on: the rest may get 409).
Where a success would only add clutter (a new unit, user, client, campaign, meeting, webhook), the callers let in
send a body the service refuses after its role check (its dependency), so 422 proves they got past it.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from rectify_stack import PASSWORD as DEMO_PASSWORD
from rectify_stack import Stack

pytestmark = pytest.mark.usefixtures("main_stack")

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The lead unit is one with a numbered notice (督办/通报) to sign for; the others come from these, in order.
UNIT_CODES = ("KJT-GX", "KJT-ZCFG", "KJT-NC", "KJT-PT", "KJT-SB")
PASSWORD = "matrix-pass-2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
METHODS = ("get", "post", "put", "patch", "delete")

# ---------------------------------------------------------------------------------------------------------------
# Who may succeed.
SCOPES = (
    "issues:read",
    "issues:write",
    "issues:act",
    "events:read",
    "directory:read",
    "reports:read",
    "contacts:read",
    "webhooks:manage",
)
ADMIN = frozenset({"admin"})
STAFF = frozenset({"admin", "office"})
OVERSEERS = frozenset({"admin", "office", "leader"})
UNIT_USERS = frozenset({"lead", "co", "other"})
USERS = OVERSEERS | UNIT_USERS
ACTS_ELSEWHERE = "client:issues:act@other"  # works the ledger for the unrelated unit: reads it, acts on none of these
CLIENTS = frozenset({"client", *(f"client:{s}" for s in SCOPES), ACTS_ELSEWHERE})
PRINCIPALS = (*sorted(USERS), *sorted(CLIENTS), "anonymous")
ANYONE = frozenset(PRINCIPALS)  # public: no token needed (the answer may still depend on a form or a cookie)


def client(*scopes: str) -> frozenset[str]:
    return frozenset(f"client:{s}" for s in scopes)


LEDGER_CLIENTS = client("issues:read", "issues:write", "issues:act") | {ACTS_ELSEWHERE}
LEDGER_READERS = USERS | LEDGER_CLIENTS
ISSUE_READERS = OVERSEERS | {"lead", "co"} | LEDGER_CLIENTS
SELF_FILED_READERS = OVERSEERS | {"lead"} | LEDGER_CLIENTS  # the lead unit's own item
LEAD = frozenset({"lead"}) | client("issues:act")  # the lead unit's own steps: its staff or a client bound to it
SIGNED_IN = USERS | CLIENTS
REPORT_READERS = USERS | client("reports:read")
DIRECTORY_READERS = USERS | client("directory:read")

TABLE: dict[str, frozenset[str]] = {
    # sign-in, keys, health: public
    "GET /.well-known/jwks.json": ANYONE,
    "GET /healthz": ANYONE,
    "GET /readyz": ANYONE,
    "POST /api/v1/auth/token": ANYONE,
    "POST /api/v1/auth/refresh": ANYONE,
    "POST /api/v1/auth/logout": ANYONE,
    "GET /api/v1/auth/me": SIGNED_IN,
    # the directory of issues-api
    "GET /api/v1/units": DIRECTORY_READERS,
    "GET /api/v1/units/{unit_id}": DIRECTORY_READERS,
    "POST /api/v1/units": ADMIN,
    "PATCH /api/v1/units/{unit_id}": ADMIN,
    "GET /api/v1/users": DIRECTORY_READERS,
    "GET /api/v1/users/{user_id}": DIRECTORY_READERS,
    "POST /api/v1/users": ADMIN,
    "PATCH /api/v1/users/{user_id}": ADMIN,
    "POST /api/v1/users/{user_id}/unlock": ADMIN,
    "GET /api/v1/clients": ADMIN,
    "POST /api/v1/clients": ADMIN,
    "GET /api/v1/clients/{client_id}": ADMIN,
    "PATCH /api/v1/clients/{client_id}": ADMIN,
    # campaigns: reference data for every signed-in caller (their definition files too); importing is the office's
    "GET /api/v1/campaigns": SIGNED_IN,
    "GET /api/v1/campaigns/{campaign_id}": SIGNED_IN,
    "GET /api/v1/campaigns/{campaign_id}/export": SIGNED_IN,
    "POST /api/v1/campaigns/import": STAFF,
    # the ledger
    "GET /api/v1/issues": LEDGER_READERS,
    "POST /api/v1/issues": STAFF | client("issues:write"),
    "GET /api/v1/issues/workflow": LEDGER_READERS,
    "GET /api/v1/issues/export.xlsx": LEDGER_READERS,
    "GET /api/v1/issues/saved-views": LEDGER_READERS,  # each caller's own
    "POST /api/v1/issues/saved-views": LEDGER_READERS,
    "DELETE /api/v1/issues/saved-views/{view_id}": frozenset({"lead"}),  # the lead user's own view
    "POST /api/v1/issues/batch/assign": STAFF,
    "POST /api/v1/issues/batch/urge": STAFF,
    # 自查自纠: a unit files its own items (the office for a unit), the office confirms or sends back, the unit revises
    "POST /api/v1/issues/self-inspection": STAFF | UNIT_USERS,
    "POST /api/v1/issues/self-inspection/batch": STAFF | UNIT_USERS,
    "GET /api/v1/issues/self-inspection/template.xlsx": STAFF | UNIT_USERS,
    "GET /api/v1/issues/{issue_id}/self-inspection": SELF_FILED_READERS,
    "POST /api/v1/issues/{issue_id}/self-inspection/confirm": STAFF,
    "POST /api/v1/issues/{issue_id}/self-inspection/send-back": STAFF,
    "POST /api/v1/issues/{issue_id}/self-inspection/revise": frozenset({"lead"}),
    "GET /api/v1/issues/import/template.xlsx": STAFF,
    "POST /api/v1/issues/import": STAFF,
    "POST /api/v1/issues/import-jobs": STAFF,
    "GET /api/v1/issues/import-jobs/{job_id}": STAFF,
    "GET /api/v1/issues/{issue_id}": ISSUE_READERS,
    "PATCH /api/v1/issues/{issue_id}": STAFF,
    "GET /api/v1/issues/{issue_id}/timeline": ISSUE_READERS,
    "GET /api/v1/issues/{issue_id}/extension-requests": ISSUE_READERS,
    "GET /api/v1/issues/{issue_id}/attachments": ISSUE_READERS,
    "GET /api/v1/issues/{issue_id}/attachments/{attachment_id}": ISSUE_READERS,
    "GET /api/v1/issues/{issue_id}/dossier.zip": ISSUE_READERS,
    "POST /api/v1/issues/{issue_id}/attachments": STAFF | {"lead", "co"},
    "POST /api/v1/issues/{issue_id}/assign": STAFF,
    "POST /api/v1/issues/{issue_id}/reassign": STAFF,
    "POST /api/v1/issues/{issue_id}/accept": LEAD,
    "POST /api/v1/issues/{issue_id}/return": LEAD,
    "POST /api/v1/issues/{issue_id}/progress": LEAD | {"co"},
    "POST /api/v1/issues/{issue_id}/submit-completion": LEAD,
    "POST /api/v1/issues/{issue_id}/extension-requests": LEAD,
    "POST /api/v1/issues/{issue_id}/extension-requests/{extension_id}/decision": STAFF,
    "POST /api/v1/issues/{issue_id}/close": STAFF,
    "POST /api/v1/issues/{issue_id}/reject-completion": STAFF,
    "POST /api/v1/issues/{issue_id}/reopen": STAFF,
    "POST /api/v1/issues/{issue_id}/cancel": STAFF,
    "POST /api/v1/issues/{issue_id}/urge": STAFF,
    "POST /api/v1/issues/{issue_id}/instructions": frozenset({"admin", "leader"}),
    "POST /api/v1/issues/{issue_id}/co-units/{unit_id}/accept": frozenset({"co"}),
    "POST /api/v1/issues/{issue_id}/co-units/{unit_id}/contribution": frozenset({"co"}),
    "POST /api/v1/issues/{issue_id}/co-units/{unit_id}/waive": STAFF,
    "GET /api/v1/issues/{issue_id}/public-replies": ISSUE_READERS,
    "POST /api/v1/issues/{issue_id}/public-replies": STAFF,
    "GET /api/v1/issues/{issue_id}/public-view": ISSUE_READERS,
    # 责任落实到人: each unit names its own people and splits its own part (the office and admins any unit's)
    "GET /api/v1/units/{unit_id}/staff": OVERSEERS | {"lead"},  # the lead unit's staff
    "GET /api/v1/issues/{issue_id}/assignees": ISSUE_READERS,
    "PUT /api/v1/issues/{issue_id}/assignees/{unit_id}": STAFF | {"lead"},  # the lead unit's person
    "GET /api/v1/issues/{issue_id}/subtasks": ISSUE_READERS,
    "POST /api/v1/issues/{issue_id}/subtasks": STAFF | {"lead"},  # a sub-task of the lead unit's part
    "PATCH /api/v1/issues/{issue_id}/subtasks/{subtask_id}": STAFF | {"lead"},
    "POST /api/v1/issues/{issue_id}/subtasks/{subtask_id}/progress": STAFF | {"lead"},
    # intake: the office's triage
    "GET /api/v1/intake": STAFF,
    "GET /api/v1/intake/{submission_id}": STAFF,
    "GET /api/v1/intake/{submission_id}/contact": STAFF,
    "GET /api/v1/intake/{submission_id}/similar": STAFF,
    "GET /api/v1/intake/{submission_id}/public-view": STAFF,
    "POST /api/v1/intake/{submission_id}/accept": STAFF,
    "POST /api/v1/intake/{submission_id}/merge": STAFF,
    "POST /api/v1/intake/{submission_id}/reject": STAFF,
    "POST /api/v1/intake/{submission_id}/reply": STAFF,
    "POST /api/v1/intake/{submission_id}/followup": STAFF,
    # the public's side, no account
    "POST /api/v1/public/submissions": ANYONE,
    "GET /api/v1/public/submissions/{code}": ANYONE,
    "POST /api/v1/public/submissions/{code}/feedback": ANYONE,
    "POST /api/v1/public/submissions/{code}/appeal": ANYONE,
    "POST /api/v1/public/submissions/{code}/reveal": ANYONE,
    "GET /open311/v2/services.{fmt}": ANYONE,
    "GET /open311/v2/services/{service_code}.{fmt}": ANYONE,
    "GET /open311/v2/requests.{fmt}": ANYONE,
    "POST /open311/v2/requests.{fmt}": ANYONE,  # its api_key field is the credential (tested in test_integrations)
    "GET /open311/v2/requests/{service_request_id}.{fmt}": ANYONE,
    "GET /open311/v2/tokens/{token}.{fmt}": ANYONE,
    # feeds and audit
    "GET /api/v1/events": ADMIN | client("events:read", "directory:read"),
    "GET /api/v1/audit/verify": OVERSEERS,
    "GET /api/v1/accountability-records": USERS,
    "POST /api/v1/accountability-records": STAFF,
    "GET /api/v1/accountability-records/{record_id}/document": OVERSEERS | {"other"},
    "POST /api/v1/accountability-records/{record_id}/document": STAFF,
    "GET /api/v1/escalations/feed": ADMIN | client("events:read"),
    # notify-api
    "GET /api/v1/calendar": SIGNED_IN,
    "PUT /api/v1/calendar": ADMIN,
    "GET /api/v1/escalation-policies/{campaign_id}": STAFF,
    "PUT /api/v1/escalation-policies/{campaign_id}": STAFF,
    "GET /api/v1/escalations": USERS | client("events:read"),
    "GET /api/v1/escalations/planned": OVERSEERS | {"lead", "co"} | client("events:read"),
    "POST /api/v1/escalations/{escalation_id}/acknowledge": frozenset({"lead"}),
    "GET /api/v1/escalations/{escalation_id}/notice.docx": OVERSEERS | {"lead"} | client("events:read"),
    # each caller's own messages (a client has none)
    "GET /api/v1/notifications": SIGNED_IN,
    "GET /api/v1/notifications/unread-count": SIGNED_IN,
    "GET /api/v1/notifications/stream": SIGNED_IN,
    "POST /api/v1/notifications/read-all": SIGNED_IN,
    "POST /api/v1/notifications/{notification_id}/read": frozenset({"lead"}),  # the lead user's own message
    "GET /api/v1/webhooks": STAFF | client("webhooks:manage"),
    "POST /api/v1/webhooks": STAFF | client("webhooks:manage"),
    "GET /api/v1/webhooks/{subscription_id}": STAFF,  # the office's subscription: not a client's to see
    "PATCH /api/v1/webhooks/{subscription_id}": STAFF,
    "DELETE /api/v1/webhooks/{subscription_id}": STAFF,
    "GET /api/v1/deliveries": STAFF,
    "POST /api/v1/deliveries/{delivery_id}/retry": STAFF,
    "GET /api/v1/channels": STAFF,
    "PUT /api/v1/channels": STAFF,
    # report-api
    "GET /api/v1/reports/summary": REPORT_READERS,
    "GET /api/v1/reports/statuses": REPORT_READERS,
    "GET /api/v1/reports/lights": REPORT_READERS,
    "GET /api/v1/reports/units": REPORT_READERS,
    "GET /api/v1/reports/trend": REPORT_READERS,
    "GET /api/v1/reports/categories": REPORT_READERS,
    "GET /api/v1/reports/overdue": REPORT_READERS,
    "GET /api/v1/reports/accountability": REPORT_READERS,
    "GET /api/v1/reports/ledger.xlsx": REPORT_READERS,
    "GET /api/v1/reports/meetings": OVERSEERS,
    "POST /api/v1/reports/meetings": STAFF,
    "GET /api/v1/reports/meetings/{meeting_id}": OVERSEERS,
    "GET /api/v1/reports/meetings/{meeting_id}.docx": OVERSEERS,
    "GET /api/v1/reports/meetings/{meeting_id}.xlsx": OVERSEERS,
    "POST /api/v1/reports/admin/rebuild": ADMIN,
}
# Operations whose success would disturb the tests sharing the stack: only the callers refused are sent.
NOT_SENT_WHEN_ALLOWED = {"POST /api/v1/reports/admin/rebuild"}


# ---------------------------------------------------------------------------------------------------------------
# The objects the requests aim at.


def in_days(days: int) -> str:
    return (datetime.now(SHANGHAI).date() + timedelta(days=days)).isoformat()


def expect(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json() if "json" in response.headers.get("content-type", "") else response.content


@dataclass
class World:
    http: httpx.AsyncClient
    run: str
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # code -> id
    codes: dict[str, str] = field(default_factory=dict)  # "lead", "co", "other" -> unit code
    ids: dict[str, Any] = field(default_factory=dict)
    issues: dict[str, str] = field(default_factory=dict)  # operation -> the fresh issue it aims at
    extensions: dict[str, str] = field(default_factory=dict)  # issue -> its pending extension request

    @property
    def lead(self) -> str:
        return self.units[self.codes["lead"]]

    @property
    def co(self) -> str:
        return self.units[self.codes["co"]]

    def name(self, what: str) -> str:
        return f"mx{self.run}-{what}"

    async def call(self, who: str, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        headers = {**kwargs.pop("headers", {}), **self.tokens[who]}
        return expect(await self.http.request(method, path, headers=headers, **kwargs), status)

    # -- callers
    async def sign_in(self, key: str, username: str) -> None:
        form = {"username": username, "password": PASSWORD}
        body = expect(await self.http.post("/api/v1/auth/token", data=form))
        self.http.cookies.clear()  # the refresh cookie is not what this test is about
        self.tokens[key] = {"Authorization": f"Bearer {body['access_token']}"}

    async def new_user(self, role: str, unit_code: str | None = None, *, who: str = "boot") -> dict[str, Any]:
        username = self.name(f"{role}-{uuid.uuid4().hex[:6]}")
        body = {
            "username": username,
            "display_name": username,
            "role": role,
            "password": PASSWORD,
            "unit_id": self.units[unit_code] if unit_code else None,
        }
        user: dict[str, Any] = await self.call(who, "POST", "/api/v1/users", 201, json=body)
        return user

    async def new_client(self, scopes: Iterable[str], *, unit_ids: Iterable[str] = ()) -> tuple[str, str]:
        client_id = self.name(uuid.uuid4().hex[:8])
        body = {"id": client_id, "name": client_id, "scopes": list(scopes), "unit_ids": list(unit_ids)}
        created = await self.call("boot", "POST", "/api/v1/clients", 201, json=body)
        return client_id, str(created["client_secret"])

    async def client_token(self, key: str, scopes: Iterable[str], *, unit_ids: Iterable[str] = ()) -> None:
        client_id, secret = await self.new_client(scopes, unit_ids=unit_ids)
        form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
        body = expect(await self.http.post("/api/v1/auth/token", data=form))
        self.tokens[key] = {"Authorization": f"Bearer {body['access_token']}"}

    # -- issues in each state of the workflow, lead unit and one co-unit
    async def step(self, who: str, issue_id: str, path: str, body: Any = None, status: int = 200) -> Any:
        return await self.call(who, "POST", f"/api/v1/issues/{issue_id}/{path}", status, json=body or {})

    async def self_filed(self, state: str, title: str) -> str:
        """An item the lead unit filed on its own list (自查自纠), waiting for the office or sent back by it."""
        body = {"campaign_id": self.ids["campaign"], "title": self.name(title), "description": "矩阵自查"}
        body |= {"cause": "原因", "measures": "措施"}
        filed = await self.call("lead", "POST", "/api/v1/issues/self-inspection", 201, json=body)
        if state == "sent-back":
            path = f"/api/v1/issues/{filed['id']}/self-inspection/send-back"
            await self.call("office", "POST", path, json={"reason": "请补充"})
        return str(filed["id"])

    async def issue(self, state: str, title: str) -> str:
        if state in ("self-filed", "sent-back"):
            return await self.self_filed(state, title)
        body = {"campaign_id": self.ids["campaign"], "title": self.name(title), "description": "权限矩阵测试"}
        created = await self.call("office", "POST", "/api/v1/issues", 201, json={**body, "kind": "problem"})
        issue_id = str(created["id"])
        if state == "registered":
            return issue_id
        assign = {"lead_unit_id": self.lead, "co_unit_ids": [self.co], "deadline": in_days(20)}
        await self.step("office", issue_id, "assign", assign)
        if state == "assigned":
            return issue_id
        await self.step("lead", issue_id, "accept")
        await self.step("co", issue_id, f"co-units/{self.co}/accept")
        if state == "working":
            return issue_id
        if state == "extension":
            ask = {"new_deadline": in_days(40), "reason": "跨部门会签"}
            asked = await self.call("lead", "POST", f"/api/v1/issues/{issue_id}/extension-requests", 201, json=ask)
            self.extensions[issue_id] = str(asked["id"])
            return issue_id
        await self.step("co", issue_id, f"co-units/{self.co}/contribution", {"content": "配合材料"})
        if state == "settled":
            return issue_id
        await self.step("lead", issue_id, "submit-completion", {"summary": "已整改"})
        if state == "review":
            return issue_id
        await self.step("office", issue_id, "close", {"comment": "销号"})
        assert state == "closed", state
        return issue_id

    async def submission(self, title: str) -> dict[str, Any]:
        body = {"title": self.name(title), "content": "权限矩阵测试的诉求", "contact_phone": "13800001234"}
        created = expect(await self.http.post("/api/v1/public/submissions", json=body), 201)
        queue = await self.call("office", "GET", "/api/v1/intake", params={"status": "submitted", "limit": 200})
        found = next(s for s in queue["items"] if s["title"] == body["title"])
        return {"id": str(found["id"]), "code": str(created["tracking_code"])}


# The state each workflow step's fresh issue is made in.
ISSUE_STATES = {
    "PATCH /api/v1/issues/{issue_id}": "registered",
    "POST /api/v1/issues/{issue_id}/assign": "registered",
    "POST /api/v1/issues/{issue_id}/cancel": "registered",
    "POST /api/v1/issues/{issue_id}/instructions": "registered",
    "POST /api/v1/issues/{issue_id}/reassign": "assigned",
    "POST /api/v1/issues/{issue_id}/accept": "assigned",
    "POST /api/v1/issues/{issue_id}/return": "assigned",
    "POST /api/v1/issues/{issue_id}/urge": "assigned",
    "POST /api/v1/issues/{issue_id}/attachments": "assigned",
    "POST /api/v1/issues/{issue_id}/co-units/{unit_id}/accept": "assigned",
    "POST /api/v1/issues/{issue_id}/co-units/{unit_id}/waive": "assigned",
    "POST /api/v1/issues/{issue_id}/progress": "working",
    "POST /api/v1/issues/{issue_id}/extension-requests": "working",
    "POST /api/v1/issues/{issue_id}/co-units/{unit_id}/contribution": "working",
    "POST /api/v1/issues/{issue_id}/extension-requests/{extension_id}/decision": "extension",
    "POST /api/v1/issues/{issue_id}/submit-completion": "settled",
    "POST /api/v1/issues/{issue_id}/close": "review",
    "POST /api/v1/issues/{issue_id}/reject-completion": "review",
    "POST /api/v1/issues/{issue_id}/reopen": "closed",
    "POST /api/v1/issues/batch/assign": "registered",
    "POST /api/v1/issues/batch/urge": "assigned",
    "POST /api/v1/issues/{issue_id}/self-inspection/confirm": "self-filed",
    "POST /api/v1/issues/{issue_id}/self-inspection/send-back": "self-filed",
    "POST /api/v1/issues/{issue_id}/self-inspection/revise": "sent-back",
    "GET /api/v1/issues/{issue_id}/self-inspection": "self-filed",
}


async def build_world(http: httpx.AsyncClient) -> World:
    w = World(http=http, run=uuid.uuid4().hex[:6])
    demo_admin = {"username": "admin", "password": DEMO_PASSWORD}
    boot = expect(await http.post("/api/v1/auth/token", data=demo_admin))
    http.cookies.clear()
    w.tokens["boot"] = {"Authorization": f"Bearer {boot['access_token']}"}
    w.units = {
        u["code"]: u["id"] for u in (await w.call("boot", "GET", "/api/v1/units", params={"limit": 200}))["items"]
    }
    # notify-api fires the demo's overdue steps soon after it starts: wait for a numbered notice, whose unit leads.
    codes = {unit_id: code for code, unit_id in w.units.items()}
    notices = await eventually(lambda: _numbered_notices(http, w.tokens["boot"]), within=180)
    notice = next((n for n in notices if codes.get(n["unit_id"]) in UNIT_CODES), notices[0])
    w.ids["escalation"] = notice["id"]
    lead = codes[notice["unit_id"]]
    co, other = [code for code in UNIT_CODES if code != lead][:2]
    w.codes = {"lead": lead, "co": co, "other": other}
    campaigns = (await w.call("boot", "GET", "/api/v1/campaigns"))["items"]
    w.ids["campaign"] = next(c["id"] for c in campaigns if c["code"] == "YS")

    # Fresh accounts for every caller: their messages and sessions are theirs alone.
    people = {"admin": ("admin", None), "office": ("office", None), "leader": ("leader", None)}
    people |= {key: ("unit", code) for key, code in w.codes.items()}
    made = await asyncio.gather(*(w.new_user(role, unit) for role, unit in people.values()))
    await asyncio.gather(*(w.sign_in(key, user["username"]) for key, user in zip(people, made, strict=True)))
    w.ids["users"] = {key: user["id"] for key, user in zip(people, made, strict=True)}
    await asyncio.gather(
        w.client_token("client", []),
        *(w.client_token(f"client:{s}", [s], unit_ids=[w.lead] if s == "issues:act" else []) for s in SCOPES),
        w.client_token(ACTS_ELSEWHERE, ["issues:act"], unit_ids=[w.units[w.codes["other"]]]),
    )
    w.tokens["anonymous"] = {}

    # Directory objects of this test's own, for the admin's writes.
    spare, unit = await asyncio.gather(
        w.new_user("unit", w.codes["other"]),
        w.call(
            "boot",
            "POST",
            "/api/v1/units",
            201,
            json={"code": w.name("U"), "name": w.name("单位"), "kind": "department"},
        ),
    )
    w.ids["spare_user"], w.ids["spare_unit"] = spare["id"], unit["id"]
    w.ids["spare_client"], _ = await w.new_client([])

    # A campaign of this test's own (its escalation policy is written), the same as the demo's but for its code.
    exported = await http.get(f"/api/v1/campaigns/{w.ids['campaign']}/export", headers=w.tokens["boot"])
    w.ids["definition"] = exported.text.replace("code: YS\n", f"code: MX{w.run.upper()}\n", 1).encode()
    imported = await w.call(
        "boot", "POST", "/api/v1/campaigns/import", 201, content=w.ids["definition"],
        headers={"Content-Type": "application/yaml"},
    )  # fmt: skip
    w.ids["own_campaign"] = imported.get("campaign_id") or imported.get("id") or imported["campaign"]["id"]

    # Issues: one to read (linked to a public submission), one fresh for each workflow step.
    submissions = await asyncio.gather(*(w.submission(t) for t in ("读", "受理", "合并", "不予受理", "关联")))
    w.ids["submission"], w.ids["to_accept"], w.ids["to_merge"], w.ids["to_reject"], linked = submissions
    accept = {"assign": {"lead_unit_id": w.lead, "co_unit_ids": [w.co], "deadline": in_days(20)}}
    accepted = await w.call("office", "POST", f"/api/v1/intake/{linked['id']}/accept", json=accept)
    read_issue = str(accepted["issue_id"])
    await w.step("lead", read_issue, "accept")
    await w.step("co", read_issue, f"co-units/{w.co}/accept")
    w.ids["issue"] = read_issue
    files = {"file": ("矩阵.pdf", PDF, "application/pdf")}
    attached = await w.call("office", "POST", f"/api/v1/issues/{read_issue}/attachments", 201, files=files)
    w.ids["attachment"] = attached["id"]
    piece = {"title": w.name("子任务"), "assignee_id": w.ids["users"]["lead"], "deadline": in_days(10)}
    w.ids["subtask"] = (await w.call("lead", "POST", f"/api/v1/issues/{read_issue}/subtasks", 201, json=piece))["id"]
    # A decision on record for the unrelated unit, with its document.
    decision = {
        "unit_id": w.units[w.codes["other"]],
        "campaign_id": w.ids["own_campaign"],
        "kind": "约谈",
        "decided_on": in_days(0),
        "outcome": "矩阵",
    }
    recorded = await w.call("office", "POST", "/api/v1/accountability-records", 201, json=decision)
    await w.call("office", "POST", f"/api/v1/accountability-records/{recorded['id']}/document", files=files)
    w.ids["record"] = recorded["id"]
    states = list(ISSUE_STATES.items())
    gate = asyncio.Semaphore(4)  # a few at a time: the services share two cores with everything else

    async def issue_for(op: str, state: str) -> str:
        async with gate:
            return await w.issue(state, op.rsplit("/", 1)[-1])

    made_issues = await asyncio.gather(*(issue_for(op, state) for op, state in states))
    w.issues = {op: issue_id for (op, _), issue_id in zip(states, made_issues, strict=True)}
    patch_target = w.issues["PATCH /api/v1/issues/{issue_id}"]
    w.ids["issue_etag"] = (await http.get(f"/api/v1/issues/{patch_target}", headers=w.tokens["office"])).headers["etag"]
    w.ids["user_etag"] = (await http.get(f"/api/v1/users/{spare['id']}", headers=w.tokens["boot"])).headers["etag"]
    w.ids["unit_etag"] = (await http.get(f"/api/v1/units/{unit['id']}", headers=w.tokens["boot"])).headers["etag"]

    # An import job, a meeting, a webhook subscription of the office's.
    sheet = f"问题,责任单位\n{w.name('导入')},{w.codes['lead']}\n".encode()
    w.ids["sheet"] = sheet
    job = await w.call(
        "office", "POST", "/api/v1/issues/import-jobs", 202,
        params={"campaign_id": w.ids["own_campaign"]}, files={"file": ("矩阵.csv", sheet, "text/csv")},
    )  # fmt: skip
    w.ids["job"] = job["id"]
    hook = {"url": "https://oa.example.gov.cn/matrix", "secret": "a-long-enough-secret", "event_types": ["issue.*"]}
    w.ids["webhook"] = (await w.call("office", "POST", "/api/v1/webhooks", 201, json=hook))["id"]
    view = {"name": w.name("视图"), "filters": {"overdue": True}}
    w.ids["view"] = (await w.call("lead", "POST", "/api/v1/issues/saved-views", 201, json=view))["id"]
    period = datetime.now(SHANGHAI).strftime("%Y-%m")
    meeting = await w.call(
        "office", "POST", "/api/v1/reports/meetings", 201, json={"campaign_id": w.ids["campaign"], "period": period}
    )
    w.ids["meeting"], w.ids["period"] = meeting["id"], period

    # What notify-api learns from the feed: the own campaign's policy, a message to the lead user.
    w.ids["policy"] = await eventually(
        lambda: _answer(http, f"/api/v1/escalation-policies/{w.ids['own_campaign']}", w.tokens["office"])
    )
    messages = await eventually(lambda: _answer(http, "/api/v1/notifications", w.tokens["lead"], nonempty="items"))
    w.ids["notification"] = messages["items"][0]["id"]
    return w


async def _numbered_notices(http: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]] | None:
    answer = await http.get("/api/v1/escalations", params={"limit": 200}, headers=headers)
    numbered = [e for e in answer.json()["items"] if e["number"]] if answer.status_code == 200 else []
    return numbered or None


async def _answer(http: httpx.AsyncClient, path: str, headers: dict[str, str], *, nonempty: str = "") -> Any:
    response = await http.get(path, headers=headers)
    if response.status_code != 200:
        return None
    body = response.json()
    return body if not nonempty or body[nonempty] else None


async def eventually(check: Callable[[], Any], *, within: float = 60.0) -> Any:
    """The feeds are asynchronous: poll until notify-api has heard of what this test made."""
    deadline = asyncio.get_running_loop().time() + within
    while (result := await check()) is None:
        assert asyncio.get_running_loop().time() < deadline, "notify-api did not catch up"
        await asyncio.sleep(0.3)
    return result


# ---------------------------------------------------------------------------------------------------------------
# One request per cell.


@dataclass
class Call:
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    data: dict[str, Any] | None = None
    files: dict[str, Any] | None = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    allowed_json: Any = None  # what the callers let in send instead (see the module's docstring)
    allowed_content: bytes | None = None


def calls(w: World) -> dict[str, Call]:
    """Each operation's request, aimed at the objects of `w`."""
    issue, co, sub = w.ids["issue"], w.co, w.ids["submission"]
    mine = w.issues
    new_issue = {"campaign_id": w.ids["campaign"], "title": w.name("新建"), "description": "矩阵", "kind": "problem"}
    assign = {"lead_unit_id": w.lead, "co_unit_ids": [co], "deadline": in_days(25)}
    sheet = {"file": ("矩阵.csv", w.ids["sheet"], "text/csv")}
    pdf = {"file": ("矩阵.pdf", PDF, "application/pdf")}
    hook = {"url": "https://oa.example.gov.cn/matrix-2", "secret": "a-long-enough-secret", "event_types": ["issue.*"]}
    refused_hook = {**hook, "url": "http://127.0.0.1:9/hook"}
    user = {"username": w.name("新用户"), "display_name": "矩阵", "role": "leader", "password": PASSWORD}
    meeting = {"campaign_id": w.ids["campaign"], "period": w.ids["period"]}
    yaml = {"Content-Type": "application/yaml"}
    record = {
        "unit_id": w.units[w.codes["other"]],
        "campaign_id": w.ids["own_campaign"],
        "kind": "约谈",
        "decided_on": in_days(0),
        "outcome": "矩阵",
    }

    def on(op: str, suffix: str = "") -> str:
        return f"/api/v1/issues/{mine[op]}{suffix}"

    extension_op = "POST /api/v1/issues/{issue_id}/extension-requests/{extension_id}/decision"
    return {
        "GET /.well-known/jwks.json": Call("/.well-known/jwks.json"),
        "GET /healthz": Call("/healthz"),
        "GET /readyz": Call("/readyz"),
        "POST /api/v1/auth/token": Call("/api/v1/auth/token", data={"username": w.name("nobody"), "password": "x"}),
        "POST /api/v1/auth/refresh": Call("/api/v1/auth/refresh"),
        "POST /api/v1/auth/logout": Call("/api/v1/auth/logout"),
        "GET /api/v1/auth/me": Call("/api/v1/auth/me"),
        "GET /api/v1/units": Call("/api/v1/units"),
        "GET /api/v1/units/{unit_id}": Call(f"/api/v1/units/{w.lead}"),
        "POST /api/v1/units": Call(
            "/api/v1/units",
            json={"code": w.name("N"), "name": w.name("新单位"), "kind": "department"},
            allowed_json={"code": w.name("N"), "name": "矩阵", "kind": "not-a-kind"},
        ),
        "PATCH /api/v1/units/{unit_id}": Call(
            f"/api/v1/units/{w.ids['spare_unit']}",
            json={"name": w.name("改名")},
            headers={"If-Match": w.ids["unit_etag"]},
        ),
        "GET /api/v1/users": Call("/api/v1/users", params={"limit": 200}),
        "GET /api/v1/users/{user_id}": Call(f"/api/v1/users/{w.ids['users']['office']}"),
        "POST /api/v1/users": Call("/api/v1/users", json=user, allowed_json={**user, "role": "not-a-role"}),
        "PATCH /api/v1/users/{user_id}": Call(
            f"/api/v1/users/{w.ids['spare_user']}",
            json={"display_name": "改名"},
            headers={"If-Match": w.ids["user_etag"]},
        ),
        "POST /api/v1/users/{user_id}/unlock": Call(f"/api/v1/users/{w.ids['spare_user']}/unlock"),
        "GET /api/v1/clients": Call("/api/v1/clients"),
        "POST /api/v1/clients": Call(
            "/api/v1/clients",
            json={"id": w.name("new"), "name": "矩阵", "scopes": ["events:read"]},
            allowed_json={"id": w.name("new"), "name": "矩阵", "scopes": ["not-a-scope"]},
        ),
        "GET /api/v1/clients/{client_id}": Call(f"/api/v1/clients/{w.ids['spare_client']}"),
        "PATCH /api/v1/clients/{client_id}": Call(f"/api/v1/clients/{w.ids['spare_client']}", json={"name": "改名"}),
        "GET /api/v1/campaigns": Call("/api/v1/campaigns"),
        "GET /api/v1/campaigns/{campaign_id}": Call(f"/api/v1/campaigns/{w.ids['campaign']}"),
        "GET /api/v1/campaigns/{campaign_id}/export": Call(f"/api/v1/campaigns/{w.ids['campaign']}/export"),
        "POST /api/v1/campaigns/import": Call(
            "/api/v1/campaigns/import",
            content=w.ids["definition"].replace(b"code: MX", b"code: MZ", 1),
            allowed_content=b"code: [not a campaign",
            headers=yaml,
        ),
        "GET /api/v1/issues": Call("/api/v1/issues", params={"limit": 100}),
        "POST /api/v1/issues": Call("/api/v1/issues", json=new_issue),
        "GET /api/v1/issues/workflow": Call("/api/v1/issues/workflow"),
        "GET /api/v1/issues/export.xlsx": Call(
            "/api/v1/issues/export.xlsx", params={"campaign_id": w.ids["own_campaign"]}
        ),
        "GET /api/v1/issues/saved-views": Call("/api/v1/issues/saved-views"),
        "POST /api/v1/issues/saved-views": Call(
            "/api/v1/issues/saved-views", json={"name": w.name("我的视图"), "filters": {"open": True}}
        ),
        "DELETE /api/v1/issues/saved-views/{view_id}": Call(f"/api/v1/issues/saved-views/{w.ids['view']}"),
        "POST /api/v1/issues/batch/assign": Call(
            "/api/v1/issues/batch/assign", json={"issue_ids": [mine["POST /api/v1/issues/batch/assign"]], **assign}
        ),
        "POST /api/v1/issues/self-inspection": Call(
            "/api/v1/issues/self-inspection",
            json={"campaign_id": w.ids["campaign"], "title": w.name("自查"), "description": "矩阵"}
            | {"cause": "原因", "measures": "措施"},
        ),
        "POST /api/v1/issues/self-inspection/batch": Call(
            "/api/v1/issues/self-inspection/batch",
            params={"campaign_id": w.ids["campaign"], "dry_run": "true"},
            files={"file": ("粘贴.tsv", f"问题\t原因\t措施\n{w.name('批量')}\t原因\t措施\n".encode(), "text/plain")},
        ),
        "GET /api/v1/issues/self-inspection/template.xlsx": Call(
            "/api/v1/issues/self-inspection/template.xlsx", params={"campaign_id": w.ids["campaign"]}
        ),
        "GET /api/v1/issues/{issue_id}/self-inspection": Call(
            on("GET /api/v1/issues/{issue_id}/self-inspection", "/self-inspection")
        ),
        "POST /api/v1/issues/{issue_id}/self-inspection/confirm": Call(
            on("POST /api/v1/issues/{issue_id}/self-inspection/confirm", "/self-inspection/confirm"), json={}
        ),
        "POST /api/v1/issues/{issue_id}/self-inspection/send-back": Call(
            on("POST /api/v1/issues/{issue_id}/self-inspection/send-back", "/self-inspection/send-back"),
            json={"reason": "矩阵"},
        ),
        "POST /api/v1/issues/{issue_id}/self-inspection/revise": Call(
            on("POST /api/v1/issues/{issue_id}/self-inspection/revise", "/self-inspection/revise"),
            json={"cause": "补充的原因"},
        ),
        "POST /api/v1/issues/batch/urge": Call(
            "/api/v1/issues/batch/urge",
            json={"issue_ids": [mine["POST /api/v1/issues/batch/urge"]], "content": "矩阵"},
        ),
        "GET /api/v1/issues/import/template.xlsx": Call(
            "/api/v1/issues/import/template.xlsx", params={"campaign_id": w.ids["own_campaign"]}
        ),
        "POST /api/v1/issues/import": Call(
            "/api/v1/issues/import", params={"campaign_id": w.ids["own_campaign"], "dry_run": "true"}, files=sheet
        ),
        "POST /api/v1/issues/import-jobs": Call(
            "/api/v1/issues/import-jobs", params={"campaign_id": w.ids["own_campaign"]}, files=sheet
        ),
        "GET /api/v1/issues/import-jobs/{job_id}": Call(f"/api/v1/issues/import-jobs/{w.ids['job']}"),
        "GET /api/v1/issues/{issue_id}": Call(f"/api/v1/issues/{issue}"),
        "PATCH /api/v1/issues/{issue_id}": Call(
            on("PATCH /api/v1/issues/{issue_id}"), json={"cause": "矩阵"}, headers={"If-Match": w.ids["issue_etag"]}
        ),
        "GET /api/v1/issues/{issue_id}/timeline": Call(f"/api/v1/issues/{issue}/timeline"),
        "GET /api/v1/issues/{issue_id}/extension-requests": Call(f"/api/v1/issues/{issue}/extension-requests"),
        "GET /api/v1/issues/{issue_id}/attachments": Call(f"/api/v1/issues/{issue}/attachments"),
        "GET /api/v1/issues/{issue_id}/attachments/{attachment_id}": Call(
            f"/api/v1/issues/{issue}/attachments/{w.ids['attachment']}"
        ),
        "GET /api/v1/issues/{issue_id}/dossier.zip": Call(f"/api/v1/issues/{issue}/dossier.zip"),
        "POST /api/v1/issues/{issue_id}/attachments": Call(
            on("POST /api/v1/issues/{issue_id}/attachments", "/attachments"), files=pdf
        ),
        "POST /api/v1/issues/{issue_id}/assign": Call(
            on("POST /api/v1/issues/{issue_id}/assign", "/assign"), json=assign
        ),
        "POST /api/v1/issues/{issue_id}/reassign": Call(
            on("POST /api/v1/issues/{issue_id}/reassign", "/reassign"), json=assign
        ),
        "POST /api/v1/issues/{issue_id}/accept": Call(on("POST /api/v1/issues/{issue_id}/accept", "/accept")),
        "POST /api/v1/issues/{issue_id}/return": Call(
            on("POST /api/v1/issues/{issue_id}/return", "/return"), json={"reason_code": "other", "reason": "矩阵"}
        ),
        "POST /api/v1/issues/{issue_id}/progress": Call(
            on("POST /api/v1/issues/{issue_id}/progress", "/progress"), json={"content": "矩阵", "percent": 10}
        ),
        "POST /api/v1/issues/{issue_id}/submit-completion": Call(
            on("POST /api/v1/issues/{issue_id}/submit-completion", "/submit-completion"), json={"summary": "矩阵"}
        ),
        "POST /api/v1/issues/{issue_id}/extension-requests": Call(
            on("POST /api/v1/issues/{issue_id}/extension-requests", "/extension-requests"),
            json={"new_deadline": in_days(60), "reason": "矩阵"},
        ),
        extension_op: Call(
            on(extension_op, f"/extension-requests/{w.extensions[mine[extension_op]]}/decision"),
            json={"approved": True, "comment": "矩阵"},
        ),
        "POST /api/v1/issues/{issue_id}/close": Call(on("POST /api/v1/issues/{issue_id}/close", "/close"), json={}),
        "POST /api/v1/issues/{issue_id}/reject-completion": Call(
            on("POST /api/v1/issues/{issue_id}/reject-completion", "/reject-completion"), json={"reason": "矩阵"}
        ),
        "POST /api/v1/issues/{issue_id}/reopen": Call(
            on("POST /api/v1/issues/{issue_id}/reopen", "/reopen"), json={"reason": "矩阵"}
        ),
        "POST /api/v1/issues/{issue_id}/cancel": Call(
            on("POST /api/v1/issues/{issue_id}/cancel", "/cancel"), json={"reason": "矩阵"}
        ),
        "POST /api/v1/issues/{issue_id}/urge": Call(
            on("POST /api/v1/issues/{issue_id}/urge", "/urge"), json={"content": "矩阵"}
        ),
        "POST /api/v1/issues/{issue_id}/instructions": Call(
            on("POST /api/v1/issues/{issue_id}/instructions", "/instructions"), json={"content": "矩阵"}
        ),
        "POST /api/v1/issues/{issue_id}/co-units/{unit_id}/accept": Call(
            on("POST /api/v1/issues/{issue_id}/co-units/{unit_id}/accept", f"/co-units/{co}/accept")
        ),
        "POST /api/v1/issues/{issue_id}/co-units/{unit_id}/contribution": Call(
            on("POST /api/v1/issues/{issue_id}/co-units/{unit_id}/contribution", f"/co-units/{co}/contribution"),
            json={"content": "矩阵"},
        ),
        "POST /api/v1/issues/{issue_id}/co-units/{unit_id}/waive": Call(
            on("POST /api/v1/issues/{issue_id}/co-units/{unit_id}/waive", f"/co-units/{co}/waive")
        ),
        "GET /api/v1/issues/{issue_id}/public-replies": Call(f"/api/v1/issues/{issue}/public-replies"),
        "POST /api/v1/issues/{issue_id}/public-replies": Call(
            f"/api/v1/issues/{issue}/public-replies", json={"content": "矩阵答复"}
        ),
        "GET /api/v1/issues/{issue_id}/public-view": Call(f"/api/v1/issues/{issue}/public-view"),
        "GET /api/v1/units/{unit_id}/staff": Call(f"/api/v1/units/{w.lead}/staff"),
        "GET /api/v1/issues/{issue_id}/assignees": Call(f"/api/v1/issues/{issue}/assignees"),
        "PUT /api/v1/issues/{issue_id}/assignees/{unit_id}": Call(
            f"/api/v1/issues/{issue}/assignees/{w.lead}", json={"user_id": w.ids["users"]["lead"]}
        ),
        "GET /api/v1/issues/{issue_id}/subtasks": Call(f"/api/v1/issues/{issue}/subtasks"),
        "POST /api/v1/issues/{issue_id}/subtasks": Call(
            f"/api/v1/issues/{issue}/subtasks",
            json={"unit_id": w.lead, "title": w.name("子任务"), "assignee_id": w.ids["users"]["lead"]}
            | {"deadline": in_days(10)},
        ),
        "PATCH /api/v1/issues/{issue_id}/subtasks/{subtask_id}": Call(
            f"/api/v1/issues/{issue}/subtasks/{w.ids['subtask']}", json={"title": w.name("改子任务")}
        ),
        "POST /api/v1/issues/{issue_id}/subtasks/{subtask_id}/progress": Call(
            f"/api/v1/issues/{issue}/subtasks/{w.ids['subtask']}/progress", json={"percent": 10, "note": "矩阵"}
        ),
        "GET /api/v1/intake": Call("/api/v1/intake"),
        "GET /api/v1/intake/{submission_id}": Call(f"/api/v1/intake/{sub['id']}"),
        "GET /api/v1/intake/{submission_id}/contact": Call(f"/api/v1/intake/{sub['id']}/contact"),
        "GET /api/v1/intake/{submission_id}/similar": Call(f"/api/v1/intake/{sub['id']}/similar"),
        "GET /api/v1/intake/{submission_id}/public-view": Call(f"/api/v1/intake/{sub['id']}/public-view"),
        "POST /api/v1/intake/{submission_id}/accept": Call(
            f"/api/v1/intake/{w.ids['to_accept']['id']}/accept", json={}
        ),
        "POST /api/v1/intake/{submission_id}/merge": Call(
            f"/api/v1/intake/{w.ids['to_merge']['id']}/merge", json={"issue_id": issue}
        ),
        "POST /api/v1/intake/{submission_id}/reject": Call(
            f"/api/v1/intake/{w.ids['to_reject']['id']}/reject", json={"reason": "矩阵"}
        ),
        "POST /api/v1/intake/{submission_id}/reply": Call(f"/api/v1/intake/{sub['id']}/reply", json={"reply": "矩阵"}),
        "POST /api/v1/intake/{submission_id}/followup": Call(
            f"/api/v1/intake/{sub['id']}/followup", json={"action": "answer", "reason": "矩阵"}
        ),
        # Public writes: an incomplete body (everyone may call them; nothing is to be kept from this test).
        "POST /api/v1/public/submissions": Call("/api/v1/public/submissions", json={"title": ""}),
        "GET /api/v1/public/submissions/{code}": Call(f"/api/v1/public/submissions/{sub['code']}"),
        "POST /api/v1/public/submissions/{code}/feedback": Call(
            f"/api/v1/public/submissions/{sub['code']}/feedback", json={}
        ),
        "POST /api/v1/public/submissions/{code}/appeal": Call(
            f"/api/v1/public/submissions/{sub['code']}/appeal", json={}
        ),
        "POST /api/v1/public/submissions/{code}/reveal": Call(
            f"/api/v1/public/submissions/{sub['code']}/reveal", json={}
        ),
        "GET /open311/v2/services.{fmt}": Call("/open311/v2/services.json"),
        "GET /open311/v2/services/{service_code}.{fmt}": Call("/open311/v2/services/none.json"),
        "GET /open311/v2/requests.{fmt}": Call("/open311/v2/requests.json"),
        "POST /open311/v2/requests.{fmt}": Call("/open311/v2/requests.json", data={"description": "矩阵"}),
        "GET /open311/v2/requests/{service_request_id}.{fmt}": Call(f"/open311/v2/requests/{sub['id']}.json"),
        "GET /open311/v2/tokens/{token}.{fmt}": Call(f"/open311/v2/tokens/{sub['code']}.json"),
        "GET /api/v1/events": Call("/api/v1/events", params={"after": 0, "limit": 500, "wait": 0}),
        "GET /api/v1/audit/verify": Call("/api/v1/audit/verify"),
        "GET /api/v1/accountability-records": Call("/api/v1/accountability-records", params={"limit": 200}),
        "POST /api/v1/accountability-records": Call(
            "/api/v1/accountability-records",
            json=record,
            allowed_json={**record, "decided_on": in_days(30)},  # refused after the role check: a future day
        ),
        "GET /api/v1/accountability-records/{record_id}/document": Call(
            f"/api/v1/accountability-records/{w.ids['record']}/document"
        ),
        "POST /api/v1/accountability-records/{record_id}/document": Call(
            f"/api/v1/accountability-records/{w.ids['record']}/document", files=pdf
        ),
        "GET /api/v1/escalations/feed": Call("/api/v1/escalations/feed", params={"after": 0, "limit": 5, "wait": 0}),
        "GET /api/v1/calendar": Call("/api/v1/calendar"),
        "PUT /api/v1/calendar": Call("/api/v1/calendar", json={"year": 2090, "overrides": []}),
        "GET /api/v1/escalation-policies/{campaign_id}": Call(f"/api/v1/escalation-policies/{w.ids['own_campaign']}"),
        "PUT /api/v1/escalation-policies/{campaign_id}": Call(
            f"/api/v1/escalation-policies/{w.ids['own_campaign']}",
            json={k: w.ids["policy"][k] for k in ("steps", "ack_within_wd") if k in w.ids["policy"]},
        ),
        "GET /api/v1/escalations": Call("/api/v1/escalations", params={"limit": 200}),
        "GET /api/v1/escalations/planned": Call("/api/v1/escalations/planned", params={"issue_id": issue}),
        "POST /api/v1/escalations/{escalation_id}/acknowledge": Call(
            f"/api/v1/escalations/{w.ids['escalation']}/acknowledge"
        ),
        "GET /api/v1/escalations/{escalation_id}/notice.docx": Call(
            f"/api/v1/escalations/{w.ids['escalation']}/notice.docx"
        ),
        "GET /api/v1/notifications": Call("/api/v1/notifications"),
        "GET /api/v1/notifications/unread-count": Call("/api/v1/notifications/unread-count"),
        "GET /api/v1/notifications/stream": Call("/api/v1/notifications/stream"),
        "POST /api/v1/notifications/read-all": Call("/api/v1/notifications/read-all"),
        "POST /api/v1/notifications/{notification_id}/read": Call(
            f"/api/v1/notifications/{w.ids['notification']}/read"
        ),
        "GET /api/v1/webhooks": Call("/api/v1/webhooks"),
        "POST /api/v1/webhooks": Call("/api/v1/webhooks", json=hook, allowed_json=refused_hook),
        "GET /api/v1/webhooks/{subscription_id}": Call(f"/api/v1/webhooks/{w.ids['webhook']}"),
        "PATCH /api/v1/webhooks/{subscription_id}": Call(
            f"/api/v1/webhooks/{w.ids['webhook']}", json={"description": "矩阵"}
        ),
        "DELETE /api/v1/webhooks/{subscription_id}": Call(f"/api/v1/webhooks/{w.ids['webhook']}"),
        "GET /api/v1/deliveries": Call("/api/v1/deliveries"),
        "POST /api/v1/deliveries/{delivery_id}/retry": Call(f"/api/v1/deliveries/{uuid.uuid4()}/retry"),
        "GET /api/v1/channels": Call("/api/v1/channels"),
        "PUT /api/v1/channels": Call("/api/v1/channels", json={"channel": "dingtalk", "enabled": False}),
        "GET /api/v1/reports/summary": Call("/api/v1/reports/summary"),
        "GET /api/v1/reports/statuses": Call("/api/v1/reports/statuses"),
        "GET /api/v1/reports/lights": Call("/api/v1/reports/lights"),
        "GET /api/v1/reports/units": Call("/api/v1/reports/units"),
        "GET /api/v1/reports/trend": Call("/api/v1/reports/trend"),
        "GET /api/v1/reports/categories": Call("/api/v1/reports/categories"),
        "GET /api/v1/reports/overdue": Call("/api/v1/reports/overdue", params={"limit": 100}),
        "GET /api/v1/reports/accountability": Call("/api/v1/reports/accountability"),
        "GET /api/v1/reports/ledger.xlsx": Call("/api/v1/reports/ledger.xlsx"),
        "GET /api/v1/reports/meetings": Call("/api/v1/reports/meetings"),
        "POST /api/v1/reports/meetings": Call(
            "/api/v1/reports/meetings", json=meeting, allowed_json={**meeting, "period": "not-a-month"}
        ),
        "GET /api/v1/reports/meetings/{meeting_id}": Call(f"/api/v1/reports/meetings/{w.ids['meeting']}"),
        "GET /api/v1/reports/meetings/{meeting_id}.docx": Call(f"/api/v1/reports/meetings/{w.ids['meeting']}.docx"),
        "GET /api/v1/reports/meetings/{meeting_id}.xlsx": Call(f"/api/v1/reports/meetings/{w.ids['meeting']}.xlsx"),
        "POST /api/v1/reports/admin/rebuild": Call("/api/v1/reports/admin/rebuild"),
    }


# ---------------------------------------------------------------------------------------------------------------
# What an answer may hold: a unit's lists only its units' items, contacts only for those who may read them.


def _unit_of(who: str, w: World) -> str | None:
    return w.units[w.codes[who]] if who in w.codes else None


def leaks(op: str, who: str, body: Any, w: World) -> list[str]:
    unit = _unit_of(who, w)
    found: list[str] = []
    if unit is not None and op in ("GET /api/v1/issues", "GET /api/v1/reports/overdue"):
        found += [
            f"issue {i['code']} of other units"
            for i in body["items"]
            if unit != i["lead_unit_id"] and unit not in (i.get("co_unit_ids") or [])
        ]
    if unit is not None and op == "GET /api/v1/reports/units":
        found += [f"ranking row of unit {r['unit_code']}" for r in body["items"] if r["unit_id"] != unit]
    if unit is not None and op == "GET /api/v1/accountability-records":
        found += [f"record {r['id']} of unit {r['unit_id']}" for r in body["items"] if r["unit_id"] != unit]
    if unit is not None and op == "GET /api/v1/escalations":
        found += [f"escalation {e['id']} of unit {e['unit_id']}" for e in body["items"] if e["unit_id"] != unit]
    sees_contacts = who in STAFF or who == "client:contacts:read"
    if op == "GET /api/v1/users" and not sees_contacts:
        found += [f"contacts of {u['username']}" for u in body["items"] if u.get("email") or u.get("phone")]
    if op == "GET /api/v1/events" and not sees_contacts:
        for event in body["events"]:
            person = event["data"].get("user") or {}
            if person.get("email") or person.get("phone"):
                found.append(f"contacts in event {event['seq']}")
    return found


# ---------------------------------------------------------------------------------------------------------------


def operations(document: dict[str, Any]) -> set[str]:
    return {f"{m.upper()} {path}" for path, item in document["paths"].items() for m in item if m in METHODS}


async def send(http: httpx.AsyncClient, op: str, call: Call, token: dict[str, str], allowed: bool) -> httpx.Response:
    method = op.split(" ", 1)[0]
    json_body = call.allowed_json if allowed and call.allowed_json is not None else call.json
    content = call.allowed_content if allowed and call.allowed_content is not None else call.content
    request = http.build_request(
        method,
        call.path,
        params=call.params,
        json=json_body,
        data=call.data,
        files=call.files,
        content=content,
        headers={**call.headers, **token},
    )
    # A stream (server-sent events) is judged by its status: closed once the headers are in.
    response = await http.send(request, stream=True)
    try:
        if not call.path.endswith("/stream"):
            await response.aread()
    finally:
        await response.aclose()
    return response


def snippet(response: httpx.Response) -> str:
    try:
        return response.text[:200]
    except httpx.ResponseNotRead:  # a stream
        return ""


def judge(op: str, who: str, allowed: bool, response: httpx.Response, w: World) -> list[str]:
    status = response.status_code
    where = f"{op} as {who}: {status}"
    if op == "GET /readyz":  # 503 while some service is slow to answer: about the system, not the caller
        return []
    if status >= 500:
        return [f"{where} (server error) {snippet(response)}"]
    if TABLE[op] is ANYONE:
        return []
    if not allowed:
        refused = (401,) if who == "anonymous" else (403, 404)
        return [] if status in refused else [f"{where}, the table refuses {who} {snippet(response)}"]
    if status in (401, 403) or (status == 404 and "{issue_id}" in op):
        return [f"{where}, the table lets {who} in {snippet(response)}"]
    if status == 200 and "json" in response.headers.get("content-type", ""):
        return [f"{where}: {leak}" for leak in leaks(op, who, response.json(), w)]
    return []


class PatientTransport(httpx.AsyncBaseTransport):
    """Sends again what the gateway refused without sending it on (503 `upstream-unavailable`: its breaker open
    or no replica ready, as happens when the shared machine is overloaded). This test is about who may do what,
    not about availability; a request that reached a service is never sent twice."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=16))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        for attempt in range(8):
            response = await self._inner.handle_async_request(request)
            if response.status_code != 503:
                return response
            raw = b"".join([chunk async for chunk in response.aiter_raw()])
            await response.aclose()
            if b"upstream-unavailable" not in raw or attempt == 7:
                return httpx.Response(503, headers=response.headers, content=raw, extensions=response.extensions)
            await asyncio.sleep(1.0)
        raise AssertionError("unreachable")

    async def aclose(self) -> None:
        await self._inner.aclose()


async def run_matrix(gateway: str) -> tuple[set[str], list[str], int]:
    async with httpx.AsyncClient(base_url=gateway, timeout=60, transport=PatientTransport()) as http:
        document = (await http.get("/api/v1/openapi.json")).json()
        assert "x-unavailable-services" not in document["info"], document["info"]  # every service's operations
        w = await build_world(http)
        requests = calls(w)
        assert set(requests) == set(TABLE), set(requests) ^ set(TABLE)
        failures: list[str] = []
        sent = 0
        gate = asyncio.Semaphore(8)

        async def cell(op: str, who: str, allowed: bool) -> None:
            nonlocal sent
            async with gate:
                response = await send(http, op, requests[op], w.tokens[who], allowed)
            sent += 1
            failures.extend(judge(op, who, allowed, response, w))

        async def lets_in(op: str) -> None:
            if op in NOT_SENT_WHEN_ALLOWED:
                return
            for who in PRINCIPALS:
                if who in TABLE[op]:
                    await cell(op, who, True)

        covered = set(TABLE)
        await asyncio.gather(*(cell(op, who, False) for op in covered for who in PRINCIPALS if who not in TABLE[op]))
        await asyncio.gather(*(lets_in(op) for op in covered))
        unclassified = operations(document) - covered
        return unclassified, failures, sent


class TestAuthorizationMatrix:
    def test_the_tables_name_known_operations_and_callers(self) -> None:
        assert set(TABLE) >= NOT_SENT_WHEN_ALLOWED | set(ISSUE_STATES)
        assert all(allowed <= ANYONE for allowed in TABLE.values())

    def test_every_operation_as_every_caller_gets_what_the_table_says(self, main_stack: Stack) -> None:
        unclassified, failures, sent = asyncio.run(run_matrix(main_stack.gateway))
        assert not unclassified, f"operations the table does not classify: {sorted(unclassified)}"
        assert not failures, f"{len(failures)} of {sent} cells:\n" + "\n".join(sorted(failures))
        assert sent == sum(
            len(PRINCIPALS) if op not in NOT_SENT_WHEN_ALLOWED else len(PRINCIPALS) - len(TABLE[op]) for op in TABLE
        )
