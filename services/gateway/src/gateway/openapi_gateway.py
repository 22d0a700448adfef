"""What the gateway adds to the merged document: the answers it gives itself, the scopes, the areas (tags).

The services document what they answer; in front of them the gateway may also refuse a request (a missing or
bad token, a rate limit, a body over its limit) or fail to reach the service. Each operation lists those too,
so that a client generated from the document knows every answer it can get.
"""

from __future__ import annotations

from typing import Any

from gateway.routing import OPEN311_PREFIX, PUBLIC_WRITE_PREFIX, SIGN_IN_PATHS, is_public
from rectify_kit.openapi import SCHEME_NAME, add_responses, operations

# Scopes of integration clients (client-credentials grant); users' rights come from their role instead.
SCOPES: dict[str, str] = {
    "issues:read": "读取台账 / read the ledger",
    "issues:write": "登记事项 / register issues",
    "issues:act": "为绑定单位办理事项 / take workflow steps for the units the client is bound to",
    "events:read": "读取事件流 / read the event feed",
    "directory:read": "读取单位和用户 / read units and users",
    "contacts:read": "读取联系方式 / read personal contact fields",
    "reports:read": "读取统计报表 / read the reports",
    "webhooks:manage": "管理自己的订阅 / manage its own webhook subscriptions",
}

TAGS: list[dict[str, str]] = [
    {"name": "auth", "description": "令牌与当前用户 / tokens and the current user"},
    {"name": "units", "description": "责任单位 / responsible units"},
    {"name": "users", "description": "用户 / users"},
    {"name": "clients", "description": "接入系统（机器客户端）/ integration clients"},
    {"name": "campaigns", "description": "专项行动 / campaigns, their categories and phases"},
    {"name": "issues", "description": "整改台账与办理流程 / the ledger and its workflow"},
    {"name": "attachments", "description": "附件与案卷 / attachments and dossiers"},
    {"name": "public", "description": "群众和企业诉求（无需登录）/ public submissions, no account"},
    {"name": "intake", "description": "诉求受理 / the office's intake queue"},
    {"name": "events", "description": "事件流 / the event feed"},
    {"name": "audit", "description": "审计 / the audit chain"},
    {"name": "open311", "description": "Open311 GeoReport v2"},
    {"name": "notifications", "description": "站内通知 / the in-app inbox"},
    {"name": "escalations", "description": "督办与升级 / escalations"},
    {"name": "escalation-policies", "description": "督办规则 / escalation policies"},
    {"name": "calendar", "description": "工作日历 / working-day calendar"},
    {"name": "webhooks", "description": "Webhook 订阅 / webhook subscriptions"},
    {"name": "deliveries", "description": "投递记录与渠道 / deliveries and channels"},
    {"name": "reports", "description": "统计报表 / figures, rankings, exports"},
    {"name": "meetings", "description": "例会材料 / monthly meeting reports"},
]

_UPSTREAM_FAILURES = (502, 503, 504)


def _rate_limited(method: str, path: str) -> bool:
    """The gateway's rate policy applies: every caller with a token, and public writes and sign-ins by IP."""
    if method == "post" and (path in SIGN_IN_PATHS or path.startswith((PUBLIC_WRITE_PREFIX, OPEN311_PREFIX))):
        return True
    return not is_public(path)


def add_gateway_answers(document: dict[str, Any], *, max_body_bytes: int) -> dict[str, Any]:
    """Document the gateway's own answers on every routed operation; fill in the scopes and the tag list."""
    for path, method, operation in operations(document):
        statuses: list[int] = [*_UPSTREAM_FAILURES]
        if not is_public(path):
            statuses.append(401)
        if _rate_limited(method, path):
            statuses.append(429)
        if "requestBody" in operation:
            statuses.append(413)
            body = operation["requestBody"]
            body.setdefault("description", f"at most {max_body_bytes} bytes through the gateway")
        add_responses(operation, statuses)
    scheme = document.get("components", {}).get("securitySchemes", {}).get(SCHEME_NAME)
    if scheme is not None:
        for flow in scheme.get("flows", {}).values():
            flow["scopes"] = dict(SCOPES)
    known = {tag["name"] for tag in TAGS}
    used = {tag for _, _, op in operations(document) for tag in op.get("tags", [])}
    document["tags"] = [tag for tag in TAGS if tag["name"] in used] + [{"name": name} for name in sorted(used - known)]
    return document
