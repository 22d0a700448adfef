"""The `webhooks` section of the OpenAPI document: what a subscriber receives for each family of events, with
the headers that sign it."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from fastapi import APIRouter, Header
from pydantic import BaseModel, Field

SIGNING = (
    "签名（Standard Webhooks）：`webhook-id`、`webhook-timestamp`、`webhook-signature`"
    '（`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`，轮换期间新旧密钥各一个，空格分隔）；'
    '另有 `X-Rectify-Signature: sha256=<hex HMAC-SHA256 of "<X-Rectify-Timestamp>.<body>">`。'
    "接收方回 2xx 即视为送达；否则按退避重试。\n\n"
    "Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`: one `v1,<base64>` per "
    "valid secret, two during a rotation) and with `X-Rectify-Signature`. Answer 2xx to acknowledge; anything else "
    "is retried with backoff. `webhook-id` stays the same across retries: drop a repeat."
)


class WebhookEvent(BaseModel):
    id: str = Field(description="事件在此订阅中的唯一编号 / unique per event and subscription")
    type: str = Field(description="事件类型 / event type", examples=["issue.assigned"])
    occurred_at: dt.datetime
    data: dict[str, Any] = Field(description="见 docs/events.md / as in docs/events.md")


class IssueEvent(WebhookEvent):
    data: dict[str, Any] = Field(
        description='`{"issue": Issue, ...}`：事项变更后的完整状态（docs/events.md）/ the issue after the change',
        examples=[{"issue": {"id": "…", "code": "YS-2026-0001", "status": "assigned", "lead_unit_id": "…"}}],
    )


class IntakeEvent(WebhookEvent):
    data: dict[str, Any] = Field(
        description='`{"intake": Intake}`：公开部分，不含提交人联系方式 / the public part, never the contacts',
    )


class EscalationEvent(WebhookEvent):
    data: dict[str, Any] = Field(
        description='`{"escalation": {id, issue_id, campaign_id, unit_id, level, step, number, fired_at, deadline, '
        "acknowledged_at}}`",
    )


class NotificationEvent(WebhookEvent):
    data: dict[str, Any] = Field(description='`{"kind", "issue_id", "source_event"}`：站内消息 / an inbox message')


def _document(name: str, model: type[WebhookEvent], summary: str, operation: str) -> APIRouter:
    router = APIRouter()

    async def receive(
        body: WebhookEvent,
        webhook_id: str = Header(alias="webhook-id"),
        webhook_timestamp: str = Header(alias="webhook-timestamp"),
        webhook_signature: str = Header(alias="webhook-signature"),
    ) -> None:
        """Documentation only: subscribers implement this."""

    receive.__annotations__["body"] = model  # each family documents its own payload

    router.add_api_route(
        name,
        receive,
        methods=["POST"],
        summary=summary,
        description=SIGNING,
        status_code=204,
        operation_id=f"webhooks.{operation}",
    )
    return router


@cache
def webhook_documents() -> tuple[APIRouter, ...]:
    """Made once per process: building them is a test-only cost otherwise (an app per test), some 3 % of
    notify-api's suite; an app includes them without changing them."""
    return (
        _document("issue.*", IssueEvent, "事项事件 / Issue events (issue.assigned, issue.closed, …)", "issueEvent"),
        _document("intake.*", IntakeEvent, "诉求事件 / Public submission events", "intakeEvent"),
        _document("escalation.*", EscalationEvent, "督办事件 / Escalation fired or acknowledged", "escalationEvent"),
        _document("notification.created", NotificationEvent, "站内消息 / A message to people", "notificationEvent"),
    )
